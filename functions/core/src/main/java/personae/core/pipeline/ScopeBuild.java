package personae.core.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.cohort.Members;
import personae.core.persona.PersonaModel;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources.Stored;
import personae.core.scope.ScopeOutput;
import personae.core.scope.ScopeSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A scope's build: MaterializeScope. */
final class ScopeBuild {

    /** Scope previews are capped at this many rows. */
    static final int PREVIEW_ROWS = 1000;

    private final BuildContext ctx;

    ScopeBuild(BuildContext ctx) {
        this.ctx = ctx;
    }

    /** Scope materialization: the population's identity fields and persona assignments, into one CSV. */
    void materialize(BuildRequest r) {
        Stored scope = ctx.running(r);
        ScopeSpec spec = ScopeSpec.KIND.parse(scope.doc());
        Members population = new Members();
        for (String c : spec.cohortIds()) population.addAll(ctx.readMembers(r.account(), c));
        for (String c : spec.exclusionCohortIds()) population.removeAll(ctx.readMembers(r.account(), c));
        if (spec.preview()) population.limit(PREVIEW_ROWS);
        Map<String, int[]> byDataset = population.byDataset();

        List<PersonaModel> models = new ArrayList<>();
        List<ScopeOutput.PersonaSetColumns> payload = new ArrayList<>();
        List<String> setNames = new ArrayList<>();
        for (String id : spec.personaSetIds()) {
            Stored ps = ctx.resources.require(r.account(), ResourceType.PERSONA_SETS, id);
            models.add(ctx.readJson(Keys.personaModel(r.account(), id), PersonaModel.class));
            List<String> ids = new ArrayList<>();
            List<String> names = new ArrayList<>();
            ps.doc().path("personas").forEach(p -> {
                ids.add(p.path("id").asText());
                names.add(p.path("name").asText());
            });
            payload.add(new ScopeOutput.PersonaSetColumns(id, ids, names));
            setNames.add(ps.name());
        }
        List<String> identityColumns = ctx.identityColumns(r.account(), byDataset.keySet());
        long rows;
        try (OutputStream os = ctx.blobs.create(Keys.scopeOutput(r.account(), r.id()));
             ScopeOutput out = new ScopeOutput(identityColumns, payload, os)) {
            for (var e : byDataset.entrySet()) {
                List<int[]> assignments = new ArrayList<>();
                for (PersonaModel m : models) {
                    assignments.add(m.assignAll(ctx.readFeatures(r.account(), e.getKey(), m.features(), e.getValue())));
                }
                try (InputStream people = ctx.blobs.open(ctx.datasetFolder(r.account(), e.getKey()) + Keys.PEOPLE)) {
                    out.writeDataset(people, e.getValue(), assignments);
                }
            }
            rows = out.rows();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.resources.update(r.account(), ResourceType.SCOPES, r.id(), s -> {
            s.doc().put("population_count", rows);
            ObjectNode columns = s.doc().putObject("columns");
            ArrayNode identity = columns.putArray("identity_columns");
            identityColumns.forEach(identity::add);
            ArrayNode payloadColumns = columns.putArray("payload_columns");
            ArrayNode identified = columns.putObject("columns_for_mode").putArray("identified");
            identityColumns.forEach(c -> identified.addObject().put("scope_col", c).put("output_col", c)
                    .put("is_identity_col", true));
            for (int i = 0; i < payload.size(); i++) {
                ScopeOutput.PersonaSetColumns p = payload.get(i);
                payloadColumns.addObject().put("name", p.idColumn()).put("human_name", setNames.get(i) + " persona id");
                payloadColumns.addObject().put("name", p.nameColumn()).put("human_name", setNames.get(i) + " persona name");
                identified.addObject().put("scope_col", p.idColumn()).put("output_col", p.idColumn());
                identified.addObject().put("scope_col", p.nameColumn()).put("output_col", p.nameColumn());
            }
        });
    }
}
