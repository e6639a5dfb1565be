package personae.core.sample;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A seeded generator of orders with a chosen number of planted customer groups, for judging how well personas find
 * them. Independent of {@link OrdersGenerator}: its groups are drawn from the seed (not a fixed cast), so every seed
 * and group count is a different population.
 *
 * <p>Each group has a profile in four behavioural dimensions, in units of the within-group spread: order rate, order
 * value, recency and tenure. Profiles are drawn in a box and kept at least {@link Config#separation()} apart
 * (rejection sampling), so {@code separation} is the overlap knob: 4 is clearly apart, 2.5 overlaps visibly. Each
 * group also has a favourite product (distinct while there are enough products) that a share of its orders goes to.
 * A customer draws their own rate, value, recency and tenure around the group profile (log-normal), then a Poisson
 * number of orders (at least one), order values around their typical value and products from the group's mix.
 *
 * <p>Group sizes are unequal: log-normal weights with spread {@link Config#imbalance()}, each at least
 * {@value #MIN_GROUP_SHARE} of the customers. Noise traits, unrelated to the groups, are written on every row as
 * first-party columns: {@code income} (log-normal, some 666666 sentinels), {@code birth_year} (some 1893),
 * {@code household_size} and heavy-tailed {@code loyalty_points} (Pareto), each with missing values.
 *
 * <p>Rows are written customer by customer; memory is one small profile per group. The ground truth is
 * {@link #groupOf(int)}, a pure function of the configuration and the customer index.
 */
public final class PlantedGroupsGenerator {

    /** The CSV columns, in order: the first five are the orders, the rest are noise traits. */
    public static final List<String> HEADER = List.of("customer_id", "email", "order_datetime", "order_total",
            "product_category", "income", "birth_year", "household_size", "loyalty_points");

    /** The first-party noise traits, in the order {@link Config#noiseTraits()} adds them. */
    public static final List<String> NOISE_TRAITS = List.of("income", "birth_year", "household_size", "loyalty_points");

    /** The products, in a fixed order. */
    public static final List<String> PRODUCTS = List.of("garden", "electronics", "apparel", "home", "toys", "beauty",
            "books", "sports");

    /** The moment the export is taken: every order is before it. */
    public static final Instant AS_OF = Instant.parse("2025-06-30T23:59:59Z");

    /** Smallest share of customers in a group. */
    public static final double MIN_GROUP_SHARE = 0.03;

    private static final double HISTORY_DAYS = 3 * 365;
    private static final double BOX = 3.0;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * @param groups      planted groups, 2..8
     * @param customers   customers written
     * @param seed        fixes everything
     * @param separation  minimum distance between two group profiles, in within-group standard deviations
     * @param imbalance   spread of the log group weights (0 = equal sizes)
     * @param noiseTraits how many of {@link #NOISE_TRAITS} carry values (the columns are always written)
     */
    public record Config(int groups, int customers, long seed, double separation, double imbalance, int noiseTraits) {
        public Config {
            if (groups < 1 || groups > PRODUCTS.size()) throw new IllegalArgumentException("groups must be 1..8, got " + groups);
            if (customers < 1) throw new IllegalArgumentException("need at least one customer, got " + customers);
            if (noiseTraits < 0 || noiseTraits > NOISE_TRAITS.size()) throw new IllegalArgumentException("noiseTraits 0..4");
        }
    }

    /** The v1 dataset body that maps the columns: email identifies, orders is the stream, the noise columns are traits. */
    public static final String DATASET_BODY = """
            {"name": "planted",
             "options": {"type": "hosted_csv", "upload_directory": "planted"},
             "identity_sets": {"customer": {"email": "email"}},
             "output_to_streams": {"orders": {"data_map": {
                 "datetime": {"column_name": "order_datetime", "format": "date_iso8601"},
                 "value": {"column_name": "order_total", "format": "currency_dollars"},
                 "product": {"column_name": "product_category"}}}},
             "output_to_traits": {"income": {"column_name": "income"}, "birth_year": {"column_name": "birth_year"},
                 "household_size": {"column_name": "household_size"}, "loyalty_points": {"column_name": "loyalty_points"}}}""";

    /** One group's behaviour: centres of the log rate, value, recency and tenure, and its product mix. */
    private record Profile(double weight, double logRate, double logValue, double logRecency, double logTenure,
                           int favourite, double favouriteShare) {}

    private final Config config;
    private final List<Profile> profiles;
    private final double[] cumulative;

    public PlantedGroupsGenerator(Config config) {
        this.config = config;
        SplittableRandom random = new SplittableRandom(mix(config.seed() * 31 + config.groups()));
        double[][] centres = centres(random, config.groups(), config.separation());
        double[] weights = weights(random, config.groups(), config.imbalance());
        int[] favourites = favourites(random, config.groups());
        profiles = new ArrayList<>();
        for (int g = 0; g < config.groups(); g++) {
            double[] c = centres[g];
            // latent unit = within-group standard deviation of each log quantity below
            profiles.add(new Profile(weights[g], 1.2 + RATE_SD * c[0], 4.0 + VALUE_SD * c[1], 3.4 + RECENCY_SD * c[2],
                    5.4 + TENURE_SD * c[3], favourites[g], 0.5 + 0.35 * random.nextDouble()));
        }
        cumulative = new double[config.groups()];
        double s = 0;
        for (int g = 0; g < config.groups(); g++) cumulative[g] = s += weights[g];
    }

    private static final double RATE_SD = 0.45, VALUE_SD = 0.3, RECENCY_SD = 0.55, TENURE_SD = 0.4;

    /** The configuration. */
    public Config config() {
        return config;
    }

    /** The customer id of the customer with 0-based index {@code index}. */
    public static String customerId(int index) {
        return "P" + String.format(Locale.ROOT, "%07d", index + 1);
    }

    /** The email of the customer with 0-based index {@code index} (the identity the dataset resolves). */
    public static String email(int index) {
        return "p" + (index + 1) + "@planted.example";
    }

    /** The 0-based index of a customer from their email, or -1. */
    public static int indexOfEmail(String email) {
        String e = email.trim().toLowerCase(Locale.ROOT);
        if (!e.startsWith("p") || !e.endsWith("@planted.example")) return -1;
        return Integer.parseInt(e.substring(1, e.indexOf('@'))) - 1;
    }

    /** The planted group (0-based) of the customer with 0-based index {@code index}. */
    public int groupOf(int index) {
        return drawGroup(customerRandom(index));
    }

    /** Share of customers each group is drawn with. */
    public double[] groupWeights() {
        return profiles.stream().mapToDouble(Profile::weight).toArray();
    }

    /** Writes the header and every customer's orders; returns the number of rows. The writer is flushed, not closed. */
    public long write(Writer out) throws IOException {
        CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
                .setHeader(HEADER.toArray(String[]::new)).setRecordSeparator("\n").get());
        long rows = 0;
        String[] record = new String[HEADER.size()];
        for (int i = 0; i < config.customers(); i++) {
            SplittableRandom random = customerRandom(i);
            Profile p = profiles.get(drawGroup(random));
            double rate = Math.exp(p.logRate + RATE_SD * gaussian(random));
            double typical = Math.exp(p.logValue + VALUE_SD * gaussian(random));
            double recency = Math.min(HISTORY_DAYS - 1, Math.exp(p.logRecency + RECENCY_SD * gaussian(random)));
            double tenure = Math.min(HISTORY_DAYS - recency, Math.exp(p.logTenure + TENURE_SD * gaussian(random)));
            int orders = 1 + poisson(random, rate);
            record[0] = customerId(i);
            record[1] = email(i);
            noise(random, record);
            long last = AS_OF.getEpochSecond() - (long) (recency * 86_400);
            long first = orders == 1 ? last : last - (long) (tenure * 86_400);
            for (int o = 0; o < orders; o++) {
                long t = o == 0 ? first : o == orders - 1 ? last : first + (long) ((last - first) * random.nextDouble());
                record[2] = ISO.format(Instant.ofEpochSecond(t));
                long cents = Math.max(100, Math.round(typical * Math.exp(0.25 * gaussian(random)) * 100));
                record[3] = (cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + (cents % 100);
                record[4] = PRODUCTS.get(random.nextDouble() < p.favouriteShare ? p.favourite
                        : random.nextInt(PRODUCTS.size()));
                printer.printRecord((Object[]) record);
                rows++;
            }
        }
        printer.flush();
        return rows;
    }

    /** The noise traits of one customer (one value per customer, repeated on their rows). */
    private void noise(SplittableRandom random, String[] record) {
        int n = config.noiseTraits();
        double income = 60_000 * Math.exp(0.6 * gaussian(random));
        double u1 = random.nextDouble(), u2 = random.nextDouble(), u3 = random.nextDouble(), u4 = random.nextDouble();
        double birth = 1978 + 14 * gaussian(random);
        int household = 1 + poisson(random, 1.4);
        double points = 100 * Math.pow(1 - random.nextDouble(), -1 / 1.3) - 100; // Pareto, alpha 1.3
        record[5] = n < 1 || u1 < 0.05 ? "" : u1 < 0.06 ? "666666" : Long.toString(Math.round(income));
        record[6] = n < 2 || u2 < 0.04 ? "" : u2 < 0.045 ? "1893" : Long.toString(Math.round(birth));
        record[7] = n < 3 || u3 < 0.1 ? "" : Integer.toString(household);
        record[8] = n < 4 || u4 < 0.08 ? "" : Long.toString(Math.round(points));
    }

    /** Group centres in [-BOX, BOX]^4, pairwise at least {@code separation} apart (the box grows if it must). */
    private static double[][] centres(SplittableRandom random, int groups, double separation) {
        double box = BOX;
        while (true) {
            double[][] c = new double[groups][];
            int placed = 0;
            for (int attempt = 0; attempt < 20_000 && placed < groups; attempt++) {
                double[] x = new double[4];
                for (int d = 0; d < 4; d++) x[d] = box * (2 * random.nextDouble() - 1);
                boolean ok = true;
                for (int j = 0; j < placed && ok; j++) ok = distance(x, c[j]) >= separation;
                if (ok) c[placed++] = x;
            }
            if (placed == groups) return c;
            box *= 1.1;
        }
    }

    private static double[] weights(SplittableRandom random, int groups, double imbalance) {
        double[] w = new double[groups];
        double sum = 0;
        for (int g = 0; g < groups; g++) sum += w[g] = Math.exp(imbalance * gaussian(random));
        for (int g = 0; g < groups; g++) w[g] /= sum;
        // lift small groups to the floor, taking from the others in proportion
        for (int round = 0; round < 10; round++) {
            double deficit = 0, above = 0;
            for (double x : w) if (x < MIN_GROUP_SHARE) deficit += MIN_GROUP_SHARE - x; else above += x;
            if (deficit == 0) break;
            for (int g = 0; g < groups; g++) w[g] = w[g] < MIN_GROUP_SHARE ? MIN_GROUP_SHARE : w[g] * (1 - deficit / above);
        }
        return w;
    }

    private static int[] favourites(SplittableRandom random, int groups) {
        int[] products = new int[PRODUCTS.size()];
        for (int i = 0; i < products.length; i++) products[i] = i;
        for (int i = products.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = products[i]; products[i] = products[j]; products[j] = t;
        }
        int[] f = new int[groups];
        for (int g = 0; g < groups; g++) f[g] = products[g % products.length];
        return f;
    }

    private SplittableRandom customerRandom(int index) {
        return new SplittableRandom(mix(config.seed() * 0x9E3779B97F4A7C15L + index * 0xD1B54A32D192ED03L + config.groups()));
    }

    private int drawGroup(SplittableRandom random) {
        double u = random.nextDouble() * cumulative[cumulative.length - 1];
        for (int g = 0; g < cumulative.length; g++) if (u < cumulative[g]) return g;
        return cumulative.length - 1;
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(s);
    }

    private static int poisson(SplittableRandom random, double lambda) {
        if (lambda > 30) return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(random)));
        double l = Math.exp(-lambda), p = 1;
        int k = 0;
        do { k++; p *= random.nextDouble(); } while (p > l);
        return k - 1;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble(), v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
