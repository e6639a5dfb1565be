package personae.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which traits a persona set clusters on when {@code modeling_fields} is empty, with the same customers in two
 * datasets: its cohort's own dataset's traits, and a linked dataset's first-party traits, not the linked dataset's
 * behaviour in another stream.
 */
class PersonaSetDefaultsTest {

    static final String A = InMemoryBuilds.ACCOUNT;

    @Test
    void aLinkedDatasetLendsItsFirstPartyTraitsButNotItsOtherStreamsBehaviour() throws IOException {
        InMemoryBuilds builds = new InMemoryBuilds();
        StringBuilder orders = new StringBuilder("email,date,total\n");
        StringBuilder visits = new StringBuilder("email,visited,tier\n");
        for (int i = 0; i < 40; i++) {
            for (int o = 0; o <= i % 3; o++) {
                orders.append("p").append(i).append("@x.com,2025-0").append(1 + o).append("-1").append(i % 9).append(',')
                        .append(i % 2 == 0 ? 15 + o : 300 + o).append('\n');
            }
            visits.append("P").append(i).append("@X.COM,2025-02-0").append(1 + i % 9).append(',')
                    .append(i % 2 == 0 ? "basic" : "gold").append('\n');
        }
        builds.upload("orders", "a.csv", orders.toString());
        builds.upload("visits", "v.csv", visits.toString());
        builds.readyDataset("""
                {"name": "orders", "options": {"type": "hosted_csv", "upload_directory": "orders"},
                 "identity_sets": {"c": {"email": "email"}},
                 "output_to_streams": {"orders": {"data_map": {"datetime": {"column_name": "date"},
                                                               "value": {"column_name": "total"}}}}}""");
        builds.readyDataset("""
                {"name": "visits", "options": {"type": "hosted_csv", "upload_directory": "visits"},
                 "identity_sets": {"c": {"email": "email"}},
                 "output_to_streams": {"visits": {"data_map": {"datetime": {"column_name": "visited"}}}},
                 "output_to_traits": {"tier": {"column_name": "tier"}}}""");
        String cohort = builds.readyCohort("{\"name\":\"buyers\",\"stream_name\":\"orders\"}");
        String set = builds.resources.create(A, ResourceType.PERSONA_SETS, Json.readObject(
                "{\"name\":\"p\",\"cohort_id\":\"" + cohort + "\",\"number_of_clusters\":2}")).id();
        builds.readyPersonaSet(set);
        JsonNode center = builds.resources.require(A, ResourceType.PERSONA_SETS, set).doc()
                .path("personas").get(0).path("details").path("center");
        assertTrue(center.has("orders_frequency"), "the cohort's own stream's behaviour: " + center);
        assertTrue(center.has("tier=gold"), "the linked dataset (every buyer) lends its first-party tier: " + center);
        assertFalse(center.has("visits_frequency") || center.has("visits_recency_days"),
                "another stream's behaviour is not a default clustering trait: " + center);
    }
}
