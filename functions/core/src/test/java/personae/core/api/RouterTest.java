package personae.core.api;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RouterTest {

    private static Router.Handler named(String name) {
        return c -> ApiResponse.json(200, "\"" + name + "\"");
    }

    private final Router router = new Router()
            .add("GET", "/v1/datasets", named("list"))
            .add("POST", "/v1/datasets", named("create"))
            .add("GET", "/v1/datasets/{id}", named("get"))
            .add("DELETE", "/v1/datasets/{id}", named("delete"))
            .add("GET", "/v1/uploads/{directory}/{filename}", named("file"));

    private String handled(Router.Match m) throws Exception {
        return m.handler().handle(new Router.Call("a", m.params(), ApiRequest.of("GET", "/", Map.of(), null))).bodyText();
    }

    @Test
    void pathParameters() throws Exception {
        Router.Match m = router.match("GET", "/v1/datasets/abc-123");
        assertEquals("\"get\"", handled(m));
        assertEquals(Map.of("id", "abc-123"), m.params());
        m = router.match("GET", "/v1/uploads/orders/jan%20sales+1.csv");
        assertEquals(Map.of("directory", "orders", "filename", "jan sales+1.csv"), m.params(), "decoded; + stays +");
        assertEquals("\"list\"", handled(router.match("GET", "/v1/datasets/")), "trailing slash");
        assertEquals("\"create\"", handled(router.match("POST", "/v1/datasets")));
    }

    @Test
    void wrongMethodIs405ListingTheAllowedOnes() {
        ApiError e = assertThrows(ApiError.class, () -> router.match("PATCH", "/v1/datasets/x"));
        assertEquals(405, e.status());
        assertTrue(e.note().contains("GET, DELETE"), e.note());
    }

    @Test
    void unknownPathIs404() {
        for (String path : new String[]{"/v1/nothing", "/v1/datasets/x/y", "/v1/uploads/orders", "/v2/datasets"}) {
            ApiError e = assertThrows(ApiError.class, () -> router.match("GET", path), path);
            assertEquals(404, e.status(), path);
            assertEquals("NOT_FOUND", e.code());
        }
        ApiError e = assertThrows(ApiError.class, () -> router.match("GET", "/v1/uploads//x.csv"));
        assertEquals(404, e.status(), "an empty parameter does not match");
    }

    @Test
    void mergePatch() {
        var target = personae.core.resource.Json.readObject("{\"a\":1,\"o\":{\"x\":1,\"y\":2},\"l\":[1,2]}");
        MergePatch.apply(target, personae.core.resource.Json.read("{\"a\":null,\"o\":{\"y\":null,\"z\":3},\"l\":[3],\"n\":{\"k\":1}}"));
        assertEquals(personae.core.resource.Json.read("{\"o\":{\"x\":1,\"z\":3},\"l\":[3],\"n\":{\"k\":1}}"), target);
    }
}
