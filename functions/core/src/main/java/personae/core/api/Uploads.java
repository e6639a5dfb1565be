package personae.core.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Limits;
import personae.core.Problem;
import personae.core.Services;
import personae.core.api.Router.Call;
import personae.core.ingest.CsvFiles;
import personae.core.ingest.CsvProblem;
import personae.core.pipeline.Keys;
import personae.core.port.BlobStore;
import personae.core.pipeline.Builds;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;
import personae.core.resource.Resources.Stored;
import personae.core.resource.Status;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * Uploads: files stream to the blob store as they arrive (any size), with their MD5 and size recorded as metadata.
 * CSV files are checked while they stream; a malformed file is kept (nothing the user sent is lost) and answered with a
 * 400 naming the line and column. Every dataset reading the directory rebuilds.
 *
 * <p>Concurrent uploads of one path: each streams to a version key of its own ({@link Keys#uploadVersion}), then
 * writes the record (size, MD5, version; the record's optimistic concurrency orders the writers), then copies the
 * version the record names to the upload key the datasets read ({@link #publish}), and deletes the version it
 * superseded. {@code GET} reads the version the record names, so the listed size and MD5 always describe the bytes it
 * returns; when the uploads end, the upload key holds them too. S3 has no rename, hence the copy.
 */
public final class Uploads {

    private final Services services;
    private final Resources resources;
    private final Builds builds;

    public Uploads(Services services) {
        this.services = services;
        this.resources = services.resources();
        this.builds = new Builds(services);
    }

    ApiResponse list(Call c) {
        return PersonaeApi.ok(resources.list(c.account(), ResourceType.UPLOADS).stream().map(this::view).toList());
    }

    ApiResponse upload(Call c) throws IOException {
        String dir = c.param("directory");
        String file = c.param("filename");
        checkPath(dir, file);
        long limit = services.settings().uploadBodyLimit();
        String length = c.request().header("content-length");
        if (limit >= 0 && length != null && contentLength(length) > limit) {
            throw new ApiError(413, "BAD_REQUEST", "The file is " + contentLength(length) + " bytes; the API accepts uploads up to "
                    + limit + " bytes. Copy larger files into the upload folder instead: "
                    + services.settings().dropFolder() + c.account() + "/" + dir + "/" + file
                    + " (for example with 'aws s3 cp'); they are ingested the same way.");
        }
        // the bytes go to a key of their own first: concurrent uploads of one path never mix, and a failed one
        // leaves nothing any dataset reads
        String version = Keys.uploadVersion(c.account(), UUID.randomUUID().toString());
        BlobStore.Writer out = services.blobs().create(version);
        long[] size = new long[1];
        Scanned scanned;
        try {
            scanned = scan(c.account(), dir, file, c.request().body(), out, size);
        } catch (IOException | UncheckedIOException e) {
            out.abort(); // a broken transfer never replaces the file
            throw ApiError.badRequest("The upload of " + dir + "/" + file + " was interrupted after " + size[0]
                    + " bytes (the connection closed or the body ended early); nothing was stored, send the file again");
        } catch (RuntimeException e) {
            out.abort();
            throw e;
        }
        out.close();
        String previous;
        try {
            previous = record(c.account(), dir, file, scanned, version);
        } catch (RuntimeException e) {
            services.blobs().delete(version);
            throw e;
        }
        publish(c.account(), dir, file);
        if (previous != null && !previous.equals(version)) services.blobs().delete(previous);
        rebuildDatasetsOn(c.account(), dir);
        if (scanned.problem() != null) {
            throw ApiError.badRequest("The file was stored as " + dir + "/" + file + " (" + scanned.size() + " bytes) "
                    + "but is not valid CSV, so datasets reading it will fail until it is replaced: "
                    + scanned.problem().getMessage());
        }
        return ApiResponse.empty(200);
    }

    /**
     * Makes the file datasets read ({@code uploads/...}) the version the record names. Every upload of the path runs
     * this after its record write, and stops only when the record still names the version it just copied, so when
     * concurrent uploads end, the last record written and the object agree, whatever order their copies landed in.
     */
    private void publish(String account, String dir, String file) {
        String subpath = dir + "/" + file;
        String target = Keys.upload(account, dir, file);
        String copied = null;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            Stored s = resources.find(account, ResourceType.UPLOADS, subpath).orElse(null);
            String latest = s == null ? null : versionOf(s);
            if (latest == null || latest.equals(copied)) return; // deleted, registered from the drop folder, or done
            try {
                services.blobs().copy(latest, target);
                copied = latest;
            } catch (BlobStore.NotFoundException superseded) {
                copied = null; // a newer upload replaced it and deleted it meanwhile: look again
            }
        }
        throw Problem.conflict("the file " + subpath + " is being uploaded by many requests at the same time; retry");
    }

    /** The key of the version an upload record names, or null (a drop-folder file: the upload key itself). */
    private static String versionOf(Stored s) {
        return Json.text(s.doc().path(Resources.INTERNAL), "object");
    }

    /**
     * Registers a file that arrived in the upload folder directly (the S3 drop folder): records its size and MD5 and
     * rebuilds the datasets reading its directory. Returns the CSV problem, if any, without throwing.
     */
    public String register(String account, String dir, String file) {
        Scanned scanned;
        try {
            scanned = scan(account, dir, file, services.blobs().open(Keys.upload(account, dir, file)),
                    OutputStream.nullOutputStream(), new long[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String previous = record(account, dir, file, scanned, null);
        if (previous != null) services.blobs().delete(previous);
        rebuildDatasetsOn(account, dir);
        return scanned.problem() == null ? null : scanned.problem().getMessage();
    }

    ApiResponse download(Call c) {
        String subpath = c.param("directory") + "/" + c.param("filename");
        String key = Keys.upload(c.account(), c.param("directory"), c.param("filename"));
        for (int attempt = 0; attempt < 5; attempt++) {
            Stored s = resources.require(c.account(), ResourceType.UPLOADS, subpath);
            String version = versionOf(s);
            InputStream in;
            try {
                in = services.blobs().open(version != null ? version : key); // opened here: a missing file is an error, not an empty 200
            } catch (BlobStore.NotFoundException e) {
                if (version != null) continue; // replaced by a newer upload just now: read the record again
                break;
            }
            return new ApiResponse(200, Map.of("Content-Type", "application/octet-stream"), out -> {
                try (in) {
                    in.transferTo(out);
                }
            });
        }
        throw Problem.conflict("The file " + subpath + " is listed but its bytes are missing from storage; upload it"
                + " again (POST /v1/uploads/" + subpath + ") or remove it (DELETE)");
    }

    ApiResponse delete(Call c) {
        String subpath = c.param("directory") + "/" + c.param("filename");
        Stored s = resources.require(c.account(), ResourceType.UPLOADS, subpath);
        services.blobs().delete(Keys.upload(c.account(), c.param("directory"), c.param("filename")));
        String version = versionOf(s);
        if (version != null) services.blobs().delete(version);
        resources.delete(s);
        return ApiResponse.empty(204);
    }

    private static long contentLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("Content-Length '" + Limits.excerpt(header) + "' is not a number");
        }
    }

    /**
     * The directory and file name, checked before anything is stored: the reference's patterns, the lengths of
     * {@link Limits}, and a format Personae can read (.csv, .txt, .csv.gz, .txt.gz): the reference also allows
     * .bz2, .gpg and .pgp, but nothing here reads them, so they would be stored and never used.
     */
    private static void checkPath(String dir, String file) {
        Validation v = new Validation();
        if (dir.length() > Limits.MAX_DIRECTORY_CHARS) {
            v.fail("/directory", "must be at most " + Limits.MAX_DIRECTORY_CHARS + " characters (got " + dir.length()
                    + ")", "maxLength");
        } else if (!Specs.DIRECTORY.matcher(dir).matches()) {
            v.fail("/directory", "must match ^[A-Za-z0-9_][-A-Za-z0-9_]*$ (got '" + Limits.excerpt(dir) + "')", "pattern");
        }
        if (file.length() > Limits.MAX_FILENAME_CHARS) {
            v.fail("/filename", "must be at most " + Limits.MAX_FILENAME_CHARS + " characters (got " + file.length()
                    + ")", "maxLength");
        } else if (!Specs.FILENAME.matcher(file).matches()) {
            v.fail("/filename", "must be letters, digits, - _ . ending in .csv, .txt, .csv.gz or .txt.gz (got '"
                    + Limits.excerpt(file) + "')", "pattern");
        } else if (!CsvFiles.isReadable(file)) {
            v.fail("/filename", "Personae reads .csv, .txt, .csv.gz and .txt.gz files; '" + Limits.excerpt(file)
                    + "' would be stored but never read (bzip2 and encrypted uploads are not supported)", "pattern");
        }
        v.throwIfFailed();
    }

    /** Reads the whole file as CSV with the delimiter of a dataset on this directory (or the sniffed one). */
    private CsvProblem check(String account, String dir, String file, InputStream in) throws IOException {
        if (!CsvFiles.isReadable(file)) return null;
        Stored dataset = resources.list(account, ResourceType.DATASETS).stream()
                .filter(d -> dir.equals(Json.text(d.doc().path("options"), "upload_directory"))).findFirst().orElse(null);
        String headerRow = dataset == null ? null : Json.text(dataset.doc().path("options"), "header_row");
        String delimiter = dataset == null ? null : Json.text(dataset.doc().path("options"), "delimiter");
        // the parser closes what it reads; the caller still drains the rest of the stream afterwards
        InputStream shielded = new FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
        InputStream b = CsvFiles.decoded(dir + "/" + file, shielded);
        char d = delimiter != null && !delimiter.isEmpty() ? delimiter.charAt(0) : CsvFiles.SNIFF;
        try {
            CsvFiles.read(dir + "/" + file, b, d, headerRow, h -> { }, r -> { });
            return null;
        } catch (CsvProblem p) {
            return p;
        }
    }

    /** A file read once to the end: its size, MD5 (hex) and, for CSV, the first problem found. */
    private record Scanned(long size, String md5, CsvProblem problem) {}

    /**
     * Reads {@code in} to the end, copying every byte to {@code copy}, while it digests and checks it; {@code size}
     * counts the bytes as they pass (so a broken transfer can say how far it got).
     */
    private Scanned scan(String account, String dir, String file, InputStream in, OutputStream copy, long[] size)
            throws IOException {
        MessageDigest md5 = md5();
        try (InputStream tee = new Tee(new DigestInputStream(in, md5), copy, size)) {
            CsvProblem problem = check(account, dir, file, tee);
            tee.transferTo(OutputStream.nullOutputStream());
            return new Scanned(size[0], HexFormat.of().formatHex(md5.digest()), problem);
        }
    }

    /**
     * Upserts the file's record (size, MD5 and the version it names, null for a drop-folder file): updates it in place
     * when it exists, so it is never missing in between, creates it otherwise, and updates after all when a concurrent
     * upload created it first. Returns the version the record named before, which this write superseded.
     */
    private String record(String account, String dir, String file, Scanned scanned, String version) {
        long size = scanned.size();
        String md5 = scanned.md5();
        String subpath = dir + "/" + file;
        for (int attempt = 0; ; attempt++) {
            String[] previous = new String[1];
            boolean updated = resources.update(account, ResourceType.UPLOADS, subpath, s -> {
                previous[0] = versionOf(s);
                s.doc().put("file_size", size);
                s.doc().put("md5_hash", md5);
                s.doc().put("created_at", resources.now());
                if (version != null) s.internal().put("object", version);
                else s.internal().remove("object");
            }).isPresent();
            if (updated) return previous[0];
            ObjectNode fields = Json.object();
            fields.put("subpath", subpath);
            fields.put("file_size", size);
            fields.put("md5_hash", md5);
            if (version != null) fields.putObject(Resources.INTERNAL).put("object", version);
            try {
                resources.create(account, ResourceType.UPLOADS, subpath, fields);
                return null;
            } catch (Problem e) {
                if (e.kind() != Problem.Kind.CONFLICT || attempt >= 2) throw e; // created meanwhile: update it
            }
        }
    }

    /** New data in a directory: every dataset reading it builds again. */
    private void rebuildDatasetsOn(String account, String dir) {
        for (Stored d : resources.list(account, ResourceType.DATASETS)) {
            if (dir.equals(Json.text(d.doc().path("options"), "upload_directory"))) {
                builds.request(account, ResourceType.DATASETS, d.id());
            }
        }
    }

    private ObjectNode view(Stored s) {
        ObjectNode v = Json.object();
        v.put("subpath", Json.text(s.doc(), "subpath"));
        v.set("file_size", s.doc().get("file_size"));
        v.put("md5_hash", Json.text(s.doc(), "md5_hash"));
        v.put("created_at", Json.text(s.doc(), "created_at"));
        return v;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies every byte read to {@code out} and counts them. */
    private static final class Tee extends FilterInputStream {
        private final OutputStream out;
        private final long[] count;

        Tee(InputStream in, OutputStream out, long[] count) {
            super(in);
            this.out = out;
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                out.write(b);
                count[0]++;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                out.write(buf, off, n);
                count[0] += n;
            }
            return n;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
