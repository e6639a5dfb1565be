package personae.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Problem;
import personae.core.ingest.CsvFiles;
import personae.core.ingest.DatasetIngestor;
import personae.core.ingest.DatasetManifest;
import personae.core.ingest.DatasetSpec;
import personae.core.port.BlobStore.BlobInfo;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources.Stored;
import personae.core.trait.TraitEnricher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * A dataset's build: IngestDataset, then EnrichTraits, into a new build folder that {@link Lifecycle#markReady}
 * switches the dataset to ({@link #publish}); a failed build's folder is discarded.
 */
final class DatasetBuild implements Lifecycle.Hooks {

    /** In a dataset's internal state: the build folder being written, the current one and the one before it. */
    static final String BUILDING = "building";
    static final String OUTPUT = "output";
    static final String PREVIOUS = "previous_output";

    /** The dataset's read-only count of dropped rows per reason (Personae's extension). */
    static final String ROWS_DROPPED = "rows_dropped";

    private final BuildContext ctx;

    DatasetBuild(BuildContext ctx) {
        this.ctx = ctx;
    }

    /** Ingestion and identity resolution: the upload directory's files -> people, stream events, first-party traits. */
    void ingest(BuildRequest r) {
        Stored ds = ctx.running(r);
        DatasetSpec spec = DatasetSpec.KIND.parse(ds.doc());
        // oldest first: with upsert_columns the newest row of a key wins, and an incremental_column's high-water
        // mark grows file by file
        List<BlobInfo> files = ctx.blobs.list(Keys.uploadDirectory(r.account(), spec.uploadDirectory())).stream()
                .filter(b -> CsvFiles.isReadable(b.key()))
                .sorted(Comparator.comparing(BlobInfo::lastModified).thenComparing(BlobInfo::key)).toList();
        if (files.isEmpty()) {
            throw Problem.invalid("upload directory '" + spec.uploadDirectory() + "' has no CSV files yet: "
                    + "upload one (POST /v1/uploads/" + spec.uploadDirectory() + "/{file}.csv) and the dataset rebuilds");
        }
        List<BlobInfo> all = files;
        if (spec.replaceAll()) {
            files = List.of(files.stream().max(Comparator.comparing(BlobInfo::lastModified)
                    .thenComparing(BlobInfo::key)).orElseThrow());
        }
        // a new folder per build: readers keep the last good one until MarkReady switches
        String build = Instant.now(ctx.services.clock()).toString().replaceAll("[^0-9]", "")
                + "-" + UUID.randomUUID().toString().substring(0, 8);
        String abandoned = ds.internal().path(BUILDING).asText(null); // a retried or interrupted attempt's files
        if (abandoned != null) ctx.blobs.deleteAll(Keys.datasetBuild(r.account(), r.id(), abandoned));
        ctx.resources.update(r.account(), ResourceType.DATASETS, r.id(), s -> s.internal().put(BUILDING, build));
        String folder = Keys.datasetBuild(r.account(), r.id(), build);
        String uploads = Keys.uploads(r.account());
        Incremental incremental = Incremental.of(ds.internal(), spec);
        List<BlobInfo> read = files;
        List<DatasetIngestor.SourceFile> sources = files.stream().map(b -> new DatasetIngestor.SourceFile(
                b.key().substring(uploads.length()), () -> ctx.blobs.open(b.key()), incremental.floorOf(b))).toList();
        if (spec.allColumnsExcept() != null) {
            BlobInfo first = files.get(0);
            spec = spec.withHeader(CsvFiles.header(first.key().substring(uploads.length()),
                    CsvFiles.decoded(first.key(), ctx.blobs.open(first.key())), spec.delimiter(), spec.headerRow()));
        }
        DatasetSpec ingested = spec;
        boolean referenceTable = spec.referenceTable() != null;
        DatasetIngestor ingestor = new DatasetIngestor(spec, name -> ctx.blobs.create(folder + name));
        if (!referenceTable) ingestor.joining(ctx.referenceTables(r.account()));
        DatasetIngestor.Result result = ingestor.ingest(sources);
        if (result.manifest().people() == 0 && !spec.preview() && !referenceTable) throw nobodyIdentified(spec, result);
        if (referenceTable && ingestor.referenceKeys() == 0) {
            throw Problem.invalid("none of the " + result.rowCount() + " rows has a " + spec.referenceTable().by()
                    + " in column '" + spec.referenceTable().column() + "' (reference_table.column)");
        }
        int keys = ingestor.referenceKeys();
        ctx.writeJson(folder + Keys.MANIFEST, result.manifest());
        ctx.resources.update(r.account(), ResourceType.DATASETS, r.id(), s -> {
            ObjectNode d = s.doc();
            if (ingested.incrementalColumn() != null) incremental.record(s.internal(), read, result.highWater());
            s.internal().put(ScheduledRefresh.INPUT_FILES, ScheduledRefresh.fingerprint(all));
            if (ingested.preview()) {
                // column detection only: no counts of an ingestion that did not happen
                d.remove(List.of("row_count", "identified_count", ROWS_DROPPED));
            } else {
                d.put("row_count", result.rowCount());
                if (referenceTable) d.put(REFERENCE_KEYS, keys);
                else d.put("identified_count", result.manifest().people());
                // Personae's extension: every row read and not kept, under the one reason it was dropped
                d.putObject(ROWS_DROPPED).put("duplicate", result.duplicateRows())
                        .put("superseded", result.supersededRows())
                        .put("not_newer_than_last_ingestion", result.olderRows())
                        .put("no_identity", result.unidentifiedRows());
            }
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
            u.put("datetime", ctx.resources.now());
            u.put("rows_added", ingested.preview() ? 0 : result.keptRows());
            while (updates.size() > 50) updates.remove(0);
        });
    }

    /**
     * The {@code incremental_column} bookkeeping, in the dataset's internal state: each file's high-water mark as it
     * stood when the file was first ingested (by name and upload time: a file uploaded again is new), and the mark
     * after the last build. Every build re-reads every file, so a file keeps the floor it was first read with.
     */
    record Incremental(ObjectNode floors, double highWater) {
        static final String FILES = "incremental_floors";
        static final String HIGH_WATER = "incremental_high_water";

        static Incremental of(ObjectNode internal, DatasetSpec spec) {
            if (spec.incrementalColumn() == null) return new Incremental(Json.object(), Double.NaN);
            JsonNode floors = internal.path(FILES);
            return new Incremental(floors.isObject() ? ((ObjectNode) floors).deepCopy() : Json.object(),
                    internal.path(HIGH_WATER).asDouble(Double.NaN));
        }

        /** The mark rows of this file must beat: its own, once recorded; for a new file, the last build's. */
        double floorOf(BlobInfo file) {
            JsonNode known = floors.get(ScheduledRefresh.fileVersion(file));
            if (known != null) return known.isNumber() ? known.asDouble() : Double.NaN;
            return highWater;
        }

        void record(ObjectNode internal, List<BlobInfo> files, double newHighWater) {
            ObjectNode next = internal.putObject(FILES);
            for (BlobInfo b : files) {
                double f = floorOf(b);
                if (Double.isNaN(f)) next.putNull(ScheduledRefresh.fileVersion(b));
                else next.put(ScheduledRefresh.fileVersion(b), f);
            }
            double mark = Double.isNaN(highWater) ? newHighWater
                    : Double.isNaN(newHighWater) ? highWater : Math.max(highWater, newHighWater);
            if (Double.isNaN(mark)) internal.remove(HIGH_WATER);
            else internal.put(HIGH_WATER, mark);
        }
    }

    /** A reference table's read-only count of distinct keys (Personae's extension). */
    static final String REFERENCE_KEYS = "reference_key_count";

    /** A dataset whose rows identify nobody is a mapping to fix, not a ready dataset of 0 people. */
    static Problem nobodyIdentified(DatasetSpec spec, DatasetIngestor.Result result) {
        List<String> sets = spec.identitySets().stream().map(s -> "'" + s.name() + "' (" + s.columns().entrySet()
                .stream().map(e -> e.getKey() + ": " + String.join(" + ", e.getValue()))
                .collect(java.util.stream.Collectors.joining(", ")) + ")").toList();
        String rows = "none of the " + result.rowCount() + " rows identifies a person";
        List<String> emails = spec.identitySets().stream().flatMap(s -> s.columns().getOrDefault("email", List.of())
                .stream()).distinct().toList();
        String using = sets.isEmpty() ? "" : " with identity_sets " + String.join(", ", sets);
        if (!spec.referenceKeyColumns().isEmpty()) {
            using += (sets.isEmpty() ? " with" : " or") + " reference_key_columns " + String.join(", ",
                    spec.referenceKeyColumns()) + " (every one of them is empty on every row)";
        }
        String fix = emails.isEmpty()
                ? ": those columns hold no valid email, phone, or name with street and postcode; map the columns that do"
                : ": the email column" + (emails.size() == 1 ? " '" + emails.get(0) + "' holds" : "s " + String.join(", ",
                        emails) + " hold") + " no email addresses (and no other mapped column identifies anyone)";
        return Problem.invalid(rows + using + fix + "; a customer id or other account number is not an email or "
                + "phone: list its column in reference_key_columns (identity_sets may then be {})");
    }

    /** Trait enrichment: behavioural traits per person from the dataset's events, plus first-party traits. */
    void enrich(BuildRequest r) {
        Stored ds = ctx.running(r);
        String build = ds.internal().path(BUILDING).asText(null);
        if (build == null) throw Problem.conflict("dataset " + r.id() + " has no ingestion in progress");
        String folder = Keys.datasetBuild(r.account(), r.id(), build);
        DatasetManifest manifest = ctx.readJson(folder + Keys.MANIFEST, DatasetManifest.class);
        TraitEnricher.TraitColumns columns;
        try (InputStream firstParty = ctx.blobs.open(folder + Keys.FIRST_PARTY_TRAITS);
             OutputStream out = ctx.blobs.create(folder + Keys.TRAITS)) {
            columns = TraitEnricher.enrich(manifest, stream -> ctx.blobs.open(folder + Keys.streamEvents(stream)),
                    firstParty, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.writeJson(folder + Keys.TRAIT_FEATURES, columns);
    }

    /**
     * The dataset now reads from the build just finished; the build before it stays one generation (a reader that
     * started on it can finish), older ones are deleted.
     */
    @Override
    public Runnable beforeReady(BuildRequest r) {
        String[] prune = new String[1];
        ctx.resources.update(r.account(), ResourceType.DATASETS, r.id(), s -> {
            ObjectNode in = s.internal();
            String build = in.path(BUILDING).asText(null);
            if (build == null) return;
            prune[0] = in.path(PREVIOUS).asText(null);
            if (in.hasNonNull(OUTPUT)) in.put(PREVIOUS, in.get(OUTPUT).asText());
            else in.remove(PREVIOUS);
            in.put(OUTPUT, build);
            in.remove(BUILDING);
        });
        return () -> {
            if (prune[0] != null) ctx.blobs.deleteAll(Keys.datasetBuild(r.account(), r.id(), prune[0]));
        };
    }

    /** A failed ingestion's files go; the last good output stays in use. */
    @Override
    public Runnable beforeError(BuildRequest r) {
        String[] build = new String[1];
        ctx.resources.update(r.account(), ResourceType.DATASETS, r.id(), s -> {
            build[0] = s.internal().path(BUILDING).asText(null);
            s.internal().remove(BUILDING);
        });
        return () -> {
            if (build[0] != null) ctx.blobs.deleteAll(Keys.datasetBuild(r.account(), r.id(), build[0]));
        };
    }
}
