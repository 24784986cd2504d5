package dev.algd.io;

import static dev.algd.io.TestFrames.ip;
import static dev.algd.io.TestFrames.mac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NeighbourTableTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int GATEWAY = ip("198.51.100.2");
    private static final long GATEWAY_MAC = mac("02:00:00:00:00:02");

    /** What the table asked for, in order. */
    private final List<String> requests = new ArrayList<>();
    private final List<String> transmitted = new ArrayList<>();
    private final long[] drops = new long[FrameDropReason.values().length];
    private final NeighbourTable.Output output = new NeighbourTable.Output() {
        @Override
        public void sendArpRequest(int address, long destinationMac) {
            requests.add(dev.algd.engine.config.Ipv4Addresses.format(address) + " to "
                    + (destinationMac == Ethernet.BROADCAST ? "broadcast" : Long.toHexString(destinationMac)));
        }

        @Override
        public void sendNeighbourSolicitation(long high, long low, long destinationMac) {
            requests.add("ns " + new dev.algd.engine.config.Ipv6Address(high, low) + " to "
                    + (destinationMac == Ethernet.BROADCAST ? "solicited-node" : Long.toHexString(destinationMac)));
        }

        @Override
        public void transmitHeld(long mac, MemorySegment segment, long offset, int length) {
            transmitted.add(Long.toHexString(mac) + ":" + new String(
                    segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), java.nio.charset.StandardCharsets.US_ASCII));
        }
    };
    private final NeighbourTable table = new NeighbourTable(output, drops);

    private static MemorySegment packet(String text) {
        return MemorySegment.ofArray(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private long resolve(int address, String packet, long now) {
        MemorySegment p = packet(packet);
        return table.resolve(address, p, 0, (int) p.byteSize(), now);
    }

    private long dropped(FrameDropReason reason) {
        return drops[reason.ordinal()];
    }

    @Test
    void unknownNextHopHoldsThePacketAndSendsOneBroadcastRequest() {
        assertEquals(NeighbourTable.NO_MAC, resolve(GATEWAY, "p1", 0));
        assertEquals(NeighbourTable.NO_MAC, resolve(GATEWAY, "p2", 1000));
        assertEquals(List.of("198.51.100.2 to broadcast"), requests);
        assertEquals(2, table.heldPackets());
        assertEquals(1, table.size());
    }

    @Test
    void replyReleasesHeldPacketsInOrder() {
        resolve(GATEWAY, "p1", 0);
        resolve(GATEWAY, "p2", 0);
        resolve(GATEWAY, "p3", 0);
        table.learn(GATEWAY, GATEWAY_MAC, false, SECOND / 2);
        assertEquals(List.of("20000000002:p1", "20000000002:p2", "20000000002:p3"), transmitted);
        assertEquals(0, table.heldPackets());
        assertEquals(GATEWAY_MAC, resolve(GATEWAY, "p4", SECOND));
        assertEquals(3, transmitted.size(), "a resolved neighbour's packets are not held");
    }

    @Test
    void fifthPacketForAnUnresolvedNeighbourIsDroppedAndCounted() {
        for (int i = 1; i <= 5; i++) {
            resolve(GATEWAY, "p" + i, 0);
        }
        assertEquals(NeighbourTable.MAX_HELD_PER_NEIGHBOUR, table.heldPackets());
        assertEquals(1, dropped(FrameDropReason.NEIGHBOUR_QUEUE_FULL));
        table.learn(GATEWAY, GATEWAY_MAC, false, 1);
        assertEquals(List.of("20000000002:p1", "20000000002:p2", "20000000002:p3", "20000000002:p4"), transmitted);
    }

    @Test
    void unansweredRequestsAreRetriedEverySecondThenTheHeldPacketsAreDropped() {
        resolve(GATEWAY, "p1", 0);
        resolve(GATEWAY, "p2", 0);
        table.age(SECOND / 2);
        assertEquals(1, requests.size(), "no retry before a second has passed");
        table.age(SECOND);
        table.age(2 * SECOND);
        assertEquals(3, requests.size());
        table.age(3 * SECOND - 1);
        assertEquals(1, table.size());
        table.age(3 * SECOND);
        assertEquals(3, requests.size(), "three requests at most (mcast_solicit)");
        assertEquals(0, table.size());
        assertEquals(0, table.heldPackets());
        assertEquals(2, dropped(FrameDropReason.NEIGHBOUR_UNREACHABLE));
        assertEquals(NeighbourTable.NO_MAC, resolve(GATEWAY, "p3", 4 * SECOND));
        assertEquals(4, requests.size(), "a later packet starts over");
    }

    @Test
    void arpFromAnUnknownHostIsLearnedOnlyWhenAlgdIsTheTarget() {
        table.learn(GATEWAY, GATEWAY_MAC, false, 0);
        assertEquals(NeighbourTable.NO_MAC, table.lookup(GATEWAY), "RFC 826: not the target, not in the table");
        table.learn(GATEWAY, GATEWAY_MAC, true, 0);
        assertEquals(GATEWAY_MAC, table.lookup(GATEWAY));
    }

    @Test
    void aKnownNeighbourIsUpdatedByAnyArpFromIt() {
        table.learn(GATEWAY, GATEWAY_MAC, true, 0);
        long moved = mac("02:00:00:00:00:99");
        table.learn(GATEWAY, moved, false, SECOND);
        assertEquals(moved, table.lookup(GATEWAY));
    }

    @Test
    void staleNeighbourIsStillUsedAndRefreshedByUnicastAtMostOncePerSecond() {
        table.learn(GATEWAY, GATEWAY_MAC, true, 0);
        long stale = NeighbourTable.REACHABLE_NANOS;
        assertEquals(GATEWAY_MAC, resolve(GATEWAY, "p", stale - 1));
        assertTrue(requests.isEmpty(), "reachable: no refresh");
        assertEquals(GATEWAY_MAC, resolve(GATEWAY, "p", stale));
        assertEquals(GATEWAY_MAC, resolve(GATEWAY, "p", stale + SECOND / 2));
        assertEquals(List.of("198.51.100.2 to 20000000002"), requests);
        resolve(GATEWAY, "p", stale + SECOND);
        assertEquals(2, requests.size());
        table.learn(GATEWAY, GATEWAY_MAC, false, stale + SECOND + 5);
        resolve(GATEWAY, "p", stale + 2 * SECOND);
        assertEquals(2, requests.size(), "a reply makes it reachable again");
    }

    @Test
    void threeUnansweredRefreshesForgetTheNeighbour() {
        table.learn(GATEWAY, GATEWAY_MAC, true, 0);
        long t = NeighbourTable.REACHABLE_NANOS;
        for (int i = 0; i < 3; i++) {
            resolve(GATEWAY, "p", t + i * SECOND);
        }
        assertEquals(3, requests.size());
        table.age(t + 2 * SECOND + SECOND / 2);
        assertEquals(1, table.size());
        table.age(t + 3 * SECOND);
        assertEquals(0, table.size());
    }

    @Test
    void neighbourUnconfirmedForNinetySecondsIsForgotten() {
        table.learn(GATEWAY, GATEWAY_MAC, true, 0);
        table.age(89 * SECOND);
        assertEquals(GATEWAY_MAC, table.lookup(GATEWAY));
        table.age(90 * SECOND);
        assertEquals(NeighbourTable.NO_MAC, table.lookup(GATEWAY));
    }

    @Test
    void fullTableDropsPacketsForNewNeighbours() {
        NeighbourTable small = new NeighbourTable(output, drops, 2, 8, 64);
        MemorySegment p = packet("p");
        small.resolve(ip("192.0.2.10"), p, 0, 1, 0);
        small.resolve(ip("192.0.2.11"), p, 0, 1, 0);
        assertEquals(NeighbourTable.NO_MAC, small.resolve(ip("192.0.2.12"), p, 0, 1, 0));
        assertEquals(1, dropped(FrameDropReason.NEIGHBOUR_TABLE_FULL));
        assertEquals(2, small.heldPackets());
    }

    @Test
    void packetsBeyondTheSharedHoldBuffersAreDropped() {
        NeighbourTable small = new NeighbourTable(output, drops, 16, 3, 64);
        MemorySegment p = packet("p");
        for (int i = 0; i < 4; i++) {
            small.resolve(ip("192.0.2.10") + i, p, 0, 1, 0);
        }
        assertEquals(3, small.heldPackets());
        assertEquals(1, dropped(FrameDropReason.HOLD_BUFFERS_EXHAUSTED));
        small.learn(ip("192.0.2.10"), GATEWAY_MAC, false, 1);
        small.resolve(ip("192.0.2.20"), p, 0, 1, 1);
        assertEquals(3, small.heldPackets(), "released buffers are reused");
    }

    @Test
    void clearDropsEveryHeldPacket() {
        resolve(GATEWAY, "p1", 0);
        resolve(ip("198.51.100.3"), "p2", 0);
        table.clear(FrameDropReason.INTERFACE_REMOVED);
        assertEquals(2, dropped(FrameDropReason.INTERFACE_REMOVED));
        assertEquals(0, table.size());
        assertEquals(0, table.heldPackets());
        assertEquals(NeighbourTable.NO_MAC, resolve(GATEWAY, "p3", 1), "usable again after clear");
    }

    @Test
    void forgettingEntriesKeepsEveryOtherEntryFindable() {
        // Random inserts and expiries against a HashMap model: backward-shift deletion must not lose entries
        // whose probe runs crossed the deleted slot.
        NeighbourTable small = new NeighbourTable(output, drops, 64, 0, 64);
        Map<Integer, Long> model = new HashMap<>();
        Map<Integer, Long> learnedAt = new HashMap<>();
        Random random = new Random(826);
        long now = 0;
        for (int round = 0; round < 2000; round++) {
            now += SECOND;
            int address = ip("10.0.0.0") + random.nextInt(200);
            if (model.containsKey(address) || model.size() < 64) {
                long mac = random.nextLong() & 0xffff_ffff_ffffL & ~0x0100_0000_0000L;
                small.learn(address, mac, true, now);
                model.put(address, mac);
                learnedAt.put(address, now);
            }
            if (round % 7 == 0) {
                small.age(now);
                long cutoff = now - NeighbourTable.REACHABLE_NANOS - NeighbourTable.STALE_NANOS;
                learnedAt.entrySet().removeIf(e -> {
                    boolean expired = e.getValue() <= cutoff;
                    if (expired) {
                        model.remove(e.getKey());
                    }
                    return expired;
                });
            }
            for (int probe = 0; probe < 200; probe++) {
                int a = ip("10.0.0.0") + probe;
                assertEquals(model.getOrDefault(a, NeighbourTable.NO_MAC), small.lookup(a), "round " + round);
            }
            assertEquals(model.size(), small.size());
        }
    }

    @Test
    void ipv6NeighbourIsSolicitedAndItsAdvertisementReleasesTheHeldPackets() {
        NeighbourTable table6 = NeighbourTable.forIpv6(output, drops);
        var gateway = dev.algd.engine.config.Ipv6Address.parse("2001:db8:2::fe");
        long now = 1_000_000_000L;

        assertEquals(NeighbourTable.NO_MAC, table6.resolve6(gateway.high(), gateway.low(), packet("one"), 0, 3, now));
        assertEquals(NeighbourTable.NO_MAC, table6.resolve6(gateway.high(), gateway.low(), packet("two"), 0, 3, now));
        assertEquals(List.of("ns 2001:db8:2::fe to solicited-node"), requests);

        table6.learn6(gateway.high(), gateway.low(), GATEWAY_MAC, false, now + 1000);

        assertEquals(List.of(Long.toHexString(GATEWAY_MAC) + ":one", Long.toHexString(GATEWAY_MAC) + ":two"),
                transmitted);
        assertEquals(GATEWAY_MAC, table6.lookup6(gateway.high(), gateway.low()));
        assertEquals(NeighbourTable.NO_MAC, table6.lookup6(0, gateway.low()), "all 128 bits are the key");
        table6.age(now + NeighbourTable.REACHABLE_NANOS + NeighbourTable.STALE_NANOS + 1000);
        assertEquals(0, table6.size(), "an unconfirmed IPv6 neighbour ages out too");
    }
}
