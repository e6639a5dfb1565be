package personae.core.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Services;
import personae.core.account.Accounts;
import personae.core.api.Router.Call;
import personae.core.resource.Json;
import personae.core.resource.Resources.Stored;

import java.io.IOException;
import java.util.List;

/**
 * The accounts endpoints ({@code /v1/accounts...}) and the key rotation extension. A key controls its own account and
 * the subaccounts it created; any other account id, existing or not, is a 404. {@code current} stands for the
 * caller's own id wherever an id goes.
 */
final class AccountRoutes {

    private final Accounts accounts;

    AccountRoutes(Services services) {
        this.accounts = new Accounts(services);
    }

    void addTo(Router router) {
        router.add("GET", "/v1/accounts", c -> PersonaeApi.ok(accounts.visible(c.account()).stream().map(Accounts::view).toList()))
                .add("POST", "/v1/accounts", this::create)
                .add("GET", "/v1/accounts/current", c -> PersonaeApi.ok(Accounts.view(accounts.require(c.account(), c.account()))))
                .add("GET", "/v1/accounts/{account_id}", c -> PersonaeApi.ok(Accounts.view(accounts.require(c.account(), id(c)))))
                .add("PATCH", "/v1/accounts/{account_id}", this::rename)
                .add("DELETE", "/v1/accounts/{account_id}", c -> {
                    accounts.requestDeletion(c.account(), callerKeyHash(c), id(c));
                    return ApiResponse.empty(202);
                })
                .add("POST", "/v1/accounts/{account_id}/api_key", c -> {
                    Accounts.Keyed k = accounts.rotateKey(c.account(), callerKeyHash(c), id(c));
                    return PersonaeApi.ok(withKey(k));
                });
    }

    /** The body's {@code name}, its only field (AccountPost / AccountMergePatch). */
    private static String nameField(Call c, boolean required) throws IOException {
        ObjectNode body = JsonBodies.readObject(c.request().body());
        Validation v = new Validation();
        v.onlyFields(body, "", List.of("name"));
        String name = v.string(body, "name", "", required);
        v.throwIfFailed();
        return name;
    }

    private ApiResponse create(Call c) throws IOException {
        String name = nameField(c, true);
        Stored self = accounts.require(c.account(), c.account());
        if (self.doc().hasNonNull(Accounts.PARENT)) {
            throw new ApiError(403, "FORBIDDEN", "Account " + c.account() + " is a subaccount; only a top-level "
                    + "account can create subaccounts");
        }
        return ApiResponse.json(201, Json.write(withKey(accounts.createSubaccount(c.account(), name))));
    }

    private ApiResponse rename(Call c) throws IOException {
        String name = nameField(c, false);
        Stored a = name == null ? accounts.require(c.account(), id(c)) : accounts.rename(c.account(), id(c), name);
        return PersonaeApi.ok(Accounts.view(a));
    }

    private static ObjectNode withKey(Accounts.Keyed k) {
        ObjectNode v = Accounts.view(k.account());
        v.put("api_key", k.apiKey());
        return v;
    }

    private static String id(Call c) {
        String id = c.param("account_id");
        return id.equals("current") ? c.account() : id;
    }

    /** The hash of the key this request authenticated with (the header was checked by the authentication). */
    private static String callerKeyHash(Call c) {
        String[] parts = c.request().header("authorization").trim().split("\\s+");
        return Accounts.keyHash(parts[1]);
    }
}
