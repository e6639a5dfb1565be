package personae.core.persona;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import personae.core.persona.Feature;
import personae.core.persona.FeatureTable;
import personae.core.persona.PersonaClustering;
import personae.core.persona.PersonaModel;
import smile.validation.metric.AdjustedRandIndex;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Not part of {@code bin/test}: re-fits saved planted-groups feature tables (written by {@code PlantedGroupsBenchmark}
 * under {@code <dir>/tables}) to compare clustering choices without re-generating or re-ingesting. Prints each case's
 * chosen k and ARI and the mean. Run with {@code -Dkx.dir=<dir>/tables} and optionally {@code -Dkx.filter=n3000}
 * (file-name filter), {@code -Dkx.given=true} (the planted k), {@code -Dkx.drop=USER_DEFINED} (leave a kind of
 * feature out), {@code -Dkx.oracle=true} (Lloyd's steps from the planted groups, our clustering and a diagonal
 * Gaussian mixture from it, with their ARI and distortion; {@code -Dkx.spherical=true} makes that mixture one variance
 * per cluster), {@code -Dkx.reweight=N} (given k: N rounds of weighting each feature by its share of variance between
 * the clusters, {@code -Dkx.pow} its power, then clustering again), {@code -Dkx.kmeans=true} (k-means alone, without
 * the {@link PersonaMixture} refinement, with the planted k), {@code -Dkx.seed=N} (another clustering seed than
 * {@code PersonaSetBuild.CLUSTERING_SEED}), {@code -Dkx.perk=<dir>} (every candidate k's ARI, silhouette and
 * log-likelihood, and the silhouette sample with each k's labels, written there for criteria computed offline),
 * {@code -Dkx.oraclemix=true} (the planted k: the mixture started from the planted groups against ours, their
 * log-likelihood and ARI).
 */
class KChoiceExperiment {
    @Test
    @EnabledIfSystemProperty(named = "kx.dir", matches = ".+")
    void run() throws Exception {
        Path dir = Path.of(System.getProperty("kx.dir"));
        String filter = System.getProperty("kx.filter", "n3000");
        boolean given = Boolean.getBoolean("kx.given");
        List<Path> cases;
        try (Stream<Path> s = Files.list(dir)) {
            cases = s.filter(p -> p.toString().endsWith(".csv") && !p.toString().endsWith(".kinds.csv")
                    && p.getFileName().toString().contains(filter)).sorted().toList();
        }
        double sum = 0; int hits = 0, n = 0;
        for (Path c : cases) {
            List<String> lines = Files.readAllLines(c);
            List<String> kinds = Files.readAllLines(Path.of(c.toString().replace(".csv", ".kinds.csv")));
            String[] header = lines.get(0).split(",", -1);
            List<Feature> features = new ArrayList<>();
            for (int i = 1; i < kinds.size(); i++) {
                String[] kv = kinds.get(i).split(",");
                String label = kv[0].startsWith("orders_product_share_") ? kv[0].substring(21) : kv[0].startsWith("orders_") ? "orders" : kv[0];
                features.add(new Feature(kv[0], Feature.Kind.valueOf(kv[1]), label));
            }
            String drop = System.getProperty("kx.drop", "");
            int rows = lines.size() - 1, d0 = features.size();
            List<Integer> keep = new ArrayList<>();
            for (int f = 0; f < d0; f++) if (!features.get(f).kind().name().equals(drop)) keep.add(f);
            int d = keep.size();
            double[][] cols = new double[d][rows];
            int[] truth = new int[rows];
            for (int r = 0; r < rows; r++) {
                String[] v = lines.get(r + 1).split(",", -1);
                for (int f = 0; f < d; f++) { String x = v[keep.get(f)]; cols[f][r] = x.isEmpty() ? Double.NaN : Double.parseDouble(x); }
                truth[r] = Integer.parseInt(v[header.length - 1]);
            }
            int planted = (int) java.util.Arrays.stream(truth).distinct().count();
            features = keep.stream().map(features::get).toList();
            FeatureTable t = new FeatureTable(features, cols, rows);
            if (Integer.getInteger("kx.reweight", 0) > 0) {
                List<FeatureScaling> sc = PersonaClustering.scalings(t);
                double[][] z = PersonaClustering.standardise(t, sc);
                int[] g = PersonaClustering.kMeans(z, planted, 20_240_501L);
                double a0 = new AdjustedRandIndex().score(truth, g);
                double pw = Double.parseDouble(System.getProperty("kx.pow", "1"));
                StringBuilder ws = new StringBuilder();
                for (int it = 0; it < Integer.getInteger("kx.reweight"); it++) {
                    double[][] mu = PersonaClustering.means(z, g, planted);
                    double[] w = new double[d]; double wsum = 0;
                    for (int f = 0; f < d; f++) {
                        double tot = 0, within = 0, m = 0;
                        for (double[] row : z) m += row[f]; m /= rows;
                        for (int i = 0; i < rows; i++) { double e = z[i][f] - m; tot += e * e; double u = z[i][f] - mu[g[i]][f]; within += u * u; }
                        w[f] = tot == 0 ? 0 : Math.pow(Math.max(0, 1 - within / tot), pw); wsum += w[f];
                    }
                    double[][] zw = new double[rows][d];
                    ws.setLength(0);
                    for (int f = 0; f < d; f++) { double s2 = Math.sqrt(w[f] * d / wsum); ws.append(String.format("%.2f ", s2)); for (int i = 0; i < rows; i++) zw[i][f] = z[i][f] * s2; }
                    g = PersonaClustering.kMeans(zw, planted, 20_240_501L);
                }
                double a1 = new AdjustedRandIndex().score(truth, g);
                sum += a1; n++;
                System.out.printf("KX %-22s base %.4f reweighted %.4f w %s%n", c.getFileName(), a0, a1, ws);
                continue;
            }
            if (Boolean.getBoolean("kx.oracle")) {
                List<FeatureScaling> sc = PersonaClustering.scalings(t);
                double[][] z = PersonaClustering.standardise(t, sc);
                int[] g = truth.clone();
                double dt = PersonaClustering.polish(z, g, planted);
                int[] base = PersonaClustering.kMeans(z, planted, 20_240_501L);
                int[] b2 = base.clone();
                double db = PersonaClustering.polish(z, b2, planted);
                int[] gm = gmm(z, base.clone(), planted);
                System.out.printf("KX %-22s gmm ari %.4f%n", c.getFileName(), new AdjustedRandIndex().score(truth, gm));
                System.out.printf("KX %-22s oracle-start ari %.4f distortion %.1f ; ours ari %.4f distortion %.1f%n", c.getFileName(),
                        new AdjustedRandIndex().score(truth, g), dt, new AdjustedRandIndex().score(truth, base), db);
                continue;
            }
            if (Boolean.getBoolean("kx.kmeans")) {
                List<FeatureScaling> sc = PersonaClustering.scalings(t);
                double ari = new AdjustedRandIndex().score(truth, PersonaClustering.kMeans(PersonaClustering.standardise(t, sc), planted, 20_240_501L));
                sum += ari; n++;
                System.out.printf("KX %-22s k-means alone, planted k %d: ari %.4f%n", c.getFileName(), planted, ari);
                continue;
            }
            if (Boolean.getBoolean("kx.oraclemix")) {
                // the mixture started from the planted groups against ours at the planted k: log-likelihood and ARI
                List<FeatureScaling> sc = PersonaClustering.scalings(t);
                double[][] z = PersonaClustering.standardise(t, sc);
                PersonaMixture.Layout layout = PersonaMixture.Layout.of(features);
                double[][] counts = layout.counts(t);
                int[] tl = truth.clone();
                int[] ids = java.util.Arrays.stream(truth).distinct().sorted().toArray();
                for (int i = 0; i < tl.length; i++) tl[i] = java.util.Arrays.binarySearch(ids, truth[i]);
                PersonaMixture fromTruth = PersonaMixture.fit(layout, z, counts, tl, planted);
                PersonaClustering.Partition ours = PersonaClustering.cluster(layout, z, counts, planted, Long.getLong("kx.seed", 20_240_501L) + planted);
                System.out.printf("KX %-22s planted %d truth-start ll %.1f ari %.4f ; ours ll %.1f ari %.4f%n", c.getFileName(), planted,
                        fromTruth.logLikelihood(z, counts), new AdjustedRandIndex().score(truth, fromTruth.labels(z, counts)),
                        ours.mixture().logLikelihood(z, counts), new AdjustedRandIndex().score(truth, ours.labels()));
                continue;
            }
            if (System.getProperty("kx.perk") != null) {
                // every candidate k's partition among everyone: its ARI, silhouette and the mixture's log-likelihood
                List<FeatureScaling> sc = PersonaClustering.scalings(t);
                double[][] z = PersonaClustering.standardise(t, sc);
                PersonaMixture.Layout layout = PersonaMixture.Layout.of(features);
                double[][] counts = layout.counts(t);
                java.util.Map<Integer, PersonaClustering.Partition> parts = new java.util.LinkedHashMap<>();
                ClusterCountChoice ch = PersonaClustering.chooseK(layout, z, counts, 8, Long.getLong("kx.seed", 20_240_501L), parts);
                Path out = Path.of(System.getProperty("kx.perk"), c.getFileName().toString().replace(".csv", ".perk.csv"));
                Files.createDirectories(out.getParent());
                StringBuilder sb = new StringBuilder("k,kfound,ari,silhouette,loglik\n");
                for (var e : parts.entrySet()) {
                    int[] lab = e.getValue().labels();
                    int kf = (int) java.util.Arrays.stream(lab).distinct().count();
                    double ll = e.getValue().mixture() == null ? Double.NaN : e.getValue().mixture().logLikelihood(z, counts);
                    sb.append(e.getKey()).append(',').append(kf).append(',').append(new AdjustedRandIndex().score(truth, lab)).append(',')
                            .append(ch.silhouetteByK().get(e.getKey())).append(',').append(ll).append('\n');
                }
                Files.writeString(out, sb);
                // the silhouette sample's rows (standardised), truth and each k's labels, for criteria computed offline
                int[] rowsS = PersonaClustering.sampleRows(z.length, PersonaClustering.SILHOUETTE_SAMPLE, Long.getLong("kx.seed", 20_240_501L));
                StringBuilder sm = new StringBuilder();
                for (int r : rowsS) {
                    sm.append(truth[r]);
                    for (var e : parts.entrySet()) sm.append(',').append(e.getValue().labels()[r]);
                    for (double v : z[r]) sm.append(',').append((float) v);
                    sm.append('\n');
                }
                Files.writeString(Path.of(out.toString().replace(".perk.csv", ".sample.csv")), sm);
                System.out.printf("KX %-22s planted %d %s%n", c.getFileName(), planted, sb.toString().replace('\n', ' '));
                continue;
            }
            long t0 = System.nanoTime();
            PersonaModel m = PersonaClustering.fit(t, given ? planted : null, Long.getLong("kx.seed", 20_240_501L));
            double ari = new AdjustedRandIndex().score(truth, m.assignAll(t));
            sum += ari; n++; if (m.k() == planted) hits++;
            System.out.printf("KX %-22s planted %d k %d ari %.4f %.1fs %s%n", c.getFileName(), planted, m.k(), ari,
                    (System.nanoTime() - t0) / 1e9, m.choice().silhouetteByK());
        }
        System.out.printf("KX MEAN ari %.4f hits %d/%d%n", sum / n, hits, n);
    }

    /** Diagonal Gaussian mixture EM from a labelling; returns max-posterior labels. */
    static int[] gmm(double[][] z, int[] labels, int k) {
        int n = z.length, d = z[0].length;
        double floor = Double.parseDouble(System.getProperty("kx.floor", "0.05"));
        double[][] resp = new double[n][k];
        for (int i = 0; i < n; i++) resp[i][labels[i]] = 1;
        double[][] mu = new double[k][d], var = new double[k][d];
        double[] w = new double[k];
        for (int it = 0; it < 60; it++) {
            for (int c = 0; c < k; c++) {
                double s = 0; double[] m = new double[d], v = new double[d];
                for (int i = 0; i < n; i++) { double r = resp[i][c]; s += r; for (int f = 0; f < d; f++) m[f] += r * z[i][f]; }
                for (int f = 0; f < d; f++) m[f] /= Math.max(s, 1e-9);
                for (int i = 0; i < n; i++) { double r = resp[i][c]; for (int f = 0; f < d; f++) { double e = z[i][f] - m[f]; v[f] += r * e * e; } }
                for (int f = 0; f < d; f++) v[f] = Math.max(v[f] / Math.max(s, 1e-9), floor);
                if (Boolean.getBoolean("kx.spherical")) { double a = 0; for (int f = 0; f < d; f++) a += v[f]; a /= d; java.util.Arrays.fill(v, a); }
                mu[c] = m; var[c] = v; w[c] = s / n;
            }
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY; double[] lp = new double[k];
                for (int c = 0; c < k; c++) {
                    double l = Math.log(Math.max(w[c], 1e-12));
                    for (int f = 0; f < d; f++) { double e = z[i][f] - mu[c][f]; l -= 0.5 * (e * e / var[c][f] + Math.log(var[c][f])); }
                    lp[c] = l; max = Math.max(max, l);
                }
                double sum = 0; for (int c = 0; c < k; c++) { lp[c] = Math.exp(lp[c] - max); sum += lp[c]; }
                for (int c = 0; c < k; c++) resp[i][c] = lp[c] / sum;
            }
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) { int b = 0; for (int c = 1; c < k; c++) if (resp[i][c] > resp[i][b]) b = c; out[i] = b; }
        return out;
    }
}
