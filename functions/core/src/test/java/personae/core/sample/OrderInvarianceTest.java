package personae.core.sample;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import personae.core.ingest.DatasetIngestor;
import personae.core.ingest.DatasetSpec;
import personae.core.ingest.Identity;
import personae.core.persona.FeatureTable;
import personae.core.persona.PersonaClustering;
import personae.core.persona.PersonaModel;
import personae.core.resource.Json;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A persona engine is a function of the data, not of its order: the same rows shuffled and split into other files
 * give the same people, the same personas (k, centroids, counts) and the same persona for every customer.
 */
class OrderInvarianceTest {

    static final String SPEC = Json.write(Json.readObject(OrdersGenerator.DATASET_BODY).put("id", "orders-ds"));

    /** What the pipeline concluded, keyed by something the row order cannot change. */
    record Outcome(int k, List<String> centroids, List<Integer> counts, Map<String, Integer> personaOfEmail) {}

    static Outcome run(String header, List<List<String>> files) throws IOException {
        Map<String, ByteArrayOutputStream> out = new HashMap<>();
        DatasetIngestor ingestor = new DatasetIngestor(DatasetSpec.fromDocument(Json.read(SPEC)), name -> {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            out.put(name, b);
            return b;
        });
        List<DatasetIngestor.SourceFile> sources = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            byte[] bytes = (header + "\n" + String.join("\n", files.get(i)) + "\n").getBytes(StandardCharsets.UTF_8);
            sources.add(new DatasetIngestor.SourceFile("orders/part" + i + ".csv", () -> new ByteArrayInputStream(bytes)));
        }
        DatasetIngestor.Result result = ingestor.ingest(sources);
        FeatureTable table = SamplePipeline.features(result.manifest(), out);
        PersonaModel model = PersonaClustering.fit(table, null, 7);
        int[] assigned = model.assignAll(table);
        Map<String, Integer> byEmail = new TreeMap<>();
        for (CSVRecord p : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(out.get("people.csv").toString(StandardCharsets.UTF_8)))) {
            byEmail.put(Identity.normalizeEmail(p.get("email")), assigned[Integer.parseInt(p.get("person_id"))]);
        }
        List<String> centroids = new ArrayList<>();
        for (double[] c : model.centroids()) centroids.add(Arrays.toString(c));
        return new Outcome(model.k(), centroids, model.memberCounts(), byEmail);
    }

    @Test
    void shuffledAndResplitRowsGiveTheSamePersonasAndAssignments() throws IOException {
        for (long seed : new long[]{3, 11}) {
            StringWriter csv = new StringWriter();
            new OrdersGenerator(seed).write(csv, 1200, 7000);
            List<String> lines = csv.toString().lines().toList();
            String header = lines.get(0);
            List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
            Outcome original = run(header, List.of(rows));

            Collections.shuffle(rows, new Random(seed * 31));
            int a = rows.size() / 3;
            int b = 2 * rows.size() / 3;
            Outcome shuffled = run(header, List.of(rows.subList(b, rows.size()), rows.subList(0, a), rows.subList(a, b)));

            assertEquals(original.personaOfEmail().keySet(), shuffled.personaOfEmail().keySet(),
                    "seed " + seed + ": the same people, whatever the order of rows and files");
            assertEquals(original.k(), shuffled.k(), "seed " + seed + ": the same number of personas");
            assertEquals(original.centroids(), shuffled.centroids(), "seed " + seed + ": the same personas");
            assertEquals(original.counts(), shuffled.counts(), "seed " + seed + ": the same persona sizes");
            assertEquals(original.personaOfEmail(), shuffled.personaOfEmail(),
                    "seed " + seed + ": every customer gets the same persona");
        }
    }
}
