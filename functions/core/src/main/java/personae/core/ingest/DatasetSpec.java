package personae.core.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import personae.core.resource.Kind;
import personae.core.resource.Reference;
import personae.core.resource.ResourceType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a dataset asks of ingestion (a {@code delimiter} of {@link CsvFiles#SNIFF} means "detect it"), read from its v1
 * document: where its files are, how to parse them, which columns identify a person, which become stream events and
 * which become traits, and which rows count.
 *
 * @param upsertColumns      {@code upsert_columns}: the row key; of rows with one key only the newest is kept (empty:
 *                           every distinct row is kept once)
 * @param incrementalColumn  {@code incremental_column}: a date or number column; a file ingested later keeps only rows
 *                           newer than every row ingested before it (null: none)
 * @param preview            {@code preview}: detect the columns from the first rows, ingest nothing
 * @param allColumnsExcept   {@code output_all_columns_as_traits.exclude}: every other column (identity and reference
 *                           key columns aside) is a trait; null when the option is not set
 * @param privacy            {@code privacy}: {@code suppress}, {@code delete}, or null
 * @param referenceTable     Personae's {@code reference_table} extension: rows are keyed by a postcode, state or
 *                           email domain, not people ({@link ReferenceTable}); null for a dataset of people
 */
public record DatasetSpec(String id, String uploadDirectory, char delimiter, String headerRow, boolean replaceAll,
                          List<IdentitySet> identitySets, List<String> referenceKeyColumns, List<StreamSpec> streams,
                          List<TraitSpec> traits, List<String> upsertColumns, String incrementalColumn, boolean preview,
                          List<String> allColumnsExcept, String privacy, ReferenceTable.Spec referenceTable) {

    /** The streams a dataset outputs to: the keys of {@code output_to_streams}; cohorts read them. */
    public static final Reference STREAMS = Reference.writesNamedBy("/output_to_streams", ResourceType.STREAMS);
    public static final Kind<DatasetSpec> KIND = new Kind<>(ResourceType.DATASETS, List.of(STREAMS), false,
            DatasetSpec::fromDocument);

    /** One identity set: IdentitySet key to column, with {@code house_number_and_street} possibly several columns. */
    public record IdentitySet(String name, Map<String, List<String>> columns) {}

    /** One stream: its properties (including {@code datetime}) and row conditions. */
    public record StreamSpec(String name, List<Property> properties, List<Condition> conditions) {
        public Property property(String name) {
            return properties.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
        }
    }

    /**
     * A DataMap entry: stream property name, source column (or literal date for static_date_iso8601), format, and
     * (Personae's extension, numeric properties only) a second column the number is multiplied by, or null.
     */
    public record Property(String name, String column, String format, String multiplyBy) {}

    /** An output_to_traits entry. */
    public record TraitSpec(String name, String column, String format, Map<String, String> transformationTable) {}

    public static DatasetSpec fromDocument(JsonNode doc) {
        JsonNode options = doc.path("options");
        String delimiter = options.path("delimiter").asText("");
        List<IdentitySet> sets = new ArrayList<>();
        doc.path("identity_sets").properties().forEach(e -> {
            Map<String, List<String>> cols = new LinkedHashMap<>();
            e.getValue().properties().forEach(f -> {
                if (f.getValue().isArray()) {
                    List<String> many = new ArrayList<>();
                    f.getValue().forEach(v -> many.add(v.asText()));
                    cols.put(f.getKey(), many);
                } else if (!f.getValue().isNull()) {
                    cols.put(f.getKey(), List.of(f.getValue().asText()));
                }
            });
            sets.add(new IdentitySet(e.getKey(), cols));
        });
        List<StreamSpec> streams = new ArrayList<>();
        doc.path("output_to_streams").properties().forEach(e -> {
            List<Property> props = new ArrayList<>();
            e.getValue().path("data_map").properties().forEach(p -> props.add(new Property(p.getKey(),
                    p.getValue().path("column_name").asText(), textOrNull(p.getValue(), "format"),
                    textOrNull(p.getValue(), MULTIPLY_BY))));
            streams.add(new StreamSpec(e.getKey(), props,
                    Condition.listFromJson(e.getValue().get("conditions"), "column_name")));
        });
        List<TraitSpec> traits = new ArrayList<>();
        doc.path("output_to_traits").properties().forEach(e -> {
            Map<String, String> table = new LinkedHashMap<>();
            e.getValue().path("transformation_table").properties()
                    .forEach(t -> table.put(t.getKey(), t.getValue().asText()));
            traits.add(new TraitSpec(e.getKey(), e.getValue().path("column_name").asText(),
                    textOrNull(e.getValue(), "format"), table));
        });
        return new DatasetSpec(doc.path("id").asText(), options.path("upload_directory").asText(),
                delimiter.isEmpty() ? CsvFiles.SNIFF : delimiter.charAt(0), textOrNull(options, "header_row"),
                options.path("replace_all_with_latest_file").asBoolean(false), sets, referenceKeyColumns(doc),
                streams, traits, strings(doc.get("upsert_columns")), textOrNull(doc, "incremental_column"),
                doc.path("preview").asBoolean(false), doc.hasNonNull(ALL_COLUMNS)
                        ? strings(doc.get(ALL_COLUMNS).get("exclude")) : null, textOrNull(doc, "privacy"),
                ReferenceTable.Spec.of(doc));
    }

    /**
     * Whether a dataset's people may be modelled: in cohorts, and so in persona sets and analysis. Not with
     * {@code privacy: "delete"} (neither modelled nor output).
     */
    public static boolean isModelled(JsonNode doc) {
        return !"delete".equals(doc.path("privacy").asText(null));
    }

    /**
     * Whether a dataset's people may be output: in scopes, and so in targets and lookups. Not with any
     * {@code privacy} ({@code suppress}: modelled, never output, as for a do-not-contact list; {@code delete}).
     */
    public static boolean isOutput(JsonNode doc) {
        return !doc.hasNonNull("privacy");
    }

    /** The dataset field that makes every column a trait: {@code {"exclude": [...]}}. */
    public static final String ALL_COLUMNS = "output_all_columns_as_traits";

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) array.forEach(v -> out.add(v.asText()));
        return List.copyOf(out);
    }

    /**
     * With {@code output_all_columns_as_traits}: the spec with one trait per header column (named as the column, its
     * text kept as is) except the excluded ones and the columns that identify people. Otherwise this spec.
     */
    public DatasetSpec withHeader(List<String> header) {
        if (allColumnsExcept == null) return this;
        java.util.Set<String> skip = new java.util.HashSet<>(allColumnsExcept);
        skip.addAll(referenceKeyColumns);
        for (IdentitySet s : identitySets) s.columns().values().forEach(skip::addAll);
        List<TraitSpec> all = new ArrayList<>(traits);
        for (String column : header) {
            if (!skip.contains(column) && all.stream().noneMatch(t -> t.name().equals(column))) {
                all.add(new TraitSpec(column, column, null, Map.of()));
            }
        }
        return new DatasetSpec(id, uploadDirectory, delimiter, headerRow, replaceAll, identitySets, referenceKeyColumns,
                streams, List.copyOf(all), upsertColumns, incrementalColumn, preview, null, privacy, referenceTable);
    }

    /** The DataMap field of Personae's extension: the column a numeric property's value is multiplied by. */
    public static final String MULTIPLY_BY = "multiply_by_column";

    /**
     * {@code reference_key_columns}, or the deprecated single {@code reference_key_column} (both, when both are given:
     * the list first), without repeats.
     */
    public static List<String> referenceKeyColumns(JsonNode doc) {
        java.util.LinkedHashSet<String> cols = new java.util.LinkedHashSet<>();
        doc.path("reference_key_columns").forEach(c -> {
            if (c.isTextual() && !c.asText().isBlank()) cols.add(c.asText());
        });
        JsonNode one = doc.get("reference_key_column");
        if (one != null && one.isTextual() && !one.asText().isBlank()) cols.add(one.asText());
        return List.copyOf(cols);
    }

    private static String textOrNull(JsonNode n, String f) {
        return n.hasNonNull(f) ? n.get(f).asText() : null;
    }

    /** Every column the mapping reads, with the JSON pointer of the field that names it (for error messages). */
    public Map<String, String> referencedColumns() {
        Map<String, String> out = new LinkedHashMap<>();
        for (IdentitySet s : identitySets) {
            s.columns().forEach((key, cols) -> {
                for (int i = 0; i < cols.size(); i++) {
                    String ptr = "/identity_sets/" + s.name() + "/" + key + (key.equals("house_number_and_street") ? "/" + i : "");
                    out.putIfAbsent(cols.get(i), ptr);
                }
            });
        }
        for (int i = 0; i < referenceKeyColumns.size(); i++) {
            out.putIfAbsent(referenceKeyColumns.get(i), "/reference_key_columns/" + i);
        }
        for (StreamSpec st : streams) {
            for (Property p : st.properties()) {
                if (!"static_date_iso8601".equals(p.format())) {
                    out.putIfAbsent(p.column(), "/output_to_streams/" + st.name() + "/data_map/" + p.name() + "/column_name");
                }
                if (p.multiplyBy() != null) {
                    out.putIfAbsent(p.multiplyBy(), "/output_to_streams/" + st.name() + "/data_map/" + p.name() + "/"
                            + MULTIPLY_BY);
                }
            }
            for (int i = 0; i < st.conditions().size(); i++) {
                out.putIfAbsent(st.conditions().get(i).field(),
                        "/output_to_streams/" + st.name() + "/conditions/" + i + "/column_name");
            }
        }
        for (TraitSpec t : traits) out.putIfAbsent(t.column(), "/output_to_traits/" + t.name() + "/column_name");
        for (int i = 0; i < upsertColumns.size(); i++) out.putIfAbsent(upsertColumns.get(i), "/upsert_columns/" + i);
        if (incrementalColumn != null) out.putIfAbsent(incrementalColumn, "/incremental_column");
        if (referenceTable != null) out.putIfAbsent(referenceTable.column(), "/" + ReferenceTable.FIELD + "/column");
        return out;
    }
}
