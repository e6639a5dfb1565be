package personae.local.statemachine;

/** A state machine definition the local runner cannot run faithfully: raised at construction, never mid-run. */
public final class DefinitionException extends IllegalArgumentException {
    public DefinitionException(String message) {
        super(message);
    }

    public DefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
