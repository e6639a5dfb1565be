package personae.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Problem;
import personae.core.Services;
import personae.core.ingest.DatasetSpec;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;
import personae.core.resource.Resources.Stored;
import personae.core.target.ScopeColumns;
import personae.core.target.TargetCsv;
import personae.core.target.TargetSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writing a target's file from its scope's output: the build's whole file ({@code PublishTarget}) and the API's
 * preview of its first rows ({@code POST /v1/targets/{id}/preview}) are the same transformation ({@link TargetCsv}).
 */
public final class TargetPublication {

    /** A preview is the first this many rows. */
    public static final int PREVIEW_ROWS = 1000;

    private TargetPublication() {}

    /**
     * Writes {@code target}'s file, at most {@code cap} rows, to {@code key}.
     *
     * @throws Problem INVALID when the target names what its scope does not have, CONFLICT when the scope has no
     *                 output yet
     */
    public static TargetCsv.Result write(Services services, Stored target, String key, long cap) {
        Resources resources = services.resources();
        TargetSpec spec = TargetSpec.KIND.parse(target.doc());
        Stored scope = resources.require(target.account(), ResourceType.SCOPES, spec.scopeId());
        ScopeColumns columns = ScopeColumns.of(scope.doc(), id -> resources.find(target.account(),
                ResourceType.PERSONA_SETS, id).map(Stored::doc));
        JsonNode doc = referenced(resources, target, spec, columns);
        try (InputStream in = services.blobs().open(Keys.scopeOutput(target.account(), spec.scopeId()));
             OutputStream out = services.blobs().create(key)) {
            return TargetCsv.transform(doc, columns, in, out, cap);
        } catch (IllegalArgumentException e) { // the target names columns or persona sets its scope does not have
            throw Problem.invalid(e.getMessage());
        } catch (personae.core.port.BlobStore.NotFoundException e) {
            throw Problem.conflict("scope " + spec.scopeId() + " has no output yet; build it first");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A referenced target's document with {@code representation.reference.column_name} resolved (the deprecated
     * {@code reference_dataset_id} names only the dataset: its first reference key column), after checking that the
     * column is one of the dataset's reference key columns and that the scope's people carry it.
     */
    private static JsonNode referenced(Resources resources, Stored target, TargetSpec spec, ScopeColumns columns) {
        JsonNode rep = target.doc().path("representation");
        if (!"referenced".equals(rep.path("mode").asText())) return target.doc();
        Stored dataset = resources.find(target.account(), ResourceType.DATASETS, spec.referenceDatasetId())
                .orElseThrow(() -> Problem.invalid("representation.reference.dataset_id: no dataset with id "
                        + spec.referenceDatasetId()));
        List<String> keys = DatasetSpec.referenceKeyColumns(dataset.doc());
        if (keys.isEmpty()) {
            throw Problem.invalid("representation.reference names dataset '" + dataset.name() + "', which has no "
                    + "reference_key_columns; list its external-id column there");
        }
        String column = rep.path("reference").path("column_name").asText(keys.get(0));
        if (!keys.contains(column)) {
            throw Problem.invalid("representation.reference.column_name '" + column + "' is not a reference key column"
                    + " of dataset '" + dataset.name() + "' (reference_key_columns: " + String.join(", ", keys) + ")");
        }
        if (!columns.identityColumns().isEmpty() && !columns.identityColumns().contains(column)) {
            throw Problem.invalid("representation.reference.column_name '" + column + "': the scope's people have no"
                    + " such column; is dataset '" + dataset.name() + "' among the scope's datasets?");
        }
        ObjectNode copy = target.doc().deepCopy();
        ObjectNode reference = ((ObjectNode) copy.get("representation")).putObject("reference");
        reference.put("dataset_id", dataset.id()).put("column_name", column);
        return copy;
    }
}
