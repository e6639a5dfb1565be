package personae.core.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Limits;
import personae.core.Problem;
import personae.core.cohort.Members;
import personae.core.people.AccountPeople;
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
import java.util.BitSet;
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
        // the population is people, each once, however many datasets hold them (people/AccountPeople)
        AccountPeople people = ctx.accountPeople(r.account());
        BitSet persons = new BitSet();
        if (spec.everyone()) persons.set(0, people.people());
        for (String c : spec.cohortIds()) persons.or(people.persons(ctx.readMembers(r.account(), c)));
        for (String c : spec.exclusionCohortIds()) persons.andNot(people.persons(ctx.readMembers(r.account(), c)));
        // privacy "suppress": a person with a record in a dataset whose people are never output is not output
        // (privacy "delete": the dataset is not among the account's people at all; DatasetSpec.isOutput, isModelled)
        boolean[] hidden = new boolean[people.datasets().size()];
        for (int d = 0; d < hidden.length; d++) {
            hidden[d] = !DatasetSpec.isOutput(ctx.resources.require(r.account(), ResourceType.DATASETS,
                    people.datasets().get(d)).doc());
        }
        for (int p = persons.nextSetBit(0); p >= 0; p = persons.nextSetBit(p + 1)) {
            int person = p;
            people.records(p, (d, id) -> {
                if (hidden[d]) persons.clear(person);
            });
        }
        long[] held = people.recordsPerDataset(persons); // before the preview's cap: the same checks either way
        Set<String> populationDatasets = new TreeSet<>();
        for (int d = 0; d < held.length; d++) if (held[d] > 0) populationDatasets.add(people.datasets().get(d));
        Members population = people.firstRecords(persons);
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
        List<BitSet> flags = new ArrayList<>();
        List<String> cohortNames = new ArrayList<>();
        for (String id : spec.payloadCohortIds()) {
            cohortNames.add(ctx.resources.require(r.account(), ResourceType.COHORTS, id).name());
            flags.add(people.persons(ctx.readMembers(r.account(), id)));
        }
        List<String> identityColumns = ctx.identityColumns(r.account(), populationDatasets);
        List<String> attributes = spec.attributes();
        checkAttributes(r.account(), populationDatasets, attributes,
                ScopeOutput.header(identityColumns, payload, spec.payloadCohortIds(), List.of()));
        // every persona set assigns every person, from the traits of all their records
        List<int[]> assigned = new ArrayList<>();
        for (PersonaModel m : models) assigned.add(m.assignAll(ctx.readFeatures(r.account(), people, byDataset, m.features())));
        long rows;
        try (OutputStream os = ctx.blobs.create(Keys.scopeOutput(r.account(), r.id()));
             ScopeOutput out = new ScopeOutput(identityColumns, payload, spec.payloadCohortIds(), attributes, os)) {
            int offset = 0;
            for (var e : byDataset.entrySet()) {
                String dataset = e.getKey();
                int[] ids = e.getValue();
                List<int[]> assignments = new ArrayList<>();
                for (int[] a : assigned) assignments.add(java.util.Arrays.copyOfRange(a, offset, offset + ids.length));
                offset += ids.length;
                List<IntPredicate> memberships = flags.stream()
                        .<IntPredicate>map(f -> p -> f.get(people.person(dataset, p))).toList();
                ScopeOutput.Linked linked = linked(r.account(), people, dataset, ids, identityColumns, attributes);
                String folder = ctx.datasetFolder(r.account(), dataset);
                try (InputStream peopleCsv = ctx.blobs.open(folder + Keys.PEOPLE);
                     InputStream traits = attributes.isEmpty() ? null : ctx.blobs.open(folder + Keys.TRAITS)) {
                    out.writeDataset(peopleCsv, traits, ids, assignments, memberships, linked);
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
     * The identity fields and attributes of one dataset's rows (people given by their first record) from their
     * records in the account's other datasets, in dataset id order, for the cells their own record leaves empty.
     */
    private ScopeOutput.Linked linked(String account, AccountPeople people, String dataset, int[] ids,
                                      List<String> identityColumns, List<String> attributes) {
        String[][] identity = new String[identityColumns.size()][];
        String[][] attribute = new String[attributes.size()][];
        for (String other : people.datasets()) {
            if (other.equals(dataset)) continue;
            long[] pairs = people.rowsIn(Map.of(dataset, ids), other, false);
            if (pairs.length == 0) continue;
            String folder = ctx.datasetFolder(account, other);
            fill(folder + Keys.PEOPLE, identityColumns, pairs, ids.length, identity);
            if (!attributes.isEmpty()) fill(folder + Keys.TRAITS, attributes, pairs, ids.length, attribute);
        }
        return new ScopeOutput.Linked() {
            @Override
            public String identity(int row, int column) {
                return identity[column] == null ? null : identity[column][row];
            }

            @Override
            public String attribute(int row, int a) {
                return attribute[a] == null ? null : attribute[a][row];
            }
        };
    }

    /**
     * Fills each row's empty cells of {@code cells} (per column, allocated when first filled) from the named columns
     * of a per-person file (people.csv, traits.csv: person_id first, ascending), at the rows {@code pairs} say
     * ({@link AccountPeople#rowsIn}).
     */
    private void fill(String key, List<String> names, long[] pairs, int rows, String[][] cells) {
        try (InputStream in = ctx.blobs.open(key); org.apache.commons.csv.CSVParser p = personae.core.util.Csv.read(in)) {
            int[] col = names.stream().mapToInt(c -> p.getHeaderMap().getOrDefault(c, -1)).toArray();
            int next = 0;
            for (org.apache.commons.csv.CSVRecord rec : p) {
                if (next >= pairs.length) break;
                int id = Integer.parseInt(rec.get(0));
                while (next < pairs.length && AccountPeople.idOf(pairs[next]) < id) next++;
                while (next < pairs.length && AccountPeople.idOf(pairs[next]) == id) {
                    int row = AccountPeople.rowOf(pairs[next++]);
                    for (int c = 0; c < col.length; c++) {
                        if (col[c] < 0 || rec.get(col[c]).isEmpty()) continue;
                        if (cells[c] == null) cells[c] = new String[rows];
                        if (cells[c][row] == null) cells[c][row] = rec.get(col[c]);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
