package personae.emulators;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The verifier against AWS's published S3 SigV4 examples (so it is SigV4, not something that merely looks like it). */
class SigV4Test {

    static final SigV4.Credentials AWS_EXAMPLE = new SigV4.Credentials("AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    static final Instant SIGNED = Instant.parse("2013-05-24T00:00:00Z");

    static SigV4.Request request(String method, String path, String query, Map<String, String> headers) {
        return new SigV4.Request(method, path, query, name -> headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList());
    }

    // S3 documentation, "Example: GET Object" (Authorization header)
    static final Map<String, String> GET_OBJECT_HEADERS = Map.of(
            "Host", "examplebucket.s3.amazonaws.com",
            "Range", "bytes=0-9",
            "x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "x-amz-date", "20130524T000000Z",
            "Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                    + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                    + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");

    // S3 documentation, "Example: presigned URL"
    static final String PRESIGNED_QUERY = "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

    @Test
    void awsHeaderSignedExampleVerifiesAndAnyChangeBreaksIt() {
        assertEquals(Optional.empty(), SigV4.verify(request("GET", "/test.txt", null, GET_OBJECT_HEADERS),
                AWS_EXAMPLE, SIGNED.plusSeconds(60)), "AWS's own example is a valid signature");
        var other = new java.util.HashMap<>(GET_OBJECT_HEADERS);
        other.put("Range", "bytes=0-99");
        assertTrue(SigV4.verify(request("GET", "/test.txt", null, other), AWS_EXAMPLE, SIGNED).isPresent(),
                "a signed header changed");
        assertTrue(SigV4.verify(request("GET", "/other.txt", null, GET_OBJECT_HEADERS), AWS_EXAMPLE, SIGNED)
                .isPresent(), "another path");
        assertTrue(SigV4.verify(request("GET", "/test.txt", null, GET_OBJECT_HEADERS),
                new SigV4.Credentials("AKIAIOSFODNN7EXAMPLE", "not-the-secret"), SIGNED).isPresent(), "another secret");
        assertTrue(SigV4.verify(request("GET", "/test.txt", null, GET_OBJECT_HEADERS), AWS_EXAMPLE,
                SIGNED.plusSeconds(16 * 60)).orElseThrow().contains("15 minutes"), "a signed request is replayable 15 min only");
    }

    @Test
    void awsPresignedExampleVerifiesUntilItExpires() {
        SigV4.Request get = request("GET", "/test.txt", PRESIGNED_QUERY,
                Map.of("Host", "examplebucket.s3.amazonaws.com"));
        assertEquals(Optional.empty(), SigV4.verify(get, AWS_EXAMPLE, SIGNED.plusSeconds(86_399)));
        assertEquals(Optional.of("the URL has expired"), SigV4.verify(get, AWS_EXAMPLE, SIGNED.plusSeconds(86_401)));
        SigV4.Request longer = request("GET", "/test.txt", PRESIGNED_QUERY.replace("Expires=86400", "Expires=86500"),
                Map.of("Host", "examplebucket.s3.amazonaws.com"));
        assertEquals(Optional.of("the signature does not match"), SigV4.verify(longer, AWS_EXAMPLE, SIGNED),
                "the expiry is signed: it cannot be stretched");
    }

    @Test
    void unsignedRequestsAreRefusedWithAReason() {
        assertTrue(SigV4.verify(request("GET", "/bucket/key", null, Map.of("Host", "127.0.0.1:1")), AWS_EXAMPLE,
                SIGNED).orElseThrow().contains("not signed"));
        assertTrue(SigV4.verify(request("GET", "/bucket/key", "X-Amz-Signature=00", Map.of("Host", "h")), AWS_EXAMPLE,
                SIGNED).isPresent(), "a signature alone is not enough");
    }

    @Test
    void persistedCredentialsAreReusedAndOwnerOnly() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "sigv4-");
        SigV4.Credentials first = SigV4.Credentials.loadOrCreate(dir.resolve("creds"));
        assertEquals(first, SigV4.Credentials.loadOrCreate(dir.resolve("creds")), "the same after a restart");
        assertNotEquals(first, SigV4.Credentials.random(), "random otherwise");
        assertEquals(List.of(first.accessKeyId(), first.secretKey()), Files.readAllLines(dir.resolve("creds")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("creds"))));
        assertFalse(first.toString().contains(first.secretKey()), "the secret never shows in logs");
    }
}
