package dev.algd.engine;

import static dev.algd.engine.EngineHarness.INSIDE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.testing.Ipv6TestPackets;
import dev.algd.engine.testing.TestPackets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The paged walk over the session table that a {@code <get>} of the whole table streams from (issue 4). */
class EngineSessionPagesTest {
    private static final SourceNatRule MASQUERADE4 = new SourceNatRule(20, "nat44", false, "outside",
            SourceNatRule.ANY_PROTOCOL, AddressRange.parse("192.168.1.0/24"), null, null, null, false, null, null);

    private int nextPort = 1024;

    private static EngineHarness bothFamilies(int maxSessions) {
        return new EngineHarness(EngineIpv6Test.config(List.of(EngineIpv6Test.masquerade6(10), MASQUERADE4),
                Map.of(), List.of()), maxSessions);
    }

    /** A new UDP session, IPv4 or IPv6; its id. */
    private long newSession(EngineHarness h, boolean isIpv6) {
        int port = nextPort++;
        if (isIpv6) {
            h.send(Ipv6TestPackets.udp().from("2001:db8:1::10", port).to("2001:db8:3::7", 53).build(), INSIDE);
        } else {
            h.send(TestPackets.udp().from("192.168.1.10", port).to("198.51.100.7", 53).build(), INSIDE);
        }
        return h.engine.sessions(h.now).stream().filter(s -> s.sourcePort() == port).findFirst().orElseThrow()
                .id();
    }

    private static List<Long> ids(List<SessionView> sessions) {
        return sessions.stream().map(SessionView::id).toList();
    }

    @Test
    void pagesOfAQuietTableTogetherAreTheWholeTableInSlotOrder() {
        EngineHarness h = bothFamilies(1024);
        for (int i = 0; i < 300; i++) {
            newSession(h, i % 5 == 0);
        }
        List<SessionView> walked = new ArrayList<>();
        List<SessionView> page = new ArrayList<>();
        long cursor = 0;
        int pages = 0;
        do {
            page.clear();
            cursor = h.engine.sessions(cursor, 16, h.now, page);
            assertTrue(page.size() <= 16, "a page holds at most what was asked: " + page.size());
            walked.addAll(page);
            pages++;
        } while (cursor != Engine.END_OF_SESSIONS);
        assertEquals(ids(h.engine.sessions(h.now)), ids(walked));
        assertEquals(300, walked.size());
        assertTrue(pages >= 300 / 16, pages + " pages");
    }

    @Test
    void aWalkUnderChurnListsEachSessionAtMostOnceAndEverySessionThatLivedThroughoutExactlyOnce() {
        EngineHarness h = bothFamilies(1024);
        Random random = new Random(4);
        Set<Long> throughout = new HashSet<>();
        List<Long> coming = new ArrayList<>();
        Set<Long> everLive = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            long id = newSession(h, i % 4 == 0);
            everLive.add(id);
            if (i % 2 == 0) {
                throughout.add(id);
            } else {
                coming.add(id);
            }
        }
        Map<Long, Integer> seen = new HashMap<>();
        List<SessionView> page = new ArrayList<>();
        long cursor = 0;
        do {
            page.clear();
            cursor = h.engine.sessions(cursor, 10, h.now, page);
            page.forEach(s -> seen.merge(s.id(), 1, Integer::sum));
            // Between two pages the worker runs: sessions end (their slots go back to the free list) and new ones
            // take free slots, behind the cursor or ahead of it.
            for (int i = 0; i < 6 && !coming.isEmpty(); i++) {
                long gone = coming.remove(random.nextInt(coming.size()));
                assertEquals(1, h.engine.clearSessions(new SessionFilter(gone, null, null, null, null), h.now));
            }
            for (int i = 0; i < 6; i++) {
                long id = newSession(h, random.nextInt(4) == 0);
                everLive.add(id);
                coming.add(id);
            }
        } while (cursor != Engine.END_OF_SESSIONS);

        seen.forEach((id, times) -> assertEquals(1, times, "session " + id + " listed " + times + " times"));
        for (long id : throughout) {
            assertTrue(seen.containsKey(id), "session " + id + " lived throughout the walk but was not listed");
        }
        assertTrue(everLive.containsAll(seen.keySet()), "only sessions that lived are listed");
        assertTrue(seen.size() > throughout.size(), "some of the churning sessions were listed too: " + seen.size());
    }

    @Test
    void aPageOfASparseTableLooksAtABoundedSliceOfSlotsAndTheWalkStillEnds() {
        EngineHarness h = bothFamilies(300_000);
        long first = newSession(h, false);
        long ipv6 = newSession(h, true);
        List<SessionView> page = new ArrayList<>();
        List<Long> walked = new ArrayList<>();
        long cursor = 0;
        int pages = 0;
        do {
            page.clear();
            long next = h.engine.sessions(cursor, 1000, h.now, page);
            assertTrue(next == Engine.END_OF_SESSIONS || next - cursor <= Engine.PAGE_SLOTS,
                    "one page looked at " + (next - cursor) + " slots");
            walked.addAll(ids(page));
            cursor = next;
            pages++;
        } while (cursor != Engine.END_OF_SESSIONS);
        // 300 000 IPv4 slots and 75 000 IPv6 ones: the second page looks at the IPv4 table's end and the IPv6 one.
        assertEquals((300_000 + 75_000 + Engine.PAGE_SLOTS - 1) / Engine.PAGE_SLOTS, pages);
        assertEquals(2, pages);
        assertEquals(List.of(first, ipv6), walked);
    }

    @Test
    void aCursorOutsideTheTablesIsRefused() {
        EngineHarness h = bothFamilies(1024);
        assertThrows(IllegalArgumentException.class, () -> h.engine.sessions(-5, 10, h.now, new ArrayList<>()));
        assertThrows(IllegalArgumentException.class,
                () -> h.engine.sessions(1024 + 256 + 1, 10, h.now, new ArrayList<>()));
    }
}
