package personae.core;

/**
 * Every bound on what a client controls, in one place (documented in docs/api.md, "Limits"). Inputs are checked
 * against these before they reach storage, so a request that is too large or too long is a 4xx naming the limit,
 * never a storage error: DynamoDB refuses a sort key above 1,024 bytes, a partition key above 2,048 and an item above
 * 400 KB; S3 refuses a key above 1,024 bytes. The numbers leave room for the prefixes Personae adds.
 *
 * <p>It lives in the domain root (not in {@code api}) because the domain enforces some of them too: CSV files are
 * read by builds as well as checked at upload, and documents are bounded where they are written.
 */
public final class Limits {

    private Limits() {}

    // ---------------------------------------------------------------- HTTP request

    /** The request path (raw, with {@code /v1}) in characters. */
    public static final int MAX_PATH_CHARS = 2_048;

    /** One path parameter (an id, a stream name, an upload directory or file name) after percent-decoding. */
    public static final int MAX_PATH_PARAM_CHARS = 255;

    /** One header's value, in characters (an API key is at most 200). */
    public static final int MAX_HEADER_CHARS = 8_192;

    /** All headers together (names and values), in characters. */
    public static final int MAX_HEADERS_CHARS = 32_768;

    /** A JSON request body, in bytes (a Faraday body is a few KB; the document must fit a DynamoDB item). */
    public static final int MAX_JSON_BODY_BYTES = 128 * 1024;

    // ---------------------------------------------------------------- JSON bodies

    /** Nesting depth of a JSON body (objects and arrays). */
    public static final int MAX_JSON_DEPTH = 32;

    /** Any string value in a JSON body, in characters, unless a field says otherwise. */
    public static final int MAX_STRING_CHARS = 1_024;

    /** A field name (object key) in a JSON body, in characters: stream, property and trait names are keys. */
    public static final int MAX_FIELD_NAME_CHARS = 255;

    /** Elements of one JSON array, and fields of one JSON object. */
    public static final int MAX_ARRAY_ITEMS = 1_000;

    // ---------------------------------------------------------------- uploads

    /** An upload directory name (ASCII, so characters are bytes). */
    public static final int MAX_DIRECTORY_CHARS = 100;

    /** An upload file name (ASCII, so characters are bytes). */
    public static final int MAX_FILENAME_CHARS = 200;

    // ---------------------------------------------------------------- CSV files

    /** Columns of a CSV file (each becomes a detected column of the dataset's document). */
    public static final int MAX_CSV_COLUMNS = 500;

    /** A CSV header's column name, in characters. */
    public static final int MAX_CSV_COLUMN_NAME_CHARS = 256;

    /** One CSV field, in characters. */
    public static final int MAX_CSV_FIELD_CHARS = 65_536;

    /** One physical line of a CSV file, in characters (bounds the memory a single record can take). */
    public static final int MAX_CSV_LINE_CHARS = 1 << 20;

    // ---------------------------------------------------------------- stored documents

    /** A resource's stored JSON document, in UTF-8 bytes (DynamoDB's item limit is 400 KB, keys included). */
    public static final int MAX_DOCUMENT_BYTES = 350_000;

    /** A resource id or other store key part, in UTF-8 bytes (the sort key is {@code kind#id}, at most 1,024). */
    public static final int MAX_ID_BYTES = 512;

    // ---------------------------------------------------------------- echoes

    /** How much of a client's input an error message may quote. */
    public static final int MAX_ECHO_CHARS = 100;

    /** The input, cut to {@link #MAX_ECHO_CHARS} (with an ellipsis and the full length when cut), for messages. */
    public static String excerpt(String input) {
        if (input == null) return "null";
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (int i = 0; i < input.length() && n < MAX_ECHO_CHARS; i++, n++) {
            char c = input.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        if (input.length() > MAX_ECHO_CHARS) {
            if (Character.isHighSurrogate(b.charAt(b.length() - 1))) b.setLength(b.length() - 1);
            b.append("... (").append(input.length()).append(" characters)");
        }
        return b.toString();
    }
}
