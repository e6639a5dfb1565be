package personae.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Makes a persistent S3Mock store that a kill interrupted loadable again, before S3Mock starts on it.
 *
 * <p>Why: S3Mock 5.2 rewrites its JSON files in place (truncate, then write). A bucket's {@code bucketMetadata.json}
 * holds its whole key-to-object map and is rewritten at every put and delete, and an object's
 * {@code objectMetadata.json} is written after its {@code binaryData}. A {@code kill -9} (or a power cut) in the middle
 * of either leaves a file cut short, and S3Mock then answers every request on that bucket with a 500, forever.
 *
 * <p>What it does, per bucket folder: an object folder whose metadata does not parse, or whose data file is missing or
 * not the size its metadata says, was being written at the kill; its files are moved, not deleted, to
 * {@value #DAMAGED}{@code /<bucket>/<id>} beside the store root, and its key leaves the map. A key map that does not
 * parse is rebuilt from the complete objects' own metadata (each names its key), so every object whose write finished
 * is found again. Every file this class writes is written to a temporary file and moved into place. Only the layout
 * of an unversioned bucket is understood (Personae's bucket is one); an object folder of any other layout is left as
 * it is.
 */
public final class S3StoreRepair {

    /** The folder, beside the store root, that damaged objects are moved to. */
    public static final String DAMAGED = "s3-damaged";
    static final String BUCKET_META = "bucketMetadata.json";
    static final String OBJECT_META = "objectMetadata.json";
    static final String DATA = "binaryData";

    private static final Logger LOG = Logger.getLogger(S3StoreRepair.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private S3StoreRepair() {
    }

    /** What one repair did: the object ids set aside and the buckets whose key map was rebuilt or corrected. */
    public record Report(List<String> damagedObjects, List<String> rewrittenBuckets) {
        public boolean changedAnything() {
            return !damagedObjects.isEmpty() || !rewrittenBuckets.isEmpty();
        }
    }

    /** Repairs the store under {@code root} (S3Mock's store root); a missing root is an empty store. */
    public static Report repair(Path root) {
        List<String> damaged = new ArrayList<>();
        List<String> rewritten = new ArrayList<>();
        if (!Files.isDirectory(root)) return new Report(damaged, rewritten);
        try (Stream<Path> buckets = Files.list(root)) {
            for (Path bucket : buckets.filter(p -> Files.isRegularFile(p.resolve(BUCKET_META))).sorted().toList()) {
                repairBucket(root, bucket, damaged, rewritten);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not check the S3 store under " + root, e);
        }
        Report report = new Report(damaged, rewritten);
        if (report.changedAnything()) {
            LOG.warning(() -> "the S3 store was left half-written by an earlier stop: set aside " + damaged.size()
                    + " object(s) under " + root.resolveSibling(DAMAGED) + ", rewrote the key map of " + rewritten);
        }
        return report;
    }

    private static void repairBucket(Path root, Path bucket, List<String> damaged, List<String> rewritten) throws IOException {
        String name = bucket.getFileName().toString();
        Map<String, String> complete = new LinkedHashMap<>(); // key -> object id
        Map<String, Long> modified = new LinkedHashMap<>();
        List<String> setAside = new ArrayList<>();
        try (Stream<Path> objects = Files.list(bucket)) {
            for (Path object : objects.filter(Files::isDirectory).filter(S3StoreRepair::isObjectId).sorted().toList()) {
                String id = object.getFileName().toString();
                ObjectNode meta = completeObject(object);
                if (meta != null) {
                    String key = meta.path("key").asText();
                    long at = meta.path("lastModified").asLong(0);
                    if (!complete.containsKey(key) || at > modified.get(key)) { complete.put(key, id); modified.put(key, at); }
                } else if (isUnversionedObject(object)) {
                    Path target = root.resolveSibling(DAMAGED).resolve(name).resolve(id);
                    Files.createDirectories(target.getParent());
                    Files.move(object, target, StandardCopyOption.REPLACE_EXISTING);
                    setAside.add(id);
                }
            }
        }
        damaged.addAll(setAside);

        Path metaFile = bucket.resolve(BUCKET_META);
        ObjectNode meta = parse(metaFile);
        if (meta == null) {
            writeAtomically(metaFile, rebuiltBucket(bucket, complete));
            rewritten.add(name);
            return;
        }
        JsonNode objects = meta.path("objects");
        if (!objects.isObject() || setAside.isEmpty()) return;
        boolean changed = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = ((ObjectNode) objects).fields(); it.hasNext(); ) {
            String id = it.next().getValue().asText();
            if (!Files.isDirectory(bucket.resolve(id))) { it.remove(); changed = true; }
        }
        if (changed) {
            writeAtomically(metaFile, meta);
            rewritten.add(name);
        }
    }

    /** An object folder's metadata when it parses, names its key, and its data file is the size it says; else null. */
    private static ObjectNode completeObject(Path object) {
        ObjectNode meta = parse(object.resolve(OBJECT_META));
        if (meta == null || !meta.path("key").isTextual()) return null;
        Path data = object.resolve(DATA);
        try {
            return Files.isRegularFile(data) && Files.size(data) == meta.path("size").asLong(-1) ? meta : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Only data and metadata files (or neither): the layout this class understands. */
    private static boolean isUnversionedObject(Path object) {
        try (Stream<Path> files = Files.list(object)) {
            return files.map(p -> p.getFileName().toString()).allMatch(f -> f.equals(OBJECT_META) || f.equals(DATA));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isObjectId(Path folder) {
        try {
            UUID.fromString(folder.getFileName().toString());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The bucket's metadata in S3Mock 5.2's shape (an unversioned, owner-enforced bucket), with the complete objects. */
    private static ObjectNode rebuiltBucket(Path bucket, Map<String, String> objects) {
        ObjectNode meta = JSON.createObjectNode();
        meta.put("name", bucket.getFileName().toString());
        meta.put("creationDate", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        ObjectNode versioning = meta.putObject("versioningConfiguration");
        versioning.putNull("MfaDelete");
        versioning.putNull("Status");
        meta.putNull("objectLockConfiguration");
        meta.putNull("bucketLifecycleConfiguration");
        meta.put("objectOwnership", "BucketOwnerEnforced");
        meta.put("path", bucket.toAbsolutePath().toUri().toString());
        meta.put("bucketRegion", "us-east-1");
        meta.putNull("bucketInfo");
        meta.putNull("locationInfo");
        ObjectNode keys = meta.putObject("objects");
        objects.forEach(keys::put);
        return meta;
    }

    private static ObjectNode parse(Path file) {
        try {
            return Files.isRegularFile(file) && JSON.readTree(file.toFile()) instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null; // cut short or otherwise not JSON
        }
    }

    private static void writeAtomically(Path file, JsonNode value) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), value);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
