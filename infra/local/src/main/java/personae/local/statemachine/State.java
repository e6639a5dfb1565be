package personae.local.statemachine;

import java.util.List;

/** A compiled state: its name, the states it can go to (checked at load), and what it does. */
record State(String name, List<String> targets, Body body) {

    Step run(Object input, long deadline) throws InterruptedException {
        return body.run(input, deadline);
    }

    /** The state's behaviour; {@code deadline} is the execution's (epoch millis), which waits never pass. */
    @FunctionalInterface
    interface Body {
        Step run(Object input, long deadline) throws InterruptedException;
    }
}
