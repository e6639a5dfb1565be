package personae.core.persona;

import smile.clustering.Clustering;
import smile.clustering.KMeans;
import smile.math.MathEx;
import smile.validation.metric.AdjustedRandIndex;

import java.util.Arrays;

/**
 * Not a test: times {@link PersonaClustering#fit} on a planted cohort (default 150,000 x 12, k chosen) and checks
 * whether raw Smile Lloyd runs repeat under the same seed. Run with the test classpath, for example
 * {@code java -Xmx2g -cp target/classes:target/test-classes:<deps> personae.core.persona.PersonaClusteringBenchmark 150000}.
 */
public final class PersonaClusteringBenchmark {

    private PersonaClusteringBenchmark() {
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 150_000;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        PlantedCohort cohort = PlantedCohort.generate(rows, 1, 0.01);
        Runtime rt = Runtime.getRuntime();
        System.out.printf("cohort %d x %d, max heap %d MiB, cpus %d%n", rows, PlantedCohort.FEATURES.size(),
                rt.maxMemory() >> 20, rt.availableProcessors());
        PersonaModel previous = null;
        for (int i = 0; i < repeats; i++) {
            System.gc();
            long t0 = System.nanoTime();
            PersonaModel model = PersonaClustering.fit(cohort.table(), null, 42);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double ari = AdjustedRandIndex.of(cohort.truth(), model.assignAll(cohort.table()));
            System.out.printf("fit #%d: %.2f s, k=%d, ARI=%.3f, counts=%s, silhouettes=%s, heap used %d MiB, same as previous: %s%n",
                    i + 1, seconds, model.k(), ari, model.memberCounts(), model.choice().silhouetteByK(),
                    (rt.totalMemory() - rt.freeMemory()) >> 20, previous == null ? "-" : model.equals(previous));
            previous = model;
        }
        // raw Smile: does KMeans.lloyd repeat itself after MathEx.setSeed on the calling thread?
        double[][] z = PersonaClustering.standardise(cohort.table(),
                previous.scalings());
        int[] first = null;
        for (int i = 0; i < 4; i++) {
            MathEx.setSeed(7);
            int[] g = KMeans.lloyd(z, new Clustering.Options(6, 100)).group();
            System.out.printf("raw Smile lloyd k=6 seed 7 run %d: identical to run 1: %s%n", i + 1,
                    first == null ? "-" : Arrays.equals(first, g));
            if (first == null) first = g.clone();
        }
    }
}
