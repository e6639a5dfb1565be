package personae.core.pipeline;

import personae.core.cohort.Members;
import personae.core.persona.FeatureTable;
import personae.core.persona.PersonaModel;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.sample.OrdersGenerator;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Not a test: times a persona set's analysis ({@link PersonaSetAnalysis#write}: every trait's bins, and the flow's
 * replay of every member's history) on generated orders (default 1,000,000 rows, 150,000 customers, seed 42), over
 * in-memory ports, after the build steps that precede it. Run from {@code functions/core} with the test classpath:
 * {@code mvn -o -q dependency:build-classpath -Dmdep.outputFile=cp.txt} then
 * {@code java -Xmx3g -cp target/classes:target/test-classes:$(cat cp.txt) personae.core.pipeline.PersonaSetAnalysisBenchmark}.
 */
public final class PersonaSetAnalysisBenchmark {

    private PersonaSetAnalysisBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int customers = args.length > 1 ? Integer.parseInt(args[1]) : 150_000;
        InMemoryBuilds b = new InMemoryBuilds();
        String a = InMemoryBuilds.ACCOUNT;
        try (Writer w = new OutputStreamWriter(b.blobs.create(Keys.upload(a, "orders", "orders.csv")), StandardCharsets.UTF_8)) {
            new OrdersGenerator(42).write(w, customers, rows);
        }
        String ds = b.resources.create(a, ResourceType.DATASETS, Json.readObject(OrdersGenerator.DATASET_BODY)).id();
        BuildRequest d = new BuildRequest(a, "datasets", ds);
        b.steps.ingestDataset(d);
        b.steps.enrichTraits(d);
        b.steps.markReady(d);
        String cohort = b.resources.create(a, ResourceType.COHORTS,
                Json.readObject("{\"name\":\"everyone\",\"stream_name\":\"orders\"}")).id();
        b.steps.buildCohort(new BuildRequest(a, "cohorts", cohort));
        b.steps.markReady(new BuildRequest(a, "cohorts", cohort));
        String set = b.resources.create(a, ResourceType.PERSONA_SETS,
                Json.readObject("{\"name\":\"p\",\"cohort_id\":\"" + cohort + "\"}")).id();
        long t0 = System.nanoTime();
        b.steps.clusterPersonas(new BuildRequest(a, "persona_sets", set));
        double clusterWithAnalysis = (System.nanoTime() - t0) / 1e9;

        BuildContext ctx = new BuildContext(b.services);
        PersonaModel model;
        try (InputStream in = b.blobs.open(Keys.personaModel(a, set))) {
            model = Json.MAPPER.readValue(in, PersonaModel.class);
        }
        Members members = ctx.readMembers(a, cohort);
        Map<String, int[]> byDataset = members.byDataset();
        FeatureTable table = ctx.readFeatures(a, ds, model.features(), byDataset.get(ds));
        Runtime rt = Runtime.getRuntime();
        System.out.printf("%d rows, %d customers, %d members, k=%d, %d features; max heap %d MiB, cpus %d%n", rows,
                customers, members.size(), model.k(), model.features().size(), rt.maxMemory() >> 20, rt.availableProcessors());
        System.out.printf("ClusterPersonas with the analysis: %.2f s%n", clusterWithAnalysis);
        personae.core.api.PersonaeApi.ensureAccount(b.services, a, "bench", "bench-key-0123456789");
        personae.core.api.PersonaeApi api = new personae.core.api.PersonaeApi(b.services);
        b.steps.namePersonas(new BuildRequest(a, "persona_sets", set));
        b.steps.markReady(new BuildRequest(a, "persona_sets", set));
        for (String path : java.util.List.of("/v1/traits", "/v1/cohorts/" + cohort + "/analysis/membership",
                "/v1/persona_sets/" + set + "/analysis/dimensions", "/v1/persona_sets/" + set + "/analysis/flow")) {
            for (int i = 0; i < 2; i++) {
                long s = System.nanoTime();
                var r = api.handle(personae.core.api.ApiRequest.of("GET", path,
                        Map.of("Authorization", "Bearer bench-key-0123456789"), null));
                System.out.printf("GET %s: %d, %.2f s, %d KiB%n", path.replace(cohort, "{id}").replace(set, "{id}"),
                        r.status(), (System.nanoTime() - s) / 1e9, r.bodyText().length() >> 10);
            }
        }
        for (int i = 0; i < 3; i++) {
            System.gc();
            long s = System.nanoTime();
            new PersonaSetAnalysis(ctx).writeDimensions(a, set, model, model.assignAll(table), byDataset, ctx.accountPeople(a));
            long m = System.nanoTime();
            new PersonaSetAnalysis(ctx).writeFlow(a, set, model, table, byDataset);
            long e = System.nanoTime();
            System.out.printf("analysis #%d: dimensions %.2f s, flow %.2f s, heap used %d MiB, flow file %d KiB, dimensions file %d KiB%n",
                    i + 1, (m - s) / 1e9, (e - m) / 1e9, (rt.totalMemory() - rt.freeMemory()) >> 20,
                    b.blobs.head(Keys.personaFlow(a, set)).orElseThrow().size() >> 10,
                    b.blobs.head(Keys.personaDimensions(a, set)).orElseThrow().size() >> 10);
        }
    }
}
