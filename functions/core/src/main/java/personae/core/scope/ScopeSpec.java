package personae.core.scope;

import com.fasterxml.jackson.databind.JsonNode;
import personae.core.resource.Kind;
import personae.core.resource.Reference;
import personae.core.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;

/**
 * A scope's specification: who (population cohorts minus exclusions; no population cohort at all is every person of
 * every dataset of the account) gets which payload (persona sets, cohort membership flags, trait columns).
 */
public record ScopeSpec(List<String> cohortIds, List<String> exclusionCohortIds, List<String> personaSetIds,
                        List<String> payloadCohortIds, List<String> attributes, boolean preview) {

    public static final Reference POPULATION = Reference.ids("/population/cohort_ids", ResourceType.COHORTS, true);
    public static final Reference EXCLUSIONS = Reference.ids("/population/exclusion_cohort_ids", ResourceType.COHORTS,
            false);
    public static final Reference PERSONA_SETS = Reference.ids("/payload/persona_set_ids", ResourceType.PERSONA_SETS,
            false);
    /** {@code payload.cohort_ids}: a membership flag column per cohort (any cohort, not only population ones). */
    public static final Reference PAYLOAD_COHORTS = Reference.ids("/payload/cohort_ids", ResourceType.COHORTS, false);
    /** Scope names are unique per account (the reference's rule). */
    public static final Kind<ScopeSpec> KIND = new Kind<>(ResourceType.SCOPES,
            List.of(POPULATION, EXCLUSIONS, PERSONA_SETS, PAYLOAD_COHORTS), true, ScopeSpec::of);

    public static ScopeSpec of(JsonNode doc) {
        List<String> attributes = new ArrayList<>();
        doc.path("payload").path("attributes").forEach(a -> {
            if (a.isTextual() && !attributes.contains(a.asText())) attributes.add(a.asText());
        });
        return new ScopeSpec(POPULATION.strings(doc), EXCLUSIONS.strings(doc), PERSONA_SETS.strings(doc),
                PAYLOAD_COHORTS.strings(doc).stream().distinct().toList(), List.copyOf(attributes),
                doc.path("preview").asBoolean(false));
    }

    /** Whether the population is every person of the account ({@code population.cohort_ids: []}). */
    public boolean everyone() {
        return cohortIds.isEmpty();
    }
}
