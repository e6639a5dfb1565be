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
 * 250 MB unzipped limit and holds every handler the template names, without the emulators.
 */
class LambdaJarTest {

    static final long LAMBDA_UNZIPPED_LIMIT = 250L * 1024 * 1024;

    @Test
    void theLambdaJarFitsAndHoldsTheHandlers() throws IOException {
        Path jar = Path.of("functions/handlers/target/personae-handlers-0.1.0-SNAPSHOT-lambda.jar");
        assertTrue(Files.exists(jar), "run through the reactor (bin/test): " + jar + " is built by the package phase");
        long unzipped = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (var e = zip.entries(); e.hasMoreElements(); ) unzipped += e.nextElement().getSize();
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
        assertTrue(unzipped < LAMBDA_UNZIPPED_LIMIT, "unzipped " + (unzipped >> 20) + " MB");
    }
}
