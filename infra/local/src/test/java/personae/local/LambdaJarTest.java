package personae.local;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one Lambda jar (shaded by functions/handlers, packaged before this module's tests run) stays under Lambda's
 * 250 MB unzipped limit and holds every handler the template names, without the emulators or the sample data
 * generators (module infra/sample-data, for tests and benchmarks only).
 */
class LambdaJarTest {

    static final long LAMBDA_UNZIPPED_LIMIT = 250L * 1024 * 1024;

    @Test
    void theLambdaJarFitsAndHoldsTheHandlers() throws IOException {
        Path jar = Path.of("functions/handlers/target/personae-handlers-0.1.0-SNAPSHOT-lambda.jar");
        assertTrue(Files.exists(jar), "run through the reactor (bin/test): " + jar + " is built by the package phase");
        long unzipped = 0;
        java.util.List<String> sampleData = new java.util.ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (var e = zip.entries(); e.hasMoreElements(); ) {
                var entry = e.nextElement();
                unzipped += entry.getSize();
                if (entry.getName().startsWith("personae/core/sample/")) sampleData.add(entry.getName());
            }
            for (String handler : java.util.List.of("personae/handlers/ApiHandler.class",
                    "personae/handlers/UploadFolderHandler.class", "personae/handlers/step/CheckInputsHandler.class",
                    "personae/handlers/step/MarkErrorHandler.class", "smile/clustering/KMeans.class")) {
                assertNotNull(zip.getEntry(handler), handler);
            }
            for (String emulator : java.util.List.of("com/amazonaws/services/dynamodbv2/local/main/ServerRunner.class",
                    "com/adobe/testing/s3mock/S3MockApplication.class")) {
                assertTrue(zip.getEntry(emulator) == null, "the emulators must not ship in the Lambda jar: " + emulator);
            }
        }
        assertTrue(sampleData.isEmpty(), "test and benchmark data generators must not ship in the Lambda jar: " + sampleData);
        assertTrue(unzipped < LAMBDA_UNZIPPED_LIMIT, "unzipped " + (unzipped >> 20) + " MB");
    }
}
