package personae.core.trait;

import personae.core.persona.Feature;

import java.util.Arrays;

/**
 * One person's behaviour in one stream, and the single definition of the behavioural traits: the trait step
 * ({@link TraitEnricher}) feeds it a person's whole history, the persona flow a history up to a day. Reused across
 * people ({@link #reset}); no object per event.
 *
 * <p>Feed each event with {@link #line}, and each order once with {@link #order} (an order is the events of one
 * {@code order_id}, or else of one datetime; its value is their sum). An order whose value is not positive is a
 * return: it lowers the total but is not a purchase. A product share is over purchase lines (events of positive or
 * no value): a returned line is not a taste.
 */
public final class Behaviour {

    private static final double DAY = 86_400.0;

    private final boolean hasValue;
    private final double[] productLines;
    private double first, last, frequency, total, orders, purchased, purchaseLines;
    private boolean seen;

    /**
     * @param hasValue whether the stream maps {@code value}
     * @param products how many products have a share trait (their indexes are 0..products-1)
     */
    public Behaviour(boolean hasValue, int products) {
        this.hasValue = hasValue;
        this.productLines = new double[products];
        reset();
    }

    /** Forgets everything: the next events are another person's. */
    public void reset() {
        first = last = Double.NaN;
        frequency = total = orders = purchased = purchaseLines = 0;
        Arrays.fill(productLines, 0);
        seen = false;
    }

    /**
     * One event.
     *
     * @param time    epoch seconds, or {@link Long#MIN_VALUE} when undated
     * @param value   its value, or {@code NaN} when it has none
     * @param product the index of its product among those with a share, -1 for another product, or
     *                {@link Integer#MIN_VALUE} when the stream maps no product
     */
    public void line(long time, double value, int product) {
        seen = true;
        if (time != Long.MIN_VALUE) {
            if (Double.isNaN(first) || time < first) first = time;
            if (Double.isNaN(last) || time > last) last = time;
        }
        if (!Double.isNaN(value)) total += value;
        if (product != Integer.MIN_VALUE && (Double.isNaN(value) || value > 0)) {
            purchaseLines++;
            if (product >= 0) productLines[product]++;
        }
    }

    /** One order, after its lines: its summed value, or {@code valued = false} when none of its lines had one. */
    public void order(double value, boolean valued) {
        boolean purchase = !valued || value > 0;
        if (purchase) frequency++;
        if (purchase && valued && hasValue) {
            orders++;
            purchased += value;
        }
    }

    /**
     * The value of a behavioural trait, or {@code NaN} when the person has none.
     *
     * @param product   for {@link Feature.Kind#PRODUCT_SHARE}, the product's index
     * @param reference the moment recency is measured from (epoch seconds)
     */
    public double value(Feature.Kind kind, int product, double reference) {
        if (!seen) return Double.NaN;
        return switch (kind) {
            case RECENCY_DAYS -> Double.isNaN(last) ? Double.NaN : (reference - last) / DAY;
            case FREQUENCY -> frequency;
            case TENURE_DAYS -> Double.isNaN(first) ? Double.NaN : (last - first) / DAY;
            case TOTAL_VALUE -> hasValue ? total : Double.NaN;
            case AVERAGE_VALUE -> orders == 0 ? Double.NaN : purchased / orders;
            case PRODUCT_SHARE -> purchaseLines == 0 || product < 0 ? Double.NaN : productLines[product] / purchaseLines;
            case USER_DEFINED, CATEGORY -> throw new IllegalArgumentException("not a behavioural trait: " + kind);
        };
    }
}
