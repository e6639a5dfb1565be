package personae.core.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Limits;
import personae.core.Problem;
import personae.core.Services;
import personae.core.pipeline.Keys;
import personae.core.port.MetadataStore;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;
import personae.core.resource.Resources.Stored;
import personae.core.resource.Status;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Accounts, their subaccounts, their API keys and their deletion. An account is a document of kind
 * {@code accounts} in its own partition (id = the account's id); everything else an account owns is keyed by that id
 * (metadata and blobs alike), so an account sees nothing of another one, its parent and its subaccounts included.
 *
 * <p>Only SHA-256 hashes of keys are stored: in the key table (which authenticates) and in the account's internal
 * {@value #KEY_HASHES} (so rotation and deletion know which entries to forget). A parent lists its subaccounts' ids in
 * its internal {@value #SUBACCOUNTS}: the store has no index to ask for them.
 *
 * <p>Deletion takes two steps: {@link #requestDeletion} forgets the account's keys at once, marks the document with
 * {@value #DELETION_REQUESTED_AT} and records a request in the {@link #DELETIONS} partition; {@link #sweep}, run on a
 * schedule, removes every account whose request is older than the grace period, with all its files and documents.
 */
public final class Accounts {

    /**
     * The partition holding one document per pending deletion (kind {@code accounts}, id = the account to delete):
     * the sweep reads this one partition instead of visiting every account. No account can have this id (ids are
     * UUIDs, or "local" before them).
     */
    public static final String DELETIONS = "_deletions";
    public static final String KEY_HASHES = "key_hashes";
    public static final String SUBACCOUNTS = "subaccounts";
    public static final String DELETION_REQUESTED_AT = "deletion_requested_at";
    public static final String PARENT = "parent_account_id";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Services services;
    private final Resources resources;

    public Accounts(Services services) {
        this.services = services;
        this.resources = services.resources();
    }

    /** A new account or a new key: the key is shown this once and never stored. */
    public record Keyed(Stored account, String apiKey) {}

    /** SHA-256 hex of an API key: only hashes are stored. */
    public static String keyHash(String apiKey) {
        return personae.core.util.Hashes.sha256Hex(apiKey);
    }

    /** A new random API key ({@code pk_} and 48 hex digits, 192 bits). */
    public static String newKey() {
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        return "pk_" + HexFormat.of().formatHex(random);
    }

    /** Whether an id has the shape of the ids this class gives (a UUID). */
    public static boolean isUuid(String id) {
        return id != null && id.matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
    }

    /** Creates a top-level account (if new) and makes {@code apiKey} authenticate it (operators and tests). */
    public void ensure(String accountId, String name, String apiKey) {
        if (resources.find(accountId, ResourceType.ACCOUNTS, accountId).isEmpty()) {
            try {
                resources.create(accountId, ResourceType.ACCOUNTS, accountId, fields(name, null));
            } catch (Problem e) {
                if (e.kind() != Problem.Kind.CONFLICT) throw e; // created meanwhile
            }
        }
        String hash = keyHash(apiKey);
        resources.update(accountId, ResourceType.ACCOUNTS, accountId, s -> addHash(s, hash));
        services.metadata().putKeyHash(hash, accountId);
    }

    /** The account's document, when it exists. */
    public Optional<Stored> find(String accountId) {
        return resources.find(accountId, ResourceType.ACCOUNTS, accountId);
    }

    /**
     * A new subaccount of {@code parent}, with a new key. The document is written first, then the parent's list,
     * then the key: a crash in between leaves at worst an account nobody can reach.
     */
    public Keyed createSubaccount(String parent, String name) {
        Stored p = require(parent, parent);
        if (p.doc().hasNonNull(DELETION_REQUESTED_AT)) {
            throw Problem.conflict("Account " + parent + " is being deleted; it cannot get new subaccounts");
        }
        String id = UUID.randomUUID().toString();
        String key = newKey();
        String hash = keyHash(key);
        ObjectNode fields = fields(name, parent);
        fields.putObject(Resources.INTERNAL).putArray(KEY_HASHES).add(hash);
        Stored created = resources.create(id, ResourceType.ACCOUNTS, id, fields);
        resources.update(parent, ResourceType.ACCOUNTS, parent, s -> {
            ArrayNode subs = list(s, SUBACCOUNTS);
            if (!contains(subs, id)) subs.add(id);
        }).orElseThrow(() -> Problem.notFound("No account with id " + parent));
        services.metadata().putKeyHash(hash, id);
        return new Keyed(created, key);
    }

    /** The caller's account, then its subaccounts in the order they were created. */
    public List<Stored> visible(String caller) {
        List<Stored> out = new ArrayList<>();
        Stored self = require(caller, caller);
        out.add(self);
        for (JsonNode sub : self.doc().path(Resources.INTERNAL).path(SUBACCOUNTS)) {
            find(sub.asText()).ifPresent(out::add);
        }
        return out;
    }

    /** An account the caller controls: its own or one of its subaccounts; 404 for any other (existing or not). */
    public Stored require(String caller, String accountId) {
        if (accountId.equals(caller)) {
            return find(caller).orElseThrow(() -> Problem.notFound("No account with id " + Limits.excerpt(accountId)));
        }
        Optional<Stored> self = find(caller);
        boolean own = self.isPresent() && contains(self.get().doc().path(Resources.INTERNAL).path(SUBACCOUNTS), accountId);
        Optional<Stored> sub = own ? find(accountId) : Optional.empty();
        return sub.orElseThrow(() -> Problem.notFound("No account with id " + Limits.excerpt(accountId)));
    }

    public Stored rename(String caller, String accountId, String name) {
        Stored a = require(caller, accountId);
        refuseIfDeleting(a, "renamed");
        return resources.update(a.id(), ResourceType.ACCOUNTS, a.id(), s -> s.doc().put("name", name))
                .orElseThrow(() -> Problem.notFound("No account with id " + accountId));
    }

    /**
     * A new key for the account; every key it had stops working. {@code callerKeyHash} is the hash of the key the
     * request came with: accounts created before their hashes were recorded still lose it when they rotate their own.
     */
    public Keyed rotateKey(String caller, String callerKeyHash, String accountId) {
        Stored a = require(caller, accountId);
        refuseIfDeleting(a, "given a new key");
        String key = newKey();
        String hash = keyHash(key);
        Set<String> old = new LinkedHashSet<>();
        if (a.id().equals(caller)) old.add(callerKeyHash);
        services.metadata().putKeyHash(hash, a.id());
        Stored updated = resources.update(a.id(), ResourceType.ACCOUNTS, a.id(), s -> {
            ArrayNode hashes = list(s, KEY_HASHES);
            hashes.forEach(h -> old.add(h.asText()));
            hashes.removeAll();
            hashes.add(hash);
        }).orElseThrow(() -> Problem.notFound("No account with id " + accountId));
        old.remove(hash);
        old.forEach(services.metadata()::deleteKeyHash);
        return new Keyed(updated, key);
    }

    /**
     * Schedules the account, and its subaccounts, for deletion after the grace period: their keys stop working now,
     * their data stays until {@link #sweep} removes it. Asking again changes nothing.
     */
    public void requestDeletion(String caller, String callerKeyHash, String accountId) {
        Stored a = require(caller, accountId);
        if (a.id().equals(caller)) services.metadata().deleteKeyHash(callerKeyHash);
        List<String> todo = new ArrayList<>(List.of(a.id()));
        for (int i = 0; i < todo.size(); i++) {
            String id = todo.get(i);
            String now = resources.now();
            List<String> hashes = new ArrayList<>();
            Optional<Stored> marked = resources.update(id, ResourceType.ACCOUNTS, id, s -> {
                hashes.clear();
                if (!s.doc().hasNonNull(DELETION_REQUESTED_AT)) s.doc().put(DELETION_REQUESTED_AT, now);
                list(s, KEY_HASHES).forEach(h -> hashes.add(h.asText()));
            });
            if (marked.isEmpty()) continue;
            ObjectNode request = Json.object();
            request.put("requested_at", marked.get().doc().get(DELETION_REQUESTED_AT).asText());
            if (resources.find(DELETIONS, ResourceType.ACCOUNTS, id).isEmpty()) {
                try {
                    resources.create(DELETIONS, ResourceType.ACCOUNTS, id, request);
                } catch (Problem e) {
                    if (e.kind() != Problem.Kind.CONFLICT) throw e; // requested meanwhile
                }
            }
            hashes.forEach(services.metadata()::deleteKeyHash);
            marked.get().doc().path(Resources.INTERNAL).path(SUBACCOUNTS).forEach(sub -> todo.add(sub.asText()));
        }
    }

    /**
     * Removes every account whose deletion was requested at least {@code grace} ago: its keys, every file under its
     * prefixes ({@link Keys#accountPrefixes}), every document, its place in its parent's list, and last the request
     * itself, so a sweep that stops half-way (a timeout, a kill) is finished by the next one. Returns the accounts
     * removed.
     */
    public List<String> sweep(Duration grace) {
        Instant cutoff = services.clock().instant().minus(grace);
        List<String> removed = new ArrayList<>();
        for (Stored request : resources.list(DELETIONS, ResourceType.ACCOUNTS)) {
            Instant requested = Instant.parse(request.doc().path("requested_at").asText());
            if (requested.isAfter(cutoff)) continue;
            purge(request.id());
            resources.delete(request);
            removed.add(request.id());
        }
        return removed;
    }

    private void purge(String account) {
        MetadataStore metadata = services.metadata();
        Optional<Stored> doc = find(account);
        doc.ifPresent(d -> {
            d.doc().path(Resources.INTERNAL).path(KEY_HASHES).forEach(h -> metadata.deleteKeyHash(h.asText()));
            String parent = Json.text(d.doc(), PARENT);
            if (parent != null) {
                resources.update(parent, ResourceType.ACCOUNTS, parent, s -> {
                    ArrayNode subs = list(s, SUBACCOUNTS);
                    for (int i = subs.size() - 1; i >= 0; i--) if (subs.get(i).asText().equals(account)) subs.remove(i);
                });
            }
        });
        for (String prefix : Keys.accountPrefixes(account)) services.blobs().deleteAll(prefix);
        for (ResourceType t : ResourceType.values()) {
            for (MetadataStore.Item item : metadata.list(account, t.wire())) {
                if (t == ResourceType.ACCOUNTS && item.id().equals(account)) continue; // last: it names the keys
                metadata.delete(account, item.kind(), item.id());
            }
        }
        metadata.delete(account, ResourceType.ACCOUNTS.wire(), account);
    }

    /** The account as the API shows it: RES fields (status is always {@code ready}: accounts do not build). */
    public static ObjectNode view(Stored s) {
        ObjectNode v = s.view();
        if (!v.has("status")) { // accounts stored before they had one
            v.put("status", Status.READY.wire());
            if (v.has("created_at")) v.put("status_changed_at", v.get("created_at").asText());
        }
        return v;
    }

    private static void refuseIfDeleting(Stored a, String what) {
        if (a.doc().hasNonNull(DELETION_REQUESTED_AT)) {
            throw Problem.conflict("Account " + a.id() + " is scheduled for deletion (requested at "
                    + a.doc().get(DELETION_REQUESTED_AT).asText() + ") and cannot be " + what);
        }
    }

    private ObjectNode fields(String name, String parent) {
        ObjectNode f = Json.object();
        f.put("name", name);
        f.put("status", Status.READY.wire());
        f.put("status_changed_at", resources.now());
        if (parent != null) f.put(PARENT, parent);
        return f;
    }

    private static void addHash(Stored s, String hash) {
        ArrayNode hashes = list(s, KEY_HASHES);
        if (!contains(hashes, hash)) hashes.add(hash);
    }

    private static ArrayNode list(Stored s, String field) {
        ObjectNode internal = s.internal();
        return internal.get(field) instanceof ArrayNode a ? a : internal.putArray(field);
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) if (n.asText().equals(value)) return true;
        return false;
    }
}
