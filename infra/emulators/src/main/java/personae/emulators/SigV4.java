package personae.emulators;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Verifies AWS Signature Version 4 (AWS4-HMAC-SHA256) the way S3 does, for requests signed by the SDK's signer or
 * presigner: it recomputes the canonical request (method, raw path, sorted re-encoded query, the signed headers), the
 * string to sign and the HMAC chain from the secret key, and compares signatures in constant time. Also checked: the
 * access key id, that {@code host} is signed, the clock (15 minutes either way for a signed header; a presigned URL's
 * {@code X-Amz-Date} + {@code X-Amz-Expires}, at most 7 days). Not checked: the body against
 * {@code x-amz-content-sha256} (the value that header claims is what is signed, as S3 signs it; a chunk-signed body's
 * chunks are not verified one by one). That is enough for what it guards: only a holder of the secret can sign.
 */
public final class SigV4 {

    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final Duration SKEW = Duration.ofMinutes(15);
    static final long MAX_EXPIRES_SECONDS = 7 * 24 * 3600;
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private SigV4() {}

    /** An access key id and its secret. */
    public record Credentials(String accessKeyId, String secretKey) {
        @Override
        public String toString() {
            return "Credentials[" + accessKeyId + ", secret hidden]";
        }

        /** Fresh random credentials. */
        public static Credentials random() {
            SecureRandom r = new SecureRandom();
            byte[] id = new byte[10];
            byte[] secret = new byte[30];
            r.nextBytes(id);
            r.nextBytes(secret);
            return new Credentials("PL" + HEX.formatHex(id).toUpperCase(), HEX.formatHex(secret));
        }

        /**
         * The credentials kept in {@code file} (two lines: access key id, secret), created with random ones (readable
         * by the owner only) when it does not exist yet.
         */
        public static Credentials loadOrCreate(Path file) {
            try {
                if (Files.exists(file)) {
                    List<String> lines = Files.readAllLines(file);
                    if (lines.size() >= 2 && !lines.get(0).isBlank() && !lines.get(1).isBlank()) {
                        return new Credentials(lines.get(0).trim(), lines.get(1).trim());
                    }
                }
                Credentials c = random();
                Files.createDirectories(file.toAbsolutePath().getParent());
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.deleteIfExists(tmp);
                try {
                    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createFile(tmp);
                }
                Files.writeString(tmp, c.accessKeyId() + "\n" + c.secretKey() + "\n");
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                return c;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * What the verifier needs of a request.
     *
     * @param rawPath  the path as sent, still percent-encoded
     * @param rawQuery the query as sent (without {@code ?}), or null
     * @param headers  a header's values by name (any case); empty when absent
     */
    public record Request(String method, String rawPath, String rawQuery, Function<String, List<String>> headers) {}

    /** Empty when {@code r} carries a valid signature by {@code credentials} at {@code now}; else why not. */
    public static Optional<String> verify(Request r, Credentials credentials, Instant now) {
        Map<String, List<String>> query = parseQuery(r.rawQuery());
        return query.containsKey("X-Amz-Signature")
                ? verifyPresigned(r, query, credentials, now)
                : verifyHeader(r, query, credentials, now);
    }

    private static Optional<String> verifyPresigned(Request r, Map<String, List<String>> query, Credentials c,
                                                    Instant now) {
        if (!ALGORITHM.equals(first(query, "X-Amz-Algorithm"))) return Optional.of("X-Amz-Algorithm must be " + ALGORITHM);
        String credential = first(query, "X-Amz-Credential");
        String amzDate = first(query, "X-Amz-Date");
        String expires = first(query, "X-Amz-Expires");
        String signedHeaders = first(query, "X-Amz-SignedHeaders");
        String signature = first(query, "X-Amz-Signature");
        if (credential == null || amzDate == null || expires == null || signedHeaders == null || signature == null) {
            return Optional.of("a presigned URL needs X-Amz-Credential, -Date, -Expires, -SignedHeaders, -Signature");
        }
        Instant signedAt = parseDate(amzDate);
        if (signedAt == null) return Optional.of("X-Amz-Date is not yyyyMMdd'T'HHmmss'Z'");
        long seconds;
        try {
            seconds = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return Optional.of("X-Amz-Expires is not a number");
        }
        if (seconds < 1 || seconds > MAX_EXPIRES_SECONDS) return Optional.of("X-Amz-Expires must be 1..604800");
        if (signedAt.isAfter(now.plus(SKEW))) return Optional.of("the URL is signed in the future");
        if (now.isAfter(signedAt.plusSeconds(seconds))) return Optional.of("the URL has expired");
        Map<String, List<String>> canonicalQuery = new LinkedHashMap<>(query);
        canonicalQuery.remove("X-Amz-Signature");
        return check(r, c, credential, amzDate, signedHeaders, signature, canonicalQuery, "UNSIGNED-PAYLOAD");
    }

    private static Optional<String> verifyHeader(Request r, Map<String, List<String>> query, Credentials c,
                                                 Instant now) {
        String auth = joined(r, "authorization");
        if (auth == null) return Optional.of("the request is not signed (no Authorization header, no X-Amz-Signature)");
        if (!auth.startsWith(ALGORITHM + " ")) return Optional.of("only " + ALGORITHM + " signatures are accepted");
        Map<String, String> parts = new LinkedHashMap<>();
        for (String p : auth.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = p.indexOf('=');
            if (eq > 0) parts.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        String credential = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (credential == null || signedHeaders == null || signature == null) {
            return Optional.of("the Authorization header needs Credential, SignedHeaders and Signature");
        }
        String amzDate = joined(r, "x-amz-date");
        Instant signedAt = amzDate == null ? null : parseDate(amzDate);
        if (signedAt == null) return Optional.of("x-amz-date is missing or not yyyyMMdd'T'HHmmss'Z'");
        if (Duration.between(signedAt, now).abs().compareTo(SKEW) > 0) {
            return Optional.of("x-amz-date is more than 15 minutes from now");
        }
        String payload = joined(r, "x-amz-content-sha256");
        if (payload == null) return Optional.of("x-amz-content-sha256 is missing");
        return check(r, c, credential, amzDate, signedHeaders, signature, query, payload);
    }

    private static Optional<String> check(Request r, Credentials c, String credential, String amzDate,
                                          String signedHeaders, String signature, Map<String, List<String>> query,
                                          String payloadHash) {
        String[] scope = credential.split("/");
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            return Optional.of("the credential scope is not <key>/<date>/<region>/<service>/aws4_request");
        }
        if (!c.accessKeyId().equals(scope[0])) return Optional.of("unknown access key id");
        if (!amzDate.startsWith(scope[1])) return Optional.of("the credential scope's date is not the signing date");
        List<String> names = List.of(signedHeaders.split(";"));
        if (!names.contains("host")) return Optional.of("the host header must be signed");
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : names) {
            if (!name.equals(name.toLowerCase(java.util.Locale.ROOT)) || name.isEmpty()) {
                return Optional.of("signed header names must be lower case");
            }
            List<String> values = r.headers().apply(name);
            if (values == null || values.isEmpty()) return Optional.of("signed header " + name + " is missing");
            List<String> trimmed = new ArrayList<>();
            for (String v : values) trimmed.add(v.trim().replaceAll(" +", " "));
            canonicalHeaders.append(name).append(':').append(String.join(",", trimmed)).append('\n');
        }
        String path = r.rawPath() == null || r.rawPath().isEmpty() ? "/" : r.rawPath();
        String canonicalRequest = r.method() + "\n" + path + "\n" + canonicalQuery(query) + "\n"
                + canonicalHeaders + "\n" + signedHeaders + "\n" + payloadHash;
        String scopeText = String.join("/", scope[1], scope[2], scope[3], scope[4]);
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scopeText + "\n" + sha256Hex(canonicalRequest);
        byte[] key = hmac(("AWS4" + c.secretKey()).getBytes(StandardCharsets.UTF_8), scope[1]);
        key = hmac(key, scope[2]);
        key = hmac(key, scope[3]);
        key = hmac(key, "aws4_request");
        byte[] expected = HEX.formatHex(hmac(key, stringToSign)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of("the signature does not match");
        }
        return Optional.empty();
    }

    /** Names and values decoded, in order of appearance; a name without {@code =} has the value "". */
    static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String canonicalQuery(Map<String, List<String>> query) {
        List<String[]> pairs = new ArrayList<>();
        query.forEach((k, vs) -> vs.forEach(v -> pairs.add(new String[]{encode(k), encode(v)})));
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder sb = new StringBuilder();
        for (String[] p : pairs) {
            if (!sb.isEmpty()) sb.append('&');
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    /** RFC 3986 percent-encoding of everything but the unreserved characters, as SigV4 asks. */
    static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** Percent-decoding ({@code +} stays {@code +}: the SDK sends a space as {@code %20}). */
    static String decode(String s) {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '%' && i + 2 < s.length()
                    && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(s.charAt(i + 1), 16) << 4 | Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(ch).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String first(Map<String, List<String>> q, String name) {
        List<String> v = q.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static String joined(Request r, String name) {
        List<String> v = r.headers().apply(name);
        return v == null || v.isEmpty() ? null : String.join(",", v);
    }

    private static Instant parseDate(String amzDate) {
        try {
            return Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String sha256Hex(String s) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
