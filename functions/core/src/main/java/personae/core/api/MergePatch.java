package personae.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** RFC 7396 JSON merge patch: objects merge, {@code null} removes, anything else replaces. */
final class MergePatch {

    private MergePatch() {}

    static void apply(ObjectNode target, JsonNode patch) {
        patch.properties().forEach(e -> {
            JsonNode value = e.getValue();
            if (value.isNull()) {
                target.remove(e.getKey());
            } else if (value.isObject() && target.get(e.getKey()) instanceof ObjectNode existing) {
                apply(existing, value);
            } else {
                target.set(e.getKey(), value.deepCopy());
            }
        });
    }
}
