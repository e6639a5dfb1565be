package personae.core.trait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Limits;
import personae.core.Problem;
import personae.core.Services;
import personae.core.analysis.Bins.TraitBins;
import personae.core.analysis.Dimensions;
import personae.core.analysis.TraitTable;
import personae.core.ingest.DatasetManifest;
import personae.core.ingest.DatasetSpec;
import personae.core.persona.Feature;
import personae.core.persona.TraitWords;
import personae.core.pipeline.Outputs;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;
import personae.core.resource.Resources.Stored;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * The account's traits ({@code /v1/traits}): every trait its datasets emit (each {@code output_to_traits} trait and
 * each behavioural trait the enrichment derives from a stream) and every trait a user defined ({@code POST}). A trait's
 * id derives from its account and name, so a trait defined before any dataset emits it, and the same trait once
 * emitted, are one. Stored documents (kind {@code traits}: no status, no builds) hold only what a user wrote
 * ({@code literate}, {@code description}, {@code unit}, {@code statistical_type}, {@code lookup_table}); what the
 * data says ({@code type}, {@code breaks} or {@code categories}, {@code emitted_by_datasets}) is read from the
 * datasets' current builds at each request, over all of the account's people.
 */
public final class TraitRegistry {

    /** Fields a user may set on POST (with {@code name}) and PATCH. */
    public static final List<String> WRITABLE = List.of("literate", "description", "unit", "statistical_type", "lookup_table");

    private final Resources resources;
    private final Outputs outputs;

    public TraitRegistry(Services services) {
        this.resources = services.resources();
        this.outputs = new Outputs(services);
    }

    public static String idOf(String account, String name) {
        return UUID.nameUUIDFromBytes(("trait\u0000" + account + "\u0000" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** What the datasets say about one trait. */
    private static final class Emitted {
        final String name;
        Feature feature; // null for a text trait
        boolean text;
        String createdAt, updatedAt;
        final ArrayNode by = Json.MAPPER.createArrayNode();
        final List<double[]> numbers = new ArrayList<>();
        final List<String> texts = new ArrayList<>();

        Emitted(String name) {
            this.name = name;
        }

        double[] allNumbers() {
            return numbers.stream().flatMapToDouble(Arrays::stream).toArray();
        }
    }

    /** Every emitted trait by name, with its values over each emitting dataset's people. */
    private Map<String, Emitted> emitted(String account) {
        Map<String, Emitted> out = new LinkedHashMap<>();
        for (Stored ds : resources.list(account, ResourceType.DATASETS)) {
            if (!outputs.hasOutput(ds)) continue;
            TraitEnricher.TraitColumns columns = outputs.traitColumns(account, ds.id());
            DatasetManifest manifest = outputs.manifest(account, ds.id());
            List<String> numberTraits = TraitTable.numberTraits(columns), textTraits = TraitTable.textTraits(columns);
            TraitTable table = new TraitTable(numberTraits, textTraits);
            try (InputStream in = outputs.openTraits(account, ds.id())) {
                table.append(in, IntStream.range(0, manifest.people()).toArray());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            DatasetSpec spec = DatasetSpec.fromDocument(ds.doc());
            for (Feature f : columns.features()) {
                if (f.kind() == Feature.Kind.CATEGORY) continue;
                Emitted e = out.computeIfAbsent(f.name(), Emitted::new);
                e.feature = f;
                e.numbers.add(table.numbers().get(f.name()));
                addSource(e, ds, column(spec, f));
            }
            for (String t : textTraits) {
                Emitted e = out.computeIfAbsent(t, Emitted::new);
                e.text = true;
                e.texts.addAll(Arrays.asList(table.texts().get(t)));
                addSource(e, ds, column(spec, new Feature(t, Feature.Kind.USER_DEFINED, t)));
            }
        }
        return out;
    }

    private static void addSource(Emitted e, Stored ds, String column) {
        ObjectNode o = e.by.addObject();
        o.put("dataset_id", ds.id());
        o.put("column_name", column);
        String created = Json.text(ds.doc(), "created_at"), updated = Json.text(ds.doc(), "last_updated_output_at");
        if (e.createdAt == null || created != null && created.compareTo(e.createdAt) < 0) e.createdAt = created;
        if (updated != null && (e.updatedAt == null || updated.compareTo(e.updatedAt) > 0)) e.updatedAt = updated;
    }

    /** The column a trait is read from: its output_to_traits column, or the stream property it is derived from. */
    private static String column(DatasetSpec spec, Feature f) {
        for (DatasetSpec.TraitSpec t : spec.traits()) if (t.name().equals(f.name())) return t.column();
        String stream = switch (f.kind()) {
            case PRODUCT_SHARE -> spec.streams().stream().map(DatasetSpec.StreamSpec::name)
                    .filter(s -> f.name().startsWith(s + "_product_share_")).findFirst().orElse(null);
            default -> f.label();
        };
        String property = switch (f.kind()) {
            case TOTAL_VALUE, AVERAGE_VALUE -> "value";
            case PRODUCT_SHARE -> "product";
            default -> "datetime";
        };
        for (DatasetSpec.StreamSpec s : spec.streams()) {
            if (s.name().equals(stream) && s.property(property) != null) return s.property(property).column();
        }
        return f.name();
    }

    // ------------------------------------------------------------------ views

    public List<ObjectNode> list(String account) {
        Map<String, Emitted> emitted = emitted(account);
        Map<String, Stored> stored = new LinkedHashMap<>();
        for (Stored s : resources.list(account, ResourceType.TRAITS)) stored.put(s.name(), s);
        List<ObjectNode> out = new ArrayList<>();
        emitted.forEach((name, e) -> out.add(view(account, name, stored.get(name), e)));
        stored.forEach((name, s) -> { if (!emitted.containsKey(name)) out.add(view(account, name, s, null)); });
        return out;
    }

    public ObjectNode get(String account, String id) {
        return list(account).stream().filter(t -> t.path("id").asText().equals(id)).findFirst()
                .orElseThrow(() -> Problem.notFound("No trait with id " + Limits.excerpt(id)));
    }

    private ObjectNode view(String account, String name, Stored stored, Emitted e) {
        ObjectNode v = Json.object();
        v.put("id", idOf(account, name));
        v.put("resource_type", ResourceType.TRAITS.wire());
        v.put("name", name);
        String created = stored != null ? Json.text(stored.doc(), "created_at") : e.createdAt;
        String updated = stored != null ? Json.text(stored.doc(), "updated_at") : e.updatedAt;
        if (e != null && e.updatedAt != null && (updated == null || e.updatedAt.compareTo(updated) > 0)) updated = e.updatedAt;
        v.put("created_at", created != null ? created : resources.now());
        v.put("updated_at", updated != null ? updated : v.get("created_at").asText());
        if (e != null) {
            if (e.text) {
                v.put("literate", TraitWords.readable(name));
                v.put("description", "The first-party trait " + name + " as the datasets' rows give it (text).");
                List<String> categories = Dimensions.of(name, null, e.texts).bins().stream().map(b -> b.value())
                        .filter(x -> !x.equals(personae.core.analysis.Bins.OTHER)).toList();
                long distinct = e.texts.stream().filter(x -> x != null && !x.isEmpty()).distinct().count();
                v.put("statistical_type", distinct <= TraitEnricher.MAX_CATEGORY_VALUES ? "categorical" : "nominal");
                v.put("type", "string");
                v.set("categories", Json.MAPPER.valueToTree(categories));
            } else {
                Feature f = e.feature;
                v.put("literate", TraitWords.name(f));
                v.put("description", description(f));
                String unit = unit(f);
                if (unit != null) v.put("unit", unit);
                v.put("statistical_type", "ordinal");
                v.put("type", f.kind() == Feature.Kind.FREQUENCY ? "long" : "double");
                ArrayNode breaks = v.putArray("breaks");
                for (double b : Dimensions.breaks(e.allNumbers())) breaks.add(b);
            }
            v.put("category", "user_defined");
            v.set("emitted_by_datasets", e.by);
        } else {
            v.put("category", "user_defined");
            v.putArray("emitted_by_datasets");
        }
        if (stored != null) {
            for (String field : WRITABLE) {
                JsonNode n = stored.doc().get(field);
                if (n != null && !n.isNull()) v.set(field, n.deepCopy());
            }
        }
        return v;
    }

    private static String description(Feature f) {
        String stream = f.label();
        return switch (f.kind()) {
            case RECENCY_DAYS -> "Days from the person's latest " + stream + " event to the dataset's latest event.";
            case FREQUENCY -> "Number of " + stream + " orders (a person's events with one order_id, or else at one datetime; returns not counted).";
            case TENURE_DAYS -> "Days between the person's first and latest " + stream + " event.";
            case TOTAL_VALUE -> "Sum of the value of the person's " + stream + " events, net of returns.";
            case AVERAGE_VALUE -> "Average value of the person's " + stream + " orders, returns left out.";
            case PRODUCT_SHARE -> "Share of the person's " + stream + " purchase lines (returns left out) whose product is "
                    + f.label() + ".";
            case USER_DEFINED -> "The first-party trait " + f.name() + " as the datasets' rows give it (a number).";
            case CATEGORY -> "The first-party trait " + f.trait() + ".";
        };
    }

    private static String unit(Feature f) {
        return switch (f.kind()) {
            case RECENCY_DAYS, TENURE_DAYS -> "days";
            case FREQUENCY -> "orders";
            case PRODUCT_SHARE -> "share (0 to 1)";
            default -> null;
        };
    }

    // ------------------------------------------------------------------ changes

    /** A user trait: {@code fields} already validated ({@code name} and {@link #WRITABLE} ones). */
    public ObjectNode create(String account, ObjectNode fields) {
        String name = fields.path("name").asText();
        String id = idOf(account, name);
        if (resources.find(account, ResourceType.TRAITS, id).isPresent()) {
            throw Problem.conflict("A trait named '" + Limits.excerpt(name) + "' already exists (" + id + ")");
        }
        resources.create(account, ResourceType.TRAITS, id, fields);
        return get(account, id);
    }

    /** Applies a merge patch of {@link #WRITABLE} fields (validated) to a trait, defined or only emitted. */
    public ObjectNode patch(String account, String id, ObjectNode patch) {
        ObjectNode current = get(account, id);
        if (resources.find(account, ResourceType.TRAITS, id).isEmpty()) {
            ObjectNode fields = Json.object();
            fields.put("name", current.path("name").asText());
            try {
                resources.create(account, ResourceType.TRAITS, id, fields);
            } catch (Problem e) {
                if (e.kind() != Problem.Kind.CONFLICT) throw e; // created meanwhile: patch it
            }
        }
        resources.update(account, ResourceType.TRAITS, id, s -> patch.properties().forEach(e -> {
            if (e.getValue().isNull()) s.doc().remove(e.getKey());
            else s.doc().set(e.getKey(), e.getValue().deepCopy());
        })).orElseThrow(() -> Problem.notFound("No trait with id " + Limits.excerpt(id)));
        return get(account, id);
    }

    /** Deletes a user trait that no dataset emits; one a dataset emits is a conflict naming it. */
    public void delete(String account, String id) {
        ObjectNode trait = get(account, id);
        JsonNode by = trait.path("emitted_by_datasets");
        if (!by.isEmpty()) {
            List<String> names = new ArrayList<>();
            by.forEach(b -> names.add(b.path("dataset_id").asText()));
            throw Problem.conflict("Cannot delete trait '" + trait.path("name").asText() + "': datasets "
                    + String.join(", ", names) + " emit it. Remove it from their output_to_traits (or their stream) first.");
        }
        resources.find(account, ResourceType.TRAITS, id).ifPresent(resources::delete);
    }

    /** Deletes every user trait that no dataset emits; how many. */
    public int deleteOrphans(String account) {
        Map<String, Emitted> emitted = emitted(account);
        int n = 0;
        for (Stored s : resources.list(account, ResourceType.TRAITS)) {
            if (!emitted.containsKey(s.name()) && resources.delete(s)) n++;
        }
        return n;
    }

    /** The trait's distribution over the account's people (every emitting dataset's; empty bins for a trait without data). */
    public TraitBins dimensions(String account, String id) {
        ObjectNode trait = get(account, id);
        String name = trait.path("name").asText();
        Emitted e = emitted(account).get(name);
        if (e == null) return new TraitBins(name, List.of());
        return e.text ? Dimensions.of(name, null, e.texts) : Dimensions.of(name, e.allNumbers(), null);
    }
}
