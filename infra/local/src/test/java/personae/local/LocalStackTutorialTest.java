package personae.local;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.testcontainers.containers.localstack.LocalStackContainer.Service.DYNAMODB;
import static org.testcontainers.containers.localstack.LocalStackContainer.Service.S3;

/**
 * The same tutorial with S3 and DynamoDB served by LocalStack instead of the embedded emulators. Needs a Docker engine;
 * without one it is reported as skipped.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackTutorialTest {

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
            .withServices(S3, DYNAMODB);

    @Test
    void tutorialAgainstLocalStack() throws Exception {
        String key = "localstack-test-key-0123";
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-localstack-");
        LocalRuntime.Config config = LocalRuntime.Config.forTests(dir, key)
                .withEndpoints(LOCALSTACK.getEndpointOverride(S3), LOCALSTACK.getEndpointOverride(DYNAMODB));
        try (LocalRuntime runtime = LocalRuntime.start(config)) {
            var checked = TutorialEndToEndTest.runTutorialAndCheck(new Tutorial(runtime.baseUrl(), key));
            assertEquals(200, checked.csv().status());
        }
    }
}
