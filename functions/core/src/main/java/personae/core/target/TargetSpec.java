package personae.core.target;

import com.fasterxml.jackson.databind.JsonNode;
import personae.core.resource.Kind;
import personae.core.resource.Reference;
import personae.core.resource.ResourceType;

import java.util.List;

/**
 * A target's specification: the scope it publishes and, for a referenced target, the dataset whose reference key
 * column keys its rows ({@link TargetCsv} reads the rest of the document).
 */
public record TargetSpec(String scopeId, String referenceDatasetId) {

    public static final Reference SCOPE = Reference.id("/scope_id", ResourceType.SCOPES, true);
    /** A referenced target's dataset ({@code representation.reference.dataset_id}). */
    public static final Reference REFERENCE_DATASET = Reference.id("/representation/reference/dataset_id",
            ResourceType.DATASETS, false);
    /** The deprecated spelling of the same ({@code representation.reference_dataset_id}). */
    public static final Reference REFERENCE_DATASET_DEPRECATED = Reference.id("/representation/reference_dataset_id",
            ResourceType.DATASETS, false);
    public static final Kind<TargetSpec> KIND = new Kind<>(ResourceType.TARGETS,
            List.of(SCOPE, REFERENCE_DATASET, REFERENCE_DATASET_DEPRECATED), false, TargetSpec::of);

    public static TargetSpec of(JsonNode doc) {
        String dataset = REFERENCE_DATASET.string(doc);
        return new TargetSpec(SCOPE.string(doc), dataset != null ? dataset : REFERENCE_DATASET_DEPRECATED.string(doc));
    }
}
