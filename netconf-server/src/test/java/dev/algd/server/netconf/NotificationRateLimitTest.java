package dev.algd.server.netconf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NotificationRateLimitTest {
    private static final long SECOND = 1_000_000_000L;

    private static int taken(NotificationRateLimit limit, int attempts, long nowNanos) {
        int taken = 0;
        for (int i = 0; i < attempts; i++) {
            if (limit.tryTake(nowNanos)) {
                taken++;
            }
        }
        return taken;
    }

    @Test
    void aBurstPassesUpToItsSizeThenNothingUntilTimePasses() {
        long start = 77 * SECOND;
        NotificationRateLimit limit = new NotificationRateLimit(100, 200, start);
        assertEquals(200, taken(limit, 1000, start));
        assertFalse(limit.tryTake(start));
    }

    @Test
    void tokensComeBackAtTheRateAndNeverBeyondTheBurst() {
        long start = -5 * SECOND; // nanoTime may be negative
        NotificationRateLimit limit = new NotificationRateLimit(100, 200, start);
        taken(limit, 200, start);
        assertEquals(50, taken(limit, 1000, start + SECOND / 2), "half a second: 50 at 100 per second");
        assertEquals(200, taken(limit, 1000, start + 60 * SECOND), "a long pause refills only the burst");
    }

    @Test
    void aClockGoingBackwardsAddsNoTokens() {
        long start = 10 * SECOND;
        NotificationRateLimit limit = new NotificationRateLimit(1, 1, start);
        assertTrue(limit.tryTake(start));
        assertFalse(limit.tryTake(start - SECOND));
    }
}
