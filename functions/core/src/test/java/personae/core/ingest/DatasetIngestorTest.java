package personae.core.ingest;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import personae.core.resource.Json;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

class DatasetIngestorTest {

    static final String SPEC = """
            {"id": "ds1", "options": {"type": "hosted_csv", "upload_directory": "orders"},
             "identity_sets": {"customer": {"email": "email", "phone": "phone", "person_first_name": "first",
                 "person_last_name": "last", "house_number_and_street": ["street"], "postcode": "zip"}},
             "output_to_streams": {"orders": {
                 "data_map": {"datetime": {"column_name": "date", "format": "yyyy_mm_dd_dash"},
                              "value": {"column_name": "total", "format": "currency_dollars"},
                              "product": {"column_name": "cat"}},
                 "conditions": [{"column_name": "status", "_neq": "refunded"}]}},
             "output_to_traits": {"tier": {"column_name": "tier",
                 "transformation_table": {"G": "gold", "S": "silver", "*": "other"}}}}""";

    static final String HEADER = "email,phone,first,last,street,zip,date,total,cat,status,tier\n";

    /** Five people, interleaved (numbered by first appearance: Ann, Bob, Cara, Eve, Dan); comments give lines. */
    static final String CSV = HEADER
            + "\"A@x.com \",,Ann,Lee,1 Elm St,02139,2024-01-01,10.00,garden,paid,G\n"               // 2 Ann
            + ",(617) 555-0134,Bob,Smith,2 Pine Rd,30301,2024-01-02,5.50,toys,paid,X\n"               // 3 Bob
            + ",,Cara,Diaz,12 North Main Street,2139,2024-01-03,7,garden,paid,G\n"                    // 4 Cara
            + "e@y.com,212-555-0101,Eve,Stone,5 Ash Ct,60601,2024-01-04,1,home,paid,\n"               // 5 Eve
            + "a+shop@x.com,,Annie,L,99 Oak Ave,10001,2024-02-01,20,toys,paid,\n"                     // 6 Ann (email variant)
            + ",+1 617 555 0134,Robert,Smyth,7 Birch Ln,40401,2024-02-02,4.5,toys,paid,\n"            // 7 Bob (phone format)
            + ",,cara,DIAZ,12 n main st,02139,2024-02-03,3,home,paid,\n"                              // 8 Cara (name+address)
            + ",,Dan,Diaz,12 North Main Street,02139,2024-02-04,100,garden,paid,S\n"                  // 9 Dan (same address)
            + ",2125550101,Evie,Stonewall,8 Cedar Dr,70701,2024-02-05,2,home,paid,S\n"                // 10 Eve (phone)
            + ",,Evie,Stonewall,8 Cedar Drive,70701,2024-03-05,3,garden,paid,G\n"                     // 11 Eve (address only)
            + "\"A@x.com \",,Ann,Lee,1 Elm St,02139,2024-01-01,10.00,garden,paid,G\n"               // 12 duplicate of 2
            + ",,,,,,2024-03-06,9,home,paid,G\n"                                                      // 13 nobody
            + "A@X.COM,,Ann,Lee,1 Elm St,02139,2024-03-07,50,garden,refunded,S\n";                    // 14 Ann, refunded

    static final class Outputs {
        final Map<String, ByteArrayOutputStream> files = new TreeMap<>();

        ByteArrayOutputStream open(String name) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            files.put(name, b);
            return b;
        }

        String text(String name) {
            assertTrue(files.containsKey(name), name + " written; have " + files.keySet());
            return files.get(name).toString(StandardCharsets.UTF_8);
        }

        /**
         * Person id to first name: people are numbered by their identity keys (not by first appearance, so that
         * the row order changes nothing), so the tests name people instead of numbering them.
         */
        Map<String, String> firstNames() {
            Map<String, String> out = new java.util.HashMap<>();
            for (CSVRecord p : records("people.csv")) out.put(p.get("person_id"), p.get("person_first_name"));
            return out;
        }

        /** people.csv by first name, each row without its id. */
        Map<String, List<String>> peopleByFirstName() {
            Map<String, List<String>> out = new java.util.HashMap<>();
            for (CSVRecord p : records("people.csv")) {
                out.put(p.get("person_first_name"), p.toList().subList(1, p.size()));
            }
            return out;
        }

        /** A file's rows with the person id (first column) replaced by the first name, people in {@code order}. */
        List<String> byPerson(String name, List<String> order, java.util.function.Function<CSVRecord, String> rest) {
            Map<String, String> first = firstNames();
            List<String> out = new java.util.ArrayList<>();
            for (CSVRecord r : records(name)) out.add(first.get(r.get(0)) + rest.apply(r));
            out.sort(java.util.Comparator.comparingInt(line -> order.indexOf(line.split("[ :]")[0])));
            return out;
        }

        List<CSVRecord> records(String name) {
            try {
                return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                        .parse(new StringReader(text(name))).getRecords();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    static DatasetIngestor.Result ingest(String spec, Outputs out, String... csvFiles) {
        DatasetIngestor ingestor = new DatasetIngestor(DatasetSpec.fromDocument(Json.read(spec)), out::open);
        List<DatasetIngestor.SourceFile> files = new java.util.ArrayList<>();
        for (int i = 0; i < csvFiles.length; i++) {
            byte[] bytes = csvFiles[i].getBytes(StandardCharsets.UTF_8);
            files.add(new DatasetIngestor.SourceFile("orders/f" + (i + 1) + ".csv", () -> new ByteArrayInputStream(bytes)));
        }
        return ingestor.ingest(files);
    }

    private static long day(String date) {
        return Instant.parse(date + "T00:00:00Z").getEpochSecond();
    }

    @Test
    void resolvesIdentitiesCountsAndWritesGroupedEvents() {
        Outputs out = new Outputs();
        DatasetIngestor.Result r = ingest(SPEC, out, CSV);
        assertEquals(13, r.rowCount(), "13 data rows read");
        assertEquals(1, r.duplicateRows(), "line 12 repeats line 2");
        assertEquals(1, r.unidentifiedRows(), "line 13 names nobody");
        assertEquals(11, r.keptRows(), "every row read is kept or dropped for one reason");
        DatasetManifest m = r.manifest();
        assertEquals(5, m.people(), "Ann, Bob, Cara, Dan, Eve");
        assertEquals(List.of("email", "person_first_name", "person_last_name", "house_number_and_street", "postcode", "phone"),
                m.identityColumns());
        assertEquals(List.of("tier"), m.traits());

        // identity from the first row, gaps filled from later ones
        assertEquals(5, out.records("people.csv").size());
        Map<String, List<String>> people = out.peopleByFirstName();
        assertEquals(List.of("A@x.com", "Ann", "Lee", "1 Elm St", "02139", ""), people.get("Ann"));
        assertEquals(List.of("", "Bob", "Smith", "2 Pine Rd", "30301", "(617) 555-0134"), people.get("Bob"));
        assertTrue(people.containsKey("Cara"));
        assertEquals(List.of("e@y.com", "Eve", "Stone", "5 Ash Ct", "60601", "212-555-0101"), people.get("Eve"));
        assertTrue(people.containsKey("Dan"), "same address and postcode, other name: other person");
        List<String> ids = out.records("people.csv").stream().map(p -> p.get("person_id")).toList();
        assertEquals(List.of("0", "1", "2", "3", "4"), ids, "person ids are 0..people-1");

        // events: refunded row filtered, grouped by person, row order kept within a person
        DatasetManifest.StreamInfo info = m.streams().get("orders");
        assertEquals(10, info.events());
        assertEquals(List.of("value", "product"), info.properties());
        assertEquals(day("2024-01-01"), info.minTime());
        assertEquals(day("2024-03-05"), info.maxTime());
        assertEquals(Map.of("garden", 4L, "toys", 3L, "home", 3L), info.productCounts());
        List<CSVRecord> events = out.records("streams/orders.csv");
        assertEquals(List.of("person_id", "datetime", "value", "product"), events.getFirst().getParser().getHeaderNames());
        List<String> personOfEvent = events.stream().map(e -> e.get(0)).toList();
        for (int i = 1; i < personOfEvent.size(); i++) {
            assertTrue(Integer.parseInt(personOfEvent.get(i - 1)) <= Integer.parseInt(personOfEvent.get(i)),
                    "events are grouped by person: " + personOfEvent);
        }
        List<String> flat = out.byPerson("streams/orders.csv", List.of("Ann", "Bob", "Cara", "Eve", "Dan"),
                e -> " " + String.join(" ", e.toList().subList(1, e.size())));
        assertEquals(List.of(
                "Ann " + day("2024-01-01") + " 10 garden",
                "Ann " + day("2024-02-01") + " 20 toys",
                "Bob " + day("2024-01-02") + " 5.5 toys",
                "Bob " + day("2024-02-02") + " 4.5 toys",
                "Cara " + day("2024-01-03") + " 7 garden",
                "Cara " + day("2024-02-03") + " 3 home",
                "Eve " + day("2024-01-04") + " 1 home",
                "Eve " + day("2024-02-05") + " 2 home",
                "Eve " + day("2024-03-05") + " 3 garden",
                "Dan " + day("2024-02-04") + " 100 garden"), flat);
    }

    @Test
    void traitsTakeTheLatestNonEmptyMappedValue() {
        Outputs out = new Outputs();
        ingest(SPEC, out, CSV);
        assertEquals(5, out.records("first_party_traits.csv").size());
        Map<String, String> first = out.firstNames();
        Map<String, String> tier = new java.util.HashMap<>();
        out.records("first_party_traits.csv").forEach(t -> tier.put(first.get(t.get("person_id")), t.get("tier")));
        // Ann: G, (empty), S on a refunded row: traits are not filtered by stream conditions
        assertEquals("silver", tier.get("Ann"));
        assertEquals("other", tier.get("Bob"), "Bob: X matches only '*'; his later empty cell is no value");
        assertEquals("gold", tier.get("Cara"), "Cara: G, then an empty cell that must not override it");
        assertEquals("gold", tier.get("Eve"), "Eve: empty, S, G");
        assertEquals("silver", tier.get("Dan"), "Dan");
    }

    @Test
    void chainMergesThroughDifferentKeys() {
        // row 1 email E + phone P, row 2 phone P + address A, row 3 address A only
        String csv = HEADER
                + "e@x.com,617-555-0199,Ann,Lee,1 Elm St,02139,2024-01-01,1,garden,paid,\n"
                + "z@z.com,,Zed,Zu,9 Far Rd,99999,2024-01-01,1,garden,paid,\n"
                + ",(617) 555-0199,Al,Lo,4 Oak Ave,10001,2024-01-02,1,garden,paid,\n"
                + ",,AL,LO,4 Oak Avenue,10001,2024-01-03,1,garden,paid,\n";
        Outputs out = new Outputs();
        DatasetIngestor.Result r = ingest(SPEC, out, csv);
        assertEquals(2, r.manifest().people());
        assertEquals(List.of("Ann", "Ann", "Ann", "Zed"), out.byPerson("streams/orders.csv", List.of("Ann", "Zed"), e -> ""),
                "Ann's email, phone and address rows are one person; Zed is another");
    }

    @Test
    void chainMergesAcrossFilesInEitherOrder() {
        // the link arrives last: row 3 joins two people that looked different until then
        String csv = HEADER
                + "e@x.com,,Ann,Lee,1 Elm St,02139,2024-01-01,1,garden,paid,\n"
                + ",617-555-0199,Al,Lo,4 Oak Ave,10001,2024-01-02,1,garden,paid,\n";
        String link = HEADER + "E@X.com,6175550199,,,,,2024-01-03,1,garden,paid,\n";
        Outputs out = new Outputs();
        DatasetIngestor.Result r = ingest(SPEC, out, csv, link);
        assertEquals(1, r.manifest().people());
        assertEquals(3, r.manifest().streams().get("orders").events());
    }

    static final String GIFTS = """
            {"id": "gifts", "options": {"type": "hosted_csv", "upload_directory": "gifts"},
             "identity_sets": {"buyer": {"email": "buyer_email", "person_first_name": "buyer_first"},
                               "recipient": {"email": "recipient_email", "person_first_name": "recipient_first"}},
             "output_to_streams": {"orders": {"data_map": {"datetime": {"column_name": "date", "format": "yyyy_mm_dd_dash"},
                                                           "value": {"column_name": "total"}}}},
             "output_to_traits": {"tier": {"column_name": "tier"}}}""";

    @Test
    void eachIdentitySetIsItsOwnPersonAndTheFirstSetOwnsTheRow() {
        String csv = "buyer_email,buyer_first,recipient_email,recipient_first,date,total,tier\n"
                + "a@x.com,Ann,r1@x.com,Rita,2024-01-01,1,gold\n"      // Ann buys for Rita
                + "b@x.com,Bob,r2@x.com,Ray,2024-01-02,2,silver\n"     // Bob buys for Ray
                + "a@x.com,Ann,r2@x.com,Ray,2024-01-03,3,\n"           // Ann buys for Ray: still four people
                + ",,R1@x.com,Rita,2024-01-04,4,bronze\n";             // no buyer: the recipient's row
        Outputs out = new Outputs();
        DatasetIngestor.Result r = ingest(GIFTS, out, csv);
        assertEquals(4, r.manifest().people(), "a, b, r1, r2");
        Map<String, List<String>> people = out.peopleByFirstName();
        assertEquals(Map.of("Ann", List.of("a@x.com", "Ann"), "Rita", List.of("r1@x.com", "Rita"),
                "Bob", List.of("b@x.com", "Bob"), "Ray", List.of("r2@x.com", "Ray")), people,
                "each person's identity from its own set's columns");
        List<String> order = List.of("Ann", "Rita", "Bob", "Ray");
        List<String> events = out.byPerson("streams/orders.csv", order, e -> ":" + e.get(2));
        assertEquals(List.of("Ann:1", "Ann:3", "Rita:4", "Bob:2"), events, "the buyer's events; the recipient's only without a buyer");
        assertEquals(List.of("Ann gold", "Rita bronze", "Bob silver", "Ray "),
                out.byPerson("first_party_traits.csv", order, t -> " " + t.get("tier")));
    }

    @Test
    void aMappedEmailHashMatchesTheEmailInAnyCaseAndManyDistinctPeopleStayApart() {
        String spec = """
                {"id": "h", "options": {"type": "hosted_csv", "upload_directory": "h"},
                 "identity_sets": {"customer": {"email": "email", "email_hash": "email_sha256"}},
                 "output_to_streams": {"orders": {"data_map": {"value": {"column_name": "total"}}}}}""";
        StringBuilder csv = new StringBuilder("email,email_sha256,total\n");
        csv.append("Ann+shop@X.com,,1\n");
        csv.append(",").append(Identity.emailHash("ann@x.com").toUpperCase(java.util.Locale.ROOT)).append(",2\n");
        for (int i = 0; i < 30_000; i++) csv.append("p").append(i).append("@x.com,,3\n");
        for (int i = 0; i < 30_000; i++) csv.append(",").append(Identity.emailHash("p" + i + "@x.com")).append(",4\n");
        DatasetIngestor.Result r = ingest(spec, new Outputs(), csv.toString());
        assertEquals(30_001, r.manifest().people());
        assertEquals(60_002, r.manifest().streams().get("orders").events());
    }

    @Test
    void identityFieldsPackIntoOneStringAndBack() {
        String[] fields = {"a@x.com", null, "", "Ann", null, "x".repeat(70_000), "é\u0000|\u001f"};
        String packed = DatasetIngestor.pack(fields);
        assertArrayEquals(fields, DatasetIngestor.unpack(packed, fields.length));
        assertArrayEquals(new String[]{null, null}, DatasetIngestor.unpack(DatasetIngestor.pack(new String[2]), 2));
    }

    @Test
    void placeholderPhonesDoNotMergeStrangers() {
        String csv = HEADER
                + "a@x.com,000-000-0000,Ann,Lee,1 Elm St,02139,2024-01-01,1,garden,paid,\n"
                + "b@x.com,000-000-0000,Bob,Ray,2 Elm St,02139,2024-01-01,1,garden,paid,\n"
                + "c@x.com,(999) 999-9999,Cy,Ho,3 Elm St,02139,2024-01-01,1,garden,paid,\n"
                + "d@x.com,999.999.9999,Di,Wu,4 Elm St,02139,2024-01-01,1,garden,paid,\n";
        assertEquals(4, ingest(SPEC, new Outputs(), csv).manifest().people());
    }

    @Test
    void aMappedColumnMissingFromTheHeaderNamesTheColumnAndTheField() {
        String csv = "email,phone,first,last,street,date,total,cat,status,tier\n";
        CsvProblem p = assertThrows(CsvProblem.class, () -> ingest(SPEC, new Outputs(), csv));
        assertEquals("zip", p.column());
        assertEquals("orders/f1.csv", p.file());
        assertEquals(1, p.line());
        assertTrue(p.getMessage().contains("/identity_sets/customer/postcode"), p.getMessage());
        String noCat = HEADER.replace(",cat,", ",category,");
        p = assertThrows(CsvProblem.class, () -> ingest(SPEC, new Outputs(), noCat));
        assertEquals("cat", p.column());
        assertTrue(p.getMessage().contains("/output_to_streams/orders/data_map/product/column_name"), p.getMessage());
    }

    @Test
    void aBadDateNamesLineAndColumn() {
        String csv = HEADER
                + "a@x.com,,,,,,2024-01-01,1,garden,paid,\n"
                + "b@x.com,,,,,,01/02/2024,1,garden,paid,\n";
        CsvProblem p = assertThrows(CsvProblem.class, () -> ingest(SPEC, new Outputs(), csv));
        assertEquals(3, p.line());
        assertEquals("date", p.column());
        assertTrue(p.getMessage().startsWith("orders/f1.csv, line 3, column 'date': '01/02/2024' is not a date in format yyyy_mm_dd_dash"),
                p.getMessage());
        String badTotal = HEADER + "a@x.com,,,,,,2024-01-01,ten,garden,paid,\n";
        p = assertThrows(CsvProblem.class, () -> ingest(SPEC, new Outputs(), badTotal));
        assertEquals(2, p.line());
        assertEquals("total", p.column());
    }

    @Test
    void aRaggedRowStopsIngestionWithItsLine() {
        String csv = HEADER + "a@x.com,,,,,,2024-01-01,1,garden,paid,\nb@x.com,,,\n";
        CsvProblem p = assertThrows(CsvProblem.class, () -> ingest(SPEC, new Outputs(), csv));
        assertEquals(3, p.line());
        assertEquals("street", p.column());
    }

    @Test
    void detectedColumns() {
        DatasetIngestor.Result r = ingest(SPEC, new Outputs(), CSV);
        Map<String, DatasetIngestor.DetectedColumn> byName = new TreeMap<>();
        r.detectedColumns().forEach(c -> byName.put(c.name(), c));
        assertEquals(11, byName.size());
        assertEquals("double", byName.get("total").dataType());
        assertEquals("date", byName.get("date").dataType());
        assertEquals("string", byName.get("email").dataType());
        assertFalse(byName.get("date").nullable(), "filled on every row (the duplicate is not a row)");
        assertEquals(1.0, byName.get("date").fillRate(), 1e-9);
        assertEquals(8.0 / 12, byName.get("tier").fillRate(), 1e-9);
        assertTrue(byName.get("phone").nullable());
        assertEquals("string", byName.get("zip").dataType(), "leading zeros: not a number");
    }

    static final String ORDER_LINES = """
            {"id": "lines", "options": {"type": "hosted_csv", "upload_directory": "lines"},
             "identity_sets": {}, "reference_key_columns": ["CustomerID"],
             "output_to_streams": {"orders": {"data_map": {
                 "datetime": {"column_name": "InvoiceDate"},
                 "value": {"column_name": "UnitPrice", "multiply_by_column": "Quantity"},
                 "product": {"column_name": "Description"}}}}}""";

    static final String LINES = "InvoiceDate,Description,Quantity,UnitPrice,CustomerID\n"
            + "2011-01-01 10:00,mug,2,1.25,17850\n"        // 2
            + "2011-01-01 10:00,lamp,1,10,17850\n"         // 3
            + "2011-01-01 10:00,lamp,1,10,17850\n"         // 4 duplicate of 3
            + "2011-01-02 09:30,mug,6,1.25,\n"             // 5 no customer id
            + "2011-01-03 12:00,mug,-2,1.25,13047\n"       // 6 a return
            + "2011-01-04 08:00,plate,3,,13047\n"          // 7 no price: no value
            + "2011-01-05 08:00,plate,4,2.5, 17850 \n";    // 8 the same id, spaced

    @Test
    void referenceKeysIdentifyPeopleWithoutPiiAndAValueCanBeAProductOfTwoColumns() {
        Outputs out = new Outputs();
        DatasetIngestor.Result r = ingest(ORDER_LINES, out, LINES);
        assertEquals(7, r.rowCount(), "rows read");
        assertEquals(1, r.duplicateRows(), "line 4 repeats line 3");
        assertEquals(1, r.unidentifiedRows(), "line 5 has no customer id");
        assertEquals(5, r.keptRows());
        assertEquals(r.rowCount(), r.keptRows() + r.duplicateRows() + r.unidentifiedRows(),
                "every row read is kept or dropped for exactly one reason");
        assertEquals(2, r.manifest().people(), "two customer ids, two people");
        assertEquals(List.of("CustomerID"), r.manifest().identityColumns(), "the key is kept under its column's name");
        List<String> ids = out.records("people.csv").stream().map(p -> p.get("CustomerID")).sorted().toList();
        assertEquals(List.of("13047", "17850"), ids);
        Map<String, String> idOfPerson = new java.util.HashMap<>();
        out.records("people.csv").forEach(p -> idOfPerson.put(p.get("person_id"), p.get("CustomerID")));
        List<String> events = out.records("streams/orders.csv").stream()
                .map(e -> idOfPerson.get(e.get("person_id")) + " " + e.get("product") + " " + e.get("value")).sorted().toList();
        assertEquals(List.of("13047 mug -2.5", "13047 plate ", "17850 lamp 10", "17850 mug 2.5", "17850 plate 10"), events,
                "value = UnitPrice x Quantity, empty when either is");
    }

    @Test
    void aReferenceKeyJoinsTheRowsOfOnePersonWhateverTheEmailAndTheOrderOfRows() {
        String spec = """
                {"id": "r", "options": {"type": "hosted_csv", "upload_directory": "r"},
                 "identity_sets": {"customer": {"email": "email"}}, "reference_key_column": "account",
                 "output_to_streams": {"orders": {"data_map": {"value": {"column_name": "total"}}}}}""";
        String header = "email,account,total\n";
        List<String> rows = List.of("a@x.com,A1,1\n", "b@x.com,A1,2\n", "c@x.com,,3\n", "c@x.com,C9,4\n",
                "d@x.com,D4,5\n", ",D5,6\n", "d@x.com,D5,7\n");
        Outputs out = new Outputs();
        DatasetIngestor.Result r = ingest(spec, out, header + String.join("", rows));
        assertEquals(3, r.manifest().people(), "a and b share A1; c; d carries D4 and D5");
        assertEquals(List.of("email", "account"), r.manifest().identityColumns());
        Map<String, String> accountOfEmail = new TreeMap<>();
        out.records("people.csv").forEach(p -> accountOfEmail.put(p.get("email"), p.get("account")));
        assertEquals(Map.of("a@x.com", "A1", "c@x.com", "C9", "d@x.com", accountOfEmail.get("d@x.com")), accountOfEmail);
        assertTrue(Set.of("D4", "D5").contains(accountOfEmail.get("d@x.com")), accountOfEmail.toString());

        List<String> reversed = new java.util.ArrayList<>(rows);
        java.util.Collections.reverse(reversed);
        Outputs again = new Outputs();
        ingest(spec, again, header + String.join("", reversed.subList(0, 3)), header + String.join("", reversed.subList(3, 7)));
        assertEquals(out.records("people.csv").stream().map(p -> p.get("person_id") + " " + p.get("account")).toList(),
                again.records("people.csv").stream().map(p -> p.get("person_id") + " " + p.get("account")).toList(),
                "people are numbered, and keep their reference key value, whatever the order of rows and files");
        assertEquals(out.text("streams/orders.csv"), again.text("streams/orders.csv"));
    }

    @Test
    void anUnreadableMultiplierNamesLineColumnAndField() {
        String csv = LINES + "2011-01-06 08:00,plate,three,2.5,17850\n";
        CsvProblem p = assertThrows(CsvProblem.class, () -> ingest(ORDER_LINES, new Outputs(), csv));
        assertEquals(9, p.line());
        assertEquals("Quantity", p.column());
        assertTrue(p.getMessage().contains("output_to_streams/orders/data_map/value/multiply_by_column"), p.getMessage());
        String noQuantity = LINES.replace("Quantity", "Qty");
        p = assertThrows(CsvProblem.class, () -> ingest(ORDER_LINES, new Outputs(), noQuantity));
        assertEquals("Quantity", p.column());
        assertTrue(p.getMessage().contains("/output_to_streams/orders/data_map/value/multiply_by_column"), p.getMessage());
    }
}
