package personae.core.target;

import personae.core.resource.Json;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Not a test: the time and heap of each target mode on a generated scope output of {@code n} people (identity
 * columns, one persona set of 5 personas). Run from the test classpath, e.g. {@code java -Xmx2g -cp
 * target/classes:target/test-classes:<deps> personae.core.target.TargetCsvBenchmark 1000000 [mode prefix]}. Prints per mode the
 * rows written, the wall time and the peak heap (sum of the heap pools, reset before each mode).
 */
public final class TargetCsvBenchmark {

    private TargetCsvBenchmark() {}

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String set = "fdy_persona_set_ps_1_persona_";
        Path csv = Files.createTempFile("scope-bench", ".csv");
        String[] states = {"MA", "NY", "CA", "TX", "WA", "OR", "FL", "IL"};
        try {
            try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                w.write("email,person_first_name,person_last_name,house_number_and_street,city,state,postcode,phone,"
                        + "customer_id," + set + "id," + set + "name\n");
                for (int i = 0; i < n; i++) {
                    int home = i % 4 == 1 ? i - 1 : i;
                    w.write("cust" + i + "@example.com,First" + i + ",Last" + i + "," + (home % 9000 + 1) + " Main Street "
                            + home / 9000 + ",Town" + home % 300 + "," + states[home % states.length] + ","
                            + String.format("%05d", home % 40000) + ",+1617555" + String.format("%04d", i % 10000)
                            + ",C" + i + ",p" + i % 5 + ",Persona " + i % 5 + "\n");
                }
            }
            List<ScopeColumns.Persona> personas = java.util.stream.IntStream.range(0, 5)
                    .mapToObj(i -> new ScopeColumns.Persona("p" + i, "Persona " + i)).toList();
            ScopeColumns scope = new ScopeColumns(List.of("email", "person_first_name", "person_last_name",
                    "house_number_and_street", "city", "state", "postcode", "phone", "customer_id"),
                    Map.of(set + "id", "Set persona id", set + "name", "Set persona name"),
                    List.of(new ScopeColumns.PersonaSet("ps-1", "Set", personas)));
            Map<String, String> modes = new java.util.LinkedHashMap<>();
            modes.put("identified/person", "{\"mode\":\"identified\",\"aggregate\":\"person\"}");
            modes.put("identified/residence", "{\"mode\":\"identified\",\"aggregate\":\"residence\"}");
            modes.put("hashed", "{\"mode\":\"hashed\"}");
            modes.put("referenced", "{\"mode\":\"referenced\",\"reference\":{\"dataset_id\":\"d\",\"column_name\":\"customer_id\"}}");
            modes.put("aggregated/state", "{\"mode\":\"aggregated\",\"aggregate\":\"state\"}");
            modes.put("aggregated/postcode", "{\"mode\":\"aggregated\",\"aggregate\":\"postcode\"}");
            for (int round = 0; round < 2; round++) {
                for (var m : modes.entrySet()) {
                    if (args.length > 1 && !m.getKey().startsWith(args[1])) continue;
                    for (long cap : new long[] {TargetCsv.NO_CAP, 1000}) {
                        gc();
                        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
                        long t0 = System.nanoTime();
                        TargetCsv.Result r;
                        try (InputStream in = Files.newInputStream(csv)) {
                            r = TargetCsv.transform(Json.read("{\"id\":\"t-1\",\"representation\":" + m.getValue() + "}"),
                                    scope, in, OutputStream.nullOutputStream(), cap);
                        }
                        long ms = (System.nanoTime() - t0) / 1_000_000;
                        long peak = 0;
                        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) peak += p.getPeakUsage().getUsed();
                        }
                        if (round == 1) {
                            System.out.printf("%-20s %-8s rows=%,d time=%,d ms peak-heap=%d MB%n", m.getKey(),
                                    cap == 1000 ? "preview" : "full", r.rows(), ms, peak >> 20);
                        }
                    }
                }
            }
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    private static void gc() {
        for (int i = 0; i < 3; i++) System.gc();
    }
}
