package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import personae.core.sample.OrdersGenerator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end-to-end benchmark: generated orders through the local API (upload -> dataset ready -> cohort -> persona set
 * ready -> scope ready -> target ready -> CSV downloaded), seconds per phase and peak memory. Everything (emulators
 * included) runs in this JVM, so run it with the heap you want to measure, e.g. {@code bin/benchmark}.
 *
 * <p>Usage: {@code Benchmark [rows=1000000] [customers=150000] [workDir]}
 */
public final class Benchmark {

    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int customers = args.length > 1 ? Integer.parseInt(args[1]) : 150_000;
        Path work = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("personae-bench-");
        Files.createDirectories(work);
        Path csv = work.resolve("orders.csv");
        long g0 = System.nanoTime();
        OrdersGenerator.Summary summary;
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            summary = new OrdersGenerator(42).write(w, customers, rows);
        }
        System.out.printf("generated %,d rows for %,d customers (%,d MB) in %.1f s%n", summary.rows(),
                summary.customers(), Files.size(csv) >> 20, (System.nanoTime() - g0) / 1e9);

        String key = "bench-key-0123456789";
        Map<String, Double> phases = new LinkedHashMap<>();
        try (LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Config(0, work.resolve("state"), key, false,
                0.05, null))) {
            Tutorial t = new Tutorial(runtime.baseUrl(), key);
            long start = System.nanoTime();
            long mark = start;
            Tutorial.Answer up = t.upload("orders", "orders.csv", csv);
            if (up.status() != 200) throw new IllegalStateException("upload: " + up.body());
            mark = phase(phases, "upload (stream + CSV check + MD5)", mark);
            Tutorial.Ids ids = t.createAll(false);
            String[][] steps = {
                    {"dataset ready (ingestion, identity resolution, traits)", "/datasets/" + ids.dataset()},
                    {"cohort ready", "/cohorts/" + ids.cohort()},
                    {"persona set ready (features, k choice, k-means, names)", "/persona_sets/" + ids.personaSet()},
                    {"scope ready (assignment, CSV)", "/scopes/" + ids.scope()},
                    {"target ready (hosted CSV)", "/targets/" + ids.target()}};
            List<String> details = new ArrayList<>();
            for (String[] s : steps) {
                JsonNode doc = t.awaitBuilt(s[1], Duration.ofMinutes(30), new ArrayList<>());
                if (!doc.path("status").asText().equals("ready")) {
                    throw new IllegalStateException(s[1] + " failed: " + doc.path("status_error").asText());
                }
                mark = phase(phases, s[0], mark);
                if (s[1].startsWith("/datasets")) {
                    details.add("rows " + doc.path("row_count").asLong() + ", people " + doc.path("identified_count").asLong());
                }
                if (s[1].startsWith("/persona_sets")) details.add("personas " + doc.path("personas").size());
                if (s[1].startsWith("/scopes")) details.add("scope rows " + doc.path("population_count").asLong());
            }
            Tutorial.Answer download = t.get("/targets/" + ids.target() + "/download.csv");
            if (download.status() != 200) throw new IllegalStateException("download: " + download.status());
            long lines = download.body().lines().count();
            phase(phases, "download.csv (" + (download.body().length() >> 20) + " MB, " + (lines - 1) + " rows)", mark);
            double total = (System.nanoTime() - start) / 1e9;

            System.out.println();
            System.out.println("| phase | seconds |");
            System.out.println("|---|---:|");
            phases.forEach((name, s) -> System.out.printf("| %s | %.1f |%n", name, s));
            System.out.printf("| **total** | **%.1f** |%n", total);
            System.out.println();
            System.out.println(String.join("; ", details));
            System.out.printf("max heap %d MB; peak heap used %d MB (sum of heap pool peaks); peak RSS %s (whole JVM,"
                            + " emulators included); %d cores%n", Runtime.getRuntime().maxMemory() >> 20,
                    peakHeapMb(), peakRss(), Runtime.getRuntime().availableProcessors());
        }
        System.exit(0);
    }

    private static long phase(Map<String, Double> phases, String name, long since) {
        long now = System.nanoTime();
        phases.put(name, (now - since) / 1e9);
        System.out.printf("  %-60s %6.1f s%n", name, (now - since) / 1e9);
        return now;
    }

    private static long peakHeapMb() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
        }
        return sum >> 20;
    }

    private static String peakRss() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                    .map(l -> l.replace("VmHWM:", "").trim()).findFirst().orElse("n/a");
        } catch (IOException e) {
            return "n/a";
        }
    }
}
