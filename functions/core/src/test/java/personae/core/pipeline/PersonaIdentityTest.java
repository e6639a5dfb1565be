package personae.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import personae.core.ingest.Identity;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;
import personae.core.sample.OrdersGenerator;
import personae.core.testing.InMemoryBlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Personas keep their identity across rebuilds: one more month of the same customers' orders matches the new personas
 * to the previous ones by their centres, so customers keep their persona id, and a user's rename survives.
 */
class PersonaIdentityTest {

    static final String A = InMemoryBuilds.ACCOUNT;
    final InMemoryBuilds builds = new InMemoryBuilds();
    final InMemoryBlobStore blobs = builds.blobs;
    final Resources resources = builds.resources;
    final BuildSteps steps = builds.steps;

    void build(String kind, String id, Runnable... work) {
        BuildRequest r = new BuildRequest(A, kind, id);
        steps.checkInputs(r, 0);
        for (Runnable w : work) w.run();
        steps.markReady(r);
    }

    /** Builds everything in order and answers the scope's persona id per customer (by normalized email). */
    Map<String, String> rebuild(String dataset, String cohort, String set, String scope) throws IOException {
        BuildRequest d = new BuildRequest(A, "datasets", dataset);
        build("datasets", dataset, () -> steps.ingestDataset(d), () -> steps.enrichTraits(d));
        build("cohorts", cohort, () -> steps.buildCohort(new BuildRequest(A, "cohorts", cohort)));
        BuildRequest p = new BuildRequest(A, "persona_sets", set);
        build("persona_sets", set, () -> steps.clusterPersonas(p), () -> steps.namePersonas(p));
        build("scopes", scope, () -> steps.materializeScope(new BuildRequest(A, "scopes", scope)));
        Map<String, String> out = new HashMap<>();
        String column = "fdy_persona_set_" + set.replace('-', '_') + "_persona_id";
        try (InputStream in = blobs.open(Keys.scopeOutput(A, scope))) {
            for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                out.put(Identity.normalizeEmail(r.get("email")), r.get(column));
            }
        }
        return out;
    }

    @Test
    void oneMoreMonthKeepsCustomersInTheirPersonaAndARenameSurvives() throws IOException {
        StringWriter csv = new StringWriter();
        new OrdersGenerator(5).write(csv, 2000, 14_000);
        List<String> lines = csv.toString().lines().toList();
        List<String> dates = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new java.io.StringReader(csv.toString())).stream().map(r -> r.get("order_datetime")).toList();
        assertEquals(lines.size() - 1, dates.size(), "one record per line");
        String last = dates.stream().max(String::compareTo).orElseThrow();
        String cutoff = java.time.Instant.parse(last).minus(java.time.Duration.ofDays(30)).toString();
        StringBuilder before = new StringBuilder(lines.get(0)).append('\n');
        StringBuilder after = new StringBuilder(lines.get(0)).append('\n');
        for (int i = 1; i < lines.size(); i++) {
            (dates.get(i - 1).compareTo(cutoff) < 0 ? before : after).append(lines.get(i)).append('\n');
        }
        builds.upload("month1.csv", before.toString());

        String dataset = resources.create(A, ResourceType.DATASETS, Json.readObject(OrdersGenerator.DATASET_BODY)).id();
        String cohort = resources.create(A, ResourceType.COHORTS,
                Json.readObject("{\"name\":\"Customers\",\"stream_name\":\"orders\"}")).id();
        String set = resources.create(A, ResourceType.PERSONA_SETS,
                Json.readObject("{\"name\":\"P\",\"cohort_id\":\"" + cohort + "\"}")).id();
        String scope = resources.create(A, ResourceType.SCOPES, Json.readObject("{\"name\":\"S\",\"population\":"
                + "{\"cohort_ids\":[\"" + cohort + "\"]},\"payload\":{\"persona_set_ids\":[\"" + set + "\"]}}")).id();
        Map<String, String> first = rebuild(dataset, cohort, set, scope);
        JsonNode personas = resources.require(A, ResourceType.PERSONA_SETS, set).doc().path("personas");
        JsonNode why = resources.require(A, ResourceType.PERSONA_SETS, set).doc().path(PersonaSetBuild.CLUSTER_COUNT);
        assertEquals("silhouette", why.path("method").asText(), "k was chosen from the data, and the set says how: " + why);
        assertEquals(personas.size(), why.path("number_of_personas").asInt());
        assertEquals(7, why.path("silhouette_by_k").size(), "every candidate k in 2..8 has its score: " + why);

        // the user renames the largest persona
        JsonNode largest = personas.get(0);
        for (JsonNode p : personas) if (p.path("individuals_count").asLong() > largest.path("individuals_count").asLong()) largest = p;
        String renamedId = largest.path("id").asText();
        resources.update(A, ResourceType.PERSONA_SETS, set, s -> {
            s.internal().with(PersonaSetBuild.RENAMED).put(renamedId, "My VIPs");
        });

        builds.upload("month2.csv", after.toString());
        Map<String, String> second = rebuild(dataset, cohort, set, scope);

        long both = first.keySet().stream().filter(second::containsKey).count();
        long kept = first.keySet().stream().filter(e -> first.get(e).equals(second.get(e))).count();
        double share = (double) kept / both;
        JsonNode now = resources.require(A, ResourceType.PERSONA_SETS, set).doc();
        System.out.printf("customers keeping their persona id after one more month: %d of %d (%.1f%%)%n", kept, both, 100.0 * share);
        assertTrue(share >= 0.95, "customers keeping their persona id after one more month: " + share
                + "; before " + personas + "; after " + now.path("personas") + "; " + now.path(PersonaSetBuild.LAST_REBUILD));
        String renamedNow = null;
        for (JsonNode p : now.path("personas")) if (p.path("id").asText().equals(renamedId)) renamedNow = p.path("name").asText();
        assertEquals("My VIPs", renamedNow, "the renamed persona is still there, with the user's name");
        assertEquals(personas.size(), now.path(PersonaSetBuild.LAST_REBUILD).path("kept_persona_ids").size()
                + now.path(PersonaSetBuild.LAST_REBUILD).path("vanished_personas").size(),
                "every previous persona is either kept or reported vanished: " + now.path(PersonaSetBuild.LAST_REBUILD));
    }
}
