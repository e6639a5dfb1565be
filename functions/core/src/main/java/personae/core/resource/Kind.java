package personae.core.resource;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.function.Function;

/**
 * A resource kind's specification: the typed view of its document and the fields that reference other resources.
 * Each kind declares one, beside its domain code ({@code ingest/DatasetSpec}, {@code cohort/CohortSpec},
 * {@code persona/PersonaSetSpec}, {@code scope/ScopeSpec}, {@code target/TargetSpec}); {@code personae.core.Kinds}
 * lists them.
 *
 * @param type        the kind
 * @param references  every field naming another resource
 * @param uniqueNames whether two resources of this kind in one account may share a name
 * @param parse       the document as the build reads it
 */
public record Kind<T>(ResourceType type, List<Reference> references, boolean uniqueNames, Function<JsonNode, T> parse) {

    public T parse(JsonNode doc) {
        return parse.apply(doc);
    }

    /** The values of every reference in {@code doc}, in declaration order. */
    public List<Reference.Value> values(JsonNode doc) {
        return references.stream().flatMap(r -> r.values(doc).stream()).toList();
    }
}
