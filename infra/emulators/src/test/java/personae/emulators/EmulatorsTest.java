package personae.emulators;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EmulatorsTest {
    static final StaticCredentialsProvider CREDS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("dummy", "dummy"));

    static S3Client s3(Emulators emu) {
        return S3Client.builder().endpointOverride(emu.s3Endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        emu.s3Credentials().accessKeyId(), emu.s3Credentials().secretKey())))
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create()).build();
    }

    static DynamoDbClient ddb(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(CREDS)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    static Path freshDir(String prefix) throws Exception {
        return Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), prefix);
    }

    static Map<String, Object> memory() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        String rss = "?";
        try {
            rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> l.replaceAll("\\D", "")).findFirst().map(kb -> String.valueOf(Long.parseLong(kb) >> 10)).orElse("?");
        } catch (Exception ignored) {
            // not Linux
        }
        return Map.of("heapUsedMiB", (rt.totalMemory() - rt.freeMemory()) >> 20, "rssMiB", rss);
    }

    @Test
    void persistentDataSurvivesRestart() throws Exception {
        Path dir = freshDir("emu-persist-");
        try (Emulators emu = Emulators.start(dir, true)) {
            System.out.println("[emulators] persistent start in " + emu.startTime().toMillis() + " ms, s3="
                    + emu.s3Endpoint() + " dynamodb=" + emu.dynamoDbEndpoint() + " " + memory());
            try (S3Client s3 = s3(emu); DynamoDbClient ddb = ddb(emu.dynamoDbEndpoint())) {
                s3.createBucket(b -> b.bucket("kept"));
                s3.putObject(b -> b.bucket("kept").key("a/b.txt"), RequestBody.fromString("hello across restarts"));
                ddb.createTable(t -> t.tableName("kept")
                        .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                                .attributeType(ScalarAttributeType.S).build())
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                        .billingMode(BillingMode.PAY_PER_REQUEST));
                ddb.putItem(p -> p.tableName("kept").item(Map.of("pk", AttributeValue.fromS("k1"),
                        "v", AttributeValue.fromS("value"))));
            }
        }
        assertTrue(Files.exists(dir.resolve("dynamodb/shared-local-instance.db")), "DynamoDB Local db file on disk");

        try (Emulators emu = Emulators.start(dir, true)) {
            System.out.println("[emulators] persistent restart in " + emu.startTime().toMillis() + " ms");
            try (S3Client s3 = s3(emu); DynamoDbClient ddb = ddb(emu.dynamoDbEndpoint())) {
                assertEquals(List.of("kept"), s3.listBuckets().buckets().stream().map(Bucket::name).toList());
                assertEquals("hello across restarts",
                        s3.getObjectAsBytes(b -> b.bucket("kept").key("a/b.txt")).asUtf8String());
                assertEquals(List.of("kept"), ddb.listTables().tableNames());
                Map<String, AttributeValue> item = ddb.getItem(g -> g.tableName("kept")
                        .key(Map.of("pk", AttributeValue.fromS("k1")))).item();
                assertEquals("value", item.get("v").s());
            }
        }
    }

    @Test
    void aStoreHalfWrittenByAKillStartsAgainWithEveryCompleteObjectAndKeepsTheDamagedOneAside() throws Exception {
        Path dir = freshDir("emu-killed-");
        Map<String, String> written = new java.util.LinkedHashMap<>();
        try (Emulators emu = Emulators.start(dir, true); S3Client s3 = s3(emu)) {
            s3.createBucket(b -> b.bucket("kept"));
            for (String name : List.of("one", "two", "three")) {
                s3.putObject(b -> b.bucket("kept").key("a/" + name + ".txt"), RequestBody.fromString(name));
                written.put("a/" + name + ".txt", name);
            }
        }
        // what a SIGKILL in the middle of S3Mock's in-place JSON writes leaves: the bucket's key map cut short, and
        // the metadata of the object being written then cut short too
        Path bucket = dir.resolve("s3/kept");
        halve(bucket.resolve("bucketMetadata.json"));
        String damagedId;
        try (var objects = Files.list(bucket)) {
            Path damaged = objects.filter(p -> Files.isDirectory(p)
                    && readString(p.resolve("objectMetadata.json")).contains("\"a/two.txt\"")).findFirst().orElseThrow();
            damagedId = damaged.getFileName().toString();
            halve(damaged.resolve("objectMetadata.json"));
        }

        try (Emulators emu = Emulators.start(dir, true); S3Client s3 = s3(emu)) {
            assertEquals(Set.of("a/one.txt", "a/three.txt"), s3.listObjectsV2(b -> b.bucket("kept")).contents().stream()
                    .map(o -> o.key()).collect(Collectors.toSet()), "every complete object is listed again");
            for (String key : List.of("a/one.txt", "a/three.txt")) {
                assertEquals(written.get(key), s3.getObjectAsBytes(b -> b.bucket("kept").key(key)).asUtf8String(),
                        key + " reads back whole");
            }
            assertThrows(software.amazon.awssdk.services.s3.model.NoSuchKeyException.class,
                    () -> s3.getObjectAsBytes(b -> b.bucket("kept").key("a/two.txt")),
                    "the object whose write the kill cut short is gone from the bucket, not half there");
            s3.putObject(b -> b.bucket("kept").key("a/two.txt"), RequestBody.fromString("two again"));
            assertEquals("two again", s3.getObjectAsBytes(b -> b.bucket("kept").key("a/two.txt")).asUtf8String(),
                    "and the bucket takes writes");
        }
        assertTrue(Files.exists(dir.resolve(S3StoreRepair.DAMAGED).resolve("kept").resolve(damagedId).resolve("binaryData")),
                "the damaged object's files are kept aside, not deleted");
    }

    @Test
    void anObjectWhoseDataTheKillCutShortLeavesAnIntactKeyMapAndTheOtherObjectsReadable() throws Exception {
        Path dir = freshDir("emu-killed-data-");
        try (Emulators emu = Emulators.start(dir, true); S3Client s3 = s3(emu)) {
            s3.createBucket(b -> b.bucket("kept"));
            s3.putObject(b -> b.bucket("kept").key("whole.csv"), RequestBody.fromString("a,b\n1,2\n"));
            s3.putObject(b -> b.bucket("kept").key("cut.csv"), RequestBody.fromString("a,b\n3,4\n5,6\n"));
        }
        try (var objects = Files.list(dir.resolve("s3/kept"))) {
            halve(objects.filter(p -> readString(p.resolve("objectMetadata.json")).contains("\"cut.csv\""))
                    .findFirst().orElseThrow().resolve("binaryData"));
        }
        try (Emulators emu = Emulators.start(dir, true); S3Client s3 = s3(emu)) {
            assertEquals("a,b\n1,2\n", s3.getObjectAsBytes(b -> b.bucket("kept").key("whole.csv")).asUtf8String());
            assertThrows(software.amazon.awssdk.services.s3.model.NoSuchKeyException.class,
                    () -> s3.getObjectAsBytes(b -> b.bucket("kept").key("cut.csv")),
                    "a data file shorter than its metadata says is never served half-written");
        }
    }

    static void halve(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    }

    static String readString(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void nonPersistentStartsEmptyAndCleansUp() throws Exception {
        Path dir = freshDir("emu-mem-");
        try (Emulators emu = Emulators.start(dir, false)) {
            System.out.println("[emulators] in-memory start in " + emu.startTime().toMillis() + " ms " + memory());
            try (S3Client s3 = s3(emu); DynamoDbClient ddb = ddb(emu.dynamoDbEndpoint())) {
                assertTrue(s3.listBuckets().buckets().isEmpty());
                assertThrows(NoSuchBucketException.class, () -> s3.headBucket(b -> b.bucket("nothing")));
                s3.createBucket(b -> b.bucket("tmp"));
                s3.putObject(b -> b.bucket("tmp").key("x"), RequestBody.fromString("x"));
                assertEquals(1, s3.listObjectsV2(b -> b.bucket("tmp")).keyCount());
                assertTrue(ddb.listTables().tableNames().isEmpty());
            }
        }
        assertFalse(Files.exists(dir.resolve("dynamodb")), "in-memory DynamoDB writes no db folder");
        assertFalse(Files.exists(dir.resolve("s3")), "non-persistent S3 store removed on close");
        try (Emulators emu = Emulators.start(dir, false);
             S3Client s3 = s3(emu)) {
            assertTrue(s3.listBuckets().buckets().isEmpty(), "non-persistent restart starts with no bucket");
        }
    }

    @Test
    void s3MockRefusesWhatIsNotSignedWithItsCredentials() throws Exception {
        Emulators emu = Emulators.shared();
        try (S3Client s3 = s3(emu);
             java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            s3.createBucket(b -> b.bucket("guarded"));
            s3.putObject(b -> b.bucket("guarded").key("secret data.csv"), RequestBody.fromString("email\na@x.com\n"));
            assertEquals("email\na@x.com\n", s3.getObjectAsBytes(b -> b.bucket("guarded").key("secret data.csv"))
                    .asUtf8String(), "the SDK, signing with the emulator's credentials, works");

            URI plain = URI.create(emu.s3Endpoint() + "/guarded/secret%20data.csv");
            var unsigned = http.send(java.net.http.HttpRequest.newBuilder(plain).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(403, unsigned.statusCode(), "a plain GET is refused: " + unsigned.body());
            assertTrue(unsigned.body().contains("AccessDenied"), unsigned.body());
            var listing = http.send(java.net.http.HttpRequest.newBuilder(URI.create(emu.s3Endpoint() + "/guarded")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(403, listing.statusCode(), "listing too");

            try (S3Client wrong = S3Client.builder().endpointOverride(emu.s3Endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(CREDS).forcePathStyle(true).httpClient(UrlConnectionHttpClient.create()).build()) {
                var e = assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class,
                        () -> wrong.getObjectAsBytes(b -> b.bucket("guarded").key("secret data.csv")));
                assertEquals(403, e.statusCode(), "other credentials are refused");
            }

            var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    emu.s3Credentials().accessKeyId(), emu.s3Credentials().secretKey()));
            try (var presigner = software.amazon.awssdk.services.s3.presigner.S3Presigner.builder()
                    .endpointOverride(emu.s3Endpoint()).region(Region.US_EAST_1).credentialsProvider(creds)
                    .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                            .pathStyleAccessEnabled(true).build()).build()) {
                URI url = URI.create(presigner.presignGetObject(p -> p.signatureDuration(java.time.Duration.ofMinutes(5))
                        .getObjectRequest(g -> g.bucket("guarded").key("secret data.csv"))).url().toString());
                var signed = http.send(java.net.http.HttpRequest.newBuilder(url).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(200, signed.statusCode(), signed.body());
                assertEquals("email\na@x.com\n", signed.body(), "a presigned URL works");
                URI tampered = URI.create(url.toString().replace("secret%20data.csv", "secret%20data.cs"));
                assertEquals(403, http.send(java.net.http.HttpRequest.newBuilder(tampered).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode(), "a tampered one does not");
            }
        }
    }

    @Test
    void persistentCredentialsStayTheSameAcrossRestarts() throws Exception {
        Path dir = freshDir("emu-creds-");
        SigV4.Credentials first;
        try (Emulators emu = Emulators.start(dir, true)) {
            first = emu.s3Credentials();
        }
        try (Emulators emu = Emulators.start(dir, true)) {
            assertEquals(first, emu.s3Credentials(), "kept in " + Emulators.CREDENTIALS_FILE);
        }
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        assumeTrue(Listeners.supported(), "needs Linux /proc");
        Emulators emu = Emulators.shared();
        assertSame(emu, Emulators.shared());
        List<InetSocketAddress> listening = Listeners.ofThisProcess();
        System.out.println("[emulators] this JVM listens on " + listening);
        Set<Integer> ports = listening.stream().map(InetSocketAddress::getPort).collect(Collectors.toSet());
        assertTrue(ports.contains(emu.s3Endpoint().getPort()), "S3Mock http port is seen: " + listening);
        assertTrue(ports.contains(emu.dynamoDbEndpoint().getPort()), "DynamoDB port is seen: " + listening);
        assertTrue(listening.size() >= 3, "S3Mock https + http and DynamoDB: " + listening);
        for (InetSocketAddress a : listening) {
            assertTrue(a.getAddress().isLoopbackAddress(), "listening beyond loopback: " + a);
        }
    }
}
