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
 * <p>Usage: {@code Benchmark [--crm rows] [rows=1000000] [customers=150000] [workDir]}; with {@code --crm}, also a
 * customer table about the same customers (OrdersGenerator.writeCustomerTable), linked to the orders' people.
 */
public final class Benchmark {

    public static void main(String[] argv) throws IOException {
        List<String> list = new ArrayList<>(List.of(argv));
        int crmRows = 0; // --crm N: also a customer table of N rows about the same customers (one person across datasets)
        int at = list.indexOf("--crm");
        if (at >= 0) {
            crmRows = Integer.parseInt(list.get(at + 1));
            list.remove(at + 1);
            list.remove(at);
        }
        String[] args = list.toArray(String[]::new);
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

        Path crm = work.resolve("crm.csv");
        if (crmRows > 0) {
            long c0 = System.nanoTime();
            int known;
            try (BufferedWriter w = Files.newBufferedWriter(crm, StandardCharsets.UTF_8)) {
                known = new OrdersGenerator(42).writeCustomerTable(w, customers, crmRows);
            }
            System.out.printf("generated a customer table of %,d rows (%,d of them customers who ordered; %,d MB) in"
                    + " %.1f s%n", crmRows, known, Files.size(crm) >> 20, (System.nanoTime() - c0) / 1e9);
        }

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
            String crmDataset = null;
            if (crmRows > 0) {
                Tutorial.Answer upCrm = t.upload("crm", "crm.csv", crm);
                if (upCrm.status() != 200) throw new IllegalStateException("upload: " + upCrm.body());
                mark = phase(phases, "upload of the customer table", mark);
                Tutorial.Answer a = t.postJson("/datasets", OrdersGenerator.CUSTOMER_TABLE_BODY);
                if (a.status() != 201) throw new IllegalStateException("customer table: " + a.body());
                crmDataset = a.json().path("id").asText();
            }
            Tutorial.Ids ids = t.createAll(false);
            String goldCohort = null;
            if (crmRows > 0) {
                Tutorial.Answer a = t.postJson("/cohorts", "{\"name\": \"Gold buyers\", \"stream_name\": \"orders\","
                        + " \"traits\": [{\"name\": \"loyalty_tier\", \"_in\": [\"gold\", \"platinum\"]}]}");
                if (a.status() != 201) throw new IllegalStateException("gold cohort: " + a.body());
                goldCohort = a.json().path("id").asText();
            }
            List<String[]> stepList = new ArrayList<>();
            stepList.add(new String[]{"dataset ready (ingestion, identity resolution, traits)", "/datasets/" + ids.dataset()});
            if (crmDataset != null) stepList.add(new String[]{"customer table ready", "/datasets/" + crmDataset});
            stepList.add(new String[]{"cohort ready", "/cohorts/" + ids.cohort()});
            if (goldCohort != null) {
                stepList.add(new String[]{"cohort with a customer-table trait ready", "/cohorts/" + goldCohort});
            }
            String[][] steps = {
                    {"persona set ready (features, k choice, k-means, names)", "/persona_sets/" + ids.personaSet()},
                    {"scope ready (assignment, CSV)", "/scopes/" + ids.scope()},
                    {"target ready (hosted CSV)", "/targets/" + ids.target()}};
            stepList.addAll(List.of(steps));
            List<String> details = new ArrayList<>();
            for (String[] s : stepList) {
                JsonNode doc = t.awaitBuilt(s[1], Duration.ofMinutes(30), new ArrayList<>());
                if (!doc.path("status").asText().equals("ready")) {
                    throw new IllegalStateException(s[1] + " failed: " + doc.path("status_error").asText());
                }
                mark = phase(phases, s[0], mark);
                if (s[1].startsWith("/datasets")) {
                    details.add("rows " + doc.path("row_count").asLong() + ", people " + doc.path("identified_count").asLong());
                }
                if (s[1].startsWith("/cohorts")) details.add("members " + doc.path("population_count").asLong());
                if (s[1].startsWith("/persona_sets")) details.add("personas " + doc.path("personas").size());
                if (s[1].startsWith("/scopes")) details.add("scope rows " + doc.path("population_count").asLong());
            }
            Tutorial.Answer download = t.get("/targets/" + ids.target() + "/download.csv");
            if (download.status() != 200) throw new IllegalStateException("download: " + download.status());
            long lines = download.body().lines().count();
            phase(phases, "download.csv (" + (download.body().length() >> 20) + " MB, " + (lines - 1) + " rows)", mark);
            double total = (System.nanoTime() - start) / 1e9;
            String linkage = "";
            if (crmRows > 0) {
                // what each cohort, persona set and scope build spends linking the two datasets' people
                personae.core.pipeline.Outputs outputs = new personae.core.pipeline.Outputs(runtime.services());
                double best = Double.MAX_VALUE;
                personae.core.people.AccountPeople people = null;
                for (int i = 0; i < 5; i++) {
                    long l0 = System.nanoTime();
                    people = outputs.accountPeople(runtime.accountId());
                    best = Math.min(best, (System.nanoTime() - l0) / 1e6);
                }
                linkage = String.format("linkage: %,d records of %d datasets into %,d people (%,d keys joined two"
                        + " people) in %.0f ms (best of 5, reading both keys files from S3Mock)", people.records(),
                        people.datasets().size(), people.people(), people.links(), best);
            }

            System.out.println();
            System.out.println("| phase | seconds |");
            System.out.println("|---|---:|");
            phases.forEach((name, s) -> System.out.printf("| %s | %.1f |%n", name, s));
            System.out.printf("| **total** | **%.1f** |%n", total);
            System.out.println();
            System.out.println(String.join("; ", details));
            if (!linkage.isEmpty()) System.out.println(linkage);
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
