package personae.local;

import personae.core.lookup.Lookup;
import personae.core.lookup.LookupIndex;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The local stand-in for a cold start of the lookup: in a fresh JVM, the time to load a lookup index file and answer
 * a first lookup (classes loaded on the way included), and the heap the loaded index keeps. Run by
 * {@link LookupBenchmark}; prints one line.
 *
 * <p>Usage: {@code LookupColdStart <lookup.idx>}
 */
public final class LookupColdStart {

    public static void main(String[] args) throws Exception {
        long jvm = ManagementFactory.getRuntimeMXBean().getUptime();
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        long j0 = System.nanoTime();
        personae.core.resource.Json.MAPPER.readTree("{\"warm\": [1]}"); // Jackson's own start, apart from the index
        long t0 = System.nanoTime();
        LookupIndex index;
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            index = LookupIndex.read(in);
        }
        long loaded = System.nanoTime();
        Lookup.Answer a = Lookup.lookup(index, Map.of("email", "nobody@nowhere.example"), Map.of());
        long answered = System.nanoTime();
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        System.out.printf("JVM start to main %d ms; Jackson's first parse %.0f ms; index read %.0f ms; first lookup"
                        + " %.1f ms (phone and address normalisation classes load); total from JVM start %.0f ms; heap"
                        + " kept by the index %.1f MB (%,d people, found=%s)%n", jvm, (t0 - j0) / 1e6, (loaded - t0) / 1e6,
                (answered - loaded) / 1e6, jvm + (answered - j0) / 1e6,
                (after - before) / 1e6, index.people(), a.found());
    }
}
