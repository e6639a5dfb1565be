package personae.core.target;

import com.fasterxml.jackson.databind.JsonNode;
import personae.core.resource.Kind;
import personae.core.resource.Reference;
import personae.core.resource.ResourceType;

import java.util.List;

/** A target's specification: the scope it publishes ({@link TargetCsv} reads the rest of the document). */
public record TargetSpec(String scopeId) {

    public static final Reference SCOPE = Reference.id("/scope_id", ResourceType.SCOPES, true);
    public static final Kind<TargetSpec> KIND = new Kind<>(ResourceType.TARGETS, List.of(SCOPE), false, TargetSpec::of);

    public static TargetSpec of(JsonNode doc) {
        return new TargetSpec(SCOPE.string(doc));
    }
}
