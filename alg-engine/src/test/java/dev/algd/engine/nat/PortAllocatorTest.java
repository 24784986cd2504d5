package dev.algd.engine.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.session.SessionTable;
import dev.algd.engine.session.Timeouts;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {
    private static final int UDP = 17;
    private static final int NAT = 0xcb007101;
    private static final int REMOTE = 0xc6336407;

    private final SessionTable sessions = new SessionTable(2048, Timeouts.defaults(), 3);
    private final PortAllocator allocator = new PortAllocator(sessions);

    private int allocateAndTake(int inside, int port, int first, int last, boolean keepsAny) {
        int picked = allocator.allocate(UDP, inside, port, NAT, REMOTE, 53, first, last, keepsAny, 0);
        if (picked != PortAllocator.NO_FREE_PORT) {
            assertTrue(sessions.create(UDP, inside, port, REMOTE, 53, REMOTE, 53, NAT, picked, 0, "in", 0, 0) >= 0);
        }
        return picked;
    }

    @Test
    void freeOriginalPortIsKept() {
        assertEquals(40000, allocateAndTake(1, 40000, 1024, 65535, true));
    }

    @Test
    void originalPortBelowTheDefaultRangeIsKeptWhenNoRangeIsConfigured() {
        assertEquals(514, allocateAndTake(1, 514, 1024, 65535, true));
    }

    @Test
    void takenOriginalPortGivesAnotherPortFromTheRange() {
        assertEquals(40000, allocateAndTake(1, 40000, 1024, 65535, true));
        int second = allocateAndTake(2, 40000, 1024, 65535, true);
        assertNotEquals(40000, second);
        assertTrue(second >= 1024 && second <= 65535);
    }

    @Test
    void sameOutsidePortIsFreeTowardsAnotherRemote() {
        assertEquals(40000, allocateAndTake(1, 40000, 1024, 65535, true));
        assertEquals(40000, allocator.allocate(UDP, 2, 40000, NAT, REMOTE + 1, 53, 1024, 65535, true, 0));
    }

    @Test
    void configuredRangeIsHonouredEvenWhenTheOriginalPortIsFree() {
        int picked = allocateAndTake(1, 40000, 513, 1023, false);
        assertTrue(picked >= 513 && picked <= 1023, "picked " + picked);
        assertEquals(600, allocateAndTake(2, 600, 513, 1023, false), "an original port inside the range is kept");
    }

    @Test
    void everyPortOfASmallRangeIsHandedOutOnceThenNoneIsFree() {
        Set<Integer> seen = new HashSet<>();
        for (int inside = 0; inside < 11; inside++) {
            int picked = allocateAndTake(inside, 7000, 513, 523, false);
            assertTrue(picked >= 513 && picked <= 523);
            assertTrue(seen.add(picked), "port " + picked + " handed out twice");
        }
        assertEquals(PortAllocator.NO_FREE_PORT, allocateAndTake(99, 7000, 513, 523, false));
    }
}
