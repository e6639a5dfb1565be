package personae.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class AwsEnvironmentTest {
    @Test
    void missingVariablesAreNamed() {
        try (AwsEnvironment env = AwsEnvironment.fromEnvironment(Map.of("AWS_REGION", "eu-west-1"))) {
            assertTrue(assertThrows(IllegalStateException.class, env::blobStore).getMessage()
                    .contains("PERSONAE_BUCKET"));
            assertTrue(assertThrows(IllegalStateException.class, env::metadataStore).getMessage()
                    .contains("PERSONAE_TABLE"));
            assertTrue(assertThrows(IllegalStateException.class, env::workflowStarter).getMessage()
                    .contains("PERSONAE_STATE_MACHINE_ARN"));
        }
    }

    @Test
    void buildsAdaptersWithOverridesAndRegion() {
        try (AwsEnvironment env = AwsEnvironment.fromEnvironment(Map.of(
                "AWS_REGION", "eu-west-3",
                "PERSONAE_BUCKET", "b", "PERSONAE_TABLE", "t",
                "PERSONAE_STATE_MACHINE_ARN", "arn:aws:states:eu-west-3:1:stateMachine:m",
                "PERSONAE_S3_ENDPOINT", "http://127.0.0.1:4566",
                "PERSONAE_DYNAMODB_ENDPOINT", "http://127.0.0.1:4567"))) {
            assertInstanceOf(S3BlobStore.class, env.blobStore());
            assertInstanceOf(DynamoMetadataStore.class, env.metadataStore());
            assertInstanceOf(StepFunctionsWorkflowStarter.class, env.workflowStarter());
            assertEquals(Region.EU_WEST_3, env.s3().serviceClientConfiguration().region());
            assertEquals(URI.create("http://127.0.0.1:4566"),
                    env.s3().serviceClientConfiguration().endpointOverride().orElseThrow());
            assertEquals(URI.create("http://127.0.0.1:4567"),
                    env.dynamoDb().serviceClientConfiguration().endpointOverride().orElseThrow());
            assertTrue(env.sfn().serviceClientConfiguration().endpointOverride().isEmpty());
            assertSame(env.s3(), env.s3(), "clients are created once");
            // path-style presigning against the override (credentials from the default chain's system properties)
            System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
            System.setProperty("aws.secretAccessKey", "secret");
            try {
                URI url = env.blobStore().presignGet("k/x.csv", java.time.Duration.ofMinutes(1));
                assertEquals("127.0.0.1:4566", url.getAuthority());
                assertEquals("/b/k/x.csv", url.getPath());
                assertTrue(url.getQuery().contains("X-Amz-Credential=AKIDEXAMPLE/"), url.toString());
                assertTrue(url.getQuery().contains("/eu-west-3/s3/"), url.toString());
            } finally {
                System.clearProperty("aws.accessKeyId");
                System.clearProperty("aws.secretAccessKey");
            }
        }
    }

    @Test
    void badEndpointIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> AwsEnvironment.fromEnvironment(Map.of("PERSONAE_S3_ENDPOINT", "localhost:4566")));
    }
}
