package personae.core.pipeline;

import org.junit.jupiter.api.Test;
import personae.core.Problem;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;
import personae.core.testing.InMemoryBlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A scope's attributes and cohort flags at build time: names checked against the population's datasets. */
class ScopePayloadTest {

    static final String A = InMemoryBuilds.ACCOUNT;
    final InMemoryBuilds builds = new InMemoryBuilds();
    final InMemoryBlobStore blobs = builds.blobs;
    final Resources resources = builds.resources;
    final BuildSteps steps = builds.steps;

    /** A dataset of 4 people with a tier trait, also output as a trait named like the identity column "email". */
    void dataset() throws IOException {
        builds.upload("a.csv", "email,date,total,tier\na@x.com,2025-01-01,10,gold\nb@x.com,2025-01-02,20,silver\n"
                + "c@x.com,2025-01-03,30,gold\nd@x.com,2025-01-04,40,\n");
        builds.readyDataset("""
                {"name": "orders", "options": {"type": "hosted_csv", "upload_directory": "orders"},
                 "identity_sets": {"c": {"email": "email"}},
                 "output_to_streams": {"orders": {"data_map": {"datetime": {"column_name": "date"},
                                                               "value": {"column_name": "total"}}}},
                 "output_to_traits": {"tier": {"column_name": "tier"}, "email": {"column_name": "email"}}}""");
    }

    String cohort(String traits) {
        return builds.readyCohort("{\"name\":\"c\",\"stream_name\":\"orders\",\"traits\":" + traits + "}");
    }

    String scope(String population, String payload) {
        return resources.create(A, ResourceType.SCOPES, Json.readObject("{\"name\":\"s" + System.nanoTime()
                + "\",\"population\":" + population + ",\"payload\":" + payload + ",\"preview\":true}")).id();
    }

    List<String> output(String scope) throws IOException {
        try (InputStream in = blobs.open(Keys.scopeOutput(A, scope))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void anEmptyPopulationWithAttributesIsAnEmptyCsvNotAnError() throws IOException {
        dataset();
        String nobody = cohort("[{\"name\":\"tier\",\"_eq\":\"platinum\"}]");
        String s = scope("{\"cohort_ids\":[\"" + nobody + "\"]}", "{\"attributes\":[\"tier\"]}");
        steps.materializeScope(new BuildRequest(A, "scopes", s));
        assertEquals(List.of("tier"), output(s), "no one to write: the header only (no dataset, so no identity column)");
    }

    @Test
    void anAttributeNamedLikeAnIdentityColumnFailsTheBuildNamingIt() throws IOException {
        dataset();
        String s = scope("{\"cohort_ids\":[]}", "{\"attributes\":[\"tier\",\"email\"]}");
        Problem p = assertThrows(Problem.class, () -> steps.materializeScope(new BuildRequest(A, "scopes", s)));
        assertTrue(p.getMessage().contains("'email'") && p.getMessage().contains("second"), p.getMessage());
    }

    @Test
    void aTraitNoDatasetOfTheStreamHasFailsTheCohortsBuildNamingIt() throws IOException {
        dataset();
        String id = resources.create(A, ResourceType.COHORTS, Json.readObject("{\"name\":\"c\",\"stream_name\":\"orders\","
                + "\"traits\":[{\"name\":\"shoe_size\",\"_gt\":40}]}")).id();
        Problem p = assertThrows(Problem.class, () -> steps.buildCohort(new BuildRequest(A, "cohorts", id)));
        assertTrue(p.getMessage().contains("'shoe_size'") && p.getMessage().contains("tier"),
                "the message names the trait and the traits the datasets have: " + p.getMessage());
    }

    @Test
    void aPreviewOverEveryoneWithFlagsMarksTheCohortsMembers() throws IOException {
        dataset();
        String gold = cohort("[{\"name\":\"tier\",\"_eq\":\"gold\"}]");
        String s = scope("{\"cohort_ids\":[]}", "{\"cohort_ids\":[\"" + gold + "\"],\"attributes\":[\"tier\"]}");
        steps.materializeScope(new BuildRequest(A, "scopes", s));
        List<String> lines = output(s);
        assertEquals("email,fdy_cohort_" + gold.replace('-', '_') + "_member,tier", lines.get(0));
        assertEquals(5, lines.size(), "the four people of the dataset: " + lines);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertEquals(Boolean.toString(cells[2].equals("gold")), cells[1], "the flag is membership of gold: " + line);
        }
    }
}
