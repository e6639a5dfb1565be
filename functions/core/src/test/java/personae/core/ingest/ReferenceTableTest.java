package personae.core.ingest;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import personae.core.resource.Json;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A reference table's rows by key, and people taking its traits by their postcode or email domain. */
class ReferenceTableTest {

    static DatasetIngestor.Result ingest(DatasetIngestor ingestor, String csv) {
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        return ingestor.ingest(List.of(new DatasetIngestor.SourceFile("d/f.csv", () -> new ByteArrayInputStream(bytes))));
    }

    @Test
    void keysAreNormalisedAsIngestionReadsThem() {
        assertEquals("02139", ReferenceTable.key("postcode", "2139"), "a lost leading zero");
        assertEquals("02139", ReferenceTable.key("postcode", "02139-4307"), "ZIP+4");
        assertEquals("MA", ReferenceTable.key("state", " ma "));
        assertEquals("acme.com", ReferenceTable.key("email_domain", "Ann@ACME.com"));
        assertEquals("acme.com", ReferenceTable.key("email_domain", "acme.com"), "a bare domain");
        assertNull(ReferenceTable.key("postcode", "SW1A 1AA"), "not a US postcode");
        assertNull(ReferenceTable.key("state", "Massachusetts"), "a state is its 2-letter code");
    }

    @Test
    void peopleTakeTheTraitsOfTheirPostcodeAndOfTheirEmailDomain() {
        DatasetIngestorTest.Outputs tableOut = new DatasetIngestorTest.Outputs();
        DatasetIngestor tableIngestor = new DatasetIngestor(DatasetSpec.fromDocument(Json.read("""
                {"reference_table": {"key": "postcode", "column": "zip"}, "options": {"upload_directory": "d"},
                 "output_to_traits": {"area_income": {"column_name": "income"}}}""")), tableOut::open);
        DatasetIngestor.Result t = ingest(tableIngestor, "zip,income\n2139,91000\n10001,98000\nnot a zip,1\n10001,99000\n");
        assertEquals(2, tableIngestor.referenceKeys(), "two postcodes; a key seen twice keeps its last row");
        assertEquals(1, t.unidentifiedRows(), "a row without a valid key is dropped as identifying nothing");
        ReferenceTable byPostcode = ReferenceTable.read(new ByteArrayInputStream(
                tableOut.files.get(personae.core.pipeline.Keys.REFERENCE_TABLE).toByteArray()));
        assertEquals("99000", byPostcode.valuesFor("10001")[0], "the last row of a key wins");
        ReferenceTable byDomain = new ReferenceTable("email_domain", List.of("company_size"),
                Map.of("acme.com", new String[]{"500"}));

        DatasetIngestorTest.Outputs out = new DatasetIngestorTest.Outputs();
        DatasetIngestor people = new DatasetIngestor(DatasetSpec.fromDocument(Json.read("""
                {"options": {"upload_directory": "d"},
                 "identity_sets": {"c": {"email": "email", "postcode": "zip"}},
                 "output_to_traits": {"tier": {"column_name": "tier"}}}""")), out::open)
                .joining(List.of(byPostcode, byDomain));
        ingest(people, "email,zip,tier\nann@acme.com,02139-1111,gold\nbob@other.org,10001,\ncy@acme.com,94105,silver\n");
        Map<String, CSVRecord> byEmail = new HashMap<>();
        List<CSVRecord> persons = out.records("people.csv");
        List<CSVRecord> traits = out.records("first_party_traits.csv");
        for (int i = 0; i < persons.size(); i++) byEmail.put(persons.get(i).get("email"), traits.get(i));
        assertEquals("91000", byEmail.get("ann@acme.com").get("area_income"), "ZIP+4 02139-1111 is 02139");
        assertEquals("500", byEmail.get("ann@acme.com").get("company_size"), "acme.com's size");
        assertEquals("99000", byEmail.get("bob@other.org").get("area_income"));
        assertEquals("", byEmail.get("bob@other.org").get("company_size"), "other.org is not in the table");
        assertEquals("", byEmail.get("cy@acme.com").get("area_income"), "94105 is not in the table");
        assertEquals("gold", byEmail.get("ann@acme.com").get("tier"), "the dataset's own traits stay");
    }
}
