package dev.algd.engine.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SessionTableTest {
    private static final int UDP = 17;
    private static final int TCP = 6;
    private static final long SECOND = 1_000_000_000L;
    private static final int INSIDE = 0xc0a8010a;
    private static final int REMOTE = 0xc6336407;
    private static final int NAT = 0xcb007101;

    private final SessionTable table = new SessionTable(8, Timeouts.defaults(), 42);

    private int createUdp(int insidePort, int natPort, long now) {
        return table.create(UDP, INSIDE, insidePort, REMOTE, 53, REMOTE, 53, NAT, natPort, 0, "inside", 0, now);
    }

    @Test
    void bothKeysOfASessionLeadToTheSameSlot() {
        int slot = createUdp(40000, 1024, 0);
        int original = table.find(UDP, INSIDE, 40000, REMOTE, 53, 1);
        int reply = table.find(UDP, REMOTE, 53, NAT, 1024, 1);
        assertEquals(slot, SessionTable.slotOf(original));
        assertEquals(Direction.ORIGINAL, SessionTable.directionOf(original));
        assertEquals(slot, SessionTable.slotOf(reply));
        assertEquals(Direction.REPLY, SessionTable.directionOf(reply));
        assertEquals(SessionTable.NOT_FOUND, table.find(UDP, NAT, 1024, REMOTE, 53, 1), "keys are directional");
        assertEquals(SessionTable.NOT_FOUND, table.find(TCP, INSIDE, 40000, REMOTE, 53, 1), "protocol is in the key");
    }

    @Test
    void replyKeyLearnsItsDestinationPortOnceAndOnlyWhenFree() {
        int gre = 47;
        int slot = table.create(gre, INSIDE, 0, REMOTE, 0x100, REMOTE, 0, NAT, 0, 0, "inside", 0, 0);
        int other = table.create(gre, INSIDE + 1, 0, REMOTE, 0x300, REMOTE, 0, NAT + 1, 0, 0, "inside", 0, 0);
        table.create(gre, INSIDE + 2, 0, REMOTE, 0x400, REMOTE, 0, NAT, 0xb, 0, "inside", 0, 0);

        assertFalse(table.learnReplyDestinationPort(other, 0, 1), "0 is no port");
        assertFalse(table.learnReplyDestinationPort(slot, 0xb, 1), "another session's reply key");
        assertTrue(table.learnReplyDestinationPort(slot, 0xa, 1));
        assertEquals(SessionTable.NOT_FOUND, table.find(gre, REMOTE, 0, NAT, 0, 1), "the old key is gone");
        assertEquals(slot << 1 | Direction.REPLY, table.find(gre, REMOTE, 0, NAT, 0xa, 1));
        assertEquals(slot << 1 | Direction.ORIGINAL, table.find(gre, INSIDE, 0, REMOTE, 0x100, 1));
        assertFalse(table.learnReplyDestinationPort(slot, 0xc, 1), "learnt once");
        table.remove(slot);
        assertEquals(SessionTable.NOT_FOUND, table.find(gre, REMOTE, 0, NAT, 0xa, 1), "removal frees the learnt key");
    }

    @Test
    void ipv6ReplyKeyLearnsItsDestinationPortOnceAndOnlyWhenFree() {
        SessionTable table6 = new SessionTable(8, Timeouts.defaults(), 7, true);
        long inside = 0x2001_0db8_0001_0000L;
        long remote = 0x2001_0db8_0003_0000L;
        long nat = 0x2001_0db8_0002_0000L;
        int gre = 47;
        int slot = table6.create6(gre, inside, 0x10, 0, remote, 7, 0x100, remote, 7, 0, nat, 1, 0, 0, "inside", 0, 0);
        table6.create6(gre, inside, 0x13, 0, remote, 7, 0x500, remote, 7, 0, nat, 1, 0xb, 0, "inside", 0, 0);

        assertFalse(table6.learnReplyDestinationPort(slot, 0xb, 1), "another session's reply key");
        assertTrue(table6.learnReplyDestinationPort(slot, 0xa, 1));
        assertEquals(SessionTable.NOT_FOUND, table6.find6(gre, remote, 7, 0, nat, 1, 0, 1), "the old key is gone");
        assertEquals(slot << 1 | Direction.REPLY, table6.find6(gre, remote, 7, 0, nat, 1, 0xa, 1));
        assertEquals(slot << 1 | Direction.ORIGINAL, table6.find6(gre, inside, 0x10, 0, remote, 7, 0x100, 1));
        assertFalse(table6.learnReplyDestinationPort(slot, 0xc, 1), "learnt once");
        table6.remove(slot);
        assertEquals(SessionTable.NOT_FOUND, table6.find6(gre, remote, 7, 0, nat, 1, 0xa, 1),
                "removal frees the learnt key");
    }

    @Test
    void sessionIdsCarryTheirSlotSoFindingByIdNeedsNoScan() {
        int first = createUdp(40000, 1024, 0);
        long firstId = table.id(first);
        int second = createUdp(40001, 1025, 0);
        assertTrue(table.id(second) > firstId, "ids grow in creation order");
        assertEquals(first, table.findById(firstId, 1));
        assertEquals(second, table.findById(table.id(second), 1));

        table.remove(first);
        int reused = createUdp(40002, 1026, 0);
        assertEquals(first, reused, "the freed slot is taken again");
        assertEquals(SessionTable.NOT_FOUND, table.findById(firstId, 1), "the old id names no session any more");
        assertEquals(reused, table.findById(table.id(reused), 1));
        assertEquals(SessionTable.NOT_FOUND, table.findById(0, 1));
        assertEquals(SessionTable.NOT_FOUND, table.findById(-5, 1));
        assertEquals(SessionTable.NOT_FOUND, table.findById(table.id(reused) + 1, 1), "an id of an empty slot");
        assertEquals(SessionTable.NOT_FOUND, table.findById(table.id(reused), 1_000 * SECOND), "expired");
    }

    @Test
    void keysAndFieldsReadBackAsCreated() {
        int slot = createUdp(40000, 1024, 0);
        assertEquals(1 << 3 | slot, table.id(slot), "the first id, with the slot in its low 3 bits (capacity 8)");
        assertEquals(UDP, table.protocol(slot));
        assertEquals(INSIDE, table.sourceAddress(slot, Direction.ORIGINAL));
        assertEquals(40000, table.sourcePort(slot, Direction.ORIGINAL));
        assertEquals(NAT, table.destinationAddress(slot, Direction.REPLY));
        assertEquals(1024, table.destinationPort(slot, Direction.REPLY));
        assertEquals("inside", table.interfaceName(slot));
        assertEquals(SessionState.NEW, table.state(slot));
        assertEquals(30 * SECOND, table.expiresAtNanos(slot));
    }

    @Test
    void fieldsPackedIntoOneRecordChangeOnlyWhenTheirOwnSettersRun() {
        // Addresses and ports with every high bit set: a sign-extension slip would spill into the neighbour half.
        int high = 0xF000_0001;
        int slot = table.create(TCP, high, 0xFFFF, REMOTE, 0x8001, REMOTE, 0x8001, high - 1, 0xFFFE,
                TcpStateMachine.SYN, "inside", -7, 0);
        int neighbour = createUdp(40000, 1024, 0);
        table.cacheRoute(slot, Direction.REPLY, 0x7FFF_FFFF, -2);
        table.cacheRoute(slot, Direction.ORIGINAL, 3, 0x1_0000_0002L);
        table.assignAlg(slot, 4, 1 << 26);
        table.addFlags(slot, 0x81);
        table.track(slot, Direction.ORIGINAL, TcpStateMachine.SYN, 60, 0);
        table.track(slot, Direction.REPLY, TcpStateMachine.SYN | TcpStateMachine.ACK, 1500, 0);

        assertEquals(high, table.sourceAddress(slot, Direction.ORIGINAL));
        assertEquals(0xFFFF, table.sourcePort(slot, Direction.ORIGINAL));
        assertEquals(REMOTE, table.destinationAddress(slot, Direction.ORIGINAL));
        assertEquals(0x8001, table.destinationPort(slot, Direction.ORIGINAL));
        assertEquals(high - 1, table.destinationAddress(slot, Direction.REPLY));
        assertEquals(0xFFFE, table.destinationPort(slot, Direction.REPLY));
        assertEquals(0x1_0000_0002L, table.cachedRoute(slot, Direction.ORIGINAL));
        assertEquals(3, table.routeGeneration(slot, Direction.ORIGINAL));
        assertEquals(-2, table.cachedRoute(slot, Direction.REPLY));
        assertEquals(0x7FFF_FFFF, table.routeGeneration(slot, Direction.REPLY));
        assertEquals(4, table.algId(slot));
        assertEquals(1 << 26, table.algSlot(slot));
        assertEquals(0x81, table.flags(slot));
        assertEquals(SessionState.SR, table.state(slot));
        assertEquals(TCP, table.protocol(slot));
        assertEquals(-7, table.parentId(slot));
        assertEquals(1, table.packets(slot, Direction.ORIGINAL));
        assertEquals(60, table.bytes(slot, Direction.ORIGINAL));
        assertEquals(1500, table.bytes(slot, Direction.REPLY));
        assertEquals(slot << 1 | Direction.REPLY, table.find(TCP, REMOTE, 0x8001, high - 1, 0xFFFE, 1));

        assertEquals(UDP, table.protocol(neighbour));
        assertEquals(0, table.flags(neighbour));
        assertEquals(SessionTable.NO_ALG_SLOT, table.algSlot(neighbour));
        assertEquals(-1, table.algId(neighbour));
        assertEquals(0, table.routeGeneration(neighbour, Direction.ORIGINAL));
        assertEquals(0, table.packets(neighbour, Direction.REPLY));
        assertEquals(SessionState.NEW, table.state(neighbour));
    }

    @Test
    void anAlgIdOrAlgSlotBeyondTheBitsTheRecordHasForItIsRefused() {
        int slot = createUdp(40000, 1024, 0);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> table.assignAlg(slot, 15, 0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> table.assignAlg(slot, 0, (1 << 28) - 1));
        table.assignAlg(slot, 14, (1 << 28) - 2);
        assertEquals(14, table.algId(slot));
        assertEquals((1 << 28) - 2, table.algSlot(slot));
        assertEquals(UDP, table.protocol(slot));
    }

    @Test
    void aCapacityWhoseRecordsWouldNotFitOneArrayIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SessionTable(SessionTable.MAX_CAPACITY + 1, Timeouts.defaults(), 1));
    }

    @Test
    void aKeyCannotBelongToTwoSessions() {
        createUdp(40000, 1024, 0);
        assertEquals(SessionTable.KEY_IN_USE, createUdp(40000, 2000, 0), "same original key");
        assertEquals(SessionTable.KEY_IN_USE,
                table.create(UDP, 0x0a000001, 40000, REMOTE, 53, REMOTE, 53, NAT, 1024, 0, "inside", 0, 0),
                "same reply key");
        assertEquals(1, table.size());
    }

    @Test
    void firstReplyMakesAUdpSessionEstablishedWithTheLongerTimeout() {
        int slot = createUdp(40000, 40000, 0);
        table.track(slot, Direction.ORIGINAL, 0, 60, 0);
        assertEquals(SessionState.NEW, table.state(slot));
        table.track(slot, Direction.REPLY, 0, 100, 5 * SECOND);
        assertEquals(SessionState.ES, table.state(slot));
        assertEquals(65 * SECOND, table.expiresAtNanos(slot));
        assertEquals(1, table.packets(slot, Direction.ORIGINAL));
        assertEquals(60, table.bytes(slot, Direction.ORIGINAL));
        assertEquals(1, table.packets(slot, Direction.REPLY));
        assertEquals(100, table.bytes(slot, Direction.REPLY));
    }

    @Test
    void expiredSessionIsNotFoundAndFreesItsSlot() {
        createUdp(40000, 40000, 0);
        assertTrue(table.find(UDP, INSIDE, 40000, REMOTE, 53, 30 * SECOND - 1) >= 0);
        assertEquals(SessionTable.NOT_FOUND, table.find(UDP, INSIDE, 40000, REMOTE, 53, 30 * SECOND));
        assertEquals(0, table.size());
        assertEquals(1, table.expiredCount());
    }

    @Test
    void expireSweepsOnlyTheSliceItIsGivenPerCall() {
        for (int i = 0; i < 8; i++) {
            createUdp(1000 + i, 1000 + i, 0);
        }
        long later = 31 * SECOND;
        assertEquals(3, table.expire(later, 3, 3));
        assertEquals(5, table.size());
        assertEquals(3, table.expire(later, 3, 3));
        assertEquals(2, table.expire(later, 3, 3));
        assertEquals(0, table.size());
    }

    @Test
    void expireStopsAtItsRemovalBoundAndTheNextCallGoesOn() {
        for (int i = 0; i < 8; i++) {
            createUdp(1000 + i, 1000 + i, 0);
        }
        long later = 31 * SECOND;
        assertEquals(2, table.expire(later, 8, 2));
        assertEquals(6, table.size());
        assertEquals(2, table.expire(later, 8, 2));
        assertEquals(4, table.expire(later, 8, 8));
        assertEquals(0, table.size());
    }

    @Test
    void fullTableOfAnsweredSessionsRefusesNewSessionsUntilOneExpires() {
        for (int i = 0; i < 8; i++) {
            int slot = createUdp(1000 + i, 1000 + i, i * SECOND);
            assertTrue(slot >= 0);
            table.track(slot, Direction.REPLY, 0, 100, i * SECOND);
        }
        assertEquals(SessionTable.TABLE_FULL, createUdp(2000, 2000, 10 * SECOND));
        assertEquals(0, table.evictedCount(), "answered sessions are never given up");
        // Long after, the sessions have expired: creation reclaims a slot without a sweep call.
        assertTrue(createUdp(2000, 2000, 3600 * SECOND) >= 0);
        assertEquals(1, table.size(), "the reclaim slice removed every expired session it met");
    }

    @Test
    void timeoutsFollowTheTcpState() {
        SessionTable tcp = new SessionTable(4, Timeouts.defaults(), 1);
        int slot = tcp.create(TCP, INSIDE, 40000, REMOTE, 80, REMOTE, 80, NAT, 40000, TcpStateMachine.SYN, "in", 0, 0);
        assertEquals(SessionState.SS, tcp.state(slot));
        assertEquals(30 * SECOND, tcp.expiresAtNanos(slot));
        tcp.track(slot, Direction.REPLY, TcpStateMachine.SYN | TcpStateMachine.ACK, 60, 0);
        assertEquals(60 * SECOND, tcp.expiresAtNanos(slot));
        tcp.track(slot, Direction.ORIGINAL, TcpStateMachine.ACK, 52, 0);
        assertEquals(7440 * SECOND, tcp.expiresAtNanos(slot));
        tcp.track(slot, Direction.ORIGINAL, TcpStateMachine.RST, 40, 0);
        assertEquals(10 * SECOND, tcp.expiresAtNanos(slot));
    }

    @Test
    void timesThatWrapAroundStillCompareCorrectly() {
        long nearWrap = Long.MAX_VALUE - 10 * SECOND;
        int slot = createUdp(40000, 40000, nearWrap);
        assertTrue(table.isLive(slot, nearWrap + 29 * SECOND));
        assertFalse(table.isLive(slot, nearWrap + 30 * SECOND));
    }

    @Test
    void randomCreatesAndRemovesAgreeWithAHashMap() {
        // Exercises backward-shift deletion in a crowded index: every key ever removed must vanish, every key
        // still present must be found, through thousands of collisions and wrap-arounds.
        int capacity = 512;
        SessionTable crowded = new SessionTable(capacity, Timeouts.defaults(), 99);
        SplittableRandom random = new SplittableRandom(5);
        Map<Long, Integer> model = new HashMap<>();
        List<Long> keys = new ArrayList<>();
        for (int step = 0; step < 40_000; step++) {
            if (!keys.isEmpty() && (keys.size() == capacity || random.nextInt(3) == 0)) {
                long key = keys.remove(random.nextInt(keys.size()));
                int slot = model.remove(key);
                crowded.remove(slot);
            } else {
                int port = random.nextInt(1, 65536);
                int address = random.nextInt(16);
                long key = (long) address << 16 | port;
                if (model.containsKey(key)) {
                    continue;
                }
                int slot = crowded.create(UDP, address, port, REMOTE, 53, REMOTE, 53, NAT + address, port, 0, "in", 0, 0);
                assertTrue(slot >= 0);
                model.put(key, slot);
                keys.add(key);
            }
            if (step % 1000 == 0) {
                for (int address = 0; address < 16; address++) {
                    for (int port = 1; port < 65536; port += 97) {
                        long key = (long) address << 16 | port;
                        int found = crowded.find(UDP, address, port, REMOTE, 53, 0);
                        int reply = crowded.find(UDP, REMOTE, 53, NAT + address, port, 0);
                        if (model.containsKey(key)) {
                            assertEquals((int) model.get(key), SessionTable.slotOf(found));
                            assertEquals((int) model.get(key), SessionTable.slotOf(reply));
                        } else {
                            assertEquals(SessionTable.NOT_FOUND, found);
                            assertEquals(SessionTable.NOT_FOUND, reply);
                        }
                    }
                }
                for (Map.Entry<Long, Integer> entry : model.entrySet()) {
                    int address = (int) (entry.getKey() >>> 16);
                    int port = (int) (entry.getKey() & 0xffff);
                    assertEquals((int) entry.getValue(),
                            SessionTable.slotOf(crowded.find(UDP, address, port, REMOTE, 53, 0)));
                }
            }
        }
        assertEquals(model.size(), crowded.size());
    }

    @Test
    void fullTableGivesUpASessionThatNeverSawAReplyForANewFlow() {
        int unanswered = -1;
        for (int i = 0; i < 8; i++) {
            int slot = createUdp(1000 + i, 1000 + i, 0);
            if (i == 5) {
                unanswered = slot;
            } else {
                table.track(slot, Direction.REPLY, 0, 100, 0);
            }
        }
        int created = createUdp(2000, 2000, SECOND);
        assertEquals(unanswered, created, "the new flow takes the unanswered session's slot");
        assertEquals(1, table.evictedCount());
        assertEquals(SessionTable.NOT_FOUND, table.find(UDP, INSIDE, 1005, REMOTE, 53, SECOND));
        assertTrue(createUdp(2001, 2001, SECOND) >= 0, "a flood of unanswered flows only evicts its own kind");
        assertEquals(2, table.evictedCount());
        assertTrue(table.find(UDP, INSIDE, 1004, REMOTE, 53, SECOND) >= 0, "answered sessions stay");
    }

    @Test
    void sourceBeyondItsLimitIsRefusedUntilOneOfItsSessionsEnds() {
        SessionTable limited = new SessionTable(16, Timeouts.defaults(), 3);
        limited.limitSessionsPerSource(2);
        int first = limited.create(UDP, INSIDE, 1, REMOTE, 53, REMOTE, 53, NAT, 1, 0, "inside", 0, 0);
        limited.create(UDP, INSIDE, 2, REMOTE, 53, REMOTE, 53, NAT, 2, 0, "inside", 0, 0);
        assertEquals(SessionTable.SOURCE_LIMIT,
                limited.create(UDP, INSIDE, 3, REMOTE, 53, REMOTE, 53, NAT, 3, 0, "inside", 0, 0));
        assertTrue(limited.create(UDP, INSIDE + 1, 3, REMOTE, 53, REMOTE, 53, NAT, 3, 0, "inside", 0, 0) >= 0,
                "another source has its own count");
        limited.remove(first);
        assertTrue(limited.create(UDP, INSIDE, 3, REMOTE, 53, REMOTE, 53, NAT, 4, 0, "inside", 0, 0) >= 0);
    }

    @Test
    void ipv6SourcesAreLimitedPerSlash64() {
        SessionTable limited = new SessionTable(16, Timeouts.defaults(), 3, true);
        limited.limitSessionsPerSource(1);
        long prefix = 0x2001_0db8_0001_0000L;
        long remote = 0x2001_0db8_00ff_0000L;
        assertTrue(limited.create6(UDP, prefix, 1, 1000, remote, 1, 53, remote, 1, 53, prefix, 1, 1000, 0, "in", 0,
                0) >= 0);
        assertEquals(SessionTable.SOURCE_LIMIT, limited.create6(UDP, prefix, 2, 1000, remote, 1, 53, remote, 1, 53,
                prefix, 2, 1000, 0, "in", 0, 0), "another address of the same /64");
        assertTrue(limited.create6(UDP, prefix + 1, 1, 1000, remote, 1, 53, remote, 1, 53, prefix + 1, 1, 1000, 0,
                "in", 0, 0) >= 0, "another /64");
    }
}
