package personae.core.resource;

import com.fasterxml.jackson.databind.JsonNode;
import personae.core.Kinds;
import personae.core.resource.Resources.Stored;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * The edges between resources, derived from each kind's {@link Reference}s (dataset -> stream -> cohort -> persona
 * set -> scope -> target): builds wait for their inputs, deletes are refused while dependents exist, and a resource
 * that becomes ready rebuilds what was built from it. Resources that are not built (streams) are transparent: a
 * cohort reading a stream is built from the datasets that write it.
 */
public final class ResourceGraph {

    private final Resources resources;

    public ResourceGraph(Resources resources) {
        this.resources = resources;
    }

    /** The inputs a resource builds from, and a description of each referenced input that does not exist. */
    public record Inputs(List<Stored> found, List<String> missing) {}

    public Inputs inputs(Stored s) {
        Map<String, Stored> found = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Reference.Value v : Kinds.of(s.type()).values(s.doc())) {
            Reference r = v.reference();
            if (r.use() != Reference.Use.READS) continue;
            if (r.kind().isBuilt()) {
                resources.find(s.account(), r.kind(), v.value()).ifPresentOrElse(in -> found.putIfAbsent(key(in), in),
                        () -> missing.add(r.kind().noun() + " " + v.value() + " does not exist"));
            } else {
                List<Stored> writers = writers(s.account(), r.kind(), v.value());
                if (writers.isEmpty()) missing.add("no " + writerNouns(r.kind()) + " outputs to " + r.kind().noun()
                        + " '" + v.value() + "'");
                writers.forEach(w -> found.putIfAbsent(key(w), w));
            }
        }
        if (isPeopleDataset(s)) {
            // a dataset's people take the traits of every reference table of the account (ingest/ReferenceTable)
            for (Stored t : referenceTables(s.account())) found.putIfAbsent(key(t), t);
        }
        if (s.type() == ResourceType.COHORTS) {
            // a cohort's people are linked across every dataset of the account (people/AccountPeople): it waits for
            // a dataset's first build (a later one rebuilds it, rebuiltAfter), not for one that failed
            for (Stored d : resources.list(s.account(), ResourceType.DATASETS)) {
                if (isPeopleDataset(d) && !d.internal().hasNonNull("output") && d.status() != Status.ERROR) {
                    found.putIfAbsent(key(d), d);
                }
            }
        }
        if (isEveryoneScope(s)) {
            // population.cohort_ids [] is every person of every dataset of the account
            for (Stored d : resources.list(s.account(), ResourceType.DATASETS)) {
                if (isPeopleDataset(d)) found.putIfAbsent(key(d), d);
            }
        }
        return new Inputs(List.copyOf(found.values()), missing);
    }

    /**
     * What rebuilds after {@code s} is rebuilt or deleted: its {@link #dependents}; for a reference table every other
     * dataset of the account (their people carry its traits); for a dataset with people every cohort (people are
     * linked across datasets), and for any dataset of people every scope of everyone. Neither
     * edge stops a delete: those resources simply rebuild without it.
     */
    public List<Stored> rebuiltAfter(Stored s) {
        List<Stored> out = new ArrayList<>(dependents(s));
        if (s.type() == ResourceType.DATASETS && personae.core.ingest.ReferenceTable.isReferenceTable(s.doc())) {
            for (Stored d : resources.list(s.account(), ResourceType.DATASETS)) {
                if (isPeopleDataset(d) && out.stream().noneMatch(o -> key(o).equals(key(d)))) out.add(d);
            }
        }
        if (isPeopleDataset(s) && s.doc().path("identified_count").asLong(0) > 0) {
            // its people may be anyone's records in another dataset: every cohort relinks them (a dataset without
            // people links nobody, so an empty one rebuilds only what reads it)
            for (Stored cohort : resources.list(s.account(), ResourceType.COHORTS)) {
                if (out.stream().noneMatch(o -> key(o).equals(key(cohort)))) out.add(cohort);
            }
            for (Stored scope : resources.list(s.account(), ResourceType.SCOPES)) {
                if (isEveryoneScope(scope) && out.stream().noneMatch(o -> key(o).equals(key(scope)))) out.add(scope);
            }
        }
        return out;
    }

    /** A scope whose population is every person of the account ({@code population.cohort_ids: []}). */
    private static boolean isEveryoneScope(Stored s) {
        return s.type() == ResourceType.SCOPES && personae.core.scope.ScopeSpec.POPULATION.strings(s.doc()).isEmpty();
    }

    /** The account's reference-table datasets. */
    public List<Stored> referenceTables(String account) {
        return resources.list(account, ResourceType.DATASETS).stream()
                .filter(d -> personae.core.ingest.ReferenceTable.isReferenceTable(d.doc())).toList();
    }

    private static boolean isPeopleDataset(Stored s) {
        return s.type() == ResourceType.DATASETS && !personae.core.ingest.ReferenceTable.isReferenceTable(s.doc());
    }

    /**
     * The resources that use {@code s} and would break without it: those whose references name it, and, through the
     * unbuilt resources {@code s} writes (a dataset's streams), those that read them.
     */
    public List<Stored> dependents(Stored s) {
        Map<String, Stored> out = new LinkedHashMap<>();
        for (Stored user : naming(s)) out.putIfAbsent(key(user), user);
        for (Reference.Value v : Kinds.of(s.type()).values(s.doc())) {
            Reference r = v.reference();
            if (r.use() != Reference.Use.WRITES || r.kind().isBuilt()) continue;
            for (Stored reader : readersByName(s.account(), r.kind(), v.value())) out.putIfAbsent(key(reader), reader);
        }
        out.remove(key(s));
        return List.copyOf(out.values());
    }

    /** The resources of {@code s}'s account whose references name {@code s}. */
    private List<Stored> naming(Stored s) {
        return referencing(s.account(), r -> r.kind() == s.type(), (r, doc) -> r.names(doc, s));
    }

    /** The resources reading the unbuilt resource of {@code kind} named {@code name} (whether it is stored or not). */
    private List<Stored> readersByName(String account, ResourceType kind, String name) {
        return referencing(account, r -> r.kind() == kind && r.use() == Reference.Use.READS,
                (r, doc) -> r.strings(doc).contains(name));
    }

    /** The resources whose WRITES references name the unbuilt resource {@code kind} / {@code name}. */
    public List<Stored> writers(String account, ResourceType kind, String name) {
        return referencing(account, r -> r.kind() == kind && r.use() == Reference.Use.WRITES,
                (r, doc) -> r.strings(doc).contains(name));
    }

    /**
     * The resources of {@code account} with a reference that {@code which} selects and whose value there
     * {@code matches}; only the kinds declaring such a reference are listed.
     */
    private List<Stored> referencing(String account, Predicate<Reference> which, BiPredicate<Reference, JsonNode> matches) {
        List<Stored> out = new ArrayList<>();
        for (Kind<?> k : Kinds.all()) {
            List<Reference> refs = k.references().stream().filter(which).toList();
            if (refs.isEmpty()) continue;
            for (Stored candidate : resources.list(account, k.type())) {
                if (refs.stream().anyMatch(r -> matches.test(r, candidate.doc()))) out.add(candidate);
            }
        }
        return out;
    }

    /** Datasets whose output_to_streams names {@code stream}. */
    public List<Stored> datasetsFeeding(String account, String stream) {
        return writers(account, ResourceType.STREAMS, stream);
    }

    private static String writerNouns(ResourceType kind) {
        List<String> nouns = new ArrayList<>();
        for (Kind<?> k : Kinds.all()) {
            if (k.references().stream().anyMatch(r -> r.kind() == kind && r.use() == Reference.Use.WRITES)) {
                nouns.add(k.type().noun());
            }
        }
        return String.join(" or ", nouns);
    }

    private static String key(Stored s) {
        return s.type().wire() + "/" + s.id();
    }

    public static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
