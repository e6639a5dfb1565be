package personae.core.resource;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One field of a resource's document that names another resource. Declared once, in its kind's specification
 * ({@link Kind}): the reference check of a POST or PATCH, the dependency graph in both directions
 * ({@link ResourceGraph}), the 409 on delete and the build that reads the input all derive from it.
 *
 * @param pointer  the field, as a JSON pointer ({@code /population/cohort_ids})
 * @param shape    how the field holds its values
 * @param kind     the kind of resource it names
 * @param use      whether this resource is built from the named one, or the named one from this
 * @param required whether the document must have it
 */
public record Reference(String pointer, Shape shape, ResourceType kind, Use use, boolean required) {

    /** How a field holds the ids or names it references. */
    public enum Shape {
        /** a string id */
        ID,
        /** an array of string ids */
        IDS,
        /** a string name (names may be satisfied later: a cohort may name a stream no dataset writes yet) */
        NAME,
        /** the keys of an object are names ({@code output_to_streams}) */
        NAME_KEYS;

        public boolean byName() {
            return this == NAME || this == NAME_KEYS;
        }

        public boolean many() {
            return this == IDS || this == NAME_KEYS;
        }
    }

    /** The direction of the edge. */
    public enum Use {
        /** this resource is built from the one it names (a persona set reads its cohort) */
        READS,
        /** the one it names is built from this resource (a dataset writes the streams it outputs to) */
        WRITES
    }

    public static Reference id(String pointer, ResourceType kind, boolean required) {
        return new Reference(pointer, Shape.ID, kind, Use.READS, required);
    }

    public static Reference ids(String pointer, ResourceType kind, boolean required) {
        return new Reference(pointer, Shape.IDS, kind, Use.READS, required);
    }

    public static Reference name(String pointer, ResourceType kind, boolean required) {
        return new Reference(pointer, Shape.NAME, kind, Use.READS, required);
    }

    public static Reference writesNamedBy(String pointer, ResourceType kind) {
        return new Reference(pointer, Shape.NAME_KEYS, kind, Use.WRITES, false);
    }

    /** One value of the field: the id or name, and the JSON pointer of exactly where it is. */
    public record Value(Reference reference, String value, String pointer) {}

    /** The values in {@code doc} (none when the field is absent or of another type: shape errors are not values). */
    public List<Value> values(JsonNode doc) {
        JsonNode n = doc.at(pointer);
        List<Value> out = new ArrayList<>();
        switch (shape) {
            case ID, NAME -> {
                if (n.isTextual()) out.add(new Value(this, n.asText(), pointer));
            }
            case IDS -> {
                if (n.isArray()) {
                    for (int i = 0; i < n.size(); i++) {
                        if (n.get(i).isTextual()) out.add(new Value(this, n.get(i).asText(), pointer + "/" + i));
                    }
                }
            }
            case NAME_KEYS -> n.fieldNames().forEachRemaining(k -> out.add(new Value(this, k, pointer + "/"
                    + k.replace("~", "~0").replace("/", "~1"))));
        }
        return out;
    }

    /** The ids or names only. */
    public List<String> strings(JsonNode doc) {
        return values(doc).stream().map(Value::value).toList();
    }

    /** The single id or name, or null. */
    public String string(JsonNode doc) {
        List<Value> v = values(doc);
        return v.isEmpty() ? null : v.get(0).value();
    }

    /** Whether this field of {@code doc} names {@code target} (by id, or by name for name references). */
    public boolean names(JsonNode doc, Resources.Stored target) {
        if (target.type() != kind) return false;
        String wanted = shape.byName() ? target.name() : target.id();
        return wanted != null && strings(doc).contains(wanted);
    }
}
