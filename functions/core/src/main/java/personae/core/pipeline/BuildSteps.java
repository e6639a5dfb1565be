package personae.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Services;
import personae.core.cohort.CohortBuilder;
import personae.core.cohort.Members;
import personae.core.ingest.DatasetIngestor;
import personae.core.ingest.DatasetManifest;
import personae.core.ingest.DatasetSpec;
import personae.core.ingest.CsvFiles;
import personae.core.persona.Feature;
import personae.core.persona.FeatureTable;
import personae.core.persona.PersonaClustering;
import personae.core.persona.PersonaModel;
import personae.core.persona.PersonaNamer;
import personae.core.port.BlobStore;
import personae.core.port.BlobStore.BlobInfo;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.core.resource.ResourceGraph;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;
import personae.core.resource.Resources.Stored;
import personae.core.resource.Status;
import personae.core.scope.ScopeOutput;
import personae.core.target.TargetCsv;
import personae.core.trait.TraitEnricher;
import personae.core.trait.TraitFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The state machine's steps, one method per Task state of {@code infra/statemachine/personae.asl.json}. Each reads
 * its inputs from the blob store and metadata, writes its outputs, and moves the resource's status. Plain Java: the
 * Lambda handlers (and the local runner) only translate the state's JSON to these calls.
 */
public final class BuildSteps {

    /** Waiting for inputs gives up after this many checks (about an hour at the definition's 2 s wait). */
    public static final int MAX_INPUT_CHECKS = 1800;
    private static final String BUILDING = "building";
    /** In a persona set's internal state: persona id to the name a user gave it. */
    public static final String RENAMED = "renamed_personas";
    private static final String OUTPUT = "output";
    private static final String PREVIOUS = "previous_output";

    /** Scope previews are capped at this many rows. */
    public static final int PREVIEW_ROWS = 1000;
    /** Every persona set is fitted with this seed, so the same data gives the same personas. */
    public static final long CLUSTERING_SEED = 20_240_501L;

    private final Services services;
    private final Resources resources;
    private final ResourceGraph graph;
    private final BlobStore blobs;
    private final Builds builds;

    public BuildSteps(Services services) {
        this.services = services;
        this.resources = services.resources();
        this.graph = new ResourceGraph(resources);
        this.blobs = services.blobs();
        this.builds = new Builds(services);
    }

    /** The outcome of CheckInputs, as the Choice state reads it. */
    public record InputsCheck(String state, String message, int attempts) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("state", state);
            m.put("message", message);
            m.put("attempts", attempts);
            return m;
        }
    }

    /** ready, waiting, failed (message says which input and why) or gone (the resource was deleted). */
    public InputsCheck checkInputs(BuildRequest r, int previousAttempts) {
        int attempts = previousAttempts + 1;
        ResourceType type = type(r);
        var found = resources.find(r.account(), type, r.id());
        if (found.isEmpty()) return new InputsCheck("gone", type.noun() + " " + r.id() + " was deleted", attempts);
        ResourceGraph.Inputs inputs = graph.inputs(found.get());
        if (!inputs.missing().isEmpty()) return new InputsCheck("failed", String.join("; ", inputs.missing()), attempts);
        List<String> waitingFor = new ArrayList<>();
        for (Stored in : inputs.found()) {
            Status st = in.status();
            if (st == Status.ERROR) {
                return new InputsCheck("failed", "input " + in.type().noun() + " '" + in.name() + "' (" + in.id()
                        + ") failed: " + Json.text(in.doc(), "status_error"), attempts);
            }
            if (st != Status.READY) waitingFor.add(in.type().noun() + " '" + in.name() + "' (" + st.wire() + ")");
        }
        if (!waitingFor.isEmpty()) {
            if (attempts >= MAX_INPUT_CHECKS) {
                return new InputsCheck("failed", "gave up waiting for " + String.join(", ", waitingFor), attempts);
            }
            return new InputsCheck("waiting", "waiting for " + String.join(", ", waitingFor), attempts);
        }
        resources.setStatus(r.account(), type, r.id(), Status.STARTING, null);
        return new InputsCheck("ready", "inputs ready", attempts);
    }

    // ---------------------------------------------------------------- datasets

    /** Ingestion and identity resolution: the upload directory's files -> people, stream events, first-party traits. */
    public void ingestDataset(BuildRequest r) {
        Stored ds = running(r);
        DatasetSpec spec = DatasetSpec.fromDocument(ds.doc());
        List<BlobInfo> files = blobs.list(Keys.uploadDirectory(r.account(), spec.uploadDirectory())).stream()
                .filter(b -> CsvFiles.isReadable(b.key())).toList();
        if (files.isEmpty()) {
            throw new IllegalStateException("upload directory '" + spec.uploadDirectory() + "' has no CSV files yet: "
                    + "upload one (POST /v1/uploads/" + spec.uploadDirectory() + "/{file}.csv) and the dataset rebuilds");
        }
        if (spec.replaceAll()) {
            files = List.of(files.stream().max(Comparator.comparing(BlobInfo::lastModified)
                    .thenComparing(BlobInfo::key)).orElseThrow());
        }
        // a new folder per build: readers keep the last good one until MarkReady switches
        String build = Instant.now(services.clock()).toString().replaceAll("[^0-9]", "")
                + "-" + UUID.randomUUID().toString().substring(0, 8);
        String abandoned = ds.internal().path(BUILDING).asText(null); // a retried or interrupted attempt's files
        if (abandoned != null) blobs.deleteAll(Keys.datasetBuild(r.account(), r.id(), abandoned));
        resources.update(r.account(), ResourceType.DATASETS, r.id(), s -> s.internal().put(BUILDING, build));
        String folder = Keys.datasetBuild(r.account(), r.id(), build);
        String uploads = Keys.uploads(r.account());
        List<DatasetIngestor.SourceFile> sources = files.stream().map(b -> new DatasetIngestor.SourceFile(
                b.key().substring(uploads.length()), () -> blobs.open(b.key()))).toList();
        DatasetIngestor.Result result = new DatasetIngestor(spec, name -> blobs.create(folder + name)).ingest(sources);
        writeJson(folder + Keys.MANIFEST, result.manifest());
        resources.update(r.account(), ResourceType.DATASETS, r.id(), s -> {
            ObjectNode d = s.doc();
            d.put("row_count", result.rowCount());
            d.put("identified_count", result.manifest().people());
            ArrayNode cols = d.putArray("detected_columns");
            for (var c : result.detectedColumns()) {
                ObjectNode o = cols.addObject();
                o.put("name", c.name());
                o.put("data_type", c.dataType());
                o.put("is_nullable", c.nullable());
                o.put("fill_rate", Math.round(c.fillRate() * 10_000) / 10_000.0);
            }
            ArrayNode updates = d.has("updates") && d.get("updates").isArray() ? (ArrayNode) d.get("updates") : d.putArray("updates");
            ObjectNode u = updates.addObject();
            u.put("datetime", resources.now());
            u.put("rows_added", result.rowCount());
            while (updates.size() > 50) updates.remove(0);
        });
    }

    /** Trait enrichment: behavioural traits per person from the dataset's events, plus first-party traits. */
    public void enrichTraits(BuildRequest r) {
        Stored ds = running(r);
        String build = ds.internal().path(BUILDING).asText(null);
        if (build == null) throw new IllegalStateException("dataset " + r.id() + " has no ingestion in progress");
        String folder = Keys.datasetBuild(r.account(), r.id(), build);
        DatasetManifest manifest = readJson(folder + Keys.MANIFEST, DatasetManifest.class);
        TraitEnricher.TraitColumns columns;
        try (InputStream firstParty = blobs.open(folder + Keys.FIRST_PARTY_TRAITS);
             OutputStream out = blobs.create(folder + Keys.TRAITS)) {
            columns = TraitEnricher.enrich(manifest, stream -> blobs.open(folder + Keys.streamEvents(stream)),
                    firstParty, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeJson(folder + Keys.TRAIT_FEATURES, columns);
    }

    /**
     * The dataset now reads from the build just finished; the build before it stays one generation (a reader that
     * started on it can finish), older ones are deleted.
     */
    private void publishDatasetBuild(BuildRequest r) {
        String[] prune = new String[1];
        resources.update(r.account(), ResourceType.DATASETS, r.id(), s -> {
            ObjectNode in = s.internal();
            String build = in.path(BUILDING).asText(null);
            if (build == null) return;
            prune[0] = in.path(PREVIOUS).asText(null);
            if (in.hasNonNull(OUTPUT)) in.put(PREVIOUS, in.get(OUTPUT).asText());
            else in.remove(PREVIOUS);
            in.put(OUTPUT, build);
            in.remove(BUILDING);
        });
        if (prune[0] != null) blobs.deleteAll(Keys.datasetBuild(r.account(), r.id(), prune[0]));
    }

    /** The folder of a dataset's current output. */
    private String datasetFolder(String account, String datasetId) {
        Stored ds = resources.require(account, ResourceType.DATASETS, datasetId);
        String output = ds.internal().path(OUTPUT).asText(null);
        if (output == null) throw new IllegalStateException("dataset '" + ds.name() + "' (" + datasetId + ") has no built output yet");
        return Keys.datasetBuild(account, datasetId, output);
    }

    // ---------------------------------------------------------------- cohorts

    /** The cohort's members from every ready dataset that outputs to its stream. */
    public void buildCohort(BuildRequest r) {
        Stored cohort = running(r);
        CohortBuilder.Rules rules = CohortBuilder.Rules.fromDocument(cohort.doc());
        List<CohortBuilder.Source> sources = new ArrayList<>();
        long members;
        try {
            for (Stored ds : graph.datasetsFeeding(r.account(), rules.streamName())) {
                sources.add(new CohortBuilder.Source(ds.id(),
                        blobs.open(datasetFolder(r.account(), ds.id()) + Keys.streamEvents(rules.streamName()))));
            }
            try (OutputStream out = blobs.create(Keys.cohortMembers(r.account(), r.id()))) {
                members = CohortBuilder.build(rules, sources, services.clock().instant(), out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (CohortBuilder.Source s : sources) closeQuietly(s.events());
        }
        resources.update(r.account(), ResourceType.COHORTS, r.id(), s -> s.doc().put("population_count", members));
    }

    // ---------------------------------------------------------------- persona sets

    /** Clustering: the cohort members' traits -> k-means++ (k chosen from the data unless given) -> model.json. */
    public void clusterPersonas(BuildRequest r) {
        Stored set = running(r);
        String cohortId = Json.text(set.doc(), "cohort_id");
        Members members = readMembers(r.account(), cohortId);
        if (members.size() == 0) throw new IllegalStateException("cohort " + cohortId + " has no members to cluster");
        Map<String, int[]> byDataset = members.byDataset();
        LinkedHashSet<Feature> features = new LinkedHashSet<>();
        for (String ds : byDataset.keySet()) features.addAll(traitColumns(r.account(), ds).features());
        List<Feature> featureList = List.copyOf(features);
        if (featureList.isEmpty()) throw new IllegalStateException("the cohort's datasets have no traits to cluster on");
        FeatureTable table = concat(featureList, byDataset.entrySet().stream()
                .map(e -> readFeatures(r.account(), e.getKey(), featureList, e.getValue())).toList());
        JsonNode k = set.doc().get("number_of_clusters");
        Integer clusters = k == null || k.isNull() ? null : k.asInt();
        PersonaModel model = PersonaClustering.fit(table, clusters, CLUSTERING_SEED);
        writeJson(Keys.personaModel(r.account(), r.id()), model);
    }

    /** Naming: each persona named from its most distinctive traits; personas written to the persona set. */
    public void namePersonas(BuildRequest r) {
        running(r);
        PersonaModel model = readJson(Keys.personaModel(r.account(), r.id()), PersonaModel.class);
        List<String> names = PersonaNamer.names(model);
        resources.update(r.account(), ResourceType.PERSONA_SETS, r.id(), s -> {
            JsonNode renamed = s.internal().path(RENAMED); // names users gave (PATCH .../personas/{id}) survive rebuilds
            ArrayNode personas = s.doc().putArray("personas");
            for (int i = 0; i < model.k(); i++) {
                ObjectNode p = personas.addObject();
                p.put("id", personaId(r.id(), i));
                p.put("name", renamed.path(personaId(r.id(), i)).asText(names.get(i)));
                p.put("individuals_count", model.memberCounts().get(i));
                ObjectNode center = p.putObject("details").putObject("center");
                model.centers().get(i).forEach((f, v) -> {
                    if (v == null || v.isNaN()) center.putNull(f);
                    else center.put(f, Math.round(v * 1000) / 1000.0);
                });
                ArrayNode salient = p.putArray("salient_traits");
                PersonaNamer.salientTraits(model, i, 3).forEach(salient::add);
            }
        });
    }

    /** A persona's id: stable for a persona set and persona index, so rebuilds keep ids. */
    public static String personaId(String personaSetId, int index) {
        return UUID.nameUUIDFromBytes((personaSetId + "/persona/" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    // ---------------------------------------------------------------- scopes

    /** Scope materialization: the population's identity fields and persona assignments, into one CSV. */
    public void materializeScope(BuildRequest r) {
        Stored scope = running(r);
        JsonNode d = scope.doc();
        Members population = new Members();
        for (String c : ResourceGraph.strings(d.path("population").path("cohort_ids"))) {
            population.addAll(readMembers(r.account(), c));
        }
        for (String c : ResourceGraph.strings(d.path("population").path("exclusion_cohort_ids"))) {
            population.removeAll(readMembers(r.account(), c));
        }
        if (d.path("preview").asBoolean(false)) population.limit(PREVIEW_ROWS);
        Map<String, int[]> byDataset = population.byDataset();

        List<String> personaSetIds = ResourceGraph.strings(d.path("payload").path("persona_set_ids"));
        List<PersonaModel> models = new ArrayList<>();
        List<ScopeOutput.PersonaSetColumns> payload = new ArrayList<>();
        for (String id : personaSetIds) {
            Stored ps = resources.require(r.account(), ResourceType.PERSONA_SETS, id);
            models.add(readJson(Keys.personaModel(r.account(), id), PersonaModel.class));
            List<String> ids = new ArrayList<>();
            List<String> names = new ArrayList<>();
            ps.doc().path("personas").forEach(p -> {
                ids.add(p.path("id").asText());
                names.add(p.path("name").asText());
            });
            payload.add(new ScopeOutput.PersonaSetColumns(id, ids, names));
        }
        List<String> identityColumns = identityColumns(r.account(), byDataset.keySet());
        long rows;
        try (OutputStream os = blobs.create(Keys.scopeOutput(r.account(), r.id()));
             ScopeOutput out = new ScopeOutput(identityColumns, payload, os)) {
            for (var e : byDataset.entrySet()) {
                List<int[]> assignments = new ArrayList<>();
                for (PersonaModel m : models) {
                    assignments.add(m.assignAll(readFeatures(r.account(), e.getKey(), m.features(), e.getValue())));
                }
                try (InputStream people = blobs.open(datasetFolder(r.account(), e.getKey()) + Keys.PEOPLE)) {
                    out.writeDataset(people, e.getValue(), assignments);
                }
            }
            rows = out.rows();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        resources.update(r.account(), ResourceType.SCOPES, r.id(), s -> {
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
                String setName = resources.require(r.account(), ResourceType.PERSONA_SETS, p.personaSetId()).name();
                payloadColumns.addObject().put("name", p.idColumn()).put("human_name", setName + " persona id");
                payloadColumns.addObject().put("name", p.nameColumn()).put("human_name", setName + " persona name");
                identified.addObject().put("scope_col", p.idColumn()).put("output_col", p.idColumn());
                identified.addObject().put("scope_col", p.nameColumn()).put("output_col", p.nameColumn());
            }
        });
    }

    // ---------------------------------------------------------------- targets

    /** Publishing a hosted CSV: the scope's output, with the target's custom structure and row limit applied. */
    public void publishTarget(BuildRequest r) {
        Stored target = running(r);
        String scopeId = Json.text(target.doc(), "scope_id");
        try (InputStream in = blobs.open(Keys.scopeOutput(r.account(), scopeId));
             OutputStream out = blobs.create(Keys.targetOutput(r.account(), r.id()))) {
            TargetCsv.transform(target.doc(), in, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- end states

    /**
     * Status ready; then every resource built from this one rebuilds, so new data flows all the way to the targets
     * (see {@link Builds}: one build of a resource at a time). A rebuild asked for during this build starts instead.
     */
    public void markReady(BuildRequest r) {
        if (type(r) == ResourceType.DATASETS) publishDatasetBuild(r);
        Optional<Stored> marked = resources.setStatus(r.account(), type(r), r.id(), Status.READY, null);
        if (marked.isEmpty()) blobs.deleteAll(Keys.outputs(type(r), r.account(), r.id())); // deleted while it built
        marked.ifPresent(ready -> {
            // a rebuild asked for during this build starts instead; the dependents follow that one
            if (!builds.startRequestedRebuild(r.account(), type(r), r.id())) builds.rebuildDependents(ready);
        });
    }

    /** Records why the build failed, as {@code status_error}. */
    public void markError(BuildRequest r, String message) {
        if (type(r) == ResourceType.DATASETS) discardDatasetBuild(r);
        if (resources.setStatus(r.account(), type(r), r.id(), Status.ERROR, message).isPresent()) {
            builds.startRequestedRebuild(r.account(), type(r), r.id());
        } else {
            blobs.deleteAll(Keys.outputs(type(r), r.account(), r.id())); // deleted while it built
        }
    }

    /** A failed ingestion's files go; the last good output stays in use. */
    private void discardDatasetBuild(BuildRequest r) {
        String[] build = new String[1];
        resources.update(r.account(), ResourceType.DATASETS, r.id(), s -> {
            build[0] = s.internal().path(BUILDING).asText(null);
            s.internal().remove(BUILDING);
        });
        if (build[0] != null) blobs.deleteAll(Keys.datasetBuild(r.account(), r.id(), build[0]));
    }



    // ---------------------------------------------------------------- helpers

    private Stored running(BuildRequest r) {
        return resources.setStatus(r.account(), type(r), r.id(), Status.RUNNING, null)
                .orElseThrow(() -> new IllegalStateException(type(r).noun() + " " + r.id() + " was deleted"));
    }

    private static ResourceType type(BuildRequest r) {
        return ResourceType.fromWire(r.kind()).filter(ResourceType::isBuilt)
                .orElseThrow(() -> new IllegalArgumentException("not a buildable kind: " + r.kind()));
    }

    private Members readMembers(String account, String cohortId) {
        try (InputStream in = blobs.open(Keys.cohortMembers(account, cohortId))) {
            return Members.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TraitEnricher.TraitColumns traitColumns(String account, String datasetId) {
        return readJson(datasetFolder(account, datasetId) + Keys.TRAIT_FEATURES, TraitEnricher.TraitColumns.class);
    }

    private FeatureTable readFeatures(String account, String datasetId, List<Feature> features, int[] persons) {
        try (InputStream in = blobs.open(datasetFolder(account, datasetId) + Keys.TRAITS)) {
            return TraitFiles.features(in, features, persons);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FeatureTable concat(List<Feature> features, List<FeatureTable> parts) {
        if (parts.size() == 1) return parts.get(0);
        int rows = parts.stream().mapToInt(FeatureTable::rows).sum();
        double[][] cols = new double[features.size()][rows];
        int offset = 0;
        for (FeatureTable t : parts) {
            for (int f = 0; f < features.size(); f++) System.arraycopy(t.columns()[f], 0, cols[f], offset, t.rows());
            offset += t.rows();
        }
        return new FeatureTable(features, cols, rows);
    }

    private List<String> identityColumns(String account, Iterable<String> datasetIds) {
        LinkedHashSet<String> cols = new LinkedHashSet<>();
        for (String ds : datasetIds) {
            cols.addAll(readJson(datasetFolder(account, ds) + Keys.MANIFEST, DatasetManifest.class).identityColumns());
        }
        return personae.core.ingest.Identity.FIELDS.stream().filter(cols::contains).toList();
    }

    private void writeJson(String key, Object value) {
        try (OutputStream out = blobs.create(key)) {
            Json.MAPPER.writeValue(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T readJson(String key, Class<T> type) {
        try (InputStream in = blobs.open(key)) {
            return Json.MAPPER.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
