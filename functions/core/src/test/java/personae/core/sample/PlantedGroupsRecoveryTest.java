package personae.core.sample;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import personae.core.persona.Feature;
import personae.core.persona.FeatureTable;
import personae.core.persona.PersonaClustering;
import personae.core.persona.PersonaModel;
import personae.core.persona.PersonaNamer;
import smile.validation.metric.AdjustedRandIndex;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end within core: generated orders, simple per-customer features (by customer_id, no identity resolution),
 * automatic personas; the planted groups come back.
 */
class PlantedGroupsRecoveryTest {

    @Test
    void personasOfGeneratedOrdersMatchThePlantedGroups() throws IOException {
        OrdersGenerator generator = new OrdersGenerator(42);
        StringWriter out = new StringWriter();
        generator.write(out, 4000, 27_000);
        Map<String, double[]> stats = new LinkedHashMap<>(); // first, last, count, total, then per category counts
        int categories = OrdersGenerator.CATEGORIES.size();
        try (CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(out.toString()))) {
            for (CSVRecord r : parser) {
                double[] s = stats.computeIfAbsent(r.get("customer_id"), k -> new double[]{Double.MAX_VALUE, 0, 0, 0, 0, 0, 0, 0, 0, 0});
                double day = Instant.parse(r.get("order_datetime")).getEpochSecond() / 86_400.0;
                s[0] = Math.min(s[0], day);
                s[1] = Math.max(s[1], day);
                s[2]++;
                s[3] += Double.parseDouble(r.get("order_total"));
                s[4 + OrdersGenerator.CATEGORIES.indexOf(r.get("product_category"))]++;
            }
        }
        List<Feature> features = new ArrayList<>(List.of(
                new Feature("orders_recency_days", Feature.Kind.RECENCY_DAYS, "orders"),
                new Feature("orders_frequency", Feature.Kind.FREQUENCY, "orders"),
                new Feature("orders_tenure_days", Feature.Kind.TENURE_DAYS, "orders"),
                new Feature("orders_total_value", Feature.Kind.TOTAL_VALUE, "orders"),
                new Feature("orders_average_value", Feature.Kind.AVERAGE_VALUE, "orders")));
        for (String c : OrdersGenerator.CATEGORIES) features.add(new Feature("orders_product_share_" + c, Feature.Kind.PRODUCT_SHARE, c));
        int n = stats.size();
        double[][] cols = new double[features.size()][n];
        int[] truth = new int[n];
        double asOf = OrdersGenerator.AS_OF.getEpochSecond() / 86_400.0;
        int row = 0;
        for (var e : stats.entrySet()) {
            double[] s = e.getValue();
            cols[0][row] = asOf - s[1];
            cols[1][row] = s[2];
            cols[2][row] = s[1] - s[0];
            cols[3][row] = s[3];
            cols[4][row] = s[3] / s[2];
            for (int c = 0; c < categories; c++) cols[5 + c][row] = s[4 + c] / s[2];
            truth[row] = generator.groupOf(e.getKey()).ordinal();
            row++;
        }
        FeatureTable table = new FeatureTable(features, cols, n);
        // with k fixed to the planted number, the raw features recover the groups almost exactly
        PersonaModel four = PersonaClustering.fit(table, 4, 42);
        double ari4 = AdjustedRandIndex.of(truth, four.assignAll(table));
        assertTrue(ari4 >= 0.95, "k=4: ARI " + ari4 + ", names " + PersonaNamer.names(four));

        // With k chosen automatically, raw shares split the one-order customers by their single category (each
        // such customer has a share of exactly 1 somewhere: tight clusters, silhouette picks k=8, ARI ~0.78).
        // Shrinking shares towards the uniform mix by two pseudo-orders removes that artefact.
        for (int r = 0; r < n; r++) {
            double orders = cols[1][r];
            for (int c = 0; c < categories; c++) cols[5 + c][r] = (cols[5 + c][r] * orders + 2.0 / categories) / (orders + 2);
        }
        PersonaModel auto = PersonaClustering.fit(table, null, 42);
        double ari = AdjustedRandIndex.of(truth, auto.assignAll(table));
        assertTrue(ari >= 0.8, "automatic k with smoothed shares: ARI " + ari + ", k=" + auto.k() + ", " + auto.choice()
                + ", names " + PersonaNamer.names(auto));
    }
}
