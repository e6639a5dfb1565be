package personae.aws;

import personae.core.port.BlobStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link BlobStore} on one S3 bucket. Writes of any size stream through {@link #create}: up to {@link #PART_SIZE}
 * bytes are buffered and sent with one PutObject; beyond that the stream switches to a multipart upload with parts
 * of {@link #PART_SIZE} (S3's minimum part is 5 MiB), completed on close and aborted on failure.
 */
public final class S3BlobStore implements BlobStore {

    /** Buffer size before switching to multipart, and the size of every part but the last. */
    public static final int PART_SIZE = 8 << 20;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final int partSize;

    public S3BlobStore(S3Client s3, S3Presigner presigner, String bucket) {
        this(s3, presigner, bucket, PART_SIZE);
    }

    /** With another part size (at least 5 MiB, S3's minimum for every part but the last). */
    S3BlobStore(S3Client s3, S3Presigner presigner, String bucket, int partSize) {
        this.s3 = Objects.requireNonNull(s3);
        this.presigner = Objects.requireNonNull(presigner);
        this.bucket = Objects.requireNonNull(bucket);
        if (partSize < (5 << 20)) throw new IllegalArgumentException("part size below S3's 5 MiB minimum");
        this.partSize = partSize;
    }

    public String bucket() {
        return bucket;
    }

    /**
     * {@inheritDoc} The object appears when the stream is closed. A writer that fails half-way should call
     * {@link Upload#abort()} instead of {@code close()}: closing always publishes what was written.
     */
    @Override
    public Upload create(String key) {
        return new Upload(requireKey(key));
    }

    @Override
    public InputStream open(String key) {
        try {
            ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(requireKey(key)));
            return in;
        } catch (NoSuchKeyException e) {
            throw new NotFoundException(key);
        }
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        try {
            HeadObjectResponse h = s3.headObject(b -> b.bucket(bucket).key(requireKey(key)));
            return Optional.of(new BlobInfo(key, h.contentLength(), h.lastModified()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return Optional.empty(); // HEAD has no body, so no error code
            throw e;
        }
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        List<BlobInfo> out = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            out.add(new BlobInfo(o.key(), o.size(), o.lastModified()));
        }
        // S3 returns UTF-8 binary order; sort by Java String order, which the port promises ("sorted by key")
        out.sort(Comparator.comparing(BlobInfo::key));
        return out;
    }

    /** Above this, S3 copies only part by part (UploadPartCopy). */
    static final long MAX_SINGLE_COPY = 5L << 30;

    /** Parts of a large copy. */
    static final long COPY_PART = 512L << 20;

    @Override
    public void copy(String from, String to) {
        requireKey(to);
        long size = head(from).orElseThrow(() -> new NotFoundException(from)).size();
        try {
            if (size <= MAX_SINGLE_COPY) {
                s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to));
                return;
            }
            String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(to)).uploadId();
            try {
                List<CompletedPart> done = new ArrayList<>();
                for (long start = 0; start < size; start += COPY_PART) {
                    int number = done.size() + 1;
                    String range = "bytes=" + start + "-" + (Math.min(size, start + COPY_PART) - 1);
                    String etag = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket)
                            .destinationKey(to).uploadId(uploadId).partNumber(number).copySourceRange(range))
                            .copyPartResult().eTag();
                    done.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                }
                s3.completeMultipartUpload(b -> b.bucket(bucket).key(to).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(done)));
            } catch (RuntimeException e) {
                try {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(to).uploadId(uploadId));
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } catch (NoSuchKeyException e) {
            throw new NotFoundException(from);
        }
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(requireKey(key)));
    }

    @Override
    public URI presignGet(String key, Duration ttl) {
        try {
            return presigner.presignGetObject(p -> p.signatureDuration(ttl)
                    .getObjectRequest(g -> g.bucket(bucket).key(requireKey(key)))).url().toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String requireKey(String key) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("empty key");
        return key;
    }

    /** Buffers one part; sends a single PutObject on close if it never filled, else uploads parts. */
    public final class Upload extends BlobStore.Writer {
        private final String key;
        private byte[] buf = new byte[8192];
        private int len;
        private String uploadId;
        private final List<CompletedPart> parts = new ArrayList<>();
        private boolean closed;

        private Upload(String key) {
            this.key = key;
        }

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            if (len == partSize) flushPart();
            grow(len + 1);
            buf[len++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int n) throws IOException {
            Objects.checkFromIndexSize(off, n, b.length);
            ensureOpen();
            while (n > 0) {
                if (len == partSize) flushPart();
                int take = Math.min(n, partSize - len);
                grow(len + take);
                System.arraycopy(b, off, buf, len, take);
                len += take;
                off += take;
                n -= take;
            }
        }

        private void grow(int needed) {
            if (needed > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.min(partSize, Math.max(needed, buf.length * 2)));
            }
        }

        private void ensureOpen() throws IOException {
            if (closed) throw new IOException("stream closed: " + key);
        }

        /** Sends the full buffer as the next part (starting the multipart upload on the first one). */
        private void flushPart() throws IOException {
            try {
                if (uploadId == null) {
                    uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
                }
                int number = parts.size() + 1;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                        .contentLength((long) len), RequestBody.fromBytes(java.util.Arrays.copyOf(buf, len))).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                len = 0;
            } catch (RuntimeException e) {
                fail(e);
                throw new IOException("upload of " + key + " failed", e);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) return;
            try {
                if (uploadId == null) {
                    byte[] body = java.util.Arrays.copyOf(buf, len);
                    s3.putObject(b -> b.bucket(bucket).key(key).contentLength((long) body.length),
                            RequestBody.fromBytes(body));
                } else {
                    if (len > 0) flushPart();
                    s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                            .multipartUpload(m -> m.parts(parts)));
                }
            } catch (RuntimeException e) {
                fail(e);
                throw new IOException("upload of " + key + " failed", e);
            } finally {
                closed = true;
                buf = null;
            }
        }

        /**
         * Discards this upload: nothing becomes visible and a started multipart upload is aborted. A later
         * {@code close()} does nothing. Idempotent.
         */
        @Override
        public void abort() {
            if (closed) return;
            closed = true;
            buf = null;
            if (uploadId != null) s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        }

        /** Aborts a started multipart upload so its parts do not linger (and cost). */
        private void fail(RuntimeException cause) {
            closed = true;
            buf = null;
            if (uploadId != null) {
                try {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
                } catch (RuntimeException e) {
                    cause.addSuppressed(e);
                }
            }
        }
    }
}
