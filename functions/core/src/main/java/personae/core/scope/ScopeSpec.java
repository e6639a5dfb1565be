package personae.core.scope;

import com.fasterxml.jackson.databind.JsonNode;
import personae.core.resource.Kind;
import personae.core.resource.Reference;
import personae.core.resource.ResourceType;

import java.util.List;

/** A scope's specification: who (population cohorts minus exclusions) gets which payload (persona sets). */
public record ScopeSpec(List<String> cohortIds, List<String> exclusionCohortIds, List<String> personaSetIds,
                        boolean preview) {

    public static final Reference POPULATION = Reference.ids("/population/cohort_ids", ResourceType.COHORTS, true);
    public static final Reference EXCLUSIONS = Reference.ids("/population/exclusion_cohort_ids", ResourceType.COHORTS,
            false);
    public static final Reference PERSONA_SETS = Reference.ids("/payload/persona_set_ids", ResourceType.PERSONA_SETS,
            false);
    /** Scope names are unique per account (the reference's rule). */
    public static final Kind<ScopeSpec> KIND = new Kind<>(ResourceType.SCOPES,
            List.of(POPULATION, EXCLUSIONS, PERSONA_SETS), true, ScopeSpec::of);

    public static ScopeSpec of(JsonNode doc) {
        return new ScopeSpec(POPULATION.strings(doc), EXCLUSIONS.strings(doc), PERSONA_SETS.strings(doc),
                doc.path("preview").asBoolean(false));
    }
}
