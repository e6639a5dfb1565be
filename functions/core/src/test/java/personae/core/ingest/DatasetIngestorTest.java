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
        assertEquals(12, r.rowCount(), "13 data rows, one duplicate");
        assertEquals(1, r.duplicateRows());
        assertEquals(1, r.unidentifiedRows());
        DatasetManifest m = r.manifest();
        assertEquals(5, m.people(), "Ann, Bob, Cara, Dan, Eve");
        assertEquals(List.of("email", "person_first_name", "person_last_name", "house_number_and_street", "postcode", "phone"),
                m.identityColumns());
        assertEquals(List.of("tier"), m.traits());

        // people numbered by first appearance; identity from the first row, gaps filled from later ones
        List<CSVRecord> people = out.records("people.csv");
        assertEquals(5, people.size());
        assertEquals(List.of("0", "A@x.com", "Ann", "Lee", "1 Elm St", "02139", ""), people.get(0).toList());
        assertEquals(List.of("1", "", "Bob", "Smith", "2 Pine Rd", "30301", "(617) 555-0134"), people.get(1).toList());
        assertEquals("Cara", people.get(2).get("person_first_name"));
        assertEquals(List.of("3", "e@y.com", "Eve", "Stone", "5 Ash Ct", "60601", "212-555-0101"), people.get(3).toList());
        assertEquals("Dan", people.get(4).get("person_first_name"), "same address and postcode, other name: other person");

        // events: refunded row filtered, grouped by person, row order kept within a person
        DatasetManifest.StreamInfo info = m.streams().get("orders");
        assertEquals(10, info.events());
        assertEquals(List.of("value", "product"), info.properties());
        assertEquals(day("2024-01-01"), info.minTime());
        assertEquals(day("2024-03-05"), info.maxTime());
        assertEquals(Map.of("garden", 4L, "toys", 3L, "home", 3L), info.productCounts());
        List<CSVRecord> events = out.records("streams/orders.csv");
        assertEquals(List.of("person_id", "datetime", "value", "product"), events.getFirst().getParser().getHeaderNames());
        List<String> flat = events.stream().map(e -> String.join(" ", e.toList())).toList();
        assertEquals(List.of(
                "0 " + day("2024-01-01") + " 10 garden",
                "0 " + day("2024-02-01") + " 20 toys",
                "1 " + day("2024-01-02") + " 5.5 toys",
                "1 " + day("2024-02-02") + " 4.5 toys",
                "2 " + day("2024-01-03") + " 7 garden",
                "2 " + day("2024-02-03") + " 3 home",
                "3 " + day("2024-01-04") + " 1 home",
                "3 " + day("2024-02-05") + " 2 home",
                "3 " + day("2024-03-05") + " 3 garden",
                "4 " + day("2024-02-04") + " 100 garden"), flat);
    }

    @Test
    void traitsTakeTheLatestNonEmptyMappedValue() {
        Outputs out = new Outputs();
        ingest(SPEC, out, CSV);
        List<CSVRecord> traits = out.records("first_party_traits.csv");
        assertEquals(5, traits.size());
        // Ann: G, (empty), S on a refunded row: traits are not filtered by stream conditions
        assertEquals("silver", traits.get(0).get("tier"));
        assertEquals("other", traits.get(1).get("tier"), "Bob: X matches only '*'; his later empty cell is no value");
        assertEquals("gold", traits.get(2).get("tier"), "Cara: G, then an empty cell that must not override it");
        assertEquals("gold", traits.get(3).get("tier"), "Eve: empty, S, G");
        assertEquals("silver", traits.get(4).get("tier"), "Dan");
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
        List<String> persons = out.records("streams/orders.csv").stream().map(e -> e.get(0)).toList();
        assertEquals(List.of("0", "0", "0", "1"), persons);
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
        List<List<String>> people = out.records("people.csv").stream().map(CSVRecord::toList).toList();
        assertEquals(List.of(List.of("0", "a@x.com", "Ann"), List.of("1", "r1@x.com", "Rita"),
                List.of("2", "b@x.com", "Bob"), List.of("3", "r2@x.com", "Ray")), people,
                "each person's identity from its own set's columns");
        List<String> events = out.records("streams/orders.csv").stream().map(e -> e.get(0) + ":" + e.get(2)).toList();
        assertEquals(List.of("0:1", "0:3", "1:4", "2:2"), events, "the buyer's events; the recipient's only without a buyer");
        List<String> tiers = out.records("first_party_traits.csv").stream().map(t -> t.get("tier")).toList();
        assertEquals(List.of("gold", "bronze", "silver", ""), tiers);
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
}
