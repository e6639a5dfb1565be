package personae.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request and its answer, as the local server's handlers see it, independent of the server library: the API
 * ({@link LocalHttpServer}) and signed file URLs ({@link LocalFiles}) are written against this.
 */
interface HttpCall {

    String method();

    /** The path as sent, still percent-encoded. */
    String rawPath();

    /** The query as sent, or null. */
    String rawQuery();

    /** Every value of a header (case-insensitive name). */
    List<String> header(String name);

    /** Every header, values joined with commas, names as sent. */
    Map<String, String> headers();

    InputStream body();

    /**
     * Sends the status and headers; {@code length} is the body's size, 0 for none, or -1 for a body of unknown size
     * (streamed). Returns where to write the body.
     */
    OutputStream respond(int status, Map<String, String> headers, long length) throws IOException;
}
