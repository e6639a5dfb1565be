package personae.core.resource;

/** ResourceStatus: the lifecycle of a built resource, spelled as the v1 API spells it. */
public enum Status {
    NEW("new"), STARTING("starting"), RUNNING("running"), READY("ready"), ERROR("error");

    private final String wire;

    Status(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Status fromWire(String s) {
        for (Status v : values()) if (v.wire.equals(s)) return v;
        throw new IllegalArgumentException("unknown status " + s);
    }
}
