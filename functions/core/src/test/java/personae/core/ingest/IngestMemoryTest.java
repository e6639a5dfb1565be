package personae.core.ingest;

import org.junit.jupiter.api.Test;
import personae.core.resource.Json;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Identity resolution's memory per distinct person, measured after a full GC once every row is read (when people.csv
 * is opened), one row per person. Keys held as Strings, unbounded caches and an array of Strings per node took
 * about 1,050 bytes a person here (1.2 GB of a 2 GB heap at a million generated customers); 64-bit keys, caches
 * bounded at 200,000 entries and packed identity fields take about 600 (most of it the two caches, which stop
 * growing past 200,000 people). The bound sits between the two, so the test measures the design, not the collector.
 */
class IngestMemoryTest {

    static final int PEOPLE = 100_000;
    static final long MAX_BYTES_PER_PERSON = 800;

    static final String SPEC = """
            {"id": "mem", "options": {"type": "hosted_csv", "upload_directory": "mem"},
             "identity_sets": {"customer": {"email": "email", "phone": "phone", "person_first_name": "first",
                 "person_last_name": "last", "house_number_and_street": ["street"], "postcode": "zip"}},
             "output_to_streams": {"orders": {"data_map": {"value": {"column_name": "total"}}}}}""";

    @Test
    void aDistinctPersonCostsAFewHundredBytes() {
        StringBuilder csv = new StringBuilder(PEOPLE * 100).append("email,phone,first,last,street,zip,total\n");
        for (int i = 0; i < PEOPLE; i++) {
            csv.append("customer.").append(i).append("@example.com,")
                    .append("(617) 5").append(String.format("%02d-%04d", i / 10_000, i % 10_000)).append(",First")
                    .append(i).append(",Last").append(i).append(',').append(i).append(" Main Street,02139,")
                    .append(i % 100).append('\n');
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        csv = null;
        long before = usedAfterGc();
        long[] retained = {-1};
        DatasetIngestor ingestor = new DatasetIngestor(DatasetSpec.fromDocument(Json.read(SPEC)), name -> {
            if (name.equals("people.csv")) retained[0] = usedAfterGc() - before;
            return OutputStream.nullOutputStream();
        });
        DatasetIngestor.Result r = ingestor.ingest(List.of(
                new DatasetIngestor.SourceFile("mem/a.csv", () -> new ByteArrayInputStream(bytes))));
        assertEquals(PEOPLE, r.manifest().people());
        long perPerson = retained[0] / PEOPLE;
        assertTrue(perPerson <= MAX_BYTES_PER_PERSON, perPerson + " bytes retained per person (at most "
                + MAX_BYTES_PER_PERSON + ")");
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
