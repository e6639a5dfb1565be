package personae.core.port;

import java.util.List;
import java.util.Optional;

/**
 * Resource metadata (DynamoDB in production and locally): one small JSON document per resource, never one item
 * per customer. Every document carries a version for optimistic concurrency.
 */
public interface MetadataStore {

    /** Reads one document. */
    Optional<Item> get(String account, String kind, String id);

    /** Every document of one kind in an account, in id order. */
    List<Item> list(String account, String kind);

    /** Writes a new document; false when one with the same account, kind and id already exists. */
    boolean create(Item item);

    /**
     * Replaces a document only if its stored version is still {@code expectedVersion}; the stored version becomes
     * {@code item.version()}. False when someone else wrote in between (or the item is gone).
     */
    boolean replace(Item item, long expectedVersion);

    /** Deletes a document; false when there was none. */
    boolean delete(String account, String kind, String id);

    /**
     * Every account that holds at least one document, in id order. This is the one question that spans accounts, and
     * it is here for maintenance only: the local runtime resumes the builds a kill interrupted in every account, not
     * just its own. It needs no extra item or index (the store keeps one item per resource and per API key, never one
     * per customer, so visiting all of it stays cheap); on DynamoDB it is a Scan of the keys, so no request path may
     * call it.
     */
    List<String> accounts();

    /** The account an API key (given as its SHA-256 hex) belongs to. */
    Optional<String> accountForKeyHash(String keyHash);

    /** Records that an API key (as its SHA-256 hex) authenticates an account. */
    void putKeyHash(String keyHash, String account);

    /**
     * Forgets an API key (as its SHA-256 hex): from the moment this returns, {@link #accountForKeyHash} no longer
     * finds it. It exists for key rotation (the old key must stop working as the new one is handed out) and for an
     * account's deletion (its keys stop working at once, long before its data is removed). Forgetting an unknown
     * hash is not an error.
     */
    void deleteKeyHash(String keyHash);

    /** A stored document: {@code json} is the resource as the API shows it, plus internal fields. */
    record Item(String account, String kind, String id, long version, String json) {
        public Item withJson(String newJson) {
            return new Item(account, kind, id, version + 1, newJson);
        }
    }
}
