package personae.aws;

import personae.emulators.Emulators;
import software.amazon.awssdk.regions.Region;

import java.util.UUID;

/** The shared emulators, and a fresh bucket and table per test class. */
final class LocalAws {
    private LocalAws() {}

    private static boolean reported;

    static synchronized AwsEnvironment freshEnvironment(String prefix) {
        Emulators emu = Emulators.shared();
        if (!reported) {
            reported = true;
            System.out.println("[emulators] shared instance started in " + emu.startTime().toMillis() + " ms: s3="
                    + emu.s3Endpoint() + " dynamodb=" + emu.dynamoDbEndpoint());
        }
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        AwsEnvironment env = AwsEnvironment.forEndpoints(emu.s3Endpoint(), emu.dynamoDbEndpoint(),
                prefix + "-" + suffix, prefix + "-" + suffix, Region.US_EAST_1,
                emu.s3Credentials().accessKeyId(), emu.s3Credentials().secretKey());
        env.s3().createBucket(b -> b.bucket(env.bucket()));
        DynamoMetadataStore.createTable(env.dynamoDb(), env.table());
        return env;
    }
}
