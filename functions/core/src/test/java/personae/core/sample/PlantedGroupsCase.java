package personae.core.sample;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import personae.core.ingest.DatasetIngestor;
import personae.core.ingest.DatasetSpec;
import personae.core.persona.FeatureTable;
import personae.core.persona.PersonaClustering;
import personae.core.persona.PersonaModel;
import personae.core.pipeline.PersonaSetBuild;
import personae.core.resource.Json;
import smile.validation.metric.AdjustedRandIndex;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One planted-groups case through the product's real path: {@link PlantedGroupsGenerator} orders CSV, the ingestor
 * (people found from emails), trait enrichment, the feature table, then {@link PersonaClustering#fit} with the
 * persona set build's seed and automatic k. Shared by the grid test and the benchmark.
 */
record PlantedGroupsCase(PlantedGroupsGenerator.Config config, FeatureTable table, int[] truth, PersonaModel model,
                         double ari, double fitSeconds) {

    /** Spread of the log group weights of every case: unequal sizes (the smallest group is at least 3%). */
    static final double IMBALANCE = 0.6;
    /** The clear planted-group level of the grid test and benchmark. */
    static final double CLEAR = 6.0;
    /** The harder, overlapping level of the benchmark. */
    static final double OVERLAPPING = 4.0;

    /** The feature table of a generated case, with the planted group of each person. */
    record Data(PlantedGroupsGenerator.Config config, FeatureTable table, int[] truth) {
        PlantedGroupsCase fit() {
            long t0 = System.nanoTime();
            PersonaModel model = PersonaClustering.fit(table, null, PersonaSetBuild.CLUSTERING_SEED);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double ari = AdjustedRandIndex.of(truth, model.assignAll(table));
            return new PlantedGroupsCase(config, table, truth, model, ari, seconds);
        }
    }

    static PlantedGroupsCase run(PlantedGroupsGenerator.Config config) throws IOException {
        return generate(config).fit();
    }

    static Data generate(PlantedGroupsGenerator.Config config) throws IOException {
        PlantedGroupsGenerator generator = new PlantedGroupsGenerator(config);
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(csv, StandardCharsets.UTF_8)) {
            generator.write(w);
        }
        byte[] bytes = csv.toByteArray();
        Map<String, ByteArrayOutputStream> files = new HashMap<>();
        String spec = Json.write(Json.readObject(PlantedGroupsGenerator.DATASET_BODY).put("id", "planted-ds"));
        DatasetIngestor ingestor = new DatasetIngestor(DatasetSpec.fromDocument(Json.read(spec)), name -> {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            files.put(name, b);
            return b;
        });
        DatasetIngestor.Result result = ingestor.ingest(List.of(
                new DatasetIngestor.SourceFile("planted/orders.csv", () -> new ByteArrayInputStream(bytes))));
        int people = result.manifest().people();
        if (people != config.customers()) {
            throw new IllegalStateException(people + " people for " + config.customers() + " customers");
        }
        int[] truth = new int[people];
        try (var parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(
                new InputStreamReader(new ByteArrayInputStream(files.get("people.csv").toByteArray()), StandardCharsets.UTF_8))) {
            for (CSVRecord p : parser) {
                int customer = PlantedGroupsGenerator.indexOfEmail(p.get("email"));
                if (customer < 0) throw new IllegalStateException("person " + p.get("person_id") + " has no planted email");
                truth[Integer.parseInt(p.get("person_id"))] = generator.groupOf(customer);
            }
        }
        return new Data(config, SamplePipeline.features(result.manifest(), files), truth);
    }

    /** One line for a report. */
    String describe() {
        return String.format(java.util.Locale.ROOT, "groups=%d customers=%d seed=%d separation=%.1f: k=%d ARI=%.3f fit %.2f s %s",
                config.groups(), config.customers(), config.seed(), config.separation(), model.k(), ari, fitSeconds,
                model.choice());
    }
}
