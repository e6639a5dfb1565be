package personae.local.deployed;

import com.fasterxml.jackson.databind.JsonNode;
import personae.core.resource.Json;

import java.io.BufferedReader;
import java.io.File;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Lambda function of template.yaml as its own JVM: the shaded Lambda jar plus {@code host.FunctionHost}, with
 * ONLY the environment the template gives the function, plus what Lambda itself sets (credentials of the function's
 * role session, region, function name, memory size) and the one test-only addition, {@code AWS_ENDPOINT_URL} (moto).
 * The machine's own AWS profile files are kept out ({@code -Daws.configFile}, {@code -Daws.sharedCredentialsFile}).
 * Invocations are one at a time (like one execution environment); Lambda's 6 MB payload limit is enforced both ways.
 */
final class FunctionProcess implements AutoCloseable {

    /** Lambda's synchronous invocation payload limit, request and response. */
    static final int PAYLOAD_LIMIT = 6 * 1024 * 1024;

    final String logicalId;
    final JsonNode spec;
    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;
    private final Path log;

    /** A function error, as Lambda reports it: the handler's exception message and type. */
    static final class FunctionError extends RuntimeException {
        final String errorType;

        FunctionError(String message, String errorType) {
            super(message);
            this.errorType = errorType;
        }
    }

    private FunctionProcess(String logicalId, JsonNode spec, Process process, Path log) {
        this.logicalId = logicalId;
        this.spec = spec;
        this.process = process;
        this.log = log;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static FunctionProcess start(String logicalId, JsonNode spec, String endpoint, String region, List<Path> classpath,
                                 Path workDir) throws IOException {
        Path tmp = Files.createDirectories(workDir.resolve(logicalId + "-tmp"));
        Path log = workDir.resolve(logicalId + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        int memory = spec.get("memorySize").asInt();
        List<String> command = new ArrayList<>(List.of(java,
                "-XX:MaxRAM=" + memory + "m", "-XX:MaxRAMPercentage=85", "-XX:+UseSerialGC", "-Xshare:auto",
                "-Djava.io.tmpdir=" + tmp.toAbsolutePath(),
                "-Daws.configFile=" + workDir.resolve("no-aws-config").toAbsolutePath(),
                "-Daws.sharedCredentialsFile=" + workDir.resolve("no-aws-credentials").toAbsolutePath(),
                "-cp", String.join(File.pathSeparator, classpath.stream().map(p -> p.toAbsolutePath().toString()).toList()),
                "personae.local.deployed.host.FunctionHost", spec.get("handler").asText(), spec.get("timeout").asText()));
        ProcessBuilder b = new ProcessBuilder(command).redirectError(log.toFile());
        Map<String, String> env = b.environment();
        env.clear();
        spec.get("environment").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        JsonNode c = spec.get("credentials");
        env.put("AWS_ACCESS_KEY_ID", c.get("accessKeyId").asText());
        env.put("AWS_SECRET_ACCESS_KEY", c.get("secretAccessKey").asText());
        env.put("AWS_SESSION_TOKEN", c.get("sessionToken").asText());
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.get("name").asText());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memory));
        env.put("AWS_ENDPOINT_URL", endpoint);
        return new FunctionProcess(logicalId, spec, b.start(), log);
    }

    /** Invokes the function with an event (JSON); returns its result (JSON) or throws {@link FunctionError}. */
    synchronized String invoke(String event) {
        if (event.getBytes(StandardCharsets.UTF_8).length > PAYLOAD_LIMIT) {
            throw new FunctionError("Request payload over Lambda's 6 MB limit", "RequestTooLargeException");
        }
        String line;
        try {
            in.write(event.replace("\n", " "));
            in.newLine();
            in.flush();
            line = out.readLine();
        } catch (IOException e) {
            line = null;
        }
        if (line == null) throw new IllegalStateException(logicalId + " died; see " + log);
        if (line.startsWith("ERR ")) {
            JsonNode e = Json.read(line.substring(4));
            throw new FunctionError(e.path("errorMessage").asText(null), e.path("errorType").asText());
        }
        String result = line.substring(3);
        if (result.getBytes(StandardCharsets.UTF_8).length > PAYLOAD_LIMIT) {
            throw new FunctionError("Response payload over Lambda's 6 MB limit", "ResponseSizeTooLarge");
        }
        return result;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // the process goes anyway
        }
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
