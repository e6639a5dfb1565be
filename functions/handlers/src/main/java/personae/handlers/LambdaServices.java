package personae.handlers;

import personae.aws.AwsEnvironment;
import personae.core.Services;
import personae.core.port.WorkflowStarter;

import java.time.Clock;

/**
 * The composition root on Lambda: the AWS adapters from the function's environment variables, built once per
 * execution environment (and so reused across invocations).
 */
public final class LambdaServices {

    private static volatile Services services;

    private LambdaServices() {}

    /** For a function without a state machine: starting a build is a bug; it cannot tell what runs, so "alive". */
    private static final WorkflowStarter NO_BUILDS = WorkflowStarter.refusing("this function cannot start builds: "
            + AwsEnvironment.STATE_MACHINE_ARN + " is not set");

    public static Services get() {
        Services s = services;
        if (s == null) {
            synchronized (LambdaServices.class) {
                s = services;
                if (s == null) {
                    AwsEnvironment env = AwsEnvironment.fromEnvironment();
                    String arn = System.getenv(AwsEnvironment.STATE_MACHINE_ARN);
                    s = new Services(env.metadataStore(), env.blobStore(),
                            arn == null || arn.isBlank() ? NO_BUILDS : env.workflowStarter(),
                            Clock.systemUTC(), Services.Settings.lambda(env.bucket()), env.notifier());
                    services = s;
                }
            }
        }
        return s;
    }
}
