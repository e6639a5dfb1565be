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
 * the few with a share trait) and without any smoothing. Spend is the sum of the positive {@code value}s of a
 * persona's events per product (a return lowers revenue, it is not spend on a product); when the stream has no
 * {@code value}, each event counts 1, so the mix is one of purchases instead. One pass over the events file, one
 * {@code double[k]} per product; a function of the events of the people it is given, so it can be summed over shards.
 */
public final class ProductSpend {

    private final int k;
    private final Map<String, double[]> byProduct = new HashMap<>();
    private final double[] total;
    private boolean valued;

    public ProductSpend(int k) {
        this.k = k;
        this.total = new double[k];
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
                if (!(spend > 0)) continue;
                String product = r.get(productCol);
                if (product.isEmpty()) continue;
                byProduct.computeIfAbsent(product, x -> new double[k])[persona] += spend;
                total[persona] += spend;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether spend is money ({@code value} mapped) rather than a count of purchases. */
    public boolean valued() {
        return valued;
    }

    /** Products with each persona's spend on them. */
    public Map<String, double[]> byProduct() {
        return byProduct;
    }

    /** A persona's spend on every product together. */
    public double total(int persona) {
        return total[persona];
    }
}
