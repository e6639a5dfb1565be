package personae.core.pipeline;

import org.junit.jupiter.api.Test;
import personae.core.Problem;
import personae.core.persona.Feature;
import personae.core.persona.PersonaModel;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;
import personae.core.testing.InMemoryBlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** modeling_fields chooses the traits a persona set clusters on; a trait the people do not have is a clear error. */
class ModelingFieldsTest {

    static final String A = InMemoryBuilds.ACCOUNT;
    final InMemoryBuilds builds = new InMemoryBuilds();
    final InMemoryBlobStore blobs = builds.blobs;
    final Resources resources = builds.resources;
    final BuildSteps steps = builds.steps;

    String cohort() throws IOException {
        StringBuilder csv = new StringBuilder("email,date,total\n");
        for (int i = 0; i < 60; i++) {
            for (int o = 0; o <= i % 4; o++) csv.append("p").append(i).append("@x.com,2025-0").append(1 + o).append("-1")
                    .append(i % 9).append(',').append(i % 2 == 0 ? 10 + o : 200 + o).append('\n');
        }
        builds.upload("a.csv", csv.toString());
        builds.readyDataset("""
                {"name": "orders", "options": {"type": "hosted_csv", "upload_directory": "orders"},
                 "identity_sets": {"c": {"email": "email"}},
                 "output_to_streams": {"orders": {"data_map": {"datetime": {"column_name": "date"},
                                                               "value": {"column_name": "total"}}}}}""");
        return builds.readyCohort("{\"name\":\"c\",\"stream_name\":\"orders\"}");
    }

    PersonaModel model(String set) throws IOException {
        try (InputStream in = blobs.open(Keys.personaModel(A, set))) {
            return Json.MAPPER.readValue(in, PersonaModel.class);
        }
    }

    @Test
    void thePersonaSetClustersOnExactlyTheNamedTraits() throws IOException {
        String cohort = cohort();
        String set = resources.create(A, ResourceType.PERSONA_SETS, Json.readObject("{\"name\":\"p\",\"cohort_id\":\""
                + cohort + "\",\"modeling_fields\":[\"orders_total_value\",\"orders_frequency\"]}")).id();
        steps.clusterPersonas(new BuildRequest(A, "persona_sets", set));
        assertEquals(List.of("orders_total_value", "orders_frequency"),
                model(set).features().stream().map(Feature::name).toList(), "only the named traits, in their order");

        String all = resources.create(A, ResourceType.PERSONA_SETS,
                Json.readObject("{\"name\":\"q\",\"cohort_id\":\"" + cohort + "\"}")).id();
        steps.clusterPersonas(new BuildRequest(A, "persona_sets", all));
        assertTrue(model(all).features().size() > 2, "without modeling_fields, every trait: " + model(all).features());
    }

    @Test
    void aTraitThePeopleDoNotHaveIsNamedWithTheTraitsTheyHave() throws IOException {
        String cohort = cohort();
        String set = resources.create(A, ResourceType.PERSONA_SETS, Json.readObject("{\"name\":\"p\",\"cohort_id\":\""
                + cohort + "\",\"modeling_fields\":[\"orders_frequency\",\"income\"]}")).id();
        Problem e = assertThrows(Problem.class, () -> steps.clusterPersonas(new BuildRequest(A, "persona_sets", set)));
        assertTrue(e.getMessage().contains("'income'") && e.getMessage().contains("orders_total_value"), e.getMessage());
    }
}
