package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import personae.core.lookup.LookupIndex;
import personae.core.pipeline.Keys;
import personae.core.resource.Json;
import personae.core.sample.OrdersGenerator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The lookup benchmark: generated customers through the local runtime up to a ready lookup_api target, then an
 * open-loop load of {@code rate} lookups a second for {@code seconds} (each request sent at its scheduled time
 * whatever the earlier ones do; a latency runs from the scheduled time to the answer, so queueing counts), after a
 * warm-up at the same rate. The mix: 50% known by email, 20% by phone + last name, 20% by street + city + state, 8%
 * unknown placed by trait values, 2% unknown with nothing usable. An error is an answer other than 200, a failed
 * request, or a known customer answered without a persona. Then the index's memory, and a fresh JVM's time to load
 * it and answer ({@link LookupColdStart}).
 *
 * <p>Usage: {@code LookupBenchmark [customers=150000] [rate=500] [seconds=60] [workDir]}
 */
public final class LookupBenchmark {

    /** The warm-up before the measured run, at the same rate: (30 s measured no better than 10). */
    static final int WARM_UP_SECONDS = 10;

    /** Concurrent senders, each on its own connection: enough for 500/s at 60 ms each. */
    static final int SENDERS = 32;

    record Customer(String email, String phone, String last, String street, String city, String state) {}

    public static void main(String[] args) throws Exception {
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 150_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        Path work = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("personae-lookup-bench-");
        Files.createDirectories(work);
        Path csv = work.resolve("orders.csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            new OrdersGenerator(42).write(w, customers, customers + customers / 5); // few orders: the people matter here
        }
        List<Customer> people = customers(csv);
        System.out.printf("generated %,d customers (%,d MB of orders)%n", people.size(), Files.size(csv) >> 20);

        String key = "lookup-bench-key-0123456789";
        try (LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Config(0, work.resolve("state"), key, false,
                0.05, null))) {
            Tutorial t = new Tutorial(runtime.baseUrl(), key);
            long b0 = System.nanoTime();
            if (t.upload("orders", "orders.csv", csv).status() != 200) throw new IllegalStateException("upload");
            Tutorial.Ids ids = t.createAll(false);
            t.awaitAll(ids, Duration.ofMinutes(30));
            System.out.printf("dataset, cohort, persona set, scope and CSV target ready in %.1f s%n", (System.nanoTime() - b0) / 1e9);
            long l0 = System.nanoTime();
            Tutorial.Answer created = t.postJson("/targets", "{\"name\": \"Lookup\", \"scope_id\": \"" + ids.scope()
                    + "\", \"options\": {\"type\": \"lookup_api\"}}");
            String target = created.json().path("id").asText();
            JsonNode doc = t.awaitBuilt("/targets/" + target, Duration.ofMinutes(10), new ArrayList<>());
            if (!doc.path("status").asText().equals("ready")) throw new IllegalStateException(doc.toString());
            System.out.printf("lookup target ready in %.1f s (index build from the scope's output)%n",
                    (System.nanoTime() - l0) / 1e9);
            String url = doc.path("options").path("output_url").asText();
            JsonNode set = t.get("/persona_sets/" + ids.personaSet()).json();
            List<String> traits = new ArrayList<>();
            set.path("personas").get(0).path("details").path("center").properties().forEach(e -> {
                if (e.getValue().isNumber() && !e.getKey().contains("=")) traits.add(e.getKey());
            });
            String idColumn = "fdy_persona_set_" + ids.personaSet().replace('-', '_') + "_persona_id";

            Load warm = load(url, key, people, traits, idColumn, rate, Math.min(WARM_UP_SECONDS, seconds), 1);
            System.out.println("warm-up:  " + warm);
            String loadBefore = loadAverage();
            Load run = load(url, key, people, traits, idColumn, rate, seconds, 2);
            System.out.println("measured: " + run);
            System.out.println("machine load average (1, 5, 15 min) before the run " + loadBefore + ", after "
                    + loadAverage() + "; " + Runtime.getRuntime().availableProcessors() + " cores");

            Path index = work.resolve("lookup.idx");
            try (InputStream in = runtime.services().blobs().open(Keys.targetLookupIndex(runtime.accountId(), target))) {
                Files.copy(in, index, StandardCopyOption.REPLACE_EXISTING);
            }
            LookupIndex loaded;
            try (InputStream in = Files.newInputStream(index)) {
                loaded = LookupIndex.read(in);
            }
            System.out.printf("index: %,d people, keys email %,d / phone+last name %,d / address %,d; file %.1f MB;"
                            + " arrays in memory %.1f MB%n", loaded.people(), loaded.keys(LookupIndex.Match.EMAIL),
                    loaded.keys(LookupIndex.Match.PHONE_LAST_NAME), loaded.keys(LookupIndex.Match.ADDRESS),
                    Files.size(index) / 1e6, loaded.memoryBytes() / 1e6);
            coldStart(index);
        }
        System.exit(0);
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    /** The first row's identifiers of each customer of the generated file. */
    static List<Customer> customers(Path csv) throws IOException {
        List<Customer> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (Reader r = Files.newBufferedReader(csv); CSVParser p = CSVParser.parse(r, CSVFormat.DEFAULT.builder()
                .setHeader().setSkipHeaderRecord(true).get())) {
            for (CSVRecord row : p) {
                if (!seen.add(row.get("customer_id"))) continue;
                out.add(new Customer(row.get("email"), row.get("phone"), row.get("last_name"), row.get("address"),
                        row.get("city"), row.get("state")));
            }
        }
        return out;
    }

    /** One run's figures. */
    record Load(int sent, int errors, int known, int knownFound, int noMatch, double seconds, long[] micros) {
        long percentile(double q) {
            return micros.length == 0 ? 0 : micros[(int) Math.min(micros.length - 1, Math.ceil(q * micros.length) - 1)];
        }

        @Override
        public String toString() {
            return String.format("%,d requests in %.1f s (%.0f/s); errors %d; known customers answered with a persona"
                            + " %,d of %,d; no match %,d; latency p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms",
                    sent, seconds, sent / seconds, errors, knownFound, known, noMatch, percentile(0.5) / 1e3,
                    percentile(0.99) / 1e3, percentile(0.999) / 1e3, micros.length == 0 ? 0 : micros[micros.length - 1] / 1e3);
        }
    }

    static Load load(String url, String key, List<Customer> people, List<String> traits,
                     String idColumn, int rate, int seconds, long seed) throws Exception {
        int n = rate * seconds;
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] bodies = new byte[n][];
        String idField = "\"" + idColumn + "\"";
        boolean[] known = new boolean[n];
        for (int i = 0; i < n; i++) {
            Customer c = people.get(random.nextInt(people.size()));
            int kind = random.nextInt(100);
            Map<String, Object> body = new LinkedHashMap<>();
            boolean k = true;
            if (kind < 50 && !c.email().isBlank()) {
                body.put("email", c.email());
            } else if (kind < 70 && !c.phone().isBlank()) {
                body.put("phone", c.phone());
                body.put("person_last_name", c.last());
            } else if (kind < 90 && !c.street().isBlank()) {
                body.put("house_number_and_street", c.street());
                body.put("city", c.city());
                body.put("state", c.state());
            } else if (kind < 98) {
                k = false;
                body.put("email", "prospect" + i + "@nowhere.example");
                for (String trait : traits) body.put(trait, Math.round(random.nextDouble(0, 400)));
            } else {
                k = false;
                body.put("email", "nobody" + i + "@nowhere.example");
            }
            known[i] = k;
            bodies[i] = Json.write(body).getBytes(StandardCharsets.UTF_8);
        }
        AtomicLongArray latency = new AtomicLongArray(n);
        AtomicInteger errors = new AtomicInteger(), found = new AtomicInteger(), noMatch = new AtomicInteger();
        long start = System.nanoTime() + 50_000_000;
        long interval = 1_000_000_000L / rate;
        URI uri = URI.create(url);
        // open loop: the schedule puts each request on the queue at its time; a pool of senders (one connection each)
        // takes them, so a slow answer delays the ones behind it in the queue, and their latency shows it
        LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
        List<Thread> senders = new ArrayList<>();
        for (int w = 0; w < SENDERS; w++) {
            senders.add(Thread.ofPlatform().daemon().start(() -> {
                Connection http = new Connection(uri, key);
                while (true) {
                    int r;
                    try {
                        r = queue.take();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (r < 0) return;
                    long due = start + r * interval;
                    try {
                        Connection.Answer resp = http.post(bodies[r]);
                        latency.set(r, (System.nanoTime() - due) / 1_000);
                        if (resp.status() != 200) {
                            errors.incrementAndGet();
                            continue;
                        }
                        // the answer's fields by name, not parsed: the client must cost little next to the server
                        if (resp.body().contains(idField)) {
                            if (known[r]) found.incrementAndGet();
                        } else if (resp.body().contains("\"error\"")) {
                            noMatch.incrementAndGet();
                        }
                    } catch (IOException | RuntimeException e) {
                        latency.set(r, (System.nanoTime() - due) / 1_000);
                        errors.incrementAndGet();
                        http.close();
                        http = new Connection(uri, key);
                    }
                }
            }));
        }
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
            queue.add(i);
        }
        for (int w = 0; w < SENDERS; w++) queue.add(-1);
        for (Thread t : senders) t.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] micros = new long[n];
        for (int i = 0; i < n; i++) micros[i] = latency.get(i);
        Arrays.sort(micros);
        int knownCount = 0;
        for (boolean k : known) if (k) knownCount++;
        return new Load(n, errors.get(), knownCount, found.get(), noMatch.get(), elapsed, micros);
    }

    /**
     * A minimal HTTP/1.1 client for the loopback server: one kept-alive socket, the request written by hand, the answer
     * read by its {@code Content-Length} (or chunks). The JDK's {@code HttpClient} took about twice the server's CPU
     * in a profile of this benchmark on 2 cores, so its cost showed in the server's tail; this one costs a fraction.
     */
    static final class Connection {
        record Answer(int status, String body) {}

        private final URI uri;
        private final byte[] head;
        private java.net.Socket socket;
        private java.io.BufferedInputStream in;
        private java.io.OutputStream out;

        Connection(URI uri, String key) {
            this.uri = uri;
            this.head = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAuthorization: Bearer " + key + "\r\nContent-Type: application/json\r\nContent-Length: ")
                    .getBytes(StandardCharsets.US_ASCII);
        }

        Answer post(byte[] body) throws IOException {
            if (socket == null) {
                socket = new java.net.Socket(uri.getHost(), uri.getPort());
                socket.setTcpNoDelay(true);
                in = new java.io.BufferedInputStream(socket.getInputStream(), 16_384);
                out = new java.io.BufferedOutputStream(socket.getOutputStream(), 4_096);
            }
            out.write(head);
            out.write((body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String status = line();
            if (status == null) throw new IOException("connection closed");
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false, close = false;
            for (String h; !(h = line()).isEmpty(); ) {
                String lower = h.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) length = Long.parseLong(h.substring(15).trim());
                else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
                else if (lower.startsWith("connection:") && lower.contains("close")) close = true;
            }
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(512);
            if (chunked) {
                for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; line()) {
                    bytes.write(in.readNBytes(size));
                }
                while (!line().isEmpty()) { } // trailers
            } else if (length >= 0) {
                bytes.write(in.readNBytes((int) length));
            }
            if (close) close();
            return new Answer(code, bytes.toString(StandardCharsets.UTF_8));
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder(64);
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    if (b.isEmpty()) return null;
                    throw new IOException("connection closed mid-line");
                }
                if (c != '\r') b.append((char) c);
            }
            return b.toString();
        }

        void close() {
            try {
                if (socket != null) socket.close();
            } catch (IOException ignored) {
                // a new connection follows
            }
            socket = null;
        }
    }

    /** {@link LookupColdStart} in a fresh JVM with this one's class path; prints its line. */
    static void coldStart(Path index) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                LookupColdStart.class.getName(), index.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        System.out.println("cold start (fresh JVM): " + out + " (exit " + p.waitFor() + ")");
    }
}
