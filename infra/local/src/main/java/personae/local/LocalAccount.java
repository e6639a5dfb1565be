package personae.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Services;
import personae.core.account.Accounts;
import personae.core.pipeline.Keys;
import personae.core.port.BlobStore;
import personae.core.port.MetadataStore;
import personae.core.port.MetadataStore.Item;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The local runtime's account: a UUID kept in the data directory ({@value #FILE}), so a changed
 * {@code PERSONAE_API_KEY} still opens the same data. A data directory from before account ids were UUIDs holds an
 * account {@value LocalRuntime#LEGACY_ACCOUNT}: it is moved to the UUID once, documents and files, and its keys then
 * authenticate the new id.
 */
final class LocalAccount {

    private static final Logger LOG = Logger.getLogger(LocalAccount.class.getName());

    static final String FILE = "account-id";

    private LocalAccount() {}

    /** The account {@code apiKey} acts for, created or migrated as needed. */
    static String open(Services services, Path dataDir, String apiKey) {
        Accounts accounts = new Accounts(services);
        Optional<String> byKey = services.metadata().accountForKeyHash(Accounts.keyHash(apiKey));
        String id;
        if (byKey.isPresent() && !byKey.get().equals(LocalRuntime.LEGACY_ACCOUNT) && accounts.find(byKey.get()).isPresent()) {
            id = byKey.get(); // the key's own account (a subaccount's key works too)
        } else {
            id = storedOrNewId(dataDir, false);
            if (accounts.find(id).map(a -> a.doc().hasNonNull(Accounts.DELETION_REQUESTED_AT)).orElse(false)) {
                String deleted = id;
                id = storedOrNewId(dataDir, true);
                String fresh = id;
                LOG.warning(() -> "account " + deleted + " is scheduled for deletion; starting a new account " + fresh);
            }
        }
        if (services.metadata().get(LocalRuntime.LEGACY_ACCOUNT, ResourceType.ACCOUNTS.wire(), LocalRuntime.LEGACY_ACCOUNT).isPresent()) {
            migrate(services, LocalRuntime.LEGACY_ACCOUNT, id);
            // before, every key the runtime was given opened "local": the generated one (kept in the data directory)
            // still opens it when PERSONAE_API_KEY is set (others given in earlier runs are not known, only hashed)
            Path keyFile = dataDir.resolve(LocalRuntime.KEY_FILE);
            try {
                if (Files.exists(keyFile)) {
                    String generated = Files.readString(keyFile).trim();
                    if (!generated.isEmpty() && !generated.equals(apiKey)) accounts.ensure(id, "Local account", generated);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        accounts.ensure(id, "Local account", apiKey);
        return id;
    }

    private static String storedOrNewId(Path dataDir, boolean renew) {
        Path file = dataDir.resolve(FILE);
        try {
            if (!renew && Files.exists(file)) return Files.readString(file).trim();
            String id = UUID.randomUUID().toString();
            Files.createDirectories(dataDir);
            Files.writeString(file, id + "\n");
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Moves every document and object of account {@code from} to {@code to}, then makes every key of {@code from}
     * authenticate {@code to}, then deletes what {@code from} had. Each step is repeatable, so a migration a kill
     * interrupted is finished by the next start (the target id is in the data directory before anything moves).
     */
    static void migrate(Services services, String from, String to) {
        long t0 = System.nanoTime();
        MetadataStore metadata = services.metadata();
        BlobStore blobs = services.blobs();
        int docs = 0, files = 0;
        String oldVersions = "upload-versions/" + from + "/", newVersions = "upload-versions/" + to + "/";
        for (ResourceType t : ResourceType.values()) {
            for (Item item : metadata.list(from, t.wire())) {
                String id = t == ResourceType.ACCOUNTS && item.id().equals(from) ? to : item.id();
                ObjectNode doc = Json.readObject(item.json());
                if (t == ResourceType.ACCOUNTS) doc.put("id", id);
                // an upload's record names its stored version by key, and the key holds the account
                String object = doc.path(Resources.INTERNAL).path("object").asText(null);
                if (object != null && object.startsWith(oldVersions)) {
                    ((ObjectNode) doc.get(Resources.INTERNAL)).put("object", newVersions + object.substring(oldVersions.length()));
                }
                if (metadata.get(to, t.wire(), id).isEmpty()) {
                    metadata.create(new Item(to, t.wire(), id, item.version(), Json.write(doc)));
                }
                docs++;
            }
        }
        for (String prefix : Keys.accountPrefixes(from)) {
            String newPrefix = prefix.substring(0, prefix.length() - from.length() - 1) + to + "/";
            for (BlobStore.BlobInfo b : blobs.list(prefix)) {
                blobs.copy(b.key(), newPrefix + b.key().substring(prefix.length()));
                files++;
            }
        }
        // the keys: any recorded hash moves; the runtime's own keys are added by the caller
        metadata.get(to, ResourceType.ACCOUNTS.wire(), to).ifPresent(a -> Json.readObject(a.json())
                .path(Resources.INTERNAL).path(Accounts.KEY_HASHES).forEach(h -> metadata.putKeyHash(h.asText(), to)));
        for (String prefix : Keys.accountPrefixes(from)) blobs.deleteAll(prefix);
        for (ResourceType t : ResourceType.values()) {
            for (Item item : metadata.list(from, t.wire())) {
                if (!(t == ResourceType.ACCOUNTS && item.id().equals(from))) metadata.delete(from, t.wire(), item.id());
            }
        }
        metadata.delete(from, ResourceType.ACCOUNTS.wire(), from); // last: its presence means "not finished"
        int d = docs, f = files;
        LOG.info(() -> "moved account '" + from + "' to " + to + " (" + d + " documents, " + f + " files) in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
}
