package personae.core.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import personae.core.util.Csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An account's own reference data (Personae's extension): a dataset whose rows are keyed by a postcode, a US state or
 * an email domain instead of a person, and whose {@code output_to_traits} become traits of every person of the
 * account's other datasets with that key (median income by postcode, company size by email domain...). Its build
 * writes {@code reference.csv}: the normalised key, then one column per trait; a key seen twice keeps its last row.
 *
 * @param by     what the key is: {@code postcode}, {@code state} or {@code email_domain}
 * @param traits the trait names, in column order
 * @param rows   per normalised key, the trait values (null: none)
 */
public record ReferenceTable(String by, List<String> traits, Map<String, String[]> rows) {

    /** The dataset field that makes a dataset a reference table: {@code {"key": "postcode", "column": "zip"}}. */
    public static final String FIELD = "reference_table";
    public static final List<String> KEYS = List.of("postcode", "state", "email_domain");
    /** The identity field of a person that each key kind is read from. */
    public static final Map<String, String> PERSON_FIELD = Map.of("postcode", "postcode", "state", "state",
            "email_domain", "email");

    /** {@code reference_table.key} and {@code .column} of a dataset document, or null when it is not a reference table. */
    public record Spec(String by, String column) {
        public static Spec of(JsonNode doc) {
            JsonNode r = doc.get(FIELD);
            if (r == null || !r.isObject()) return null;
            return new Spec(r.path("key").asText(), r.path("column").asText());
        }
    }

    public static boolean isReferenceTable(JsonNode doc) {
        return Spec.of(doc) != null;
    }

    /**
     * The key a cell (of the table's key column, or of a person's identity field) stands for, or null when it is not
     * one: a 5-digit postcode (ZIP+4 and missing leading zeros as ingestion reads them), a 2-letter state upper-cased,
     * an email's domain (or a bare domain) lower-cased.
     */
    public static String key(String by, String raw) {
        if (raw == null || raw.isBlank()) return null;
        String s = raw.trim();
        return switch (by) {
            case "postcode" -> Identity.normalizePostcode(s);
            case "state" -> s.length() == 2 && Character.isLetter(s.charAt(0)) && Character.isLetter(s.charAt(1))
                    ? s.toUpperCase(Locale.ROOT) : null;
            case "email_domain" -> {
                String d = s.substring(s.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
                yield d.contains(".") && !d.isEmpty() ? d : null;
            }
            default -> throw new IllegalArgumentException("not a reference key: " + by);
        };
    }

    /** The trait values of the row with this key, or null. */
    public String[] valuesFor(String raw) {
        String k = key(by, raw);
        return k == null ? null : rows.get(k);
    }

    public void write(OutputStream out) {
        List<String> header = new ArrayList<>();
        header.add(by);
        header.addAll(traits);
        try (CSVPrinter p = Csv.write(out, header)) {
            for (Map.Entry<String, String[]> e : new java.util.TreeMap<>(rows).entrySet()) {
                p.print(e.getKey());
                for (String v : e.getValue()) p.print(v == null ? "" : v);
                p.println();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ReferenceTable read(InputStream in) {
        try (CSVParser p = Csv.read(in)) {
            List<String> header = p.getHeaderNames();
            Map<String, String[]> rows = new HashMap<>();
            for (CSVRecord r : p) {
                String[] values = new String[header.size() - 1];
                for (int i = 1; i < header.size(); i++) values[i - 1] = r.get(i).isEmpty() ? null : r.get(i);
                rows.put(r.get(0), values);
            }
            return new ReferenceTable(header.get(0), List.copyOf(header.subList(1, header.size())), rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
