package personae.local.statemachine;

/** What running one state gives: go to another state, or end the execution. */
sealed interface Step {
    record Next(String state, Object output) implements Step { }

    record Succeed(Object output) implements Step { }

    record Fail(String error, String cause) implements Step { }
}
