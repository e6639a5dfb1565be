package personae.core.persona;

/**
 * One clustering input column: a per-person trait, named as the trait is named in the API.
 *
 * @param name  the trait's machine name, e.g. {@code orders_total_value} or {@code orders_product_share_garden}
 * @param kind  what the number measures; decides its transform and how a persona name reads it
 * @param label for {@link Kind#PRODUCT_SHARE}, the product (e.g. {@code garden}); for {@link Kind#USER_DEFINED},
 *              the user's trait name; for {@link Kind#CATEGORY}, the value (the name is {@code <trait>=<value>});
 *              otherwise the stream name
 */
public record Feature(String name, Kind kind, String label) {

    /** The behavioural traits Personae derives from a stream's events, plus numeric first-party traits. */
    public enum Kind {
        /** days since the person's latest event (smaller = more recent) */
        RECENCY_DAYS,
        /** number of orders (a person's events at one datetime; a return, an order of non-positive value, is not one) */
        FREQUENCY,
        /** days between the person's first and latest event */
        TENURE_DAYS,
        /** sum of the events' {@code value}, net of returns */
        TOTAL_VALUE,
        /** average value of the person's orders (returns excluded): order size */
        AVERAGE_VALUE,
        /** share (0..1) of the person's purchase lines (events of positive or no value) whose {@code product} is {@code label} */
        PRODUCT_SHARE,
        /** a numeric trait from the dataset's {@code output_to_traits} */
        USER_DEFINED,
        /**
         * 1 when a text trait (one with a bounded set of values, e.g. {@code marital_status}) has the value {@code label}'s
         * value, else 0; the trait's values together are one composition, like product shares
         */
        CATEGORY
    }

    /** The trait this feature reads: its name, or for a {@link Kind#CATEGORY} the trait before {@code =value}. */
    public String trait() {
        return kind == Kind.CATEGORY ? name.substring(0, name.length() - label.length() - 1) : name;
    }
}
