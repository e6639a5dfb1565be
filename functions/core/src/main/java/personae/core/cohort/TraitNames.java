package personae.core.cohort;

import personae.core.Limits;
import personae.core.Services;
import personae.core.ingest.DatasetSpec;
import personae.core.persona.Feature;
import personae.core.pipeline.Outputs;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources.Stored;
import personae.core.trait.TraitEnricher;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The trait names an account knows, for the API's check of cohort {@code traits} and scope {@code payload.attributes}:
 * every trait a user defined ({@code POST /v1/traits}), every trait a built dataset has (its traits.json, category
 * indicators {@code <trait>=<value>} left out, as in {@code /v1/traits}), and what a dataset will emit once built, so
 * a cohort can be posted right after its dataset: its {@code output_to_traits} names and, per stream, the behavioural
 * traits its mapping gives ({@code <stream>_frequency}; with {@code datetime} {@code _recency_days} and
 * {@code _tenure_days}; with {@code value} {@code _total_value} and {@code _average_value}; with {@code product} any
 * {@code <stream>_product_share_...}, whose products only the data says). Reads documents and traits.json files only.
 */
public final class TraitNames {

    private final Set<String> names = new TreeSet<>();
    private final List<String> prefixes = new ArrayList<>();

    private TraitNames() {}

    public static TraitNames of(Services services, String account) {
        TraitNames t = new TraitNames();
        Outputs outputs = new Outputs(services);
        for (Stored s : services.resources().list(account, ResourceType.TRAITS)) t.names.add(s.name());
        for (Stored ds : services.resources().list(account, ResourceType.DATASETS)) {
            DatasetSpec spec = DatasetSpec.fromDocument(ds.doc());
            spec.traits().forEach(tr -> t.names.add(tr.name()));
            for (DatasetSpec.StreamSpec s : spec.streams()) {
                t.names.add(s.name() + "_frequency");
                if (s.property("datetime") != null) {
                    t.names.add(s.name() + "_recency_days");
                    t.names.add(s.name() + "_tenure_days");
                }
                if (s.property("value") != null) {
                    t.names.add(s.name() + "_total_value");
                    t.names.add(s.name() + "_average_value");
                }
                if (s.property("product") != null) t.prefixes.add(s.name() + "_product_share_");
            }
            if (outputs.hasOutput(ds)) t.names.addAll(traits(outputs.traitColumns(account, ds.id())));
        }
        return t;
    }

    /** A dataset's trait names: its traits.csv columns but the category indicators. */
    public static List<String> traits(TraitEnricher.TraitColumns columns) {
        Set<String> categories = new TreeSet<>();
        for (Feature f : columns.features()) if (f.kind() == Feature.Kind.CATEGORY) categories.add(f.name());
        return columns.columns().stream().filter(c -> !categories.contains(c)).toList();
    }

    public boolean has(String name) {
        return names.contains(name) || prefixes.stream().anyMatch(name::startsWith);
    }

    /** Why {@code name} is refused, naming the traits the account has. */
    public String unknown(String name) {
        List<String> some = names.stream().limit(20).map(Limits::excerpt).toList();
        String known = names.isEmpty() ? "it has none yet" : "its traits: " + String.join(", ", some)
                + (names.size() > some.size() ? " and " + (names.size() - some.size()) + " more" : "");
        return "no trait named '" + Limits.excerpt(name) + "' in this account (" + known + "; see GET /v1/traits)";
    }
}
