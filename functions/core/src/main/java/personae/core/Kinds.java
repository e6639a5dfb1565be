package personae.core;

import personae.core.cohort.CohortSpec;
import personae.core.ingest.DatasetSpec;
import personae.core.persona.PersonaSetSpec;
import personae.core.resource.Kind;
import personae.core.resource.ResourceType;
import personae.core.scope.ScopeSpec;
import personae.core.target.TargetSpec;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every kind's specification, by type: the one list to extend when a kind is added. Kinds that reference nothing
 * (accounts, uploads, streams, traits) have an empty specification.
 */
public final class Kinds {

    private static final Map<ResourceType, Kind<?>> BY_TYPE = new EnumMap<>(ResourceType.class);

    static {
        for (Kind<?> k : List.of(DatasetSpec.KIND, CohortSpec.KIND, PersonaSetSpec.KIND, ScopeSpec.KIND, TargetSpec.KIND)) {
            BY_TYPE.put(k.type(), k);
        }
        for (ResourceType t : ResourceType.values()) {
            BY_TYPE.computeIfAbsent(t, type -> new Kind<>(type, List.of(), false, doc -> doc));
        }
    }

    private Kinds() {}

    public static Kind<?> of(ResourceType type) {
        return BY_TYPE.get(type);
    }

    public static Iterable<Kind<?>> all() {
        return BY_TYPE.values();
    }
}
