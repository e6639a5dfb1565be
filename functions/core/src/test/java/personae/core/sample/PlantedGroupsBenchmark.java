package personae.core.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import personae.core.persona.Feature;
import personae.core.persona.FeatureTable;
import personae.core.persona.PersonaClustering;
import personae.core.persona.PersonaModel;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Not part of {@code bin/test}: the planted-groups benchmark on the full grid (groups 2..8 x 3,000 and 20,000
 * customers x 3 seeds x 2 separations, plus some 150,000-customer cases). Writes {@code results.csv} (one line per
 * case) and each case's feature table ({@code tables/<case>.csv}, with the planted group, and
 * {@code tables/<case>.kinds.csv}) under {@code -Dplanted.bench=<dir>}, for {@code bench/planted_sklearn.py}. Run:
 * <pre>mvn -B -o -q -pl functions/core -am test -Dtest=PlantedGroupsBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dplanted.bench=$PWD/target/planted</pre>
 * Optional (defaults shown): {@code -Dplanted.sizes=3000,20000 -Dplanted.seeds=1,2,3 -Dplanted.groups=2,3,4,5,6,7,8
 * -Dplanted.separations=6,4 -Dplanted.large=150000 -Dplanted.large.groups=3,5,8} ({@code planted.large=0}: none).
 * Results are appended to an existing {@code results.csv}, so a grid can be run in parts.
 */
class PlantedGroupsBenchmark {

    @Test
    @EnabledIfSystemProperty(named = "planted.bench", matches = ".+")
    void fullGrid() throws IOException {
        Path dir = Path.of(System.getProperty("planted.bench"));
        Files.createDirectories(dir.resolve("tables"));
        int[] sizes = ints(System.getProperty("planted.sizes", "3000,20000"));
        long[] seeds = Arrays.stream(ints(System.getProperty("planted.seeds", "1,2,3"))).asLongStream().toArray();
        int large = Integer.parseInt(System.getProperty("planted.large", "150000"));
        int[] groupCounts = ints(System.getProperty("planted.groups", "2,3,4,5,6,7,8"));
        int[] largeGroups = ints(System.getProperty("planted.large.groups", "3,5,8"));
        double[] separations = Arrays.stream(System.getProperty("planted.separations",
                PlantedGroupsCase.CLEAR + "," + PlantedGroupsCase.OVERLAPPING).split(",")).mapToDouble(Double::parseDouble).toArray();
        Path results = dir.resolve("results.csv");
        boolean fresh = !Files.exists(results);
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(results, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND))) {
            if (fresh) out.println("case,groups,customers,seed,separation,our_k,our_ari,oracle_ari,fit_seconds,criterion_by_k");
            for (double separation : separations) {
                for (int customers : sizes) {
                    for (long seed : seeds) {
                        for (int groups : groupCounts) run(dir, out, groups, customers, seed, separation);
                    }
                }
                if (large > 0) for (int groups : largeGroups) run(dir, out, groups, large, 1, separation);
            }
        }
    }

    private static void run(Path dir, PrintWriter out, int groups, int customers, long seed, double separation) throws IOException {
        PlantedGroupsCase c = PlantedGroupsCase.run(new PlantedGroupsGenerator.Config(groups, customers, seed, separation,
                PlantedGroupsCase.IMBALANCE, 4));
        String name = String.format(Locale.ROOT, "g%d-n%d-s%d-sep%.0f", groups, customers, seed, separation);
        String scores = c.model().choice().silhouetteByK().entrySet().stream()
                .map(e -> e.getKey() + ":" + String.format(Locale.ROOT, "%.4f", e.getValue())).collect(Collectors.joining(" "));
        out.printf(Locale.ROOT, "%s,%d,%d,%d,%.1f,%d,%.4f,%.4f,%.2f,%s%n", name, groups, customers, seed, separation,
                c.model().k(), c.ari(), oracle(c), c.fitSeconds(), scores);
        out.flush();
        System.out.println(name + ": " + c.describe());
        writeTable(dir.resolve("tables"), name, c.table(), c.truth());
    }

    /** ARI of the best the features allow k-means: each person at the nearest planted group's mean (standardised). */
    static double oracle(PlantedGroupsCase c) {
        PersonaModel m = c.model();
        double[][] z = PersonaClustering.standardise(c.table(), m.scalings());
        int g = c.config().groups(), d = z[0].length;
        double[][] centre = new double[g][d];
        int[] n = new int[g];
        for (int i = 0; i < z.length; i++) {
            n[c.truth()[i]]++;
            for (int f = 0; f < d; f++) centre[c.truth()[i]][f] += z[i][f];
        }
        for (int a = 0; a < g; a++) for (int f = 0; f < d; f++) centre[a][f] /= Math.max(1, n[a]);
        int[] label = new int[z.length];
        for (int i = 0; i < z.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int a = 0; a < g; a++) {
                double s = 0;
                for (int f = 0; f < d; f++) s += (z[i][f] - centre[a][f]) * (z[i][f] - centre[a][f]);
                if (s < best) { best = s; label[i] = a; }
            }
        }
        return smile.validation.metric.AdjustedRandIndex.of(c.truth(), label);
    }

    private static void writeTable(Path dir, String name, FeatureTable table, int[] truth) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve(name + ".kinds.csv"), StandardCharsets.UTF_8))) {
            w.println("feature,kind");
            for (Feature f : table.features()) w.println(f.name() + "," + f.kind());
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve(name + ".csv"), StandardCharsets.UTF_8))) {
            w.println(table.features().stream().map(Feature::name).collect(Collectors.joining(",")) + ",planted_group");
            StringBuilder line = new StringBuilder();
            for (int r = 0; r < table.rows(); r++) {
                line.setLength(0);
                for (int f = 0; f < table.features().size(); f++) {
                    double v = table.get(r, f);
                    if (!Double.isNaN(v)) line.append(v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
                    line.append(',');
                }
                w.println(line.append(truth[r]));
            }
        }
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
    }

}
