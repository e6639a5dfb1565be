package personae.core.ingest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class CsvFilesTest {

    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static List<CsvFiles.Row> rows(String name, String csv, char delimiter, String headerRow, List<String> header) {
        List<CsvFiles.Row> rows = new ArrayList<>();
        List<String> h = CsvFiles.read(name, in(csv), delimiter, headerRow, header::addAll, rows::add);
        assertEquals(header, h);
        return rows;
    }

    @Test
    void readsRowsWithNumbersAndLines() {
        List<String> header = new ArrayList<>();
        List<CsvFiles.Row> rows = rows("d/a.csv", "id,name,city\n1,Ann,\"Boston, MA\"\n\n2,Bo,\"multi\nline\"\n3,Cy,NYC\n", ',', null, header);
        assertEquals(List.of("id", "name", "city"), header);
        assertEquals(3, rows.size());
        assertArrayEquals(new String[]{"1", "Ann", "Boston, MA"}, rows.get(0).values());
        assertEquals(1, rows.get(0).number());
        assertEquals(2, rows.get(0).line());
        assertArrayEquals(new String[]{"2", "Bo", "multi\nline"}, rows.get(1).values());
        assertEquals(2, rows.get(1).number());
        assertEquals(4, rows.get(1).line(), "after an empty line 3");
        assertEquals(3, rows.get(2).number());
        assertEquals(6, rows.get(2).line(), "the quoted field of line 4 ends on line 5");
    }

    @Test
    void errorLinesAreFileLinesCountingEmptyLinesAndMultiLineFields() {
        // line 1 header, lines 2-3 one record (quoted field over two lines), line 4 empty, line 5 short
        String csv = "email,name,total\n\"a@x.com\",\"Ann\nLee\",3\n\nb@x.com,bob\n";
        CsvProblem p = assertThrows(CsvProblem.class, () -> rows("d/l.csv", csv, ',', null, new ArrayList<>()));
        assertEquals(5, p.line());
        assertTrue(p.getMessage().startsWith("d/l.csv, line 5, column 'total': row has 2 fields"), p.getMessage());
        // the same with CRLF line ends, and with the delimiter sniffed
        String crlf = csv.replace("\n", "\r\n");
        p = assertThrows(CsvProblem.class, () -> rows("d/l.csv", crlf, CsvFiles.SNIFF, null, new ArrayList<>()));
        assertEquals(5, p.line());
        // empty lines before the header: the header is the first record, and its problems name its line
        p = assertThrows(CsvProblem.class, () -> rows("d/h.csv", "\n\nid,id\n1,2\n", ',', null, new ArrayList<>()));
        assertEquals(3, p.line());
        // an unclosed quote names the line where its field starts
        p = assertThrows(CsvProblem.class, () -> rows("d/q.csv", "id,name\n\n1,\"a\nb\"\n\n2,\"open\n3,x\n", ',', null,
                new ArrayList<>()));
        assertEquals(6, p.line());
        assertTrue(p.getMessage().contains("unbalanced"), p.getMessage());
    }

    @Test
    void headerRowModeCountsEveryFileLine() {
        List<CsvFiles.Row> rows = rows("d/nohead.csv", "1|Ann\n\n2|\"B\no\"\n3|Cy\n", '|', "id|name", new ArrayList<>());
        assertEquals(List.of(1L, 3L, 5L), rows.stream().map(CsvFiles.Row::line).toList());
        assertEquals(List.of(1L, 2L, 3L), rows.stream().map(CsvFiles.Row::number).toList());
        CsvProblem p = assertThrows(CsvProblem.class, () -> rows("d/nohead.csv", "1|\"A\nnn\"\n\n2\n", '|', "id|name",
                new ArrayList<>()));
        assertEquals(4, p.line());
    }

    @Test
    void aCorruptGzipWhileSniffingTheDelimiterIsACsvProblem() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            for (int i = 0; i < 2000; i++) gz.write(("row" + i + ",x" + (i * 7919) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = bytes.toByteArray();
        byte[] truncated = java.util.Arrays.copyOf(whole, 40); // a valid gzip header, then the deflate data ends
        CsvProblem p = assertThrows(CsvProblem.class, () -> CsvFiles.read("d/x.csv.gz",
                CsvFiles.decoded("d/x.csv.gz", new ByteArrayInputStream(truncated)), CsvFiles.SNIFF, null, h -> { }, r -> { }));
        assertEquals("d/x.csv.gz", p.file());
        assertTrue(p.getMessage().startsWith("d/x.csv.gz: cannot be read: "), p.getMessage());
        byte[] garbled = whole.clone();
        for (int i = 12; i < 30; i++) garbled[i] = (byte) 0xff; // corrupt deflate data
        p = assertThrows(CsvProblem.class, () -> CsvFiles.read("d/x.csv.gz",
                CsvFiles.decoded("d/x.csv.gz", new ByteArrayInputStream(garbled)), CsvFiles.SNIFF, null, h -> { }, r -> { }));
        assertTrue(p.getMessage().startsWith("d/x.csv.gz: cannot be read: "), p.getMessage());
    }

    @Test
    void tooFewFieldsNamesFileLineAndMissingColumn() {
        CsvProblem p = assertThrows(CsvProblem.class, () -> rows("orders/jan.csv", "id,name,city\n1,Ann,Boston\n2,Bo\n", ',', null, new ArrayList<>()));
        assertEquals("orders/jan.csv", p.file());
        assertEquals(3, p.line());
        assertEquals("city", p.column());
        assertTrue(p.getMessage().startsWith("orders/jan.csv, line 3, column 'city': "), p.getMessage());
        assertTrue(p.getMessage().contains("2 fields but the header has 3"), p.getMessage());
    }

    @Test
    void tooManyFieldsNamesFileLineAndTheExtraColumn() {
        CsvProblem p = assertThrows(CsvProblem.class, () -> rows("orders/jan.csv", "id,name,city\n1,Ann,Boston\n2,Bo,Salem\n3,Cy,Boston, MA\n", ',', null, new ArrayList<>()));
        assertEquals(4, p.line());
        assertTrue(p.getMessage().startsWith("orders/jan.csv, line 4"), p.getMessage());
        assertTrue(p.getMessage().contains("4 fields but the header has 3"), p.getMessage());
        assertTrue(p.getMessage().contains("extra value ' MA' in column 4"), p.getMessage());
    }

    @Test
    void unbalancedQuoteNamesTheLineWhereTheFieldStarts() {
        CsvProblem p = assertThrows(CsvProblem.class, () -> rows("d/q.csv", "id,name,city\n1,Ann,Boston\n2,\"Bo,Salem\n3,Cy,NYC\n", ',', null, new ArrayList<>()));
        assertEquals("d/q.csv", p.file());
        assertEquals(3, p.line());
        assertTrue(p.getMessage().startsWith("d/q.csv, line 3"), p.getMessage());
        assertTrue(p.getMessage().contains("unbalanced \" quote"), p.getMessage());
    }

    @Test
    void strayQuoteAfterAClosedFieldIsExplained() {
        CsvProblem p = assertThrows(CsvProblem.class, () -> rows("d/q.csv", "id,name\n1,\"Ann\"x\n", ',', null, new ArrayList<>()));
        assertEquals(2, p.line());
        assertTrue(p.getMessage().contains("must be doubled"), p.getMessage());
    }

    @Test
    void bomIsStripped() {
        List<String> header = new ArrayList<>();
        rows("d/bom.csv", "\uFEFFemail,total\na@x.com,3\n", ',', null, header);
        assertEquals(List.of("email", "total"), header);
        List<String> h2 = new ArrayList<>();
        rows("d/bom.csv", "1,2\n", ',', "\uFEFFemail,total", h2);
        assertEquals(List.of("email", "total"), h2);
    }

    @Test
    void duplicateAndBlankHeaderNamesAreRejected() {
        CsvProblem p = assertThrows(CsvProblem.class, () -> rows("d/h.csv", "id,email,email\n1,a,b\n", ',', null, new ArrayList<>()));
        assertEquals(1, p.line());
        assertEquals("email", p.column());
        assertTrue(p.getMessage().contains("twice (columns 2 and 3)"), p.getMessage());
        p = assertThrows(CsvProblem.class, () -> rows("d/h.csv", "id,,x\n1,a,b\n", ',', null, new ArrayList<>()));
        assertTrue(p.getMessage().contains("header column 2 has no name"), p.getMessage());
        p = assertThrows(CsvProblem.class, () -> rows("d/empty.csv", "", ',', null, new ArrayList<>()));
        assertTrue(p.getMessage().contains("empty"), p.getMessage());
    }

    @Test
    void headerRowOverrideMakesEveryLineData() {
        List<String> header = new ArrayList<>();
        List<CsvFiles.Row> rows = rows("d/nohead.csv", "1|Ann\n2|Bo\n", '|', "id|name", header);
        assertEquals(List.of("id", "name"), header);
        assertEquals(2, rows.size());
        assertEquals(1, rows.get(0).line(), "no header line in the file");
        assertArrayEquals(new String[]{"1", "Ann"}, rows.get(0).values());
        CsvProblem p = assertThrows(CsvProblem.class, () -> rows("d/nohead.csv", "1|Ann\n2\n", '|', "id|name", new ArrayList<>()));
        assertEquals(2, p.line());
        assertEquals("name", p.column());
        assertEquals(List.of("id", "name"), CsvFiles.header("d/x.csv", in("ignored"), '|', "id|name"));
    }

    @Test
    void delimiterSniffing() {
        assertEquals(',', CsvFiles.sniffDelimiter("a,b,c"));
        assertEquals(';', CsvFiles.sniffDelimiter("a;b;c,d"));
        assertEquals('\t', CsvFiles.sniffDelimiter("a\tb\tc"));
        assertEquals('|', CsvFiles.sniffDelimiter("a|b|c"));
        assertEquals(',', CsvFiles.sniffDelimiter("single"));
        List<String> header = new ArrayList<>();
        rows("d/t.txt", "a\tb\n1\t2\n", CsvFiles.sniffDelimiter("a\tb"), null, header);
        assertEquals(List.of("a", "b"), header);
    }

    @Test
    void headerOnlyReadsTheFirstLine() {
        // the second line is ragged: reading only the header must not notice
        assertEquals(List.of("a", "b"), CsvFiles.header("d/x.csv", in("a,b\n1,2,3,4\n"), ',', null));
    }

    @Test
    void gzipAndReadableNames() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        }
        List<CsvFiles.Row> rows = new ArrayList<>();
        CsvFiles.read("d/x.csv.gz", CsvFiles.decoded("d/x.csv.gz", new ByteArrayInputStream(bytes.toByteArray())), ',', null, h -> { }, rows::add);
        assertEquals(1, rows.size());
        CsvProblem p = assertThrows(CsvProblem.class, () -> CsvFiles.decoded("d/x.csv.gz", in("not gzip")));
        assertTrue(p.getMessage().contains("not a gzip file"), p.getMessage());
        assertTrue(CsvFiles.isReadable("A.CSV"));
        assertTrue(CsvFiles.isReadable("a.txt.gz"));
        assertFalse(CsvFiles.isReadable("a.csv.gpg"));
        assertFalse(CsvFiles.isReadable("a.json"));
    }
}
