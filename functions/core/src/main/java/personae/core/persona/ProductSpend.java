package personae.core.persona;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import personae.core.util.Csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * What each persona spent on each product, read from a stream's events: the real mix, over every product (not only
 * the few with a share trait) and without any smoothing. A persona's spend on a product is the sum of its events'
 * {@code value}s for it, net of returns (a bought and refunded item is no spend), and counts only when positive; when
 * the stream has no {@code value}, each event counts 1, so the mix is one of purchases instead. One pass over the
 * events file, one {@code double[k]} per product; a function of the events of the people it is given, so it can be
 * summed over shards.
 */
public final class ProductSpend {

    private final int k;
    private final Map<String, double[]> byProduct = new HashMap<>();
    private boolean valued;

    public ProductSpend(int k) {
        this.k = k;
    }

    /**
     * Adds one events file's spend.
     *
     * @param personaOfPerson by person id of the events' dataset, the persona (0..k-1), or -1 for people outside the
     *                        cohort (ids past the end count as outside too)
     */
    public void add(InputStream events, int[] personaOfPerson) {
        try (CSVParser p = Csv.read(events)) {
            int productCol = p.getHeaderMap().getOrDefault("product", -1);
            int valueCol = p.getHeaderMap().getOrDefault("value", -1);
            if (productCol < 0) return;
            if (valueCol >= 0) valued = true;
            for (CSVRecord r : p) {
                int person = Integer.parseInt(r.get(0));
                int persona = person < personaOfPerson.length ? personaOfPerson[person] : -1;
                if (persona < 0) continue;
                double spend;
                if (valueCol < 0) spend = 1;
                else if (r.get(valueCol).isEmpty()) continue;
                else spend = Double.parseDouble(r.get(valueCol));
                if (!Double.isFinite(spend)) continue;
                String product = r.get(productCol);
                if (product.isEmpty()) continue;
                byProduct.computeIfAbsent(product, x -> new double[k])[persona] += spend;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether spend is money ({@code value} mapped) rather than a count of purchases. */
    public boolean valued() {
        return valued;
    }

    /** Products with each persona's net spend on them (may be negative: more returned than bought). */
    public Map<String, double[]> byProduct() {
        return byProduct;
    }

    /** A persona's spend on every product together: the sum of its positive net spends. */
    public double total(int persona) {
        double t = 0;
        for (double[] s : byProduct.values()) if (s[persona] > 0) t += s[persona];
        return t;
    }
}
