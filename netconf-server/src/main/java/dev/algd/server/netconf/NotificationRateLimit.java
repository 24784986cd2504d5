package dev.algd.server.netconf;

/**
 * A token bucket: at most {@code perSecond} notifications a second on average, {@code burst} at once. Times are
 * {@link System#nanoTime()} values, passed in so that tests can drive the clock.
 */
final class NotificationRateLimit {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int perSecond;
    private final int burst;
    private double tokens;
    private long refilledAtNanos;

    NotificationRateLimit(int perSecond, int burst, long nowNanos) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAtNanos = nowNanos;
    }

    /** Takes one token if there is one. */
    boolean tryTake(long nowNanos) {
        long elapsed = nowNanos - refilledAtNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * (double) perSecond / NANOS_PER_SECOND);
            refilledAtNanos = nowNanos;
        }
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}
