package personae.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import personae.core.api.ApiRequest;
import personae.core.api.ApiResponse;
import personae.core.api.PersonaeApi;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.sample.OrdersGenerator;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The analysis and traits endpoints over a built persona set (seeded orders of 400 customers with a first-party text
 * trait), checked against the reference's shapes and against each other: personas' bins add up to the cohort's, the
 * flow's last day is the personas' sizes, the personas' daily counts add up to the cohort's membership.
 */
class AnalysisApiTest {

    static final String A = InMemoryBuilds.ACCOUNT;
    static final String KEY = "analysis-key-0123456789";
    static final InMemoryBuilds builds = new InMemoryBuilds();
    static PersonaeApi api;
    static String cohort, setId, datasetId;
    static JsonNode set;

    @BeforeAll
    static void build() throws Exception {
        StringWriter csv = new StringWriter();
        new OrdersGenerator(11).write(csv, 400, 2500);
        builds.upload("orders.csv", csv.toString());
        var body = Json.readObject(OrdersGenerator.DATASET_BODY);
        body.set("output_to_traits", Json.readObject("{\"state\": {\"column_name\": \"state\"}}"));
        datasetId = builds.readyDataset(body.toString());
        cohort = builds.readyCohort("{\"name\":\"everyone\",\"stream_name\":\"orders\"}");
        setId = builds.resources.create(A, ResourceType.PERSONA_SETS,
                Json.readObject("{\"name\":\"p\",\"cohort_id\":\"" + cohort + "\"}")).id();
        builds.readyPersonaSet(setId);
        set = builds.resources.require(A, ResourceType.PERSONA_SETS, setId).doc();
        PersonaeApi.ensureAccount(builds.services, A, "analysis", KEY);
        api = new PersonaeApi(builds.services);
    }

    record Answer(int status, JsonNode json) {}

    static Answer call(String method, String path, String body) {
        ApiResponse r = api.handle(ApiRequest.of(method, path, Map.of("Authorization", "Bearer " + KEY),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
        String text = r.bodyText();
        return new Answer(r.status(), text == null || text.isEmpty() ? null : Json.read(text));
    }

    static JsonNode get(String path) {
        Answer a = call("GET", path, null);
        assertEquals(200, a.status(), "GET " + path + " answers 200: " + a.json());
        return a.json();
    }

    static long sum(JsonNode bins) {
        long n = 0;
        for (JsonNode b : bins) n += b.path("count").asLong();
        return n;
    }

    @Test
    void eachPersonasDimensionsHaveEveryTraitInTheCohortsBinsAndTheyAddUpToTheCohort() {
        JsonNode dims = get("/v1/persona_sets/" + setId + "/analysis/dimensions");
        assertEquals(set.path("personas").size(), dims.size(), "one entry per persona");
        Set<String> modelTraits = new HashSet<>();
        set.path("personas").get(0).path("details").path("center").fieldNames().forEachRemaining(f -> {
            if (!f.equals(PersonaSetBuild.PROFILE)) modelTraits.add(f);
        });
        Map<String, long[]> perBin = new HashMap<>();
        for (int p = 0; p < dims.size(); p++) {
            JsonNode entry = dims.get(p);
            assertEquals(set.path("personas").get(p).path("id").asText(), entry.path("persona_id").asText(),
                    "entries follow the personas, by id");
            Set<String> names = new HashSet<>();
            for (JsonNode t : entry.path("traits")) {
                names.add(t.path("trait_name").asText());
                assertTrue(t.path("bins").isArray() && t.path("cohort_bins").isArray(), "bins are always arrays: " + t);
                assertEquals(t.path("bins").size(), t.path("cohort_bins").size(), "a persona's bins are the cohort's");
                long[] acc = perBin.computeIfAbsent(t.path("trait_name").asText(), k -> new long[t.path("bins").size()]);
                for (int b = 0; b < t.path("bins").size(); b++) {
                    JsonNode bin = t.path("bins").get(b), cb = t.path("cohort_bins").get(b);
                    String type = bin.path("data_type").asText();
                    assertTrue(type.equals("number") ? bin.path("min").isNumber() : bin.path("value").isTextual(),
                            "a number bin has a min, a text bin a value: " + bin);
                    assertEquals(cb.path("min"), bin.path("min"), "same edges as the cohort's");
                    assertEquals(cb.path("value"), bin.path("value"), "same values as the cohort's");
                    acc[b] += bin.path("count").asLong();
                }
                if (sum(t.path("bins")) > 0) {
                    double pct = 0;
                    for (JsonNode bin : t.path("bins")) pct += bin.path("percent").asDouble();
                    assertEquals(100, pct, 0.2, "percents add up to 100: " + t);
                }
            }
            for (String m : modelTraits) {
                String trait = m.contains("=") ? m.substring(0, m.indexOf('=')) : m;
                assertTrue(names.contains(trait), "the clustering trait " + trait + " is analysed: " + names);
            }
            assertTrue(names.contains("state"), "a trait that is not a clustering input is analysed too: " + names);
        }
        JsonNode first = dims.get(0).path("traits");
        for (JsonNode t : first) {
            long[] acc = perBin.get(t.path("trait_name").asText());
            for (int b = 0; b < acc.length; b++) {
                assertEquals(t.path("cohort_bins").get(b).path("count").asLong(), acc[b],
                        "the personas' counts add up to the cohort's in bin " + b + " of " + t.path("trait_name"));
            }
        }
        long members = set.path("personas").findValues("individuals_count").stream().mapToLong(JsonNode::asLong).sum();
        JsonNode recency = first.findParents("trait_name").stream()
                .filter(t -> t.path("trait_name").asText().equals("orders_recency_days")).findFirst().orElseThrow();
        assertEquals(members, sum(recency.path("cohort_bins")), "every member with an order is in one recency bin");
    }

    @Test
    void theFlowsLastDayIsEachPersonasSizeAndThePersonasAddUpToTheCohortsMembershipEveryDay() {
        JsonNode flow = get("/v1/persona_sets/" + setId + "/analysis/flow");
        JsonNode membership = get("/v1/cohorts/" + cohort + "/analysis/membership");
        assertEquals(set.path("personas").size(), flow.size(), "one entry per persona");
        JsonNode days0 = flow.get(0).path("days");
        assertTrue(days0.size() > 300 && days0.size() <= 1095, "the span of the data, at most 3 years: " + days0.size());
        for (int p = 0; p < flow.size(); p++) {
            JsonNode persona = set.path("personas").get(p);
            JsonNode days = flow.get(p).path("days");
            assertEquals(persona.path("id").asText(), flow.get(p).path("persona_id").asText(), "by persona id");
            assertEquals(days0.size(), days.size(), "every persona has the same days");
            assertEquals(persona.path("individuals_count").asLong(), days.get(days.size() - 1).path("count").asLong(),
                    "on the data's last day each member is in the persona the model gives them now");
            for (int i = 1; i < days.size(); i++) {
                assertEquals(LocalDate.parse(days.get(i - 1).path("date").asText()).plusDays(1).toString(),
                        days.get(i).path("date").asText(), "consecutive days");
            }
        }
        JsonNode mdays = membership.path("days");
        assertEquals(days0.size(), mdays.size(), "the flow and the membership cover the same days");
        int mismatched = 0;
        for (int i = 0; i < mdays.size(); i++) {
            long total = 0;
            for (JsonNode f : flow) total += f.path("days").get(i).path("count").asLong();
            assertEquals(mdays.get(i).path("date").asText(), days0.get(i).path("date").asText());
            if (total != mdays.get(i).path("count").asLong()) mismatched++;
        }
        assertEquals(0, mismatched, "nobody is counted before their first order, everybody after it");
    }

    @Test
    void membershipHasDaysWeeksAndMonthsEndingAtTheCohortsSize() {
        JsonNode m = get("/v1/cohorts/" + cohort + "/analysis/membership");
        long population = builds.resources.require(A, ResourceType.COHORTS, cohort).doc().path("population_count").asLong();
        for (String period : List.of("days", "weeks", "months")) {
            JsonNode list = m.path(period);
            assertTrue(list.isArray() && !list.isEmpty(), period + " is a non-empty array");
            assertEquals(population, list.get(list.size() - 1).path("count").asLong(), period + " end at the cohort's size");
            for (int i = 1; i < list.size(); i++) {
                assertTrue(list.get(i).path("count").asLong() >= list.get(i - 1).path("count").asLong(),
                        "today's members join once: " + period + " never shrink");
            }
        }
        JsonNode weeks = m.path("weeks");
        for (int i = 0; i < weeks.size() - 1; i++) {
            assertEquals(DayOfWeek.SUNDAY, LocalDate.parse(weeks.get(i).path("date").asText()).getDayOfWeek(),
                    "a week is dated by its last day");
        }
    }

    @Test
    void analysesOfUnknownOrUnbuiltResourcesAreErrorsThatSayWhy() {
        for (String path : List.of("/v1/persona_sets/nope/analysis/dimensions", "/v1/persona_sets/nope/analysis/flow",
                "/v1/cohorts/nope/analysis/membership", "/v1/traits/nope", "/v1/traits/nope/analysis/dimensions")) {
            Answer a = call("GET", path, null);
            assertEquals(404, a.status(), path + " of an unknown id is 404");
            assertEquals("NOT_FOUND", a.json().path("error").asText());
        }
        String building = builds.resources.create(A, ResourceType.PERSONA_SETS,
                Json.readObject("{\"name\":\"later\",\"cohort_id\":\"" + cohort + "\"}")).id();
        for (String path : List.of("/analysis/dimensions", "/analysis/flow")) {
            Answer a = call("GET", "/v1/persona_sets/" + building + path, null);
            assertEquals(409, a.status(), "a persona set still building has no analysis yet");
            assertTrue(a.json().path("note").asText().contains("still building"), a.json().toString());
        }
    }

    @Test
    void theTraitListHoldsEveryTraitTheDatasetsEmitWithWhatTheReferenceDescribes() {
        JsonNode list = get("/v1/traits");
        Map<String, JsonNode> byName = new HashMap<>();
        list.forEach(t -> byName.put(t.path("name").asText(), t));
        for (String name : List.of("orders_recency_days", "orders_frequency", "orders_tenure_days", "orders_total_value",
                "orders_average_value", "state")) {
            JsonNode t = byName.get(name);
            assertNotNull(t, name + " is listed: " + byName.keySet());
            assertEquals("traits", t.path("resource_type").asText());
            assertEquals("user_defined", t.path("category").asText());
            for (String f : List.of("id", "created_at", "updated_at", "literate", "description", "statistical_type", "type")) {
                assertTrue(t.path(f).isTextual(), name + " has " + f + ": " + t);
            }
            assertEquals(datasetId, t.path("emitted_by_datasets").get(0).path("dataset_id").asText(), name + "'s source");
            assertTrue(t.path("emitted_by_datasets").get(0).path("column_name").isTextual());
        }
        assertTrue(byName.keySet().stream().anyMatch(n -> n.startsWith("orders_product_share_")), "product shares are listed");
        assertEquals("days", byName.get("orders_recency_days").path("unit").asText());
        assertTrue(byName.get("orders_total_value").path("breaks").size() > 2, "a number trait has breaks");
        assertTrue(byName.get("state").path("categories").size() > 1, "a text trait has categories");
        assertEquals("order_datetime", byName.get("orders_recency_days").path("emitted_by_datasets").get(0)
                .path("column_name").asText(), "a behavioural trait names the column it is derived from");

        JsonNode one = get("/v1/traits/" + byName.get("state").path("id").asText());
        assertEquals(byName.get("state"), one, "GET by id is the listed trait");
        JsonNode dims = get("/v1/traits/" + one.path("id").asText() + "/analysis/dimensions");
        assertEquals("state", dims.path("trait_name").asText());
        assertEquals(400, sum(dims.path("bins")), "a trait's dimensions count the account's people with a value");
        boolean freeText = dims.path("bins").findValuesAsText("value").contains(personae.core.analysis.Bins.OTHER);
        assertEquals(freeText ? "nominal" : "categorical", one.path("statistical_type").asText(),
                "a text trait of at most 20 values is categorical, else nominal");
    }

    @Test
    void usersDefineDescribeAndDeleteTraitsButNotOnesADatasetEmits() {
        Answer created = call("POST", "/v1/traits", "{\"name\":\"loyalty_score\",\"literate\":\"Loyalty score\",\"unit\":\"points\"}");
        assertEquals(201, created.status(), created.json().toString());
        String id = created.json().path("id").asText();
        assertEquals("Loyalty score", created.json().path("literate").asText());
        assertTrue(created.json().path("emitted_by_datasets").isArray(), "always an array");
        assertEquals(409, call("POST", "/v1/traits", "{\"name\":\"loyalty_score\"}").status(), "names are unique");
        assertEquals(400, call("POST", "/v1/traits", "{\"name\":\"fig/age\"}").status(), "fig/ traits are Faraday's");
        assertEquals(400, call("POST", "/v1/traits", "{\"name\":\"x\",\"statistical_type\":\"weird\"}").status());
        assertEquals(400, call("POST", "/v1/traits", "{\"name\":\"x\",\"category\":\"user_defined\"}").status(),
                "category is read-only");
        assertEquals(0, sum(get("/v1/traits/" + id + "/analysis/dimensions").path("bins")), "no data yet: empty bins");

        String recency = TraitRegistryIds.of(A, "orders_recency_days");
        Answer patched = call("PATCH", "/v1/traits/" + recency, "{\"description\":\"How long ago they last ordered\"}");
        assertEquals(200, patched.status(), patched.json().toString());
        assertEquals("How long ago they last ordered", get("/v1/traits/" + recency).path("description").asText(),
                "a description given to an emitted trait is kept");
        assertEquals("days", patched.json().path("unit").asText(), "what the data says stays");
        Answer refused = call("DELETE", "/v1/traits/" + recency, null);
        assertEquals(409, refused.status(), "an emitted trait cannot be deleted");
        assertTrue(refused.json().path("note").asText().contains(datasetId), "the note names the dataset");

        assertEquals(204, call("DELETE", "/v1/traits", null).status());
        assertEquals(404, call("GET", "/v1/traits/" + id, null).status(), "an orphaned trait is deleted");
        assertEquals(200, call("GET", "/v1/traits/" + recency, null).status(), "an emitted one stays");
        String other = call("POST", "/v1/traits", "{\"name\":\"other_score\"}").json().path("id").asText();
        assertEquals(204, call("DELETE", "/v1/traits/" + other, null).status());
        assertEquals(404, call("GET", "/v1/traits/" + other, null).status());
    }

    /** Trait ids, as the registry derives them. */
    static final class TraitRegistryIds {
        static String of(String account, String name) {
            return personae.core.trait.TraitRegistry.idOf(account, name);
        }
    }
}
