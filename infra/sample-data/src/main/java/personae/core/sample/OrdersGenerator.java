package personae.core.sample;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * A seeded generator of a realistic US-looking orders CSV with planted customer groups, for demos, tutorials and
 * tests. Rows are streamed in order time (customers interleave, as in a real export); memory grows with the number of
 * customers (a small record each), never with the number of rows.
 *
 * <p>Each customer belongs to one {@link PlantedGroup}, a pure function of the seed and the customer
 * ({@link #groupOf(String)}), so the ground truth costs nothing to keep. A customer's name, address and email are
 * fixed, but single rows vary the email (case, surrounding spaces, {@code +tag} plus-addressing) and the phone format,
 * as identity resolution meets in real data.
 */
public final class OrdersGenerator {

    /** The CSV columns, in order. */
    public static final List<String> HEADER = List.of("customer_id", "email", "first_name", "last_name", "address", "city",
            "state", "postcode", "phone", "order_datetime", "order_total", "product_category");

    /**
     * The v1 dataset body (POST /v1/datasets) that maps these columns: one identity set with every PII column, and the
     * stream {@code orders} with datetime, value (dollars) and product. The tutorial, the tests and the benchmarks use it.
     */
    public static final String DATASET_BODY = """
            {"name": "orders",
             "options": {"type": "hosted_csv", "upload_directory": "orders"},
             "identity_sets": {"customer": {"email": "email", "person_first_name": "first_name",
                 "person_last_name": "last_name", "house_number_and_street": ["address"], "city": "city",
                 "state": "state", "postcode": "postcode", "phone": "phone"}},
             "output_to_streams": {"orders": {"data_map": {
                 "datetime": {"column_name": "order_datetime", "format": "date_iso8601"},
                 "value": {"column_name": "order_total", "format": "currency_dollars"},
                 "product": {"column_name": "product_category"}}}}}""";

    /** The columns of {@link #writeCustomerTable}: a CRM export about (mostly) the same customers. */
    public static final List<String> CUSTOMER_TABLE_HEADER = List.of("contact_email", "given_name", "family_name",
            "street", "zip", "mobile", "loyalty_tier", "household_income");

    /**
     * The dataset body for {@link #writeCustomerTable}'s CSV: identity from the email, the name + street + zip and the
     * phone, and two traits (a category and a number).
     */
    public static final String CUSTOMER_TABLE_BODY = """
            {"name": "crm",
             "options": {"type": "hosted_csv", "upload_directory": "crm"},
             "identity_sets": {"contact": {"email": "contact_email", "person_first_name": "given_name",
                 "person_last_name": "family_name", "house_number_and_street": ["street"], "postcode": "zip",
                 "phone": "mobile"}},
             "output_to_traits": {"loyalty_tier": {"column_name": "loyalty_tier"},
                 "household_income": {"column_name": "household_income"}}}""";

    /** The product categories, in a fixed order. */
    public static final List<String> CATEGORIES = List.of("garden", "electronics", "apparel", "home", "toys", "beauty");

    /** The moment the export is taken: every order is before it. */
    public static final Instant AS_OF = Instant.parse("2025-06-30T23:59:59Z");

    /** The first day any order may have. */
    public static final Instant HISTORY_START = Instant.parse("2022-01-01T00:00:00Z");

    private static final double HISTORY_DAYS = (AS_OF.getEpochSecond() - HISTORY_START.getEpochSecond()) / 86_400.0;
    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * The behaviours planted in the data.
     *
     * @param share          share of customers in the group
     * @param typicalOrders  typical number of orders (before scaling to the requested row count); 0 = one or two
     * @param typicalTotal   typical order total in dollars
     * @param favourite      index in {@link #CATEGORIES} of the group's favourite category, or -1 for none
     * @param favouriteShare probability that an order is in the favourite category
     */
    public enum PlantedGroup {
        /** Few, large orders, mostly garden. */
        GARDEN_BIG_SPENDERS(0.15, 3, 240, 0, 0.75),
        /** Many small-to-medium electronics orders, recent. */
        FREQUENT_ELECTRONICS_BUYERS(0.30, 14, 75, 1, 0.70),
        /** One or two small orders, long ago, any category. */
        LAPSED_ONE_TIMERS(0.30, 0, 28, -1, 0),
        /** Steady apparel orders over a long tenure, recent. */
        LOYAL_APPAREL_REGULARS(0.25, 9, 65, 2, 0.65);

        final double share;
        final double typicalOrders;
        final double typicalTotal;
        final int favourite;
        final double favouriteShare;

        PlantedGroup(double share, double typicalOrders, double typicalTotal, int favourite, double favouriteShare) {
            this.share = share;
            this.typicalOrders = typicalOrders;
            this.typicalTotal = typicalTotal;
            this.favourite = favourite;
            this.favouriteShare = favouriteShare;
        }
    }

    /**
     * What a {@link #write} produced.
     *
     * @param customers         customers written
     * @param rows              order rows written (header excluded)
     * @param customersPerGroup customers per {@link PlantedGroup}, in enum order
     * @param rowsPerGroup      rows per {@link PlantedGroup}, in enum order
     */
    public record Summary(int customers, long rows, List<Integer> customersPerGroup, List<Long> rowsPerGroup) {
        public Summary {
            customersPerGroup = List.copyOf(customersPerGroup);
            rowsPerGroup = List.copyOf(rowsPerGroup);
        }
    }

    private final long seed;

    /** A generator whose every output is fixed by {@code seed}. */
    public OrdersGenerator(long seed) {
        this.seed = seed;
    }

    /** The customer id of the customer with 0-based index {@code index}, e.g. {@code C0000042}. */
    public static String customerId(int index) {
        return "C" + String.format(Locale.ROOT, "%07d", index + 1);
    }

    /** The planted group of a customer id written by this generator (with this seed). */
    public PlantedGroup groupOf(String customerId) {
        if (customerId == null || !customerId.matches("C\\d{7,}")) {
            throw new IllegalArgumentException("not a generated customer id: " + customerId);
        }
        return groupOf(Integer.parseInt(customerId.substring(1)) - 1);
    }

    /** The planted group of the customer with 0-based index {@code index}. */
    public PlantedGroup groupOf(int index) {
        return drawGroup(profileRandom(index));
    }

    /**
     * Writes the header and about {@code targetRows} orders of {@code customers} customers, sorted by order time.
     * The writer is flushed, not closed.
     */
    public Summary write(Writer out, int customers, int targetRows) throws IOException {
        if (customers < 1) throw new IllegalArgumentException("need at least one customer, got " + customers);
        if (targetRows < customers) {
            throw new IllegalArgumentException("every customer has an order: rows (" + targetRows + ") < customers (" + customers + ")");
        }
        double scale = orderScale((double) targetRows / customers);
        PriorityQueue<Customer> queue = new PriorityQueue<>(customers,
                (a, b) -> a.next != b.next ? Long.compare(a.next, b.next) : Integer.compare(a.index, b.index));
        int[] customersPerGroup = new int[PlantedGroup.values().length];
        long[] rowsPerGroup = new long[customersPerGroup.length];
        for (int i = 0; i < customers; i++) {
            Customer c = new Customer(i, profileRandom(i), scale);
            customersPerGroup[c.group.ordinal()]++;
            queue.add(c);
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader(HEADER.toArray(String[]::new)).setRecordSeparator("\n").get();
        CSVPrinter printer = new CSVPrinter(out, format);
        long rows = 0;
        String[] record = new String[HEADER.size()];
        while (!queue.isEmpty()) {
            Customer c = queue.poll();
            c.fill(record, identity(c.index));
            printer.printRecord((Object[]) record);
            rows++;
            rowsPerGroup[c.group.ordinal()]++;
            if (c.advance()) queue.add(c);
        }
        printer.flush();
        return new Summary(customers, rows, Arrays.stream(customersPerGroup).boxed().toList(),
                LongStream.of(rowsPerGroup).boxed().toList());
    }

    /** The factor on each repeat-buying group's typical order count that gives about {@code ordersPerCustomer}. */
    private static double orderScale(double ordersPerCustomer) {
        double fixed = 0, scaled = 0;
        for (PlantedGroup g : PlantedGroup.values()) {
            if (g.typicalOrders == 0) fixed += g.share * 1.3; // one order (70%) or two
            else scaled += g.share * g.typicalOrders * Math.exp(0.35 * 0.35 / 2); // lognormal mean
        }
        return Math.max(0.05, (ordersPerCustomer - fixed) / scaled);
    }

    /**
     * A CRM table of {@code rows} customers, one row each: the first 90% are customers {@code 0, 1, ...} of the orders
     * (at most {@code customers} of them), the rest people who never ordered (indexes from {@code customers} on). Each
     * row has the customer's email (in a random one of its variants), name and street and zip, and in 1 of 3 rows no
     * email, so only the name + address or the phone can link it; a loyalty tier and a household income, drawn per
     * customer. The writer is flushed, not closed. Returns how many rows are customers of the orders.
     */
    public int writeCustomerTable(Writer out, int customers, int rows) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader(CUSTOMER_TABLE_HEADER.toArray(String[]::new))
                .setRecordSeparator("\n").get();
        int known = Math.min(customers, (int) Math.round(rows * 0.9));
        String[] tiers = {"bronze", "silver", "gold", "platinum"};
        CSVPrinter p = new CSVPrinter(out, format); // not closed: that would close the writer
        for (int r = 0; r < rows; r++) {
            int index = r < known ? r : customers + (r - known);
            Identity id = identity(index);
            SplittableRandom random = new SplittableRandom(mix(seed * 0x632BE59BD9B4E019L + index));
            String email = random.nextInt(3) == 0 ? "" : id.emailVariant(random);
            p.printRecord(email, id.firstName(), id.lastName(), id.address(), id.postcode(), id.phoneVariant(random),
                    tiers[Math.min(3, (int) Math.floor(Math.abs(random.nextGaussian())))],
                    Math.round(lognormal(random, 62_000, 0.5) / 100) * 100);
        }
        p.flush();
        return known;
    }

    private SplittableRandom profileRandom(int index) {
        return new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + index));
    }

    private SplittableRandom identityRandom(int index) {
        return new SplittableRandom(mix(~seed * 0xC2B2AE3D27D4EB4FL + index));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static PlantedGroup drawGroup(SplittableRandom random) {
        double u = random.nextDouble();
        PlantedGroup[] groups = PlantedGroup.values();
        for (PlantedGroup g : groups) {
            if (u < g.share) return g;
            u -= g.share;
        }
        return groups[groups.length - 1];
    }

    private static double lognormal(SplittableRandom random, double typical, double sigma) {
        return typical * Math.exp(sigma * gaussian(random));
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian with a stable algorithm across JDKs
        double u = 1 - random.nextDouble(), v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** One customer's pending orders: the state kept between their rows. */
    private static final class Customer {
        final int index;
        final SplittableRandom random;
        final PlantedGroup group;
        final double typicalTotal;
        final long last;
        int remaining;
        long next;

        Customer(int index, SplittableRandom random, double scale) {
            this.index = index;
            this.random = random;
            this.group = drawGroup(random);
            int orders;
            double recency, tenure;
            switch (group) {
                case GARDEN_BIG_SPENDERS -> { recency = lognormal(random, 45, 0.7); tenure = lognormal(random, 420, 0.4); }
                case FREQUENT_ELECTRONICS_BUYERS -> { recency = lognormal(random, 8, 0.8); tenure = lognormal(random, 520, 0.4); }
                case LAPSED_ONE_TIMERS -> { recency = 420 + random.nextDouble() * 750; tenure = lognormal(random, 30, 0.8); }
                case LOYAL_APPAREL_REGULARS -> { recency = lognormal(random, 20, 0.7); tenure = lognormal(random, 1000, 0.15); }
                default -> throw new IllegalStateException();
            }
            if (group.typicalOrders == 0) orders = random.nextDouble() < 0.7 ? 1 : 2;
            else orders = (int) Math.max(1, Math.round(lognormal(random, group.typicalOrders * scale, 0.35)));
            recency = Math.min(recency, HISTORY_DAYS - 1);
            // a tenure beyond the history start is cut to a random point near it, so no orders pile up on its first day
            double room = HISTORY_DAYS - recency;
            tenure = orders == 1 ? 0 : tenure < room ? tenure : room * (0.8 + 0.2 * random.nextDouble());
            this.typicalTotal = lognormal(random, group.typicalTotal, 0.25);
            this.last = AS_OF.getEpochSecond() - (long) (recency * 86_400);
            this.next = last - (long) (tenure * 86_400);
            this.remaining = orders;
        }

        /** Moves to the customer's next order; false when none is left. */
        boolean advance() {
            remaining--;
            if (remaining <= 0) return false;
            if (remaining == 1) { next = last; return true; }
            // the earliest of (remaining - 1) uniform times in (next, last): the next order statistic
            double u = 1 - Math.pow(1 - random.nextDouble(), 1.0 / (remaining - 1));
            next = next + (long) ((last - next) * u);
            return true;
        }

        /** This order's fields: the customer's identity, with this row's formatting noise, and a new order. */
        void fill(String[] record, Identity id) {
            record[0] = customerId(index);
            record[1] = id.emailVariant(random);
            record[2] = random.nextDouble() < 0.03 ? id.firstName.toUpperCase(Locale.ROOT) : id.firstName;
            record[3] = id.lastName;
            record[4] = id.address;
            record[5] = id.city.name;
            record[6] = id.city.state;
            record[7] = id.postcode;
            record[8] = id.phoneVariant(random);
            record[9] = ISO_SECONDS.format(Instant.ofEpochSecond(next));
            int category;
            if (group.favourite >= 0 && random.nextDouble() < group.favouriteShare) category = group.favourite;
            else category = random.nextInt(CATEGORIES.size());
            record[11] = CATEGORIES.get(category);
            long cents = Math.max(100, Math.round(lognormal(random, typicalTotal, 0.3) * 100));
            record[10] = (cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + (cents % 100);
        }
    }

    // ------------------------------------------------------------------ identities

    private record City(String name, String state, String areaCode, String... postcodes) {
    }

    private static final City[] CITIES = {
            new City("Cambridge", "MA", "617", "02139", "02138", "02140"), new City("Boston", "MA", "617", "02116", "02118", "02215"),
            new City("Worcester", "MA", "508", "01609", "01602"), new City("Providence", "RI", "401", "02903", "02906"),
            new City("Hartford", "CT", "860", "06103", "06106"), new City("New Haven", "CT", "203", "06511"),
            new City("Burlington", "VT", "802", "05401"), new City("Portland", "ME", "207", "04101"),
            new City("Manchester", "NH", "603", "03101"), new City("Newark", "NJ", "973", "07102", "07104"),
            new City("Jersey City", "NJ", "201", "07302"), new City("New York", "NY", "212", "10001", "10025", "10011"),
            new City("Brooklyn", "NY", "718", "11201", "11215"), new City("Buffalo", "NY", "716", "14201"),
            new City("Philadelphia", "PA", "215", "19103", "19104"), new City("Pittsburgh", "PA", "412", "15213"),
            new City("Baltimore", "MD", "410", "21201"), new City("Washington", "DC", "202", "20001", "20009"),
            new City("Richmond", "VA", "804", "23220"), new City("Raleigh", "NC", "919", "27601", "27605"),
            new City("Charlotte", "NC", "704", "28202"), new City("Atlanta", "GA", "404", "30303", "30308"),
            new City("Miami", "FL", "305", "33130", "33139"), new City("Orlando", "FL", "407", "32801"),
            new City("Tampa", "FL", "813", "33602"), new City("Nashville", "TN", "615", "37203"),
            new City("Chicago", "IL", "312", "60601", "60614"), new City("Detroit", "MI", "313", "48201"),
            new City("Columbus", "OH", "614", "43215"), new City("Minneapolis", "MN", "612", "55401"),
            new City("St. Louis", "MO", "314", "63101"), new City("Kansas City", "MO", "816", "64105"),
            new City("New Orleans", "LA", "504", "70112"), new City("Houston", "TX", "713", "77002", "77006"),
            new City("Austin", "TX", "512", "78701", "78704"), new City("Dallas", "TX", "214", "75201"),
            new City("Denver", "CO", "303", "80202", "80205"), new City("Salt Lake City", "UT", "801", "84101"),
            new City("Phoenix", "AZ", "602", "85004"), new City("Albuquerque", "NM", "505", "87102"),
            new City("Las Vegas", "NV", "702", "89101"), new City("Los Angeles", "CA", "213", "90012", "90026"),
            new City("San Diego", "CA", "619", "92101"), new City("San Francisco", "CA", "415", "94103", "94110"),
            new City("Oakland", "CA", "510", "94612"), new City("Sacramento", "CA", "916", "95814"),
            new City("Portland", "OR", "503", "97205", "97209"), new City("Seattle", "WA", "206", "98101", "98122"),
            new City("Anchorage", "AK", "907", "99501"), new City("Honolulu", "HI", "808", "96813"),
    };

    private static final String[] FIRST_NAMES = {"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael",
            "Linda", "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
            "Charles", "Karen", "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Margaret", "Mark",
            "Sandra", "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Joshua", "Donna", "Kevin", "Michelle",
            "Brian", "Carol", "George", "Amanda", "Timothy", "Melissa", "Jose", "Deborah", "Luis", "Maria", "Wei", "Mei",
            "Aisha", "Omar", "Priya", "Raj", "Hiroshi", "Yuki", "Carlos", "Sofia", "Diego", "Camila", "Andre", "Keisha"};

    private static final String[] LAST_NAMES = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller",
            "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
            "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez",
            "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
            "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Chen",
            "Patel", "Kim", "Tanaka", "O'Brien", "Murphy", "Cohen", "Okafor", "Schmidt", "Rossi"};

    private static final String[] STREETS = {"Main", "Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill",
            "Park", "Walnut", "Sunset", "Lincoln", "Highland", "Jefferson", "Franklin", "Chestnut", "River", "Church",
            "Spring", "Willow", "Mill", "Prospect", "Massachusetts", "Broadway", "Harvard", "Magnolia", "Dogwood", "Ridge"};

    private static final String[] SUFFIXES = {"St", "Ave", "Rd", "Blvd", "Ln", "Dr", "Way", "Ct", "Pl", "Street", "Avenue"};

    private static final String[] DOMAINS = {"gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com",
            "hotmail.com", "icloud.com", "aol.com", "proton.me", "comcast.net"};

    private static final String[] TAGS = {"shop", "orders", "deals", "promo", "store"};

    /** Telephone exchanges that look ordinary: 200-999 without N11, 555, 950, 958, 959 and 976. */
    private static final int[] EXCHANGES = java.util.stream.IntStream.rangeClosed(200, 999)
            .filter(e -> e % 100 != 11 && e != 555 && e != 950 && e != 958 && e != 959 && e != 976).toArray();

    /** A customer's fixed personal data, re-derived from the seed whenever a row needs it. */
    private record Identity(String firstName, String lastName, String email, String address, City city, String postcode,
                            String phoneDigits, int phoneStyle) {

        String emailVariant(SplittableRandom random) {
            double u = random.nextDouble();
            String e = email;
            if (u < 0.06) {
                int at = e.indexOf('@');
                e = e.substring(0, at) + "+" + TAGS[random.nextInt(TAGS.length)] + e.substring(at);
            } else if (u < 0.11) {
                e = e.toUpperCase(Locale.ROOT);
            } else if (u < 0.16) {
                e = Character.toUpperCase(e.charAt(0)) + e.substring(1);
            }
            if (random.nextDouble() < 0.05) e = (random.nextBoolean() ? " " : "") + e + " ";
            return e;
        }

        String phoneVariant(SplittableRandom random) {
            double u = random.nextDouble();
            if (u < 0.04) return "";
            int style = u < 0.75 ? phoneStyle : random.nextInt(3);
            String a = phoneDigits.substring(0, 3), b = phoneDigits.substring(3, 6), c = phoneDigits.substring(6);
            return switch (style) {
                case 0 -> "(" + a + ") " + b + "-" + c;
                case 1 -> a + "-" + b + "-" + c;
                default -> "+1 " + a + " " + b + " " + c;
            };
        }
    }

    private Identity identity(int index) {
        SplittableRandom r = identityRandom(index);
        String first = FIRST_NAMES[r.nextInt(FIRST_NAMES.length)];
        String last = LAST_NAMES[r.nextInt(LAST_NAMES.length)];
        String f = first.toLowerCase(Locale.ROOT), l = last.toLowerCase(Locale.ROOT).replace("'", "");
        int n = 10 + index; // unique per customer, and always the local part's trailing digits: emails never collide
        String local = switch (r.nextInt(4)) {
            case 0 -> f + "." + l + n;
            case 1 -> f.charAt(0) + l + n;
            case 2 -> f + "_" + l + n;
            default -> f + n;
        };
        String email = local + "@" + DOMAINS[r.nextInt(DOMAINS.length)];
        City city = CITIES[r.nextInt(CITIES.length)];
        String postcode = city.postcodes[r.nextInt(city.postcodes.length)];
        String street = (1 + r.nextInt(r.nextDouble() < 0.7 ? 999 : 9999)) + " " + STREETS[r.nextInt(STREETS.length)] + " "
                + SUFFIXES[r.nextInt(SUFFIXES.length)];
        double apt = r.nextDouble();
        if (apt < 0.10) street += ", Apt " + (1 + r.nextInt(40)) + (char) ('A' + r.nextInt(6));
        else if (apt < 0.15) street += " Unit " + (1 + r.nextInt(300));
        // unique number per customer: the index permuted over every (exchange, line) pair, by a multiplier coprime
        // with their count (distinct for the first EXCHANGES.length * 10,000, about 7.9 million, customers)
        long pairs = EXCHANGES.length * 10_000L;
        long slot = (index * 999_983L + 12_345) % pairs;
        int exchange = EXCHANGES[(int) (slot / 10_000)];
        int line = (int) (slot % 10_000);
        String digits = city.areaCode + exchange + String.format(Locale.ROOT, "%04d", line);
        return new Identity(first, last, email, street, city, postcode, digits, r.nextInt(3));
    }

    /**
     * Command line: {@code OrdersGenerator <out.csv> <customers> <rows> [seed]} (seed 42 by default). Prints a
     * summary.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: OrdersGenerator <out.csv> <customers> <rows> [seed]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int customers = Integer.parseInt(args[1]);
        int rows = Integer.parseInt(args[2]);
        long seed = args.length == 4 ? Long.parseLong(args[3]) : 42;
        long t0 = System.nanoTime();
        Summary summary;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            summary = new OrdersGenerator(seed).write(w, customers, rows);
        }
        List<String> groups = new ArrayList<>();
        PlantedGroup[] all = PlantedGroup.values();
        for (int g = 0; g < all.length; g++) {
            groups.add(all[g].name().toLowerCase(Locale.ROOT) + "=" + summary.customersPerGroup().get(g) + " customers/"
                    + summary.rowsPerGroup().get(g) + " rows");
        }
        System.out.printf(Locale.ROOT, "wrote %s: %d customers, %d rows in %.1f s (seed %d); %s%n", out,
                summary.customers(), summary.rows(), (System.nanoTime() - t0) / 1e9, seed, String.join(", ", groups));
    }
}
