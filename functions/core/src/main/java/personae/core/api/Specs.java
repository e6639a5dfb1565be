package personae.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Limits;
import personae.core.ingest.Condition;
import personae.core.ingest.DatasetSpec;
import personae.core.ingest.Identity;
import personae.core.ingest.ReferenceTable;
import personae.core.ingest.ValueFormat;
import personae.core.pipeline.RefreshSchedule;
import personae.core.resource.ResourceType;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The v1 request bodies Personae accepts, per resource type: which fields a POST and a PATCH may carry, and the checks
 * on the whole (merged) document. Field names and enum spellings are the reference's.
 */
final class Specs {

    static final Pattern CLOCK_TIME = Pattern.compile("^([01][0-9]|2[0-3]):[0-5][0-9]$");
    static final Set<String> WEEKDAYS = Set.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
            "sunday");
    static final Pattern DIRECTORY = Pattern.compile("^[A-Za-z0-9_][-A-Za-z0-9_]*$");
    static final Pattern FILENAME = Pattern.compile("^[A-Za-z0-9_][-A-Za-z0-9_.]*\\.(csv|CSV|txt|TXT|gpg|GPG|pgp|PGP|gz|GZ|bz2|BZ2)$");

    /** One resource type's body rules. */
    interface Spec {
        ResourceType type();

        List<String> postFields();

        List<String> patchFields();

        /** Checks a complete document (a POST body, or the stored document with a PATCH merged in). */
        void validate(ObjectNode doc, Validation v);

        /**
         * Fills in what the seeds' requests leave out (the tutorial posts a dataset and a persona set without a name,
         * and a target without a representation), before validation. {@code names} finds a referenced resource's name.
         */
        default void defaults(ObjectNode body, Names names) { }

        /** The same for a PATCH body that carries a {@code representation} (before it is merged). */
        default void patchDefaults(ObjectNode patch, Names names) {
            defaults(patch, names);
        }
    }

    /** The name of a resource this account has, if it exists. */
    interface Names {
        java.util.Optional<String> of(ResourceType type, String id);
    }

    private Specs() {}

    static Spec of(ResourceType t) {
        return switch (t) {
            case DATASETS -> DATASET;
            case COHORTS -> COHORT;
            case PERSONA_SETS -> PERSONA_SET;
            case SCOPES -> SCOPE;
            case TARGETS -> TARGET;
            default -> throw new IllegalArgumentException(t.wire());
        };
    }

    static final Spec DATASET = new Spec() {
        public ResourceType type() { return ResourceType.DATASETS; }

        public List<String> postFields() {
            return List.of("name", "options", "identity_sets", "output_to_streams", "output_to_traits", "preview",
                    "upsert_columns", "incremental_column", "reference_key_columns", "reference_key_column", "privacy",
                    RefreshSchedule.FIELD, ReferenceTable.FIELD);
        }

        public List<String> patchFields() {
            return List.of("name", "options", "identity_sets", "output_to_streams", "output_to_traits", "preview",
                    "upsert_columns", "reference_key_columns", "reference_key_column", "privacy",
                    "output_all_columns_as_traits", RefreshSchedule.FIELD);
        }

        /** A dataset without a name is named after its upload directory (when that is valid). */
        public void defaults(ObjectNode body, Names names) {
            if (!body.has("name") && body.path("options").path("upload_directory").isTextual()
                    && DIRECTORY.matcher(body.path("options").path("upload_directory").asText()).matches()) {
                body.put("name", body.path("options").path("upload_directory").asText());
            }
        }

        public void validate(ObjectNode doc, Validation v) {
            v.string(doc, "name", "", true);
            ObjectNode options = v.object(doc, "options", "", true);
            if (options != null) {
                v.onlyFields(options, "/options", List.of("type", "upload_directory", "delimiter", "header_row",
                        "replace_all_with_latest_file", "encrypted"));
                v.enumString(options, "type", "/options", true, Set.of("hosted_csv"));
                v.pattern(options, "upload_directory", "/options", true, DIRECTORY,
                        "must match ^[A-Za-z0-9_][-A-Za-z0-9_]*$");
                String delimiter = v.string(options, "delimiter", "/options", false);
                if (delimiter != null && delimiter.length() != 1) {
                    v.fail("/options/delimiter", "must be a single character", "maxLength");
                }
                v.string(options, "header_row", "/options", false);
                v.bool(options, "replace_all_with_latest_file", "/options", false);
                if (Boolean.TRUE.equals(v.bool(options, "encrypted", "/options", false))) {
                    v.fail("/options/encrypted", "encrypted (PGP) uploads are not supported by Personae", "enum");
                }
            }
            boolean referenced = !DatasetSpec.referenceKeyColumns(doc).isEmpty();
            ObjectNode table = v.object(doc, ReferenceTable.FIELD, "", false);
            ObjectNode sets = null;
            if (table != null) {
                referenceTable(doc, table, v);
            } else {
                sets = v.object(doc, "identity_sets", "", true);
                if (sets != null) {
                    if (sets.isEmpty() && !referenced) {
                        v.fail("/identity_sets", "needs at least one identity set, or reference_key_columns naming the "
                                + "columns that identify a person (such as a customer id) with identity_sets {}",
                                "minProperties");
                    }
                    sets.properties().forEach(e -> identitySet(e.getKey(), e.getValue(), v));
                }
                ObjectNode streams = v.object(doc, "output_to_streams", "", false);
                if (streams != null) streams.properties().forEach(e -> stream(e.getKey(), e.getValue(), v));
                ObjectNode traits = v.object(doc, "output_to_traits", "", false);
                if (traits != null) traits.properties().forEach(e -> trait(e.getKey(), e.getValue(), v));
            }
            ObjectNode refresh = v.object(doc, RefreshSchedule.FIELD, "", false);
            if (refresh != null) {
                String path = "/" + RefreshSchedule.FIELD;
                v.onlyFields(refresh, path, List.of("every", "at", "on"));
                String every = v.enumString(refresh, "every", path, true, Set.copyOf(RefreshSchedule.EVERY));
                v.pattern(refresh, "at", path, false, CLOCK_TIME, "must be a UTC time of day, HH:MM (such as \"06:00\")");
                v.enumString(refresh, "on", path, false, WEEKDAYS);
                if ("hour".equals(every) && (refresh.has("at") || refresh.has("on"))) {
                    v.fail(path, "an hourly refresh runs at the start of every hour: leave out at and on", "not");
                }
                if ("day".equals(every) && refresh.has("on")) {
                    v.fail(path + "/on", "is for a weekly refresh (every: \"week\")", "not");
                }
            }
            ObjectNode allColumns = v.object(doc, DatasetSpec.ALL_COLUMNS, "", false);
            if (allColumns != null) {
                v.onlyFields(allColumns, "/" + DatasetSpec.ALL_COLUMNS, List.of("exclude"));
                v.strings(allColumns, "exclude", "/" + DatasetSpec.ALL_COLUMNS, true, null);
                for (String other : List.of("output_to_traits", "output_to_streams")) {
                    if (doc.hasNonNull(other)) {
                        v.fail("/" + DatasetSpec.ALL_COLUMNS, "cannot be combined with " + other + " (set " + other
                                + " to null in the same PATCH)", "not");
                    }
                }
            }
            if (doc.hasNonNull("upsert_columns") && doc.hasNonNull("incremental_column")) {
                v.fail("/upsert_columns", "cannot be combined with incremental_column", "oneOf");
            }
            v.enumString(doc, "privacy", "", false, Set.of("suppress", "delete"));
            v.bool(doc, "preview", "", false);
            v.strings(doc, "upsert_columns", "", false, null);
            v.string(doc, "incremental_column", "", false);
            List<String> references = v.strings(doc, "reference_key_columns", "", false, null);
            String reference = v.string(doc, "reference_key_column", "", false);
            if (sets != null) {
                ObjectNode identitySets = sets;
                // a reference key column is output under its own name: it cannot also be a mapped identity key's
                Set<String> keys = new java.util.HashSet<>();
                identitySets.properties().forEach(e -> e.getValue().fieldNames().forEachRemaining(keys::add));
                List<String> all = references == null ? List.of() : references;
                for (int i = 0; i < all.size(); i++) {
                    if (keys.contains(all.get(i))) v.fail("/reference_key_columns/" + i, collision(all.get(i)), "not");
                }
                if (reference != null && keys.contains(reference)) v.fail("/reference_key_column", collision(reference), "not");
            }
        }

        /** A reference table ({@link ReferenceTable}): a key column and traits; no people, so no identity or stream. */
        private void referenceTable(ObjectNode doc, ObjectNode table, Validation v) {
            String path = "/" + ReferenceTable.FIELD;
            v.onlyFields(table, path, List.of("key", "column"));
            v.enumString(table, "key", path, true, Set.copyOf(ReferenceTable.KEYS));
            v.string(table, "column", path, true);
            String why = " (a reference table's rows are postcodes, states or email domains, not people)";
            if (doc.hasNonNull("identity_sets") && !doc.get("identity_sets").isEmpty()) {
                v.fail("/identity_sets", "must be {} or left out for a reference table" + why, "not");
            }
            for (String f : List.of("output_to_streams", "reference_key_columns", "reference_key_column",
                    "upsert_columns", "incremental_column", DatasetSpec.ALL_COLUMNS)) {
                if (doc.hasNonNull(f)) v.fail("/" + f, "is not for a reference table" + why, "not");
            }
            ObjectNode traits = v.object(doc, "output_to_traits", "", true);
            if (traits != null) {
                if (traits.isEmpty()) v.fail("/output_to_traits", "needs at least one trait: the values the table gives", "minProperties");
                traits.properties().forEach(e -> trait(e.getKey(), e.getValue(), v));
            }
        }

        private static String collision(String column) {
            return "'" + Limits.excerpt(column) + "' is also an identity key this dataset maps, and both would be the "
                    + "target's '" + Limits.excerpt(column) + "' column; rename the column in the file";
        }

        private void identitySet(String name, JsonNode set, Validation v) {
            String path = "/identity_sets/" + name;
            if (!set.isObject()) {
                v.fail(path, "must be an object mapping identity keys to column names", "type");
                return;
            }
            v.onlyFields((ObjectNode) set, path, Identity.FIELDS);
            boolean any = false;
            for (String key : Identity.FIELDS) {
                if (!set.hasNonNull(key)) continue;
                any = true;
                if (key.equals("house_number_and_street")) {
                    List<String> cols = v.strings(set, key, path, false, null);
                    if (cols != null && cols.isEmpty()) v.fail(path + "/" + key, "needs at least one column", "minItems");
                } else {
                    v.string(set, key, path, false);
                }
            }
            if (!any) v.fail(path, "needs at least one identity key (" + String.join(", ", Identity.FIELDS) + ")", "minProperties");
        }

        private void stream(String name, JsonNode stream, Validation v) {
            String path = "/output_to_streams/" + name;
            if (!stream.isObject()) {
                v.fail(path, "must be an object with a data_map", "type");
                return;
            }
            v.onlyFields((ObjectNode) stream, path, List.of("data_map", "conditions", "stream_id", "classic"));
            ObjectNode map = v.object(stream, "data_map", path, true);
            if (map != null) {
                map.properties().forEach(e -> {
                    String p = path + "/data_map/" + e.getKey();
                    if (!e.getValue().isObject()) {
                        v.fail(p, "must be an object with column_name (and optionally format)", "type");
                        return;
                    }
                    v.onlyFields((ObjectNode) e.getValue(), p, List.of("column_name", "format", DatasetSpec.MULTIPLY_BY));
                    v.string(e.getValue(), "column_name", p, true);
                    String format = v.enumString(e.getValue(), "format", p, false, ValueFormat.ALL);
                    if (v.string(e.getValue(), DatasetSpec.MULTIPLY_BY, p, false) != null && !e.getKey().equals("value")
                            && (format == null || !format.startsWith("currency"))) {
                        v.fail(p + "/" + DatasetSpec.MULTIPLY_BY, "multiplies a number: it applies to value or to a "
                                + "property with a currency format only", "enum");
                    }
                    if (e.getKey().equals("datetime") && format != null && !ValueFormat.isDate(format)) {
                        v.fail(p + "/format", "datetime needs a date format (got '" + format + "')", "enum");
                    }
                });
            }
            conditions(stream.get("conditions"), path + "/conditions", "column_name", true, v);
        }

        private void trait(String name, JsonNode trait, Validation v) {
            String path = "/output_to_traits/" + name;
            if (!trait.isObject()) {
                v.fail(path, "must be an object with column_name", "type");
                return;
            }
            v.onlyFields((ObjectNode) trait, path, List.of("column_name", "format", "transformation_table"));
            v.string(trait, "column_name", path, true);
            v.enumString(trait, "format", path, false, ValueFormat.ALL);
            ObjectNode table = v.object(trait, "transformation_table", path, false);
            if (table != null) {
                table.properties().forEach(e -> {
                    JsonNode value = e.getValue();
                    if (!value.isTextual() && !value.isNumber() && !value.isBoolean()) {
                        v.fail(path + "/transformation_table/" + pointerToken(e.getKey()),
                                "must be a string, number or boolean (the value to use instead)", "type");
                    }
                });
            }
        }
    };

    static void conditions(JsonNode array, String path, String fieldKey, boolean allowNeq, Validation v) {
        if (array == null || array.isNull()) return;
        if (!array.isArray()) {
            v.fail(path, "must be an array of conditions", "type");
            return;
        }
        for (int i = 0; i < array.size(); i++) {
            JsonNode c = array.get(i);
            String p = path + "/" + i;
            if (!c.isObject()) {
                v.fail(p, "must be an object", "type");
                continue;
            }
            List<String> allowed = new java.util.ArrayList<>(List.of(fieldKey, "optional"));
            Condition.OPERATORS.stream().filter(o -> allowNeq || !o.equals("_neq")).forEach(allowed::add);
            v.onlyFields((ObjectNode) c, p, allowed);
            v.string(c, fieldKey, p, true);
            for (String op : List.of("_gt", "_gte", "_lt", "_lte")) v.number(c, op, p);
            for (String op : List.of("_in", "_nin")) v.strings(c, op, p, false, null);
            for (String op : List.of("_null", "_nnull", "optional")) v.bool(c, op, p, false);
            String regex = v.string(c, "_matches", p, false);
            if (regex != null) {
                try {
                    Pattern.compile(regex);
                } catch (java.util.regex.PatternSyntaxException e) {
                    v.fail(p + "/_matches", "is not a valid regular expression: " + e.getDescription(), "pattern");
                }
            }
        }
    }

    static final Spec COHORT = new Spec() {
        public ResourceType type() { return ResourceType.COHORTS; }

        public List<String> postFields() {
            return List.of("name", "stream_name", "stream_conditions", "recency", "min_count", "max_count",
                    "min_value", "max_value", "explore", "traits", "place_conditions");
        }

        public List<String> patchFields() { return postFields(); }

        public void validate(ObjectNode doc, Validation v) {
            v.string(doc, "name", "", true);
            for (String f : List.of("min_count", "max_count", "min_value", "max_value")) v.number(doc, f, "");
            conditions(doc.get("stream_conditions"), "/stream_conditions", "property", false, v);
            ObjectNode recency = v.object(doc, "recency", "", false);
            if (recency != null) {
                v.onlyFields(recency, "/recency", List.of("occurrence", "min_days", "max_days"));
                v.enumString(recency, "occurrence", "/recency", true, Set.of("first", "last"));
                v.number(recency, "min_days", "/recency");
                v.number(recency, "max_days", "/recency");
            }
            v.bool(doc, "explore", "", false);
            // CohortTrait: name + the operators but _neq + optional; that each name is a trait: PersonaeApi
            conditions(doc.get("traits"), "/traits", "name", false, v);
            JsonNode places = doc.get("place_conditions");
            if (places != null && !places.isNull() && !(places.isArray() && places.isEmpty())) {
                v.fail("/place_conditions", "cohort place_conditions filters are not supported by Personae (it has no "
                        + "places)", "enum");
            }
        }
    };

    static final Set<String> MODELING_FIELDS = Set.of("fig/actvty_num_purchase_quintile", "fig/actvty_ttl_dollars_quintile",
            "fig/age", "fig/antiques", "fig/books_magazines", "fig/charitable_donations", "fig/dieting", "fig/education",
            "fig/favm", "fig/frequent_remodeler", "fig/gardener", "fig/gender", "fig/health_conscious",
            "fig/homeowner_status", "fig/household_income", "fig/household_size", "fig/length_of_residence",
            "fig/life_sports_sports_all", "fig/living_area", "fig/marital_status", "fig/music", "fig/net_worth",
            "fig/percent_equity", "fig/pet_any", "fig/purch_chan_internet", "fig/shopping_styles", "fig/travel",
            "fig/housing_density", "fig/value_score_all", "fig/year_built");

    static final Spec PERSONA_SET = new Spec() {
        public ResourceType type() { return ResourceType.PERSONA_SETS; }

        public List<String> postFields() {
            return List.of("name", "cohort_id", "modeling_fields", "number_of_clusters", "explore");
        }

        public List<String> patchFields() { return List.of("name", "number_of_clusters", "explore"); }

        /** A persona set without a name is "<cohort name> personas". */
        public void defaults(ObjectNode body, Names names) {
            if (!body.has("name") && body.path("cohort_id").isTextual()) {
                names.of(ResourceType.COHORTS, body.get("cohort_id").asText())
                        .ifPresent(cohort -> body.put("name", cohort + " personas"));
            }
        }

        public void validate(ObjectNode doc, Validation v) {
            v.string(doc, "name", "", true);
            v.integer(doc, "number_of_clusters", "", 1, 50);
            v.bool(doc, "explore", "", false);
            List<String> fields = v.strings(doc, "modeling_fields", "", false, null);
            if (fields != null) {
                for (int i = 0; i < fields.size(); i++) {
                    String f = fields.get(i);
                    if (MODELING_FIELDS.contains(f) || f.startsWith("fig/")) {
                        v.fail("/modeling_fields/" + i, "'" + Limits.excerpt(f) + "' is Faraday's third-party data, "
                                + "which this deployment does not have; name this account's traits instead (such as "
                                + "orders_frequency or a dataset's output_to_traits), or omit modeling_fields to "
                                + "let Personae choose", "enum");
                    }
                }
                if (fields.isEmpty()) v.fail("/modeling_fields", "needs at least one trait (or omit it)", "minItems");
            }
        }
    };

    static final Spec SCOPE = new Spec() {
        public ResourceType type() { return ResourceType.SCOPES; }

        public List<String> postFields() { return List.of("name", "population", "payload", "preview"); }

        public List<String> patchFields() { return postFields(); }

        public void validate(ObjectNode doc, Validation v) {
            v.string(doc, "name", "", true);
            v.bool(doc, "preview", "", true);
            ObjectNode population = v.object(doc, "population", "", true);
            if (population != null) {
                // cohort_ids [] is every person of every dataset of the account (ScopeBuild)
                v.onlyFields(population, "/population", List.of("cohort_ids", "exclusion_cohort_ids"));
            }
            ObjectNode payload = v.object(doc, "payload", "", true);
            if (payload != null) {
                v.onlyFields(payload, "/payload", List.of("persona_set_ids", "cohort_ids", "attributes", "outcome_ids",
                        "recommender_ids", "explainability"));
                for (String f : List.of("outcome_ids", "recommender_ids")) {
                    JsonNode n = payload.get(f);
                    if (n != null && !n.isNull() && !(n.isArray() && n.isEmpty())) {
                        v.fail("/payload/" + f, "is not supported by Personae (payloads carry persona_set_ids, "
                                + "cohort_ids and attributes)", "enum");
                    }
                }
                // attributes: trait names (that each is a trait: PersonaeApi), each once, as they become columns
                List<String> attributes = v.strings(payload, "attributes", "/payload", false, null);
                if (attributes != null && attributes.size() == payload.get("attributes").size()) {
                    for (int i = 0; i < attributes.size(); i++) {
                        if (attributes.indexOf(attributes.get(i)) < i) {
                            v.fail("/payload/attributes/" + i, "'" + Limits.excerpt(attributes.get(i)) + "' is listed "
                                    + "twice (each attribute is one column)", "uniqueItems");
                        }
                    }
                }
            }
        }
    };

    /** The fields of each representation mode (TargetModes, a oneOf on mode). */
    static final Map<String, List<String>> REPRESENTATION_FIELDS = Map.of(
            "identified", List.of("mode", "aggregate", "transform_preset"),
            "aggregated", List.of("mode", "aggregate", "include_geometry", "transform_preset"),
            "hashed", List.of("mode", "transform_preset"),
            "referenced", List.of("mode", "reference", "reference_dataset_id", "transform_preset"));
    static final List<String> ALL_REPRESENTATION_FIELDS = List.of("mode", "aggregate", "include_geometry",
            "transform_preset", "reference", "reference_dataset_id");

    /** The fields of each limit method (TargetLimit, a oneOf on method). */
    static final Map<String, List<String>> LIMIT_FIELDS = Map.of(
            "row_count", List.of("method", "threshold", "outcome_id", "direction"),
            "percentile", List.of("method", "outcome_id", "percentile_min", "percentile_max"));
    static final List<String> ALL_LIMIT_FIELDS = List.of("method", "threshold", "outcome_id", "direction",
            "percentile_min", "percentile_max");

    /** A map key as a JSON pointer token (RFC 6901: {@code ~} and {@code /} escaped). */
    static String pointerToken(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    static final Set<String> IDENTIFIED_PRESETS = Set.of("default", "linkedin", "youtube", "klaviyo", "segment",
            "iterable", "poplar", "salesforce", "hubspot", "address_only", "liveramp");
    static final Set<String> HASHED_PRESETS = Set.of("default", "linkedin", "taboola", "snapchat", "tiktok", "pinterest",
            "youtube", "google_ads", "facebook");
    static final Set<String> AGGREGATED_PRESETS = Set.of("default", "google_ads");
    static final Set<String> GEOGRAPHIC = Set.of("postcode", "county", "metro", "state", "census_block_group",
            "census_tract", "dma");

    /**
     * A target's representation (TargetModes, a oneOf on mode); returns the mode. Every mode is built; what is not
     * (platform presets, geographies Personae has no column for, geometries) is refused naming the field.
     */
    static String representation(ObjectNode rep, Validation v) {
        String mode = v.enumString(rep, "mode", "/representation", true, REPRESENTATION_FIELDS.keySet());
        v.onlyFields(rep, "/representation", mode == null ? ALL_REPRESENTATION_FIELDS : REPRESENTATION_FIELDS.get(mode));
        if (mode == null) return null;
        Set<String> presets = switch (mode) {
            case "identified" -> IDENTIFIED_PRESETS;
            case "hashed" -> HASHED_PRESETS;
            case "aggregated" -> AGGREGATED_PRESETS;
            default -> Set.of("default");
        };
        String preset = v.enumString(rep, "transform_preset", "/representation", false, presets);
        if (preset != null && !preset.equals("default")) {
            v.fail("/representation/transform_preset", "platform presets are not built by Personae (got '" + preset
                    + "'): omit transform_preset or use default, and shape the columns with custom_structure", "enum");
        }
        switch (mode) {
            case "identified" -> v.enumString(rep, "aggregate", "/representation", true, Set.of("person", "residence"));
            case "aggregated" -> {
                String level = v.enumString(rep, "aggregate", "/representation", true, GEOGRAPHIC);
                if (level != null && !personae.core.target.TargetCsv.AREAS.contains(level)) {
                    v.fail("/representation/aggregate", "Personae aggregates by the people's own state or postcode "
                            + "only (got '" + level + "'; it has no geographic reference data)", "enum");
                }
                if (Boolean.TRUE.equals(v.bool(rep, "include_geometry", "/representation", false))) {
                    v.fail("/representation/include_geometry", "area geometries are not available in Personae; omit "
                            + "include_geometry", "enum");
                }
            }
            case "referenced" -> {
                ObjectNode reference = v.object(rep, "reference", "/representation", !rep.hasNonNull("reference_dataset_id"));
                if (reference != null) {
                    v.onlyFields(reference, "/representation/reference", List.of("dataset_id", "column_name"));
                    v.string(reference, "dataset_id", "/representation/reference", true);
                    v.string(reference, "column_name", "/representation/reference", true);
                }
                v.string(rep, "reference_dataset_id", "/representation", false);
            }
            default -> { }
        }
        return mode;
    }

    static final Spec TARGET = new Spec() {
        public ResourceType type() { return ResourceType.TARGETS; }

        public List<String> postFields() {
            return List.of("name", "scope_id", "options", "representation", "filter", "limit", "custom_structure",
                    "human_readable", "connection_id");
        }

        public List<String> patchFields() {
            return List.of("name", "options", "representation", "filter", "limit", "custom_structure",
                    "human_readable", "payload_map");
        }

        /** A target without a representation is identified, one row per person; identified alone is per person. */
        public void defaults(ObjectNode body, Names names) {
            if (!body.has("representation")) body.putObject("representation").put("mode", "identified");
            if (body.get("representation") instanceof ObjectNode rep && "identified".equals(rep.path("mode").asText(null))
                    && !rep.has("aggregate")) {
                rep.put("aggregate", "person");
            }
        }

        /**
         * A PATCH's representation names its mode: the stored fields of another mode are dropped (explicit nulls in
         * the merge patch), so {@code {"representation": {"mode": "hashed"}}} switches an identified target to hashed;
         * fields of the same mode merge as usual.
         */
        public void patchDefaults(ObjectNode patch, Names names) {
            defaults(patch, names);
            ObjectNode rep = (ObjectNode) patch.get("representation");
            List<String> own = REPRESENTATION_FIELDS.get(rep.path("mode").asText(""));
            if (own == null) return;
            for (String f : ALL_REPRESENTATION_FIELDS) if (!own.contains(f) && !rep.has(f)) rep.putNull(f);
        }

        public void validate(ObjectNode doc, Validation v) {
            v.string(doc, "name", "", true);
            if (doc.hasNonNull("connection_id")) {
                v.fail("/connection_id", "replication targets are not supported: omit connection_id for hosted_csv", "enum");
            }
            ObjectNode options = v.object(doc, "options", "", true);
            if (options != null) {
                v.onlyFields(options, "/options", List.of("type", "delimiter", "gzip", "quote_all", "output_url"));
                String type = v.string(options, "type", "/options", true);
                if (type != null && !Set.of("hosted_csv", "lookup_api").contains(type)) {
                    v.fail("/options/type", "must be hosted_csv (or lookup_api); replication targets (got '"
                            + Limits.excerpt(type) + "') need connections, which Personae does not have", "enum");
                    type = null;
                }
                String d = v.string(options, "delimiter", "/options", false);
                if (d != null && d.length() != 1) v.fail("/options/delimiter", "must be a single character", "maxLength");
                v.bool(options, "gzip", "/options", false);
                v.bool(options, "quote_all", "/options", false);
            }
            ObjectNode rep = v.object(doc, "representation", "", true);
            String mode = rep == null ? null : representation(rep, v);
            ObjectNode limit = v.object(doc, "limit", "", false);
            if (limit != null) {
                String method = v.enumString(limit, "method", "/limit", true, LIMIT_FIELDS.keySet());
                v.onlyFields(limit, "/limit", method == null ? ALL_LIMIT_FIELDS : LIMIT_FIELDS.get(method));
                if ("percentile".equals(method)) v.fail("/limit/method", "percentile limits need outcomes, which Personae does not have", "enum");
                if ("row_count".equals(method)) {
                    v.integer(limit, "threshold", "/limit", 0, Integer.MAX_VALUE);
                    if (!limit.hasNonNull("threshold")) v.fail("/limit/threshold", "is required", "required");
                    if (v.string(limit, "outcome_id", "/limit", false) != null) {
                        v.fail("/limit/outcome_id", "ranking by an outcome needs outcomes, which Personae does not have; "
                                + "omit outcome_id (rows are then taken in no particular order)", "enum");
                    }
                    v.enumString(limit, "direction", "/limit", false, Set.of("ascending", "descending"));
                }
            }
            ObjectNode filter = v.object(doc, "filter", "", false);
            if (filter != null) {
                v.onlyFields(filter, "/filter", List.of("persona", "cohort_membership", "trait"));
                for (String f : List.of("cohort_membership", "trait")) {
                    JsonNode n = filter.get(f);
                    if (n != null && !n.isNull() && !(n.isArray() && n.isEmpty())) {
                        v.fail("/filter/" + f, "target " + f + " filters are not supported by Personae yet; "
                                + "filter on persona", "enum");
                    }
                }
                JsonNode persona = filter.get("persona");
                if (persona != null && !persona.isNull() && !persona.isArray()) {
                    v.fail("/filter/persona", "must be an array of {persona_set_id, persona_id, _eq} conditions", "type");
                } else if (persona != null) {
                    for (int i = 0; i < persona.size(); i++) {
                        String p = "/filter/persona/" + i;
                        JsonNode c = persona.get(i);
                        if (!c.isObject()) {
                            v.fail(p, "must be an object with persona_set_id, persona_id and _eq", "type");
                            continue;
                        }
                        v.onlyFields((ObjectNode) c, p, List.of("persona_set_id", "persona_id", "_eq"));
                        v.string(c, "persona_set_id", p, true);
                        v.string(c, "persona_id", p, true);
                        v.bool(c, "_eq", p, true);
                    }
                }
            }
            JsonNode structure = doc.get("custom_structure");
            if (structure != null && !structure.isNull()) {
                if (!structure.isArray()) v.fail("/custom_structure", "must be an array", "type");
                else for (int i = 0; i < structure.size(); i++) {
                    String p = "/custom_structure/" + i;
                    JsonNode c = structure.get(i);
                    if (!c.isObject()) {
                        v.fail(p, "must be an object with scope_col and output_col", "type");
                        continue;
                    }
                    v.onlyFields((ObjectNode) c, p, List.of("scope_col", "output_col", "is_identity_col", "aggregation",
                            "aggregation_criteria"));
                    v.string(c, "scope_col", p, true);
                    v.string(c, "output_col", p, true);
                    v.bool(c, "is_identity_col", p, false);
                    String aggregation = v.enumString(c, "aggregation", p, false, Set.of("avg", "count", "countif"));
                    if (aggregation != null && mode != null && !mode.equals("aggregated")) {
                        v.fail(p + "/aggregation", "applies to the aggregated mode only (this target's mode is '"
                                + mode + "')", "enum");
                    }
                    String criteria = v.string(c, "aggregation_criteria", p, false);
                    if ("countif".equals(aggregation) && criteria == null) {
                        v.fail(p + "/aggregation_criteria", "is required with countif: the value counted (for a persona"
                                + " set's persona id column, the persona id)", "required");
                    }
                }
            }
            ObjectNode payloadMap = v.object(doc, "payload_map", "", false);
            if (payloadMap != null) {
                payloadMap.properties().forEach(e -> {
                    if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                        v.fail("/payload_map/" + pointerToken(e.getKey()), "must be a non-blank string (the new column "
                                + "name)", "type");
                    }
                });
            }
            v.bool(doc, "human_readable", "", false);
            if (options != null && "lookup_api".equals(options.path("type").asText(null))) lookupApi(doc, options, v);
        }
    };

    /**
     * A lookup_api target (TargetOptionsLookupApi): only {@code type} (and the read-only {@code output_url}) in its
     * options, the identified mode per person, and no filter, limit or column shaping: a lookup answers with the
     * identifiers sent and the scope's payload columns.
     */
    static void lookupApi(ObjectNode doc, ObjectNode options, Validation v) {
        for (String f : List.of("delimiter", "gzip", "quote_all")) {
            if (options.hasNonNull(f)) v.fail("/options/" + f, "applies to hosted_csv targets only; a lookup_api"
                    + " target's options are its type alone", "enum");
        }
        JsonNode rep = doc.path("representation");
        if (rep.isObject() && !("identified".equals(rep.path("mode").asText())
                && "person".equals(rep.path("aggregate").asText("person")))) {
            v.fail("/representation", "a lookup_api target supports only {\"mode\": \"identified\", \"aggregate\":"
                    + " \"person\"} (got mode '" + Limits.excerpt(rep.path("mode").asText()) + "'"
                    + (rep.has("aggregate") ? ", aggregate '" + Limits.excerpt(rep.path("aggregate").asText()) + "'" : "")
                    + ")", "enum");
        }
        for (String f : List.of("filter", "limit", "custom_structure", "payload_map")) {
            JsonNode n = doc.get(f);
            if (n != null && !n.isNull() && !(n.isContainerNode() && n.isEmpty())) {
                v.fail("/" + f, "is not allowed on a lookup_api target: a lookup answers for the one person it is"
                        + " asked about, with the scope's payload columns", "enum");
            }
        }
    }
}
