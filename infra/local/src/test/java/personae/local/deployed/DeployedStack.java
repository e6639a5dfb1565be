package personae.local.deployed;

import com.fasterxml.jackson.databind.JsonNode;
import personae.core.resource.Json;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * template.yaml deployed into moto by {@code infra/deploy-test/moto_stack.py} (a python3 process this class starts
 * and stops): the deployment it printed (functions with their environment, policies and credentials, the state
 * machine, bucket, table, Lambda permissions), SDK clients with the operator's credentials, and moto's records of
 * every authorization decision and of the bucket notifications waiting for delivery.
 */
final class DeployedStack implements AutoCloseable {

    static final Path SCRIPT = Path.of("infra/deploy-test/moto_stack.py");

    private final Process process;
    final JsonNode deployment;
    final URI endpoint;
    final Region region;
    private final HttpClient http = HttpClient.newHttpClient();

    private DeployedStack(Process process, JsonNode deployment) {
        this.process = process;
        this.deployment = deployment;
        this.endpoint = URI.create(deployment.get("endpoint").asText());
        this.region = Region.of(deployment.get("region").asText());
    }

    /** Why the stack cannot be deployed here (python3, moto or aws-sam-translator missing), or null. */
    static String missingTools() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import moto, samtranslator, boto3, werkzeug")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "python3 lacks moto or aws-sam-translator (pip install cfn-lint moto[server]): " + out.strip();
            }
            return null;
        } catch (IOException e) {
            return "no python3 on PATH: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    static DeployedStack deploy(Path logDir) throws IOException {
        Files.createDirectories(logDir);
        Process p = new ProcessBuilder("python3", SCRIPT.toString(), "--template", "template.yaml")
                .redirectError(logDir.resolve("moto.log").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        try {
            line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            line = null;
        }
        if (line == null) {
            p.destroy();
            throw new IllegalStateException(SCRIPT + " did not deploy; see " + logDir.resolve("moto.log") + ":\n"
                    + Files.readString(logDir.resolve("moto.log")));
        }
        return new DeployedStack(p, Json.read(line));
    }

    JsonNode functions() {
        return deployment.get("functions");
    }

    String bucket() {
        return deployment.get("bucket").asText();
    }

    String table() {
        return deployment.get("table").asText();
    }

    String stateMachineArn() {
        return deployment.get("stateMachine").get("arn").asText();
    }

    /** The logical id of the function with this ARN (or name), or null. */
    String functionOf(String arnOrName) {
        for (var e : functions().properties()) {
            if (e.getValue().get("arn").asText().equals(arnOrName) || e.getValue().get("name").asText().equals(arnOrName)) {
                return e.getKey();
            }
        }
        return null;
    }

    AwsCredentials operatorCredentials() {
        JsonNode o = deployment.get("operator");
        return AwsBasicCredentials.create(o.get("accessKeyId").asText(), o.get("secretAccessKey").asText());
    }

    AwsCredentials credentialsOf(String function) {
        JsonNode c = functions().get(function).get("credentials");
        return AwsSessionCredentials.create(c.get("accessKeyId").asText(), c.get("secretAccessKey").asText(),
                c.get("sessionToken").asText());
    }

    S3Client s3(AwsCredentials credentials) {
        return S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(region).endpointOverride(endpoint)
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(credentials)).build();
    }

    SfnClient sfn(AwsCredentials credentials) {
        return SfnClient.builder().httpClient(UrlConnectionHttpClient.create()).region(region).endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(credentials)).build();
    }

    DynamoDbClient dynamoDb(AwsCredentials credentials) {
        return DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).region(region)
                .endpointOverride(endpoint).credentialsProvider(StaticCredentialsProvider.create(credentials)).build();
    }

    /** One authorization decision moto took. */
    record Call(String accessKeyId, String action, String resource, boolean allowed) {}

    List<Call> calls() {
        List<Call> out = new ArrayList<>();
        for (JsonNode c : get("/_personae/calls")) {
            out.add(new Call(c.get("accessKeyId").asText(), c.get("action").asText(), c.get("resource").asText(),
                    c.get("allowed").asBoolean()));
        }
        return out;
    }

    /** Bucket notifications for Lambda functions since the last call: {functionArn, event}. */
    List<JsonNode> takeNotifications() {
        List<JsonNode> out = new ArrayList<>();
        get("/_personae/notifications").forEach(out::add);
        return out;
    }

    /** Records in moto how an execution the test ran ended (moto itself never runs them). */
    void finishExecution(String executionArn, String status) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("executionArn", executionArn);
        body.put("status", status);
        send(HttpRequest.newBuilder(endpoint.resolve("/_personae/executions/finish"))
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build());
    }

    private JsonNode get(String path) {
        return Json.read(send(HttpRequest.newBuilder(endpoint.resolve(path)).GET().build()));
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException(request.uri() + ": " + r.statusCode());
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close(); // the script serves until its stdin closes
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
