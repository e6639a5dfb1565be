package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import personae.core.api.PersonaeApi;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static personae.local.Tutorial.created;

/**
 * Accounts are fully isolated (issue 8): every route of the API ({@link PersonaeApi#endpoints()}, so a new route is
 * covered, or this test fails until it is) is called on one account's resource ids with another account's key, with
 * a subaccount's key, and, on the subaccount's ids, with its parent's key. Each must answer 404 (a POST or PATCH may
 * answer 400 for its body first), routes without an id may answer for the caller's own account only, no answer may
 * hold anything of the owner's (its ids, persona ids, key or file contents), and the owner's resources are the same
 * afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountIsolationTest {

    static final String KEY = "isolation-owner-key-0123456789";
    static final String OTHER_KEY = "isolation-other-key-0123456789";
    static final String OTHER = "0f0f0f0f-1111-4222-8333-444444444444";
    static final Duration BUILD = Duration.ofMinutes(3);

    Path dataDir;
    LocalRuntime runtime;

    /** One account's resources: what a path parameter is replaced with, and what nobody else may ever see. */
    record Owned(String key, Map<String, String> ids, Set<String> secrets) {}

    Owned owner, sub;
    String otherSubKey;

    @BeforeAll
    void start() throws IOException {
        dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-isolation-");
        runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dataDir, KEY));
        PersonaeApi.ensureAccount(runtime.services(), OTHER, "Another account", OTHER_KEY);
        owner = populate(KEY, "orders");
        JsonNode created = new Tutorial(runtime.baseUrl(), KEY).postJson("/accounts", "{\"name\": \"Shop\"}").json();
        sub = populate(created.path("api_key").asText(), "sub-orders");
        otherSubKey = new Tutorial(runtime.baseUrl(), OTHER_KEY).postJson("/accounts", "{\"name\": \"Other's shop\"}")
                .json().path("api_key").asText();
    }

    @AfterAll
    void stop() {
        if (runtime != null) runtime.close();
    }

    /** The tutorial, built, in the key's account (its upload in {@code directory}), and a user trait. */
    private Owned populate(String key, String directory) {
        Tutorial t = new Tutorial(runtime.baseUrl(), key);
        assertEquals(200, t.upload(directory, "orders.csv", TutorialEndToEndTest.SAMPLE).status());
        Tutorial.Ids ids;
        String body = Tutorial.DATASET_BODY.replace("\"upload_directory\": \"orders\"", "\"upload_directory\": \"" + directory + "\"");
        assertTrue(body.contains(directory), "the dataset reads " + directory);
        String dataset = created(t.postJson("/datasets", body));
        String cohort = created(t.postJson("/cohorts", "{\"name\": \"Customers\", \"stream_name\": \"orders\"}"));
        String set = created(t.postJson("/persona_sets", "{\"name\": \"Personas\", \"cohort_id\": \"" + cohort + "\"}"));
        String scope = created(t.postJson("/scopes", "{\"name\": \"Scope\", \"population\": {\"cohort_ids\": [\"" + cohort
                + "\"]}, \"payload\": {\"persona_set_ids\": [\"" + set + "\"]}, \"preview\": true}"));
        String target = created(t.postJson("/targets", "{\"name\": \"CSV\", \"scope_id\": \"" + scope
                + "\", \"options\": {\"type\": \"hosted_csv\"}, \"representation\": {\"mode\": \"identified\", \"aggregate\": \"person\"}}"));
        ids = new Tutorial.Ids(dataset, cohort, set, scope, target);
        t.awaitAll(ids, BUILD);
        String trait = created(t.postJson("/traits", "{\"name\": \"loyalty_" + directory.replace('-', '_') + "\"}"));
        Map<String, String> m = new LinkedHashMap<>();
        m.put("datasets", dataset);
        m.put("cohorts", cohort);
        m.put("persona_sets", set);
        m.put("scopes", scope);
        m.put("targets", target);
        m.put("traits", trait);
        m.put("streams", t.get("/streams/orders").json().path("id").asText());
        m.put("accounts", t.get("/accounts/current").json().path("id").asText());
        m.put("directory", directory);
        m.put("filename", "orders.csv");
        JsonNode personas = t.get("/persona_sets/" + set).json().path("personas");
        assertTrue(personas.size() >= 2, "the persona set has personas: " + personas);
        m.put("personas", personas.get(0).path("id").asText());
        Set<String> secrets = new LinkedHashSet<>(List.of(dataset, cohort, set, scope, target, trait, m.get("streams"), key,
                "andre.walker11@gmail.com" /* a line of the uploaded file, also in every CSV output */));
        personas.forEach(p -> secrets.add(p.path("id").asText()));
        return new Owned(key, m, secrets);
    }

    @Test
    void noKeyOfAnotherAccountOrOfASubaccountReachesAnythingOfTheOwner() {
        List<String> endpoints = new PersonaeApi(runtime.services()).endpoints();
        assertTrue(endpoints.size() >= 60, "every route is visited: " + endpoints);
        Map<String, String> before = snapshot(owner.key());
        List<String> leaks = new ArrayList<>();
        int calls = 0;
        // another top-level account, the owner's subaccount, another account's subaccount: on the owner's ids
        for (String intruder : List.of(OTHER_KEY, sub.key(), otherSubKey)) {
            Set<String> secrets = new LinkedHashSet<>(owner.secrets());
            if (!intruder.equals(sub.key())) secrets.add(owner.ids().get("accounts")); // a subaccount sees its parent's id
            calls += visit(endpoints, intruder, owner, secrets, false, leaks);
        }
        assertUnchanged(before, snapshot(owner.key()), "the owner's");
        // the parent on its subaccount's data: it controls the subaccount's account record, not its data
        Map<String, String> subBefore = snapshot(sub.key());
        calls += visit(endpoints, owner.key(), sub, sub.secrets(), true, leaks);
        assertUnchanged(subBefore, snapshot(sub.key()), "the subaccount's");
        assertEquals(List.of(), leaks, "0 leaks in " + calls + " calls");
        System.out.println("AccountIsolationTest: " + calls + " calls on another account's ids, 0 leaks");
    }

    /** Calls every endpoint as {@code intruderKey} on {@code victim}'s ids; returns the number of calls. */
    private int visit(List<String> endpoints, String intruderKey, Owned victim, Set<String> secrets, boolean parent,
                      List<String> leaks) {
        Tutorial as = new Tutorial(runtime.baseUrl(), intruderKey);
        String who = intruderKey.equals(OTHER_KEY) ? "another account" : intruderKey.equals(sub.key()) ? "the subaccount"
                : intruderKey.equals(otherSubKey) ? "another account's subaccount" : "the parent";
        // routes that create in the caller's own account by name go last, so the 404s before them stay meaningful
        List<String> ordered = new ArrayList<>(endpoints.stream().filter(e -> !createsByName(e)).toList());
        ordered.addAll(endpoints.stream().filter(AccountIsolationTest::createsByName).toList());
        int calls = 0;
        for (String endpoint : ordered) {
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String pattern = endpoint.substring(endpoint.indexOf(' ') + 1);
            if (parent && pattern.startsWith("/v1/accounts")) continue; // a parent controls its subaccounts' records
            boolean hasId = pattern.contains("{");
            String path = fill(pattern, victim);
            Tutorial.Answer a = send(as, method, path.substring("/v1".length()));
            calls++;
            String call = who + ": " + method + " " + path + " -> " + a.status();
            boolean statusOk = !hasId || createsByName(endpoint) ? a.status() < 500
                    : a.status() == 404 || ((method.equals("POST") || method.equals("PATCH")) && a.status() == 400);
            if (!statusOk) leaks.add(call + " (expected 404): " + excerpt(a.body()));
            for (String s : secrets) {
                if (path.contains(s)) continue; // a 404's note names the id the caller sent, which it knows
                if (a.body().contains(s)) leaks.add(call + " shows the owner's " + s + ": " + excerpt(a.body()));
                a.headers().forEach((h, values) -> values.forEach(v -> {
                    if (v.contains(s)) leaks.add(call + " header " + h + " shows the owner's " + s);
                }));
            }
        }
        return calls;
    }

    private static String excerpt(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }

    private static boolean createsByName(String endpoint) {
        return endpoint.equals("POST /v1/streams/{stream_name}") || endpoint.equals("POST /v1/uploads/{directory}/{filename}");
    }

    /** The pattern with each parameter replaced by the victim's id of the collection the parameter follows. */
    private static String fill(String pattern, Owned victim) {
        String[] segs = pattern.split("/");
        for (int i = 0; i < segs.length; i++) {
            if (!segs[i].startsWith("{")) continue;
            String param = segs[i].substring(1, segs[i].length() - 1);
            String value = switch (param) {
                case "directory", "filename" -> victim.ids().get(param);
                case "stream_name" -> "orders"; // find-or-create by name: the caller's own stream of that name
                default -> victim.ids().get(segs[i - 1]);
            };
            if (value == null) throw new AssertionError("no id for " + segs[i] + " in " + pattern
                    + ": teach AccountIsolationTest.fill about this route");
            segs[i] = value;
        }
        return String.join("/", segs);
    }

    private static Tutorial.Answer send(Tutorial as, String method, String path) {
        if (method.equals("GET")) return as.get(path);
        if (path.startsWith("/uploads/")) {
            return as.send(method, path, "application/octet-stream", method.equals("POST")
                    ? HttpRequest.BodyPublishers.ofString("email\nintruder@example.com\n") : null);
        }
        String body = method.equals("PATCH") ? "{\"name\": \"intruder\"}" : method.equals("POST") ? "{}" : null;
        return as.send(method, path, body == null ? null : "application/json",
                body == null ? null : HttpRequest.BodyPublishers.ofString(body));
    }

    private static void assertUnchanged(Map<String, String> before, Map<String, String> after, String whose) {
        before.forEach((list, json) -> assertEquals(json, after.get(list), whose + " " + list + " are unchanged"));
    }

    /** Every list and every resource of the account, as its own key sees them (signed URLs left out: they renew). */
    private Map<String, String> snapshot(String key) {
        Tutorial t = new Tutorial(runtime.baseUrl(), key);
        Map<String, String> out = new LinkedHashMap<>();
        for (String list : List.of("/accounts", "/uploads", "/datasets", "/streams", "/traits", "/cohorts",
                "/persona_sets", "/scopes", "/targets")) {
            Tutorial.Answer a = t.get(list);
            assertEquals(200, a.status(), list + ": " + a.body());
            JsonNode json = a.json();
            json.forEach(n -> {
                if (n.path("options").isObject()) ((ObjectNode) n.get("options")).remove("output_url");
            });
            out.put(list, json.toString());
        }
        return out;
    }
}
