package personae.local.statemachine;

/**
 * The runner's one way to wait (Wait states, Retry intervals): every wait is scaled by {@code waitScale} (0 means no
 * waiting) and cut at the execution's deadline, so a long wait cannot outlive TimeoutSeconds.
 */
record Sleeper(double waitScale) {

    void sleep(double seconds, long deadline) throws InterruptedException {
        long millis = (long) (seconds * 1000 * waitScale);
        long remaining = deadline - System.currentTimeMillis();
        if (millis > 0) {
            Thread.sleep(Math.max(0, Math.min(millis, remaining + 1)));
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }
}
