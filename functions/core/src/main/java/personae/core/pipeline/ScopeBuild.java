package personae.core.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Limits;
import personae.core.Problem;
import personae.core.cohort.Members;
import personae.core.ingest.DatasetSpec;
import personae.core.cohort.TraitNames;
import personae.core.ingest.DatasetManifest;
import personae.core.persona.PersonaModel;
import personae.core.persona.TraitWords;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

/** A scope's build: MaterializeScope. */
final class ScopeBuild {

    /** Scope previews are capped at this many rows. */
    static final int PREVIEW_ROWS = 1000;

    private final BuildContext ctx;

    ScopeBuild(BuildContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Scope materialization: the population's identity fields and payload (persona assignments, cohort membership
     * flags, trait columns), into one CSV.
     */
    void materialize(BuildRequest r) {
        Stored scope = ctx.running(r);
        ScopeSpec spec = ScopeSpec.KIND.parse(scope.doc());
        Members population = new Members();
        if (spec.everyone()) everyone(r.account(), population);
        for (String c : spec.cohortIds()) population.addAll(ctx.readMembers(r.account(), c));
        for (String c : spec.exclusionCohortIds()) population.removeAll(ctx.readMembers(r.account(), c));
        // privacy "suppress" or "delete": a dataset's people are never output (DatasetSpec.isOutput)
        for (Stored ds : ctx.resources.list(r.account(), ResourceType.DATASETS)) {
            if (!DatasetSpec.isOutput(ds.doc())) population.removeDataset(ds.id());
        }
        Set<String> populationDatasets = population.datasets(); // before the preview's cap: the same checks either way
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
        List<Members> flags = new ArrayList<>();
        List<String> cohortNames = new ArrayList<>();
        for (String id : spec.payloadCohortIds()) {
            cohortNames.add(ctx.resources.require(r.account(), ResourceType.COHORTS, id).name());
            flags.add(ctx.readMembers(r.account(), id));
        }
        List<String> identityColumns = ctx.identityColumns(r.account(), byDataset.keySet());
        List<String> attributes = spec.attributes();
        checkAttributes(r.account(), populationDatasets, attributes,
                ScopeOutput.header(identityColumns, payload, spec.payloadCohortIds(), List.of()));
        long rows;
        try (OutputStream os = ctx.blobs.create(Keys.scopeOutput(r.account(), r.id()));
             ScopeOutput out = new ScopeOutput(identityColumns, payload, spec.payloadCohortIds(), attributes, os)) {
            for (var e : byDataset.entrySet()) {
                String dataset = e.getKey();
                List<int[]> assignments = new ArrayList<>();
                for (PersonaModel m : models) {
                    assignments.add(m.assignAll(ctx.readFeatures(r.account(), dataset, m.features(), e.getValue())));
                }
                List<IntPredicate> memberships = flags.stream().<IntPredicate>map(f -> p -> f.contains(dataset, p)).toList();
                String folder = ctx.datasetFolder(r.account(), dataset);
                try (InputStream people = ctx.blobs.open(folder + Keys.PEOPLE);
                     InputStream traits = attributes.isEmpty() ? null : ctx.blobs.open(folder + Keys.TRAITS)) {
                    out.writeDataset(people, traits, e.getValue(), assignments, memberships);
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
            for (int i = 0; i < spec.payloadCohortIds().size(); i++) {
                String column = ScopeOutput.cohortColumn(spec.payloadCohortIds().get(i));
                payloadColumns.addObject().put("name", column).put("human_name", cohortNames.get(i) + " member");
                identified.addObject().put("scope_col", column).put("output_col", column);
            }
            for (String a : attributes) {
                payloadColumns.addObject().put("name", a).put("human_name", TraitWords.readable(a));
                identified.addObject().put("scope_col", a).put("output_col", a);
            }
        });
    }

    /**
     * {@code population.cohort_ids: []}: every person of every dataset of the account that has a built output (people
     * are per dataset, so this is each dataset's people.csv, all of it).
     */
    private void everyone(String account, Members population) {
        for (Stored ds : ctx.resources.list(account, ResourceType.DATASETS)) {
            if (!ds.internal().hasNonNull(DatasetBuild.OUTPUT)) continue;
            int people = ctx.readJson(ctx.datasetFolder(account, ds.id()) + Keys.MANIFEST, DatasetManifest.class).people();
            population.addDataset(ds.id(), people);
        }
    }

    /**
     * Each attribute is a trait of at least one of the population's datasets, when it has people (a person's value
     * comes from their own dataset; people of a dataset without the trait get an empty cell), and its column's name is
     * not another column's.
     */
    private void checkAttributes(String account, Set<String> datasets, List<String> attributes, List<String> columns) {
        if (attributes.isEmpty()) return;
        Set<String> have = new TreeSet<>();
        for (String ds : datasets) have.addAll(TraitNames.traits(ctx.traitColumns(account, ds)));
        for (String a : attributes) {
            if (columns.contains(a)) {
                throw Problem.invalid("payload.attributes '" + Limits.excerpt(a) + "' would be a second '"
                        + Limits.excerpt(a) + "' column of the scope (an identity or payload column has that name)");
            }
        }
        List<String> missing = attributes.stream().filter(a -> !have.contains(a)).toList();
        if (!missing.isEmpty() && !datasets.isEmpty()) {
            throw Problem.invalid("payload.attributes names " + missing.stream().map(a -> "'" + Limits.excerpt(a) + "'")
                    .collect(Collectors.joining(", ")) + ", which the population's datasets do not have (their traits: "
                    + String.join(", ", have) + ")");
        }
    }
}
