package personae.core.persona;

import com.fasterxml.jackson.databind.JsonNode;
import personae.core.resource.Kind;
import personae.core.resource.Reference;
import personae.core.resource.ResourceType;

import java.util.List;

/**
 * A persona set's specification: the cohort it clusters and, when given, how many personas.
 *
 * @param numberOfClusters null: chosen from the data
 * @param modelingFields   the traits to cluster on, by name (empty: every trait the cohort's datasets have)
 */
public record PersonaSetSpec(String cohortId, Integer numberOfClusters, List<String> modelingFields) {

    /** {@code cohort_id}: the people clustered. */
    public static final Reference COHORT = Reference.id("/cohort_id", ResourceType.COHORTS, true);
    public static final Kind<PersonaSetSpec> KIND = new Kind<>(ResourceType.PERSONA_SETS, List.of(COHORT), false,
            PersonaSetSpec::of);

    public static PersonaSetSpec of(JsonNode doc) {
        JsonNode k = doc.get("number_of_clusters");
        List<String> fields = new java.util.ArrayList<>();
        doc.path("modeling_fields").forEach(f -> fields.add(f.asText()));
        return new PersonaSetSpec(COHORT.string(doc), k == null || !k.isNumber() ? null : k.asInt(), List.copyOf(fields));
    }
}
