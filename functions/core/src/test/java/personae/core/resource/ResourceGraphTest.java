package personae.core.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import personae.core.Kinds;
import personae.core.resource.Resources.Stored;
import personae.core.testing.InMemoryMetadataStore;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The graph is derived from the kinds' references, in both directions, with streams transparent. */
class ResourceGraphTest {

    static final String A = "acct";

    final Resources resources = new Resources(new InMemoryMetadataStore(), Clock.systemUTC());
    final ResourceGraph graph = new ResourceGraph(resources);

    Stored make(ResourceType type, String json) {
        return resources.create(A, type, (ObjectNode) Json.read(json));
    }

    static Set<String> ids(List<Stored> list) {
        return list.stream().map(Stored::id).collect(Collectors.toSet());
    }

    @Test
    void everyEdgeOfTheTutorialIsSeenFromBothEnds() {
        Stored orders = make(ResourceType.DATASETS, "{\"name\":\"orders\",\"output_to_streams\":{\"orders\":{}}}");
        Stored crm = make(ResourceType.DATASETS, "{\"name\":\"crm\",\"output_to_streams\":{\"orders\":{},\"visits\":{}}}");
        Stored stream = make(ResourceType.STREAMS, "{\"name\":\"orders\"}");
        Stored cohort = make(ResourceType.COHORTS, "{\"name\":\"c\",\"stream_name\":\"orders\"}");
        Stored lapsed = make(ResourceType.COHORTS, "{\"name\":\"l\",\"stream_name\":\"visits\"}");
        Stored set = make(ResourceType.PERSONA_SETS, "{\"name\":\"p\",\"cohort_id\":\"" + cohort.id() + "\"}");
        Stored scope = make(ResourceType.SCOPES, "{\"name\":\"s\",\"population\":{\"cohort_ids\":[\"" + cohort.id()
                + "\"],\"exclusion_cohort_ids\":[\"" + lapsed.id() + "\"]},\"payload\":{\"persona_set_ids\":[\""
                + set.id() + "\"]}}");
        Stored target = make(ResourceType.TARGETS, "{\"name\":\"t\",\"scope_id\":\"" + scope.id() + "\"}");

        assertEquals(Set.of(orders.id(), crm.id()), ids(graph.inputs(cohort).found()),
                "a cohort is built from every dataset writing its stream");
        assertEquals(Set.of(cohort.id()), ids(graph.inputs(set).found()), "a persona set reads its cohort");
        assertEquals(Set.of(cohort.id(), lapsed.id(), set.id()), ids(graph.inputs(scope).found()),
                "a scope reads its population, its exclusions and its persona sets");
        assertEquals(Set.of(scope.id()), ids(graph.inputs(target).found()), "a target reads its scope");

        assertEquals(Set.of(cohort.id()), ids(graph.dependents(orders)),
                "a dataset's dependents are the readers of the streams it writes");
        assertEquals(Set.of(cohort.id(), lapsed.id()), ids(graph.dependents(crm)));
        assertEquals(Set.of(orders.id(), crm.id(), cohort.id()), ids(graph.dependents(stream)),
                "a stream is used by the datasets writing it and the cohorts reading it");
        assertEquals(List.of(set.id(), scope.id()), graph.dependents(cohort).stream().map(Stored::id).toList(),
                "a cohort's persona sets come before its scopes");
        assertEquals(Set.of(scope.id()), ids(graph.dependents(lapsed)), "an exclusion cohort is used by its scope");
        assertEquals(Set.of(scope.id()), ids(graph.dependents(set)));
        assertEquals(Set.of(target.id()), ids(graph.dependents(scope)));
        assertEquals(Set.of(), ids(graph.dependents(target)));
    }

    @Test
    void missingInputsAreNamed() {
        Stored cohort = make(ResourceType.COHORTS, "{\"name\":\"c\",\"stream_name\":\"nowhere\"}");
        assertEquals(List.of("no dataset outputs to stream 'nowhere'"), graph.inputs(cohort).missing(),
                "a stream nobody writes is a missing input, with the kinds that could write it");
        Stored scope = make(ResourceType.SCOPES, "{\"name\":\"s\",\"population\":{\"cohort_ids\":[\"" + cohort.id()
                + "\",\"gone\"]}}");
        assertEquals(List.of("cohort gone does not exist"), graph.inputs(scope).missing());
        assertEquals(Set.of(cohort.id()), ids(graph.inputs(scope).found()));
    }

    @Test
    void everyReferenceNamesABuiltKindOrAStreamAndHasAPointer() {
        for (Kind<?> k : Kinds.all()) {
            for (Reference r : k.references()) {
                assertTrue(r.pointer().startsWith("/"), k.type() + " " + r + ": a reference field is a JSON pointer");
                assertTrue(r.kind().isBuilt() || r.shape().byName(),
                        k.type() + " " + r + ": an unbuilt kind (a stream) is named, never referenced by id");
                assertTrue(r.use() == Reference.Use.READS || r.shape().byName(), k.type() + " " + r
                        + ": a written resource is named by the writer");
            }
        }
    }
}
