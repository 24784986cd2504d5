package dev.algd.engine.alg;

import static dev.algd.engine.config.Ipv4Addresses.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.AlgId;
import org.junit.jupiter.api.Test;

class ExpectationTableTest {
    private static final int TCP = 6;
    private static final long SECOND = 1_000_000_000L;
    private static final int SERVER = parse("198.51.100.7");
    private static final int OUTSIDE = parse("203.0.113.1");
    private static final int CLIENT = parse("192.168.1.10");

    private final long[] counters = new long[AlgEvent.values().length];
    private final AlgStatistics statistics = new AlgStatistics();
    private final Expectation request = new Expectation();

    private ExpectationTable table(int capacity) {
        return new ExpectationTable(capacity, 8, counters, statistics, 42);
    }

    private ExpectationReason add(ExpectationTable table, Expectation e, int parent) {
        return table.add(e, parent, 100 + parent, 0, 4, 10 * SECOND, 0);
    }

    @Test
    void mostSpecificExpectationIsMatchedFirst() {
        ExpectationTable table = table(16);
        add(table, request.clear().protocol(TCP).fromAnywhere().to(OUTSIDE, 5000)
                .translateDestinationTo(parse("192.168.1.1"), 5000), 0);
        add(table, request.clear().protocol(TCP).fromAnyPort(SERVER).to(OUTSIDE, 5000)
                .translateDestinationTo(parse("192.168.1.2"), 5000), 1);
        add(table, request.clear().protocol(TCP).from(SERVER, 20).to(OUTSIDE, 5000)
                .translateDestinationTo(parse("192.168.1.3"), 5000), 2);

        assertEquals(parse("192.168.1.3"), newDestination(table, table.find(TCP, SERVER, 20, OUTSIDE, 5000, 0)));
        assertEquals(parse("192.168.1.2"), newDestination(table, table.find(TCP, SERVER, 21, OUTSIDE, 5000, 0)));
        assertEquals(parse("192.168.1.1"),
                newDestination(table, table.find(TCP, parse("198.51.100.8"), 20, OUTSIDE, 5000, 0)));
        assertEquals(ExpectationTable.NONE, table.find(17, SERVER, 20, OUTSIDE, 5000, 0), "another protocol");
        assertEquals(ExpectationTable.NONE, table.find(TCP, SERVER, 20, OUTSIDE, 5001, 0), "another port");
    }

    private static int newDestination(ExpectationTable table, int entry) {
        assertTrue(AlgAddress.isIpv4(table.newDestinationHigh(entry), table.newDestinationLow(entry)));
        return AlgAddress.ipv4(table.newDestinationLow(entry));
    }

    private static final long V6_SERVER_HIGH = 0x2001_0db8_0002_0000L;
    private static final long V6_OUTSIDE_HIGH = 0x2001_0db8_0001_0000L;
    private static final long V6_INSIDE_HIGH = 0x2001_0db8_0000_0001L;

    @Test
    void ipv6ExpectationsMatchByAll128BitsMostSpecificFirst() {
        ExpectationTable table = table(16);
        add(table, request.clear().protocol(TCP).ipv6(true).fromAnyPort(V6_SERVER_HIGH, 7).to(V6_OUTSIDE_HIGH, 1, 5000)
                .translateDestinationTo(V6_INSIDE_HIGH, 10, 5000), 0);
        add(table, request.clear().protocol(TCP).ipv6(true).from(V6_SERVER_HIGH, 7, 20).to(V6_OUTSIDE_HIGH, 1, 5000)
                .translateDestinationTo(V6_INSIDE_HIGH, 11, 5000), 1);

        int exact = table.find(TCP, true, V6_SERVER_HIGH, 7, 20, V6_OUTSIDE_HIGH, 1, 5000, 0);
        assertEquals(V6_INSIDE_HIGH, table.newDestinationHigh(exact));
        assertEquals(11, table.newDestinationLow(exact));
        assertEquals(10, table.newDestinationLow(table.find(TCP, true, V6_SERVER_HIGH, 7, 21, V6_OUTSIDE_HIGH, 1,
                5000, 0)));
        assertEquals(ExpectationTable.NONE, table.find(TCP, true, V6_SERVER_HIGH + 1, 7, 21, V6_OUTSIDE_HIGH, 1, 5000,
                0), "another high half of the source");
        assertEquals(ExpectationTable.NONE, table.find(TCP, true, V6_SERVER_HIGH, 7, 21, V6_OUTSIDE_HIGH, 2, 5000, 0),
                "another low half of the destination");
    }

    @Test
    void anIpv4ExpectationNeverMatchesAnIpv6FlowWithTheMappedAddresses() {
        ExpectationTable table = table(16);
        add(table, request.clear().protocol(TCP).fromAnyPort(SERVER).to(OUTSIDE, 5000), 0);
        assertEquals(ExpectationTable.NONE, table.find(TCP, true, AlgAddress.IPV4_HIGH, AlgAddress.ipv4Low(SERVER),
                20, AlgAddress.IPV4_HIGH, AlgAddress.ipv4Low(OUTSIDE), 5000, 0), "::ffff:198.51.100.7 over IPv6");
        assertTrue(table.find(TCP, SERVER, 20, OUTSIDE, 5000, 0) != ExpectationTable.NONE);
    }

    @Test
    void repeatedExpectationRefreshesItsTimeout() {
        ExpectationTable table = table(16);
        request.clear().protocol(TCP).fromAnyPort(SERVER).to(OUTSIDE, 5000);
        assertEquals(ExpectationReason.CREATED, table.add(request, 0, 100, 0, 4, 10 * SECOND, 0));
        assertEquals(ExpectationReason.REFRESHED, table.add(request, 0, 100, 0, 4, 10 * SECOND, 8 * SECOND));
        assertEquals(1, table.size());
        assertTrue(table.find(TCP, SERVER, 1, OUTSIDE, 5000, 15 * SECOND) != ExpectationTable.NONE);
        assertEquals(ExpectationTable.NONE, table.find(TCP, SERVER, 1, OUTSIDE, 5000, 18 * SECOND));
        assertEquals(1, counters[AlgEvent.EXPECTATION_EXPIRED.ordinal()]);
    }

    @Test
    void sameTupleFromAnotherParentClashes() {
        ExpectationTable table = table(16);
        request.clear().protocol(TCP).fromAnyPort(SERVER).to(OUTSIDE, 5000);
        add(table, request, 0);
        assertEquals(ExpectationReason.CLASH, add(table, request, 1));
        assertEquals(1, counters[AlgEvent.EXPECTATION_CLASH.ordinal()]);
    }

    @Test
    void parentBeyondItsLimitLosesItsOldestExpectation() {
        ExpectationTable table = table(16);
        for (int port = 5000; port < 5005; port++) {
            assertEquals(ExpectationReason.CREATED, add(table, request.clear().protocol(TCP).to(OUTSIDE, port), 0));
        }
        assertEquals(4, table.countOf(0));
        assertEquals(ExpectationTable.NONE, table.find(TCP, SERVER, 1, OUTSIDE, 5000, 0), "5000 was the oldest");
        assertTrue(table.find(TCP, SERVER, 1, OUTSIDE, 5001, 0) != ExpectationTable.NONE);
        assertEquals(1, counters[AlgEvent.EXPECTATION_EVICTED.ordinal()]);
    }

    @Test
    void fullTableRefusesAndCountsIt() {
        ExpectationTable table = table(2);
        add(table, request.clear().protocol(TCP).to(OUTSIDE, 5000), 0);
        add(table, request.clear().protocol(TCP).to(OUTSIDE, 5001), 1);
        assertEquals(ExpectationReason.TABLE_FULL, add(table, request.clear().protocol(TCP).to(OUTSIDE, 5002), 2));
        assertEquals(1, counters[AlgEvent.EXPECTATION_TABLE_FULL.ordinal()]);
    }

    @Test
    void oneShotExpectationIsRemovedWhenMatchedAndMultiMatchStays() {
        ExpectationTable table = table(16);
        add(table, request.clear().protocol(TCP).to(OUTSIDE, 5000), 0);
        add(table, request.clear().protocol(TCP).to(OUTSIDE, 5001).multiMatch(), 0);
        table.matched(table.find(TCP, SERVER, 1, OUTSIDE, 5000, 0));
        table.matched(table.find(TCP, SERVER, 1, OUTSIDE, 5001, 0));
        assertEquals(ExpectationTable.NONE, table.find(TCP, SERVER, 2, OUTSIDE, 5000, 0));
        assertTrue(table.find(TCP, SERVER, 2, OUTSIDE, 5001, 0) != ExpectationTable.NONE);
    }

    @Test
    void removingAParentRemovesOnlyItsExpectations() {
        ExpectationTable table = table(64);
        for (int port = 5000; port < 5003; port++) {
            add(table, request.clear().protocol(TCP).to(OUTSIDE, port), 0);
            add(table, request.clear().protocol(TCP).to(OUTSIDE, port + 100), 1);
        }
        table.removeAllOf(0);
        assertEquals(3, table.size());
        assertEquals(0, table.countOf(0));
        assertTrue(table.find(TCP, SERVER, 1, OUTSIDE, 5101, 0) != ExpectationTable.NONE);
        assertEquals(3, counters[AlgEvent.EXPECTATION_REMOVED_WITH_PARENT.ordinal()]);
    }

    @Test
    void manyInsertionsAndRemovalsKeepTheIndexConsistent() {
        ExpectationTable table = table(256);
        java.util.Random random = new java.util.Random(7);
        java.util.Map<Integer, Integer> expected = new java.util.HashMap<>();
        for (int round = 0; round < 5_000; round++) {
            int port = random.nextInt(400);
            int parent = port % 8;
            if (random.nextBoolean()) {
                ExpectationReason r = table.add(request.clear().protocol(TCP).from(SERVER, 20).to(CLIENT, port),
                        parent, parent, 0, 255, 1000 * SECOND, 0);
                if (r == ExpectationReason.CREATED || r == ExpectationReason.REFRESHED) {
                    expected.put(port, parent);
                }
            } else {
                int found = table.find(TCP, SERVER, 20, CLIENT, port, 0);
                assertEquals(expected.containsKey(port), found != ExpectationTable.NONE, "port " + port);
                if (found != ExpectationTable.NONE) {
                    table.matched(found);
                    expected.remove(port);
                }
            }
        }
        assertEquals(expected.size(), table.size());
    }

    @Test
    void perAlgStatisticsCountEachOutcomeUnderTheEntrysAlg() {
        ExpectationTable table = new ExpectationTable(16, 8, counters, statistics, 42);
        int rsh = AlgId.RSH.ordinal();
        // Parent 0 (RSH, at most 1 pending): a second expectation evicts the first, a limit hit.
        table.add(request.clear().protocol(TCP).fromAnyPort(SERVER).to(OUTSIDE, 1000), 0, 100, rsh, 1, 10 * SECOND, 0);
        table.add(request.clear().protocol(TCP).fromAnyPort(SERVER).to(OUTSIDE, 1001), 0, 100, rsh, 1, 10 * SECOND, 0);
        table.matched(table.find(TCP, SERVER, 999, OUTSIDE, 1001, SECOND));
        table.add(request.clear().protocol(TCP).fromAnyPort(SERVER).to(OUTSIDE, 1002), 0, 100, rsh, 1, 10 * SECOND, 0);
        table.expire(20 * SECOND, 16);

        assertEquals(3, statistics.count(AlgId.RSH, AlgStatistic.EXPECTATIONS_CREATED));
        assertEquals(1, statistics.count(AlgId.RSH, AlgStatistic.EXPECTATIONS_USED));
        assertEquals(1, statistics.count(AlgId.RSH, AlgStatistic.EXPECTATIONS_EXPIRED));
        assertEquals(1, statistics.count(AlgId.RSH, AlgStatistic.LIMIT_HITS));
        assertEquals(0, statistics.count(AlgId.FTP, AlgStatistic.EXPECTATIONS_CREATED));
    }

    @Test
    void viewsListLiveExpectationsWithWildcardsAndTranslationsAndLeaveOutExpiredOnes() {
        ExpectationTable table = table(16);
        table.add(request.clear().protocol(TCP).fromAnyPort(SERVER).to(OUTSIDE, 5000)
                .translateDestinationTo(CLIENT, Expectation.KEEP_PORT), 3, 77, AlgId.FTP.ordinal(), 4, 10 * SECOND, 0);
        table.add(request.clear().protocol(17).fromAnywhere().to(OUTSIDE, 6000).translateSourceTo(OUTSIDE, 7000)
                .multiMatch(), 4, 78, AlgId.SIP.ordinal(), 4, 2 * SECOND, 0);
        table.add(request.clear().protocol(TCP).ipv6(true).from(V6_SERVER_HIGH, 7, 20).to(V6_OUTSIDE_HIGH, 1, 5000),
                5, 79, AlgId.FTP.ordinal(), 4, 10 * SECOND, 0);

        var views = table.views(SECOND + 1);
        assertEquals(3, views.size());
        ExpectationView ftp = views.stream().filter(v -> v.parentSessionId() == 77).findFirst().orElseThrow();
        assertEquals(new ExpectationView(AlgId.FTP, 77, TCP, false, "198.51.100.7", ExpectationView.ANY,
                "203.0.113.1", 5000, null, ExpectationView.ANY, "192.168.1.10", ExpectationView.ANY, 9, true), ftp);
        ExpectationView sip = views.stream().filter(v -> v.parentSessionId() == 78).findFirst().orElseThrow();
        assertEquals(new ExpectationView(AlgId.SIP, 78, 17, false, null, ExpectationView.ANY, "203.0.113.1", 6000,
                "203.0.113.1", 7000, null, ExpectationView.ANY, 1, false), sip);
        ExpectationView v6 = views.stream().filter(v -> v.parentSessionId() == 79).findFirst().orElseThrow();
        assertEquals("2001:db8:2::7", v6.sourceAddress());
        assertEquals(20, v6.sourcePort());
        assertEquals("2001:db8:1::1", v6.destinationAddress());
        assertTrue(v6.isIpv6());

        assertEquals(2, table.views(2 * SECOND).size(), "the SIP entry timed out, though no sweep removed it");
        assertEquals(3, table.size());
    }
}
