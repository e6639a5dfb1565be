package personae.local.deployed.host;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Stands in for the Lambda Java runtime in the deploy-shaped test: runs ONE handler ({@code class::method}, as in
 * template.yaml) from the shaded Lambda jar, in its own JVM. Not part of the Lambda jar: the test copies this class
 * out of its test classes and runs {@code java -cp <lambda jar>:<this>:<aws-lambda-java-serialization>}, the same
 * (de)serializers the managed runtime uses.
 *
 * <p>Protocol: one event JSON per line on stdin; one line per invocation on stdout, {@code OK <result json>} or
 * {@code ERR <{"errorMessage","errorType"}>} (what Lambda reports for an unhandled exception). The handler's own
 * standard output goes to stderr, so it cannot break the protocol. The handler class is instantiated once, before the
 * first event (Lambda's init phase).
 */
public final class FunctionHost {

    private FunctionHost() {}

    public static void main(String[] args) throws Exception {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        String[] handler = args[0].split("::");
        Class<?> type = Class.forName(handler[0]);
        Method method = null;
        for (Method m : type.getMethods()) {
            if (m.getName().equals(handler[1]) && m.getParameterCount() == 2 && !m.isBridge()) method = m;
        }
        if (method == null) throw new IllegalArgumentException("no " + args[0] + "(event, Context)");
        Object instance = type.getDeclaredConstructor().newInstance();
        PojoSerializer<Object> in = serializer(method.getParameterTypes()[0]);
        PojoSerializer<Object> out = serializer(method.getReturnType());
        var mapper = JacksonFactory.getInstance().getMapper();
        long timeoutMillis = Long.parseLong(args.length > 1 ? args[1] : "900") * 1000;

        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            try {
                Object result = method.invoke(instance, in.fromJson(line), context(timeoutMillis));
                ByteArrayOutputStream json = new ByteArrayOutputStream();
                out.toJson(result, json);
                protocol.println("OK " + json.toString(StandardCharsets.UTF_8).replace("\n", ""));
            } catch (Throwable t) {
                Throwable e = t instanceof InvocationTargetException ite ? ite.getCause() : t;
                e.printStackTrace(System.err);
                Map<String, String> error = new LinkedHashMap<>();
                error.put("errorMessage", e.getMessage());
                error.put("errorType", e.getClass().getName());
                protocol.println("ERR " + mapper.writeValueAsString(error));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Class<?> type) {
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(type, FunctionHost.class.getClassLoader());
        }
        return (PojoSerializer<Object>) JacksonFactory.getInstance().getSerializer(type);
    }

    private static Context context(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        String requestId = UUID.randomUUID().toString();
        String name = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        LambdaLogger logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                System.err.println(message);
            }

            @Override
            public void log(byte[] message) {
                System.err.println(new String(message, StandardCharsets.UTF_8));
            }
        };
        return new Context() {
            public String getAwsRequestId() { return requestId; }
            public String getLogGroupName() { return "/aws/lambda/" + name; }
            public String getLogStreamName() { return "deploy-test"; }
            public String getFunctionName() { return name; }
            public String getFunctionVersion() { return "$LATEST"; }
            public String getInvokedFunctionArn() { return name; }
            public CognitoIdentity getIdentity() { return null; }
            public ClientContext getClientContext() { return null; }
            public int getRemainingTimeInMillis() { return (int) Math.max(0, deadline - System.currentTimeMillis()); }
            public int getMemoryLimitInMB() { return Integer.parseInt(System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024")); }
            public LambdaLogger getLogger() { return logger; }
        };
    }
}
