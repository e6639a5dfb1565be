package personae.local;

import personae.core.api.PersonaeApi;

import java.nio.file.Path;

/**
 * A local runtime with a second account, for {@link KillAndRestartTest}'s child JVM:
 * {@code TwoAccountRuntime <port> <dataDir> <key> <second account> <second key>}. Prints {@code READY} once both
 * accounts answer, then runs until killed.
 */
public final class TwoAccountRuntime {
    public static void main(String[] args) throws InterruptedException {
        LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Config(Integer.parseInt(args[0]), Path.of(args[1]),
                args[2], true, 0.25, null));
        PersonaeApi.ensureAccount(runtime.services(), args[3], "Second account", args[4]);
        System.out.println("READY " + runtime.baseUrl());
        System.out.flush();
        Thread.currentThread().join(); // until SIGKILL
    }
}
