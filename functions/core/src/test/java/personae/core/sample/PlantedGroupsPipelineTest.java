package personae.core.sample;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import personae.core.ingest.DatasetIngestor;
import personae.core.ingest.DatasetSpec;
import personae.core.ingest.Identity;
import personae.core.persona.FeatureTable;
import personae.core.persona.PersonaClustering;
import personae.core.persona.PersonaModel;
import personae.core.persona.PersonaNamer;
import personae.core.resource.Json;
import smile.validation.metric.AdjustedRandIndex;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The real domain pipeline on generated orders: ingestion with identity resolution (customer_id is not mapped: people
 * are found from noisy emails, phones and addresses), trait enrichment, automatic personas. Each customer must come
 * out as exactly one person, and the personas must recover the planted groups.
 */
class PlantedGroupsPipelineTest {

    static final int CUSTOMERS = 2500;
    static final int ROWS = 15_000;
    static final long SEED = 42;

    static final String SPEC = Json.write(Json.readObject(OrdersGenerator.DATASET_BODY).put("id", "orders-ds"));

    static OrdersGenerator generator;
    static OrdersGenerator.Summary summary;
    static String csv;
    static DatasetIngestor.Result result;
    static final Map<String, ByteArrayOutputStream> files = new HashMap<>();

    @BeforeAll
    static void ingest() throws IOException {
        generator = new OrdersGenerator(SEED);
        StringWriter out = new StringWriter();
        summary = generator.write(out, CUSTOMERS, ROWS);
        csv = out.toString();
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        DatasetIngestor ingestor = new DatasetIngestor(DatasetSpec.fromDocument(Json.read(SPEC)), name -> {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            files.put(name, b);
            return b;
        });
        result = ingestor.ingest(List.of(new DatasetIngestor.SourceFile("orders/orders.csv", () -> new ByteArrayInputStream(bytes))));
    }

    /** Planted group (ordinal) per person, through the email that people.csv keeps. */
    static int[] truth() throws IOException {
        Map<String, String> customerOfEmail = new HashMap<>();
        for (CSVRecord r : records(csv)) customerOfEmail.put(Identity.normalizeEmail(r.get("email")), r.get("customer_id"));
        int[] truth = new int[result.manifest().people()];
        Set<String> seen = new HashSet<>();
        for (CSVRecord p : records(files.get("people.csv").toString(StandardCharsets.UTF_8))) {
            int person = Integer.parseInt(p.get("person_id"));
            String customer = customerOfEmail.get(Identity.normalizeEmail(p.get("email")));
            assertNotNull(customer, "person " + person + " maps to a customer");
            assertTrue(seen.add(customer), "customer " + customer + " is split into several people");
            truth[person] = generator.groupOf(customer).ordinal();
        }
        assertEquals(truth.length, seen.size());
        return truth;
    }

    @Test
    void identityResolutionFindsExactlyOnePersonPerCustomer() throws IOException {
        assertEquals(summary.rows(), result.rowCount(), "every data row is read");
        assertEquals(0, result.unidentifiedRows());
        assertEquals(summary.customers(), result.manifest().people(), "identified_count == customers");
        truth(); // and each person is a different customer
        assertEquals(summary.rows() - result.duplicateRows(), result.manifest().streams().get("orders").events());
    }

    @Test
    void personasRecoverThePlantedGroups() throws IOException {
        int[] truth = truth();
        int people = truth.length;
        FeatureTable table = SamplePipeline.features(result.manifest(), files);

        PersonaModel model = PersonaClustering.fit(table, null, SEED);
        int[] assigned = model.assignAll(table);
        double ari = AdjustedRandIndex.of(truth, assigned);
        StringBuilder report = new StringBuilder("ARI " + ari + ", k=" + model.k() + ", " + model.choice()
                + ", names " + PersonaNamer.names(model, table) + "; planted group x persona:");
        for (OrdersGenerator.PlantedGroup g : OrdersGenerator.PlantedGroup.values()) {
            int[] row = new int[model.k()];
            for (int i = 0; i < people; i++) if (truth[i] == g.ordinal()) row[assigned[i]]++;
            report.append(' ').append(g).append(Arrays.toString(row));
        }
        assertTrue(ari >= 0.8, report.toString());
    }

    private static List<CSVRecord> records(String text) throws IOException {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(text)).getRecords();
    }
}
