package personae.core.pipeline;

import personae.core.Problem;
import personae.core.Services;
import personae.core.cohort.Members;
import personae.core.ingest.DatasetSpec;
import personae.core.people.AccountPeople;
import personae.core.ingest.DatasetManifest;
import personae.core.ingest.Identity;
import personae.core.persona.Feature;
import personae.core.persona.FeatureTable;
import personae.core.port.BlobStore;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.core.resource.ResourceGraph;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;
import personae.core.resource.Resources.Stored;
import personae.core.resource.Status;
import personae.core.trait.TraitEnricher;
import personae.core.trait.TraitFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What every build step shares: the services, moving the resource to {@code running}, and reading the outputs of the
 * resources it is built from (a dataset's current build folder, a cohort's members, a persona set's model).
 */
final class BuildContext {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(BuildContext.class.getName());

    final Services services;
    final Resources resources;
    final ResourceGraph graph;
    final BlobStore blobs;

    BuildContext(Services services) {
        this.services = services;
        this.resources = services.resources();
        this.graph = new ResourceGraph(resources);
        this.blobs = services.blobs();
    }

    /** Status running; the resource as stored. */
    Stored running(BuildRequest r) {
        return resources.setStatus(r.account(), type(r), r.id(), Status.RUNNING, null)
                .orElseThrow(() -> Problem.notFound(type(r).noun() + " " + r.id() + " was deleted while it built"));
    }

    static ResourceType type(BuildRequest r) {
        return ResourceType.fromWire(r.kind()).filter(ResourceType::isBuilt)
                .orElseThrow(() -> Problem.invalid("not a kind of resource that builds: " + r.kind()));
    }

    /** The account's built reference tables (ingest/ReferenceTable), in the graph's order. */
    List<Stored> builtReferenceTables(String account) {
        return graph.referenceTables(account).stream()
                .filter(t -> t.status() == personae.core.resource.Status.READY && t.internal().hasNonNull(DatasetBuild.OUTPUT))
                .toList();
    }

    /** The account's built reference tables, as their last builds wrote them. */
    List<personae.core.ingest.ReferenceTable> referenceTables(String account) {
        List<personae.core.ingest.ReferenceTable> out = new java.util.ArrayList<>();
        for (Stored t : builtReferenceTables(account)) {
            try (InputStream in = blobs.open(datasetFolder(account, t.id()) + Keys.REFERENCE_TABLE)) {
                out.add(personae.core.ingest.ReferenceTable.read(in));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return out;
    }

    String datasetFolder(String account, String datasetId) {
        Stored ds = resources.require(account, ResourceType.DATASETS, datasetId);
        String output = ds.internal().path(DatasetBuild.OUTPUT).asText(null);
        if (output == null) {
            throw Problem.conflict("dataset '" + ds.name() + "' (" + datasetId + ") has no built output yet");
        }
        return Keys.datasetBuild(account, datasetId, output);
    }

    /**
     * The datasets whose people are the account's people: built, holding people (not a reference table) and
     * modelled (privacy {@code delete} keeps a dataset's people out of everything), in id order.
     */
    List<Stored> peopleDatasets(String account) {
        return resources.list(account, ResourceType.DATASETS).stream()
                .filter(d -> !personae.core.ingest.ReferenceTable.isReferenceTable(d.doc()) && DatasetSpec.isModelled(d.doc())
                        && d.internal().hasNonNull(DatasetBuild.OUTPUT))
                .sorted(java.util.Comparator.comparing(Stored::id)).toList();
    }

    /**
     * The account's people: the people datasets' records linked by the identity keys they share. A build written
     * before datasets wrote their keys links nobody until it is rebuilt.
     */
    AccountPeople accountPeople(String account) {
        List<AccountPeople.Dataset> in = new ArrayList<>();
        try {
            for (Stored ds : peopleDatasets(account)) {
                String folder = datasetFolder(account, ds.id());
                DatasetManifest manifest = readJson(folder + Keys.MANIFEST, DatasetManifest.class);
                int people = manifest.people();
                InputStream keys = manifest.identityKeys() ? blobs.open(folder + Keys.IDENTITY_KEYS) : null;
                in.add(new AccountPeople.Dataset(ds.id(), people, keys));
            }
            long t0 = System.nanoTime();
            AccountPeople people = AccountPeople.link(in);
            LOG.info(() -> String.format("account %s: linked %,d records of %d datasets into %,d people (%,d keys"
                    + " joined two) in %d ms", account, people.records(), people.datasets().size(), people.people(),
                    people.links(), (System.nanoTime() - t0) / 1_000_000));
            return people;
        } finally {
            for (AccountPeople.Dataset d : in) if (d.keys() != null) closeQuietly(d.keys());
        }
    }

    /**
     * The {@code features} of people given by one record each ({@code byDataset}: rows dataset after dataset, person
     * ids ascending), from every dataset holding a record of theirs: each value from the first dataset (in id order)
     * that has one, so a CRM table's traits join an orders file's. A record of a dataset not linked in {@code people}
     * has only its own dataset's values.
     */
    FeatureTable readFeatures(String account, AccountPeople people, Map<String, int[]> byDataset, List<Feature> features) {
        int rows = byDataset.values().stream().mapToInt(a -> a.length).sum();
        double[][] columns = new double[features.size()][rows];
        for (double[] c : columns) java.util.Arrays.fill(c, Double.NaN);
        java.util.TreeSet<String> datasets = new java.util.TreeSet<>(people.datasets());
        datasets.addAll(byDataset.keySet());
        for (String ds : datasets) {
            long[] pairs = people.rowsIn(byDataset, ds, true);
            if (pairs.length == 0) continue; // no row has a record there: its traits.json is not read
            java.util.Set<String> has = new java.util.HashSet<>();
            traitColumns(account, ds).features().forEach(f -> has.add(f.name()));
            if (features.stream().noneMatch(f -> has.contains(f.name()))) continue;
            int[] ids = java.util.Arrays.stream(pairs).mapToInt(AccountPeople::idOf).distinct().toArray();
            FeatureTable part = readFeatures(account, ds, features, ids);
            for (int i = 0, u = -1; i < pairs.length; i++) {
                if (u < 0 || ids[u] != AccountPeople.idOf(pairs[i])) u++;
                int row = AccountPeople.rowOf(pairs[i]);
                for (int f = 0; f < columns.length; f++) {
                    if (Double.isNaN(columns[f][row])) columns[f][row] = part.columns()[f][u];
                }
            }
        }
        return new FeatureTable(features, columns, rows);
    }

    Members readMembers(String account, String cohortId) {
        try (InputStream in = blobs.open(Keys.cohortMembers(account, cohortId))) {
            return Members.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TraitEnricher.TraitColumns traitColumns(String account, String datasetId) {
        return readJson(datasetFolder(account, datasetId) + Keys.TRAIT_FEATURES, TraitEnricher.TraitColumns.class);
    }

    FeatureTable readFeatures(String account, String datasetId, List<Feature> features, int[] persons) {
        try (InputStream in = blobs.open(datasetFolder(account, datasetId) + Keys.TRAITS)) {
            return TraitFiles.features(in, features, persons);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stream's events in a dataset's current output, when the dataset writes that stream. */
    java.util.Optional<InputStream> readEvents(String account, String datasetId, String stream) {
        String folder = datasetFolder(account, datasetId);
        if (!readJson(folder + Keys.MANIFEST, DatasetManifest.class).streams().containsKey(stream)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(blobs.open(folder + Keys.streamEvents(stream)));
    }

    /**
     * The identity columns the datasets' people have: the IdentitySet keys in the reference's order, then the datasets'
     * reference key columns (named as in the dataset) in the order the datasets list them.
     */
    List<String> identityColumns(String account, Iterable<String> datasetIds) {
        LinkedHashSet<String> cols = new LinkedHashSet<>();
        for (String ds : datasetIds) {
            cols.addAll(readJson(datasetFolder(account, ds) + Keys.MANIFEST, DatasetManifest.class).identityColumns());
        }
        List<String> out = new java.util.ArrayList<>(Identity.FIELDS.stream().filter(cols::contains).toList());
        cols.stream().filter(c -> !Identity.FIELDS.contains(c)).forEach(out::add);
        return out;
    }

    void writeJson(String key, Object value) {
        try (OutputStream out = blobs.create(key)) {
            Json.MAPPER.writeValue(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T> T readJson(String key, Class<T> type) {
        try (InputStream in = blobs.open(key)) {
            return Json.MAPPER.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
