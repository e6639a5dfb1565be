package personae.core.util;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The CSV files Personae writes between build steps: UTF-8, a header row, '\n' line ends, buffered streaming. */
public final class Csv {

    private static final CSVFormat READ = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();

    private Csv() {}

    /** A parser over a file with a header row; records are read one at a time. */
    public static CSVParser read(InputStream in) {
        try {
            return CSVParser.parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16), READ);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A printer that has written {@code header}. */
    public static CSVPrinter write(OutputStream out, List<String> header) {
        try {
            return new CSVPrinter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16),
                    CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).setRecordSeparator('\n').get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
