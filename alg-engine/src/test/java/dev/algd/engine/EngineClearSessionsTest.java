package dev.algd.engine;

import static dev.algd.engine.EngineHarness.INSIDE;
import static dev.algd.engine.EngineHarness.INSIDE_HOST;
import static dev.algd.engine.EngineHarness.SERVER;
import static dev.algd.engine.EngineHarness.masquerade;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.testing.Ipv6TestPackets;
import dev.algd.engine.testing.TestPackets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineClearSessionsTest {

    private static EngineHarness threeSessions() {
        EngineHarness h = new EngineHarness(masquerade(10));
        h.send(TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).flags(SYN).build(), INSIDE);
        h.send(TestPackets.tcp().from(INSIDE_HOST, 40001).to(SERVER, 8080).flags(SYN).build(), INSIDE);
        h.send(TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).build(), INSIDE);
        assertEquals(3, h.engine.sessions(h.now).size());
        return h;
    }

    @Test
    void clearingByPortRemovesOnlyTheMatchingSession() {
        EngineHarness h = threeSessions();
        assertEquals(1, h.engine.clearSessions(new SessionFilter(null, null, null, 8080, null), h.now));
        assertEquals(2, h.engine.sessions(h.now).size());
        assertEquals(0, h.engine.sessions(h.now).stream().filter(s -> s.destinationPort() == 8080).count());
    }

    @Test
    void clearingByProtocolAndByIdRemoveWhatTheyName() {
        EngineHarness h = threeSessions();
        assertEquals(1, h.engine.clearSessions(new SessionFilter(null, 17, null, null, null), h.now));
        long id = h.engine.sessions(h.now).getFirst().id();
        assertEquals(1, h.engine.clearSessions(new SessionFilter(id, null, null, null, null), h.now));
        assertEquals(1, h.engine.sessions(h.now).size());
    }

    @Test
    void clearedFlowStartsANewSessionOnItsNextPacket() {
        EngineHarness h = threeSessions();
        assertEquals(3, h.engine.clearSessions(SessionFilter.ALL, h.now));
        h.send(TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).flags(SYN).build(), INSIDE);
        assertEquals(1, h.engine.sessions(h.now).size());
    }

    @Test
    void clearingByAddressMatchesEitherSideOfEitherFamilyBeforeOrAfterTranslation() {
        SourceNatRule masquerade4 = new SourceNatRule(20, "nat44", false, "outside", SourceNatRule.ANY_PROTOCOL,
                AddressRange.parse("192.168.1.0/24"), null, null, null, false, null, null);
        EngineHarness h = new EngineHarness(EngineIpv6Test.config(List.of(EngineIpv6Test.masquerade6(10),
                masquerade4), Map.of(), List.of()), 1024);
        h.send(Ipv6TestPackets.udp().from("2001:db8:1::10", 5000).to("2001:db8:3::7", 53).build(), INSIDE);
        h.send(Ipv6TestPackets.udp().from("2001:db8:1::11", 5000).to("2001:db8:3::8", 53).build(), INSIDE);
        h.send(TestPackets.udp().from("192.168.1.10", 5000).to("198.51.100.7", 53).build(), INSIDE);
        h.send(TestPackets.udp().from("192.168.1.11", 5000).to("198.51.100.8", 53).build(), INSIDE);
        assertEquals(4, h.engine.sessions(h.now).size());

        assertEquals(0, h.engine.clearSessions(filterAddress("2001:db8:1::99"), h.now));
        assertEquals(1, h.engine.clearSessions(filterAddress("2001:db8:3::7"), h.now), "an IPv6 destination");
        assertEquals(1, h.engine.clearSessions(filterAddress("198.51.100.8"), h.now), "an IPv4 destination");
        // Both remaining sessions leave as their family's outside address; each family's filter finds its own.
        assertEquals(1, h.engine.clearSessions(filterAddress("2001:db8:2::1"), h.now), "a translated IPv6 source");
        assertEquals(1, h.engine.clearSessions(filterAddress("203.0.113.1"), h.now), "a translated IPv4 source");
        assertEquals(0, h.engine.sessions(h.now).size());
    }

    @Test
    void anIpv4MappedFilterNeverMatchesAnIpv6Session() {
        EngineHarness h = new EngineHarness(EngineIpv6Test.config(List.of(EngineIpv6Test.masquerade6(10)), Map.of(),
                List.of()), 1024);
        h.send(Ipv6TestPackets.udp().from("2001:db8:1::10", 5000).to("2001:db8:3::7", 53).build(), INSIDE);
        assertEquals(0, h.engine.clearSessions(filterAddress("0.0.0.0"), h.now));
        assertEquals(1, h.engine.sessions(h.now).size());
    }

    private static SessionFilter filterAddress(String text) {
        return new SessionFilter(null, null, SessionFilter.address(text), null, null);
    }
}
