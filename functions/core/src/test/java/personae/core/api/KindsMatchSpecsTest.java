package personae.core.api;

import org.junit.jupiter.api.Test;
import personae.core.Kinds;
import personae.core.resource.Reference;
import personae.core.resource.ResourceType;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The references each kind declares are fields its API body accepts, so the graph reads what users can write. */
class KindsMatchSpecsTest {

    @Test
    void everyReferenceIsAFieldOfItsKindsBody() {
        for (ResourceType t : ResourceType.values()) {
            if (!t.isBuilt()) continue;
            for (Reference r : Kinds.of(t).references()) {
                String top = r.pointer().substring(1).split("/")[0];
                assertTrue(Specs.of(t).postFields().contains(top),
                        t.wire() + ": reference " + r.pointer() + " is a field a POST may carry");
            }
        }
    }
}
