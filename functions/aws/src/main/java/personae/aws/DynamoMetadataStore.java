package personae.aws;

import personae.core.port.MetadataStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@link MetadataStore} on one DynamoDB table with string keys {@code pk} (partition) and {@code sk} (sort).
 *
 * <ul>
 *   <li>resource documents: {@code pk = "account#" + account}, {@code sk = kind + "#" + id}, attributes {@code doc}
 *       (S, the JSON) and {@code version} (N);</li>
 *   <li>API keys: {@code pk = "apikey#" + sha256hex}, {@code sk = "apikey"}, attribute {@code account} (S).</li>
 * </ul>
 * Writes are conditional: create only when absent, replace only at the expected version.
 */
public final class DynamoMetadataStore implements MetadataStore {

    static final String PK = "pk";
    static final String SK = "sk";
    static final String DOC = "doc";
    static final String VERSION = "version";
    static final String ACCOUNT = "account";
    static final String APIKEY_SK = "apikey";
    static final String ACCOUNT_PREFIX = "account#";

    private final DynamoDbClient ddb;
    private final String table;

    public DynamoMetadataStore(DynamoDbClient ddb, String table) {
        this.ddb = Objects.requireNonNull(ddb);
        this.table = Objects.requireNonNull(table);
    }

    /** Creates the table (on-demand billing, keys {@code pk}/{@code sk}) unless it already exists; waits until active. */
    public static void createTable(DynamoDbClient ddb, String table) {
        try {
            ddb.createTable(t -> t.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build())
                    .keySchema(
                            KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build()));
        } catch (ResourceInUseException alreadyThere) {
            // idempotent
        }
        ddb.waiter().waitUntilTableExists(d -> d.tableName(table));
    }

    public String table() {
        return table;
    }

    @Override
    public Optional<Item> get(String account, String kind, String id) {
        Map<String, AttributeValue> item = ddb.getItem(g -> g.tableName(table).consistentRead(true)
                .key(key(account, kind, id))).item();
        if (item == null || item.isEmpty()) return Optional.empty();
        return Optional.of(toItem(account, kind, id, item));
    }

    @Override
    public List<Item> list(String account, String kind) {
        String prefix = sortKeyPrefix(kind);
        QueryRequest q = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(":pk", s(accountPk(account)), ":prefix", s(prefix)))
                .build();
        List<Item> out = new ArrayList<>();
        for (Map<String, AttributeValue> row : ddb.queryPaginator(q).items()) {
            String id = row.get(SK).s().substring(prefix.length());
            out.add(toItem(account, kind, id, row));
        }
        // DynamoDB sorts sort keys by UTF-8 bytes; the port promises id order, taken as Java String order
        out.sort(Comparator.comparing(Item::id));
        return out;
    }

    @Override
    public boolean create(Item item) {
        try {
            ddb.putItem(p -> p.tableName(table).item(toAttributes(item))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK)));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    @Override
    public boolean replace(Item item, long expectedVersion) {
        try {
            ddb.putItem(p -> p.tableName(table).item(toAttributes(item))
                    .conditionExpression("#v = :expected")
                    .expressionAttributeNames(Map.of("#v", VERSION))
                    .expressionAttributeValues(Map.of(":expected", n(expectedVersion))));
            return true;
        } catch (ConditionalCheckFailedException changedOrGone) {
            return false;
        }
    }

    @Override
    public boolean delete(String account, String kind, String id) {
        Map<String, AttributeValue> old = ddb.deleteItem(d -> d.tableName(table).key(key(account, kind, id))
                .returnValues(ReturnValue.ALL_OLD)).attributes();
        return old != null && !old.isEmpty();
    }

    /**
     * {@inheritDoc} A Scan that reads only the partition keys (consistent, paginated): the table has no index to ask,
     * and none is needed while it holds metadata only.
     */
    @Override
    public List<String> accounts() {
        ScanRequest scan = ScanRequest.builder().tableName(table).consistentRead(true)
                .projectionExpression("#pk")
                .filterExpression("begins_with(#pk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", PK))
                .expressionAttributeValues(Map.of(":prefix", s(ACCOUNT_PREFIX)))
                .build();
        TreeSet<String> accounts = new TreeSet<>();
        for (Map<String, AttributeValue> row : ddb.scanPaginator(scan).items()) {
            accounts.add(row.get(PK).s().substring(ACCOUNT_PREFIX.length()));
        }
        return List.copyOf(accounts);
    }

    @Override
    public Optional<String> accountForKeyHash(String keyHash) {
        Map<String, AttributeValue> item = ddb.getItem(g -> g.tableName(table).consistentRead(true)
                .key(apiKeyKey(keyHash))).item();
        if (item == null || item.isEmpty() || !item.containsKey(ACCOUNT)) return Optional.empty();
        return Optional.of(item.get(ACCOUNT).s());
    }

    @Override
    public void putKeyHash(String keyHash, String account) {
        Map<String, AttributeValue> attrs = new HashMap<>(apiKeyKey(keyHash));
        attrs.put(ACCOUNT, s(requireText(account, "account")));
        ddb.putItem(p -> p.tableName(table).item(attrs));
    }

    @Override
    public void deleteKeyHash(String keyHash) {
        ddb.deleteItem(d -> d.tableName(table).key(apiKeyKey(keyHash)));
    }

    static String accountPk(String account) {
        return ACCOUNT_PREFIX + requireText(account, "account");
    }

    static String sortKeyPrefix(String kind) {
        String k = requireText(kind, "kind");
        if (k.indexOf('#') >= 0) throw new IllegalArgumentException("kind must not contain '#': " + kind);
        return k + "#";
    }

    private static Map<String, AttributeValue> key(String account, String kind, String id) {
        return Map.of(PK, s(accountPk(account)), SK, s(sortKeyPrefix(kind) + requireText(id, "id")));
    }

    private static Map<String, AttributeValue> apiKeyKey(String keyHash) {
        return Map.of(PK, s("apikey#" + requireText(keyHash, "keyHash")), SK, s(APIKEY_SK));
    }

    private static Map<String, AttributeValue> toAttributes(Item item) {
        Map<String, AttributeValue> attrs = new HashMap<>(key(item.account(), item.kind(), item.id()));
        attrs.put(DOC, s(Objects.requireNonNull(item.json(), "json")));
        attrs.put(VERSION, n(item.version()));
        return attrs;
    }

    private static Item toItem(String account, String kind, String id, Map<String, AttributeValue> row) {
        return new Item(account, kind, id, Long.parseLong(row.get(VERSION).n()), row.get(DOC).s());
    }

    private static String requireText(String s, String what) {
        if (s == null || s.isEmpty()) throw new IllegalArgumentException(what + " is empty");
        return s;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
