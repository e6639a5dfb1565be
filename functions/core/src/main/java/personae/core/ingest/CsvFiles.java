package personae.core.ingest;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import personae.core.Limits;

/**
 * Streams the records of an uploaded CSV file (optionally gzipped) and checks its shape as it goes: every row must
 * have as many fields as the header, and every quote must close. Problems name the file, line and column.
 */
public final class CsvFiles {

    /** Pass as the delimiter to detect it from the header line (see {@link #sniffDelimiter}). */
    public static final char SNIFF = 0;

    private CsvFiles() {}

    /** Whether Personae can read a file by its name (.csv/.txt, optionally .gz). */
    public static boolean isReadable(String fileName) {
        String f = fileName.toLowerCase(Locale.ROOT);
        return f.endsWith(".csv") || f.endsWith(".txt") || f.endsWith(".csv.gz") || f.endsWith(".txt.gz");
    }

    /** The stream to parse: gunzipped when the name ends in .gz. */
    public static InputStream decoded(String fileName, InputStream raw) {
        try {
            return fileName.toLowerCase(Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        } catch (IOException e) {
            throw new CsvProblem(fileName, 0, null, "not a gzip file (" + plain(e) + ")");
        }
    }

    /** The delimiter among , ; tab | that occurs most in the first line (comma when none does). */
    public static char sniffDelimiter(String firstLine) {
        char best = ',';
        long bestCount = 0;
        for (char c : new char[]{',', ';', '\t', '|'}) {
            long n = firstLine.chars().filter(x -> x == c).count();
            if (n > bestCount) {
                best = c;
                bestCount = n;
            }
        }
        return best;
    }

    /**
     * A parsed row: its data-row number (1 = first row after the header; empty lines are not rows) and the physical
     * line of the file it starts on (counting empty lines and the extra lines of quoted multi-line fields).
     */
    public record Row(long number, long line, String[] values) {}

    /**
     * Reads every record of {@code in}, checking its shape, and hands each to {@code each}. The header is the file's
     * first row unless {@code headerRow} is given (then every line is data).
     *
     * @return the header
     */
    public static List<String> read(String fileName, InputStream in, char delimiter, String headerRow,
                                     HeaderConsumer onHeader, Consumer<Row> each) {
        if (delimiter == SNIFF) {
            if (headerRow != null) {
                delimiter = sniffDelimiter(headerRow);
            } else {
                BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
                try {
                    b.mark(1 << 16);
                    String first = new String(b.readNBytes(8192), StandardCharsets.UTF_8).lines().findFirst().orElse("");
                    b.reset();
                    delimiter = sniffDelimiter(first);
                } catch (IOException | UncheckedIOException e) {
                    // a corrupt .gz fails here, on the first bytes: the user's file, not our fault
                    throw new CsvProblem(fileName, 0, null, "cannot be read: " + plain(e));
                }
                in = b;
            }
        }
        Reader reader = new LineBounded(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16));
        // empty lines are kept by the parser (and skipped below) so that its line counter counts them
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setIgnoreEmptyLines(false)
                .setTrim(false).get();
        String[] header = null;
        if (headerRow != null) {
            try (CSVParser hp = CSVParser.parse(headerRow, format)) {
                header = hp.iterator().next().values();
            } catch (IOException | RuntimeException e) {
                throw new CsvProblem(fileName, 0, null, "header_row cannot be read as CSV: " + plain(e));
            }
            stripBom(header);
            checkHeaderSize(fileName, 0, header);
            onHeader.accept(List.of(header));
        }
        long line = 1;
        try (CSVParser parser = CSVParser.parse(reader, format)) {
            Iterator<CSVRecord> it = parser.iterator();
            long row = 0;
            while (true) {
                CSVRecord r;
                // the physical line the next record starts on: line separators read so far + 1 (a record's
                // quoted field may span several lines, so record numbers are not line numbers)
                line = parser.getCurrentLineNumber() + 1;
                try {
                    if (!it.hasNext()) break;
                    r = it.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw unreadable(fileName, parser.getCurrentLineNumber(), line, e);
                }
                String[] values = r.values();
                if (values.length == 1 && values[0].isEmpty()) continue; // an empty line
                if (header == null) {
                    header = values;
                    stripBom(header);
                    checkHeader(fileName, line, header);
                    onHeader.accept(List.of(header));
                    continue;
                }
                row++;
                if (values.length != header.length) {
                    throw ragged(fileName, line, header, values);
                }
                for (int i = 0; i < values.length; i++) {
                    if (values[i].length() > Limits.MAX_CSV_FIELD_CHARS) {
                        throw new CsvProblem(fileName, line, Limits.excerpt(header[i]), "the value has " + values[i].length()
                                + " characters; a field is at most " + Limits.MAX_CSV_FIELD_CHARS);
                    }
                }
                each.accept(new Row(row, line, values));
            }
        } catch (IOException e) {
            throw unreadable(fileName, 0, line, e);
        }
        if (header == null) throw new CsvProblem(fileName, 0, null, "the file is empty: no header row");
        return List.of(header);
    }

    /** Called once with the header before any row. */
    @FunctionalInterface
    public interface HeaderConsumer {
        void accept(List<String> header);
    }

    private static void stripBom(String[] header) {
        if (header.length > 0 && header[0].startsWith("\uFEFF")) header[0] = header[0].substring(1);
    }

    private static void checkHeader(String fileName, long line, String[] header) {
        checkHeaderSize(fileName, line, header);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < header.length; i++) {
            if (header[i].isBlank()) {
                throw new CsvProblem(fileName, line, null, "header column " + (i + 1) + " has no name");
            }
            if (seen.add(header[i])) continue;
            for (int j = 0; j < i; j++) {
                if (header[j].equals(header[i])) {
                    throw new CsvProblem(fileName, line, Limits.excerpt(header[i]), "the header names column '"
                            + Limits.excerpt(header[i]) + "' twice (columns " + (j + 1) + " and " + (i + 1) + ")");
                }
            }
        }
    }

    /** At most {@link Limits#MAX_CSV_COLUMNS} columns, each name at most {@link Limits#MAX_CSV_COLUMN_NAME_CHARS}. */
    private static void checkHeaderSize(String fileName, long line, String[] header) {
        if (header.length > Limits.MAX_CSV_COLUMNS) {
            throw new CsvProblem(fileName, line, null, "the header has " + header.length + " columns; a file has at most "
                    + Limits.MAX_CSV_COLUMNS);
        }
        for (int i = 0; i < header.length; i++) {
            if (header[i].length() > Limits.MAX_CSV_COLUMN_NAME_CHARS) {
                throw new CsvProblem(fileName, line, null, "header column " + (i + 1) + " ('" + Limits.excerpt(header[i])
                        + "') has a name of " + header[i].length() + " characters; a column name is at most "
                        + Limits.MAX_CSV_COLUMN_NAME_CHARS);
            }
        }
    }

    private static CsvProblem ragged(String fileName, long line, String[] header, String[] values) {
        if (values.length < header.length) {
            String missing = Limits.excerpt(header[values.length]);
            return new CsvProblem(fileName, line, missing, "row has " + values.length
                    + " fields but the header has " + header.length + ": column " + (values.length + 1)
                    + " '" + missing + "' is missing");
        }
        return new CsvProblem(fileName, line, null, "row has " + values.length + " fields but the header has "
                + header.length + " (extra value '" + abbreviate(values[header.length]) + "' in column "
                + (header.length + 1) + "); check for an unquoted delimiter");
    }

    private static CsvProblem unreadable(String fileName, long parserLine, long startLine, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LineTooLong tooLong) {
                return new CsvProblem(fileName, tooLong.line, null, "the line is longer than "
                        + Limits.MAX_CSV_LINE_CHARS + " characters, the limit for one line");
            }
        }
        String msg = plain(e);
        if (msg.contains("EOF reached before encapsulated token finished")) {
            return new CsvProblem(fileName, startLine, null, "a quoted field that starts on this line is never "
                    + "closed (unbalanced \" quote)");
        }
        // commons-csv 1.10 says "invalid char between...", later versions "Invalid character between..."
        if (msg.toLowerCase(Locale.ROOT).contains("between encapsulated token and delimiter")) {
            return new CsvProblem(fileName, parserLine, null, "text follows a closing quote before the delimiter "
                    + "(a stray \" inside a quoted field must be doubled as \"\")");
        }
        return new CsvProblem(fileName, parserLine, null, "cannot be read as CSV: " + msg);
    }

    /**
     * What went wrong reading a file, in words for its owner: never a Java class name (an {@code
     * UncheckedIOException}'s message is its cause's class and message) nor a long quote of the file.
     */
    static String plain(Throwable e) {
        Throwable root = e;
        while ((root instanceof UncheckedIOException || root.getMessage() == null || root.getMessage().startsWith("java."))
                && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof EOFException) return "the file ends unexpectedly (truncated or corrupt compressed data)";
        if (root instanceof ZipException) return "corrupt compressed data";
        String m = root.getMessage() == null ? "" : root.getMessage();
        m = m.replaceAll("(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)?:? ?", "").trim();
        if (m.isEmpty()) return "the file cannot be read";
        return Limits.excerpt(m);
    }

    /** Thrown by {@link LineBounded}: one physical line is longer than {@link Limits#MAX_CSV_LINE_CHARS}. */
    private static final class LineTooLong extends java.io.IOException {
        final long line;

        LineTooLong(long line) {
            super("line " + line + " is too long");
            this.line = line;
        }
    }

    /** Fails on a physical line longer than {@link Limits#MAX_CSV_LINE_CHARS}, so one record's memory is bounded. */
    private static final class LineBounded extends FilterReader {
        private long line = 1;
        private long inLine;

        LineBounded(Reader in) {
            super(in);
        }

        @Override
        public int read() throws java.io.IOException {
            int c = super.read();
            if (c >= 0) count((char) c);
            return c;
        }

        @Override
        public int read(char[] buf, int off, int len) throws java.io.IOException {
            int n = super.read(buf, off, len);
            for (int i = 0; i < n; i++) count(buf[off + i]);
            return n;
        }

        private void count(char c) throws LineTooLong {
            if (c == '\n') {
                line++;
                inLine = 0;
            } else if (++inLine > Limits.MAX_CSV_LINE_CHARS) {
                throw new LineTooLong(line);
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** Reads only the header line of a file (for checking a mapping against the columns). */
    public static List<String> header(String fileName, InputStream in, char delimiter, String headerRow) {
        if (headerRow != null) {
            return read(fileName, InputStream.nullInputStream(), delimiter, headerRow, h -> { }, r -> { });
        }
        try (BufferedInputStream b = new BufferedInputStream(in)) {
            @SuppressWarnings("unchecked") List<String>[] result = new List[1];
            try {
                read(fileName, b, delimiter, null, h -> {
                    result[0] = h;
                    throw new HeaderRead();
                }, r -> { });
            } catch (HeaderRead done) {
                return result[0];
            }
            return result[0] == null ? List.of() : result[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class HeaderRead extends RuntimeException {
        HeaderRead() {
            super(null, null, false, false);
        }
    }
}
