package personae.core.ingest;

import personae.core.resource.Json;
import personae.core.sample.OrdersGenerator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Not a test: a quick measurement of ingestion's heap and time on generated orders. Run from the test classpath:
 * {@code java -Xmx2g -cp target/classes:target/test-classes:<deps> personae.core.ingest.IngestBenchmark 300000 600000}.
 * Prints the heap still in use (after a full GC) when all rows have been read and resolved (the moment
 * {@code people.csv} is opened), the peak heap of the run, and the wall time.
 */
public final class IngestBenchmark {

    static final String SPEC = Json.write(Json.readObject(OrdersGenerator.DATASET_BODY).put("id", "bench"));

    private IngestBenchmark() {}

    public static void main(String[] args) throws IOException {
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : customers * 2;
        Path csv = Files.createTempFile("orders-bench", ".csv");
        try {
            try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                new OrdersGenerator(42).write(w, customers, rows);
            }
            gc();
            long before = used();
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
            long[] retained = {-1};
            long t0 = System.nanoTime();
            DatasetIngestor ingestor = new DatasetIngestor(DatasetSpec.fromDocument(Json.read(SPEC)), name -> {
                if (name.equals("people.csv")) {
                    gc();
                    retained[0] = used() - before;
                }
                return OutputStream.nullOutputStream();
            });
            DatasetIngestor.Result r = ingestor.ingest(List.of(new DatasetIngestor.SourceFile("orders/orders.csv", () -> {
                try {
                    return Files.newInputStream(csv);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            })));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long peak = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) peak += p.getPeakUsage().getUsed();
            }
            System.out.printf("customers=%d rows=%d people=%d events=%d time=%d ms (incl. one forced GC) "
                            + "retained-after-read=%d MB peak-heap(sum of pools)=%d MB max-heap=%d MB%n",
                    customers, r.rowCount(), r.manifest().people(), r.manifest().streams().get("orders").events(), ms,
                    retained[0] >> 20, peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    private static void gc() {
        for (int i = 0; i < 3; i++) System.gc();
    }

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
