package personae.core.resource;

import com.fasterxml.jackson.databind.JsonNode;
import personae.core.resource.Resources.Stored;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The edges between resources: dataset -> stream -> cohort -> persona set -> scope -> target. Builds wait for their
 * inputs; deletes are refused while dependents exist.
 */
public final class ResourceGraph {

    private final Resources resources;

    public ResourceGraph(Resources resources) {
        this.resources = resources;
    }

    /** The inputs a resource builds from, and a description of each referenced input that does not exist. */
    public record Inputs(List<Stored> found, List<String> missing) {}

    public Inputs inputs(Stored s) {
        List<Stored> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        String account = s.account();
        JsonNode d = s.doc();
        switch (s.type()) {
            case COHORTS -> {
                String stream = Json.text(d, "stream_name");
                if (stream != null) {
                    List<Stored> feeding = datasetsFeeding(account, stream);
                    if (feeding.isEmpty()) missing.add("no dataset outputs to stream '" + stream + "'");
                    found.addAll(feeding);
                }
            }
            case PERSONA_SETS -> ref(account, ResourceType.COHORTS, Json.text(d, "cohort_id"), found, missing);
            case SCOPES -> {
                for (String id : strings(d.path("population").path("cohort_ids"))) {
                    ref(account, ResourceType.COHORTS, id, found, missing);
                }
                for (String id : strings(d.path("population").path("exclusion_cohort_ids"))) {
                    ref(account, ResourceType.COHORTS, id, found, missing);
                }
                for (String id : strings(d.path("payload").path("persona_set_ids"))) {
                    ref(account, ResourceType.PERSONA_SETS, id, found, missing);
                }
            }
            case TARGETS -> ref(account, ResourceType.SCOPES, Json.text(d, "scope_id"), found, missing);
            default -> { }
        }
        return new Inputs(found, missing);
    }

    private void ref(String account, ResourceType type, String id, List<Stored> found, List<String> missing) {
        if (id == null) return;
        resources.find(account, type, id).ifPresentOrElse(found::add,
                () -> missing.add(type.noun() + " " + id + " does not exist"));
    }

    /** The resources that use {@code s} and would break without it. */
    public List<Stored> dependents(Stored s) {
        String account = s.account();
        String id = s.id();
        return switch (s.type()) {
            case DATASETS -> {
                Set<String> streams = new TreeSet<>();
                s.doc().path("output_to_streams").fieldNames().forEachRemaining(streams::add);
                yield resources.list(account, ResourceType.COHORTS).stream()
                        .filter(c -> streams.contains(Json.text(c.doc(), "stream_name"))).toList();
            }
            case STREAMS -> {
                String name = s.name();
                List<Stored> out = new ArrayList<>(datasetsFeeding(account, name));
                resources.list(account, ResourceType.COHORTS).stream()
                        .filter(c -> name.equals(Json.text(c.doc(), "stream_name"))).forEach(out::add);
                yield out;
            }
            case COHORTS -> {
                List<Stored> out = new ArrayList<>(resources.list(account, ResourceType.PERSONA_SETS).stream()
                        .filter(p -> id.equals(Json.text(p.doc(), "cohort_id"))).toList());
                resources.list(account, ResourceType.SCOPES).stream()
                        .filter(sc -> strings(sc.doc().path("population").path("cohort_ids")).contains(id)
                                || strings(sc.doc().path("population").path("exclusion_cohort_ids")).contains(id))
                        .forEach(out::add);
                yield out;
            }
            case PERSONA_SETS -> resources.list(account, ResourceType.SCOPES).stream()
                    .filter(sc -> strings(sc.doc().path("payload").path("persona_set_ids")).contains(id)).toList();
            case SCOPES -> resources.list(account, ResourceType.TARGETS).stream()
                    .filter(t -> id.equals(Json.text(t.doc(), "scope_id"))).toList();
            default -> List.of();
        };
    }

    /** Datasets whose output_to_streams names {@code stream}. */
    public List<Stored> datasetsFeeding(String account, String stream) {
        return resources.list(account, ResourceType.DATASETS).stream()
                .filter(ds -> ds.doc().path("output_to_streams").has(stream)).toList();
    }

    public static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
