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
        assertEquals(3, rows.get(2).number());
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
