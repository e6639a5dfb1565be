package personae.core.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

import personae.core.ingest.Identity;
import personae.core.resource.Json;
import personae.core.util.Csv;
import personae.core.util.Dictionary;
import personae.core.util.GrowableInts;
import personae.core.util.LongHashSet;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * A hosted-CSV target's file from its scope's output. In order: {@code filter.persona} keeps rows; the
 * {@code representation} mode says which columns exist and which rows are written
 * <ul>
 *   <li>{@code identified}: every scope column; {@code aggregate: "person"} writes every row, {@code "residence"} the
 *       first person of each household (same street and postcode; a person without a street is a household alone);</li>
 *   <li>{@code hashed}: {@code email_hash} and {@code name_address_hash} (SHA-256 of the normalised email and of the
 *       normalised name + address, {@link Identity}) and the {@code fdy_} payload columns; rows shuffled, seeded by the
 *       target's id, so a rebuild writes the same file;</li>
 *   <li>{@code referenced}: the reference key column and the payload columns, rows that have a key;</li>
 *   <li>{@code aggregated}: one row per state or postcode (sorted), with counts ({@code count}, {@code countif},
 *       {@code avg}); by default the area, {@code count} and one {@code countif} per persona;</li>
 * </ul>
 * then {@code custom_structure} (or the deprecated {@code payload_map}) selects, orders and names the columns, else
 * {@code human_readable} names them by their readable names; then {@code limit.row_count}; written with the
 * {@code options} ({@code delimiter}, {@code quote_all}, {@code gzip}). Streams row by row, except hashed rows (held as
 * columns, 32 bytes per hash and 4 per other cell, to be shuffled) and aggregated areas (one small row per area).
 */
public final class TargetCsv {

    /** No cap on the rows written beyond the target's own limit. */
    public static final long NO_CAP = Long.MAX_VALUE;
    /** The geographic levels Personae can aggregate by: the identity columns that name an area. */
    public static final List<String> AREAS = List.of("state", "postcode");
    public static final String EMAIL_HASH = "email_hash";
    public static final String NAME_ADDRESS_HASH = "name_address_hash";

    private TargetCsv() {}

    /** What was written: the rows (areas when aggregated) and the columns, as {@code final_structure}. */
    public record Result(long rows, ArrayNode structure) {}

    /** A column a mode offers: its machine name, readable name, whether it identifies a person, its value. */
    private record Source(String name, String human, boolean identity, boolean hash, Function<CSVRecord, String> value) {}

    /** One output column: the source it shows and its header. */
    private record Out(Source source, String header) {}

    /** With the columns read from the header alone (identity columns: those not starting with {@code fdy_}). */
    public static long transform(JsonNode target, InputStream scopeCsv, OutputStream out) {
        return transform(target, null, scopeCsv, out, NO_CAP).rows();
    }

    /**
     * Writes the target's file.
     *
     * @param scope what the scope says of its columns; null to derive it from the CSV's header
     * @param cap   at most this many rows (a preview's 1,000); {@link #NO_CAP} for the whole target
     * @throws IllegalArgumentException when the target names columns, persona sets or keys its scope does not have
     */
    public static Result transform(JsonNode target, ScopeColumns scope, InputStream scopeCsv, OutputStream out, long cap) {
        JsonNode rep = target.path("representation");
        String mode = rep.path("mode").asText("identified");
        long limit = target.path("limit").path("method").asText("").equals("row_count")
                ? target.path("limit").path("threshold").asLong(Long.MAX_VALUE) : Long.MAX_VALUE;
        long max = Math.min(limit, cap);
        try (CSVParser in = Csv.read(scopeCsv)) {
            Map<String, Integer> cols = in.getHeaderMap();
            List<String> header = in.getHeaderNames();
            ScopeColumns sc = scope != null && !scope.identityColumns().isEmpty() ? scope : fromHeader(header, scope);
            List<PersonaFilter> filters = personaFilters(target, cols);
            if (mode.equals("aggregated")) return aggregated(target, rep, sc, in, cols, filters, out, max);
            List<Source> sources = sources(mode, rep, sc, header, cols);
            List<Out> structure = structure(target, sources, mode);
            ArrayNode finalStructure = Json.MAPPER.createArrayNode();
            for (Out o : structure) {
                ObjectNode c = finalStructure.addObject().put("scope_col", o.source().name()).put("output_col", o.header());
                if (o.source().identity()) c.put("is_identity_col", true);
            }
            long written;
            try (CSVPrinter p = printer(target, structure.stream().map(Out::header).toList(), out)) {
                written = mode.equals("hashed")
                        ? shuffled(target, in, filters, structure, p, cap, max)
                        : streamed(mode, rep, sc, in, cols, filters, structure, p, max);
            }
            return new Result(written, finalStructure);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ScopeColumns fromHeader(List<String> header, ScopeColumns scope) {
        return new ScopeColumns(header.stream().filter(h -> !h.startsWith("fdy_")).toList(),
                scope == null ? Map.of() : scope.humanNames(), scope == null ? List.of() : scope.personaSets());
    }

    // ------------------------------------------------------------------ the columns of each mode

    private static List<Source> sources(String mode, JsonNode rep, ScopeColumns sc, List<String> header,
                                        Map<String, Integer> cols) {
        List<Source> out = new ArrayList<>();
        List<String> payload = header.stream().filter(h -> !sc.identityColumns().contains(h)).toList();
        switch (mode) {
            case "hashed" -> {
                Integer email = cols.get("email");
                Integer emailHash = cols.get("email_hash");
                out.add(new Source(EMAIL_HASH, "Email (SHA-256)", true, true, r -> {
                    String e = email == null ? null : Identity.normalizeEmail(r.get(email));
                    if (e != null) return Identity.emailHash(e);
                    String h = emailHash == null ? "" : r.get(emailHash).trim().toLowerCase(Locale.ROOT);
                    return h.matches("[0-9a-f]{64}") ? h : "";
                }));
                out.add(new Source(NAME_ADDRESS_HASH, "Name and address (SHA-256)", true, true, r -> {
                    String s = nameAddress(r, cols);
                    return s == null ? "" : personae.core.util.Hashes.sha256Hex(s);
                }));
                for (String h : payload) {
                    if (h.startsWith("fdy_")) out.add(column(h, sc, false, cols));
                }
            }
            case "referenced" -> {
                String key = rep.path("reference").path("column_name").asText();
                if (!cols.containsKey(key)) {
                    throw new IllegalArgumentException("representation.reference.column_name names '" + key
                            + "', which the scope's people do not have (its identity columns: "
                            + String.join(", ", sc.identityColumns()) + ")");
                }
                out.add(column(key, sc, true, cols));
                for (String h : payload) out.add(column(h, sc, false, cols));
            }
            default -> {
                for (String h : header) out.add(column(h, sc, sc.identityColumns().contains(h), cols));
            }
        }
        return out;
    }

    private static Source column(String name, ScopeColumns sc, boolean identity, Map<String, Integer> cols) {
        int i = cols.get(name);
        return new Source(name, sc.humanNames().getOrDefault(name, name), identity, false, r -> r.get(i));
    }

    /** A row's normalised name + address (as identity resolution reads it), or null when it has none. */
    private static String nameAddress(CSVRecord r, Map<String, Integer> cols) {
        String first = cell(r, cols, "person_first_name");
        String last = cell(r, cols, "person_last_name");
        String name = last != null ? (first == null ? "" : first) + "|" + last : cell(r, cols, "person_full_name");
        String street = cell(r, cols, "house_number_and_street");
        String postcode = cell(r, cols, "postcode");
        if (street == null) {
            street = cell(r, cols, "freeform_address");
            if (street == null) return null;
        } else if (postcode == null) {
            return null;
        }
        return name == null ? null : Identity.nameAddress(name, street, postcode);
    }

    private static String cell(CSVRecord r, Map<String, Integer> cols, String column) {
        Integer i = cols.get(column);
        if (i == null) return null;
        String v = r.get(i);
        return v == null || v.isBlank() ? null : v;
    }

    /** The output columns: custom_structure, else payload_map, else every column the mode offers. */
    private static List<Out> structure(JsonNode target, List<Source> sources, String mode) {
        Map<String, Source> byName = new LinkedHashMap<>();
        for (Source s : sources) byName.putIfAbsent(s.name(), s);
        for (Source s : sources) byName.putIfAbsent(s.human(), s);
        List<Out> out = new ArrayList<>();
        JsonNode custom = target.get("custom_structure");
        JsonNode payloadMap = target.get("payload_map");
        if (custom != null && custom.isArray() && !custom.isEmpty()) {
            for (JsonNode c : custom) {
                String col = c.path("scope_col").asText();
                out.add(new Out(find(byName, col, "custom_structure", mode), c.path("output_col").asText(col)));
            }
        } else if (payloadMap != null && payloadMap.isObject() && !payloadMap.isEmpty()) {
            payloadMap.properties().forEach(e -> out.add(new Out(find(byName, e.getKey(), "payload_map", mode),
                    e.getValue().asText())));
        } else {
            boolean human = target.path("human_readable").asBoolean(false);
            for (Source s : sources) out.add(new Out(s, human ? s.human() : s.name()));
        }
        return out;
    }

    private static Source find(Map<String, Source> byName, String col, String field, String mode) {
        Source s = byName.get(col);
        if (s == null) {
            throw new IllegalArgumentException(field + " names scope column '" + col + "', which a " + mode
                    + " target of this scope does not have (columns: " + String.join(", ", byName.keySet()) + ")");
        }
        return s;
    }

    // ------------------------------------------------------------------ rows

    private static long streamed(String mode, JsonNode rep, ScopeColumns sc, CSVParser in, Map<String, Integer> cols,
                                 List<PersonaFilter> filters, List<Out> structure, CSVPrinter p, long max)
            throws IOException {
        boolean residence = mode.equals("identified") && rep.path("aggregate").asText("person").equals("residence");
        Integer key = mode.equals("referenced") ? cols.get(rep.path("reference").path("column_name").asText()) : null;
        LongHashSet households = residence ? new LongHashSet() : null;
        long written = 0;
        for (CSVRecord r : in) {
            if (written >= max) break;
            if (!keeps(filters, r)) continue;
            if (key != null && r.get(key).isBlank()) continue;
            if (residence) {
                String household = household(r, cols);
                if (household != null && !households.add(Identity.addressKey(household))) continue;
            }
            for (Out o : structure) p.print(o.source().value().apply(r));
            p.println();
            written++;
        }
        return written;
    }

    /** A household: the normalised street and postcode (or city and state); null when the row has no street. */
    private static String household(CSVRecord r, Map<String, Integer> cols) {
        String street = cell(r, cols, "house_number_and_street");
        if (street == null) street = cell(r, cols, "freeform_address");
        if (street == null) return null;
        String pc = Identity.normalizePostcode(cell(r, cols, "postcode"));
        String where = pc != null ? pc : Identity.fold(cell(r, cols, "city")) + "|" + Identity.fold(cell(r, cols, "state"));
        return Identity.normalizeStreet(street) + "|" + where;
    }

    /**
     * Hashed rows, shuffled: the kept rows (all of them, or a preview's first {@code cap}) are held as columns (a hash
     * as 32 bytes, any other cell as a dictionary code), then written in an order drawn from a generator seeded by the
     * target's id, so a {@code limit} takes a random sample of them.
     */
    private static long shuffled(JsonNode target, CSVParser in, List<PersonaFilter> filters, List<Out> structure,
                                 CSVPrinter p, long cap, long max) throws IOException {
        List<ColumnStore> stores = structure.stream().map(o -> o.source().hash() ? (ColumnStore) new HashStore()
                : new CodeStore()).toList();
        int n = 0;
        for (CSVRecord r : in) {
            if (n >= cap || n == Integer.MAX_VALUE - 8) break;
            if (!keeps(filters, r)) continue;
            for (int c = 0; c < structure.size(); c++) stores.get(c).add(structure.get(c).source().value().apply(r));
            n++;
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom random = new SplittableRandom(seed(target.path("id").asText("")));
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        long written = 0;
        for (int i : order) {
            if (written >= max) break;
            for (ColumnStore s : stores) p.print(s.get(i));
            p.println();
            written++;
        }
        return written;
    }

    static long seed(String id) {
        return UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).getMostSignificantBits();
    }

    private interface ColumnStore {
        void add(String v);

        String get(int row);
    }

    /** Cells as codes of a dictionary (payload cells repeat: persona ids and names). */
    private static final class CodeStore implements ColumnStore {
        private final Dictionary values = new Dictionary();
        private final GrowableInts codes = new GrowableInts();

        public void add(String v) { codes.add(values.code(v)); }

        public String get(int row) { return values.value(codes.get(row)); }
    }

    /** SHA-256 hex cells as their 32 bytes; an empty cell is a clear bit. */
    private static final class HashStore implements ColumnStore {
        private static final HexFormat HEX = HexFormat.of();
        private byte[] bytes = new byte[32 * 1024];
        private final BitSet present = new BitSet();
        private int n;

        public void add(String v) {
            if ((n + 1) * 32L > bytes.length) bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 8, bytes.length * 2L));
            if (!v.isEmpty()) {
                System.arraycopy(HEX.parseHex(v), 0, bytes, n * 32, 32);
                present.set(n);
            }
            n++;
        }

        public String get(int row) {
            return present.get(row) ? HEX.formatHex(bytes, row * 32, row * 32 + 32) : "";
        }
    }

    // ------------------------------------------------------------------ aggregated

    private enum Aggregation { AREA, COUNT, COUNTIF, AVG }

    private record Agg(Aggregation kind, String scopeCol, int column, String criteria, String header) {}

    private static Result aggregated(JsonNode target, JsonNode rep, ScopeColumns sc, CSVParser in,
                                     Map<String, Integer> cols, List<PersonaFilter> filters, OutputStream out, long max)
            throws IOException {
        String level = rep.path("aggregate").asText();
        Integer area = cols.get(level);
        if (area == null) {
            throw new IllegalArgumentException("representation.aggregate is '" + level + "', but the scope's people have"
                    + " no " + level + " column (map one in the datasets' identity_sets)");
        }
        Map<String, String> byHuman = new HashMap<>();
        sc.humanNames().forEach((name, human) -> byHuman.putIfAbsent(human, name));
        List<Agg> aggs = new ArrayList<>();
        JsonNode custom = target.get("custom_structure");
        boolean human = target.path("human_readable").asBoolean(false);
        if (custom != null && custom.isArray() && !custom.isEmpty()) {
            for (JsonNode c : custom) {
                String col = c.path("scope_col").asText();
                String name = cols.containsKey(col) ? col : byHuman.getOrDefault(col, col);
                String header = c.path("output_col").asText(col);
                String how = c.path("aggregation").asText("");
                if (how.isEmpty()) {
                    if (!name.equals(level)) {
                        throw new IllegalArgumentException("custom_structure column '" + col + "' has no aggregation; in"
                                + " an aggregated target only the area column (" + level + ") may be listed without one");
                    }
                    aggs.add(new Agg(Aggregation.AREA, name, area, null, header));
                    continue;
                }
                Integer i = cols.get(name);
                if (i == null) {
                    throw new IllegalArgumentException("custom_structure names scope column '" + col + "', which the "
                            + "scope does not have (columns: " + String.join(", ", cols.keySet()) + ")");
                }
                Aggregation kind = Aggregation.valueOf(how.toUpperCase(Locale.ROOT));
                aggs.add(new Agg(kind, name, i, kind == Aggregation.COUNTIF ? c.path("aggregation_criteria").asText() : null, header));
            }
        } else {
            aggs.add(new Agg(Aggregation.AREA, level, area, null, human ? capitalized(level) : level));
            aggs.add(new Agg(Aggregation.COUNT, level, area, null, human ? "Count" : "count"));
            for (ScopeColumns.PersonaSet ps : sc.personaSets()) {
                Integer i = cols.get(ps.idColumn());
                if (i == null) continue;
                for (ScopeColumns.Persona persona : ps.personas()) {
                    String machine = ps.idColumn().substring(0, ps.idColumn().length() - "_id".length()) + "_"
                            + persona.id().replace('-', '_') + "_count";
                    aggs.add(new Agg(Aggregation.COUNTIF, ps.idColumn(), i, persona.id(),
                            human ? ps.name() + ": " + persona.name() : machine));
                }
            }
        }
        TreeMap<String, double[]> groups = new TreeMap<>(); // per area, per aggregation: a count or a sum
        Map<String, long[]> avgCounts = new HashMap<>();
        for (CSVRecord r : in) {
            if (!keeps(filters, r)) continue;
            String a = level.equals("postcode") ? Identity.normalizePostcode(r.get(area))
                    : r.get(area).trim().toUpperCase(Locale.ROOT);
            if (a == null || a.isEmpty()) continue; // a person in no known area is in no area's row
            double[] g = groups.computeIfAbsent(a, k -> new double[aggs.size()]);
            for (int k = 0; k < aggs.size(); k++) {
                Agg agg = aggs.get(k);
                switch (agg.kind()) {
                    case AREA -> { }
                    case COUNT -> g[k]++;
                    case COUNTIF -> { if (agg.criteria().equals(r.get(agg.column()))) g[k]++; }
                    case AVG -> {
                        Double v = number(r.get(agg.column()));
                        if (v != null) {
                            g[k] += v;
                            avgCounts.computeIfAbsent(a, x -> new long[aggs.size()])[k]++;
                        }
                    }
                }
            }
        }
        ArrayNode finalStructure = Json.MAPPER.createArrayNode();
        for (Agg agg : aggs) {
            ObjectNode c = finalStructure.addObject().put("scope_col", agg.scopeCol()).put("output_col", agg.header());
            if (agg.kind() == Aggregation.AREA) c.put("is_identity_col", true);
            else c.put("aggregation", agg.kind().name().toLowerCase(Locale.ROOT));
            if (agg.criteria() != null) c.put("aggregation_criteria", agg.criteria());
        }
        long written = 0;
        try (CSVPrinter p = printer(target, aggs.stream().map(Agg::header).toList(), out)) {
            for (var e : groups.entrySet()) {
                if (written >= max) break;
                for (int k = 0; k < aggs.size(); k++) {
                    double v = e.getValue()[k];
                    switch (aggs.get(k).kind()) {
                        case AREA -> p.print(e.getKey());
                        case COUNT, COUNTIF -> p.print(Long.toString((long) v));
                        case AVG -> {
                            long[] counts = avgCounts.get(e.getKey());
                            p.print(counts == null || counts[k] == 0 ? "" : Double.toString(v / counts[k]));
                        }
                    }
                }
                p.println();
                written++;
            }
        }
        return new Result(written, finalStructure);
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static Double number(String s) {
        if (s == null || s.isBlank()) return null;
        try {
            double d = Double.parseDouble(s.trim());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ shared

    private static CSVPrinter printer(JsonNode target, List<String> header, OutputStream out) throws IOException {
        JsonNode options = target.path("options");
        String delimiter = options.path("delimiter").asText(",");
        boolean quoteAll = options.path("quote_all").asBoolean(false);
        OutputStream sink = options.path("gzip").asBoolean(false) ? new java.util.zip.GZIPOutputStream(out, 1 << 16) : out;
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setRecordSeparator('\n')
                .setHeader(header.toArray(String[]::new))
                .setQuoteMode(quoteAll ? QuoteMode.ALL : QuoteMode.MINIMAL).get();
        return new CSVPrinter(new BufferedWriter(new OutputStreamWriter(sink, StandardCharsets.UTF_8), 1 << 16), format);
    }

    private static List<PersonaFilter> personaFilters(JsonNode target, Map<String, Integer> cols) {
        List<PersonaFilter> filters = new ArrayList<>();
        for (JsonNode f : target.path("filter").path("persona")) {
            String col = "fdy_persona_set_" + f.path("persona_set_id").asText().replace('-', '_') + "_persona_id";
            Integer i = cols.get(col);
            if (i == null) {
                throw new IllegalArgumentException("filter.persona names persona set "
                        + f.path("persona_set_id").asText() + ", which is not in the scope's payload");
            }
            filters.add(new PersonaFilter(i, f.path("persona_id").asText(), f.path("_eq").asBoolean(true)));
        }
        return filters;
    }

    private static boolean keeps(List<PersonaFilter> filters, CSVRecord r) {
        for (PersonaFilter f : filters) if (!f.keeps(r)) return false;
        return true;
    }

    private record PersonaFilter(int column, String personaId, boolean eq) {
        boolean keeps(CSVRecord r) {
            return personaId.equals(r.get(column)) == eq;
        }
    }
}
