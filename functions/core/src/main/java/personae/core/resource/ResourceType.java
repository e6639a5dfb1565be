package personae.core.resource;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of resource, spelled as the v1 API spells {@code resource_type} and as its paths name them. */
public enum ResourceType {
    ACCOUNTS("accounts"),
    UPLOADS("uploads"),
    DATASETS("datasets"),
    STREAMS("streams"),
    TRAITS("traits"),
    COHORTS("cohorts"),
    PERSONA_SETS("persona_sets"),
    SCOPES("scopes"),
    TARGETS("targets");

    private final String wire;

    ResourceType(String wire) {
        this.wire = wire;
    }

    /** The API spelling, e.g. {@code persona_sets}. */
    public String wire() {
        return wire;
    }

    /** The singular noun used in messages, e.g. "persona set". */
    public String noun() {
        String s = wire.replace('_', ' ');
        return s.endsWith("s") ? s.substring(0, s.length() - 1) : s;
    }

    public static Optional<ResourceType> fromWire(String wire) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(wire)).findFirst();
    }

    /** Built resources move through {@link Status}; uploads, traits and streams do not build. */
    public boolean isBuilt() {
        return this == DATASETS || this == COHORTS || this == PERSONA_SETS || this == SCOPES || this == TARGETS;
    }
}
