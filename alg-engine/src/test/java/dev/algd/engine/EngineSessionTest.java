package dev.algd.engine;

import static dev.algd.engine.EngineHarness.INSIDE;
import static dev.algd.engine.EngineHarness.INSIDE_HOST;
import static dev.algd.engine.EngineHarness.OUTSIDE;
import static dev.algd.engine.EngineHarness.OUTSIDE_ADDRESS;
import static dev.algd.engine.EngineHarness.SERVER;
import static dev.algd.engine.EngineHarness.ip;
import static dev.algd.engine.EngineHarness.masquerade;
import static dev.algd.engine.testing.TestPackets.ACK;
import static dev.algd.engine.testing.TestPackets.FIN;
import static dev.algd.engine.testing.TestPackets.RST;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineSessionTest {

    private static MemorySegment out(int flags) {
        return TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).flags(flags).build();
    }

    private static MemorySegment in(int flags) {
        return TestPackets.tcp().from(SERVER, 80).to(OUTSIDE_ADDRESS, 40000).flags(flags).build();
    }

    private static void assertState(EngineHarness h, String state, long timeoutSeconds) {
        SessionView session = h.onlySession();
        assertEquals(state, session.state());
        assertEquals(timeoutSeconds, session.timeoutSeconds(), "timeout in " + state);
    }

    @Test
    void tcpStateWalksFromSynSentThroughEstablishedToTimeWait() {
        EngineHarness h = new EngineHarness(masquerade(10));
        h.send(out(SYN), INSIDE);
        assertState(h, "SS", 30);
        h.send(in(SYN | ACK), OUTSIDE);
        assertState(h, "SR", 60);
        h.send(out(ACK), INSIDE);
        assertState(h, "ES", 7440);
        h.send(out(FIN | ACK), INSIDE);
        assertState(h, "FW", 120);
        h.send(in(ACK), OUTSIDE);
        assertState(h, "CW", 60);
        h.send(in(FIN | ACK), OUTSIDE);
        assertState(h, "LA", 30);
        h.send(out(ACK), INSIDE);
        assertState(h, "TW", 120);
    }

    @Test
    void resetClosesTheSessionWithTheShortTimeout() {
        EngineHarness h = new EngineHarness(masquerade(10));
        h.send(out(SYN), INSIDE);
        h.send(in(RST | ACK), OUTSIDE);
        assertState(h, "CL", 10);
        h.advanceSeconds(10);
        assertTrue(h.engine.sessions(h.now).isEmpty());
    }

    @Test
    void udpSessionIsNewUntilTheFirstReplyThenEstablished() {
        EngineHarness h = new EngineHarness(masquerade(10));
        h.send(TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).build(), INSIDE);
        assertState(h, "NEW", 30);
        h.advanceSeconds(10);
        h.send(TestPackets.udp().from(SERVER, 53).to(OUTSIDE_ADDRESS, 5000).build(), OUTSIDE);
        assertState(h, "ES", 60);
    }

    @Test
    void icmpEchoSessionLivesThirtySeconds() {
        EngineHarness h = new EngineHarness(masquerade(10));
        h.send(TestPackets.icmpEcho().from(INSIDE_HOST, 0).identifier(9).to(SERVER, 0).build(), INSIDE);
        assertState(h, "NEW", 30);
        h.send(TestPackets.icmpEcho().echoReply().from(SERVER, 0).identifier(9).to(OUTSIDE_ADDRESS, 0).build(), OUTSIDE);
        assertState(h, "ES", 30);
    }

    @Test
    void idleSessionExpiresAndItsRepliesAreNoLongerTranslated() {
        EngineHarness h = new EngineHarness(masquerade(10));
        h.send(TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).build(), INSIDE);
        h.advanceSeconds(29);
        MemorySegment inTime = TestPackets.udp().from(SERVER, 53).to(OUTSIDE_ADDRESS, 5000).build();
        assertEquals(Verdict.FORWARD, h.send(inTime, OUTSIDE));
        h.advanceSeconds(60);
        MemorySegment late = TestPackets.udp().from(SERVER, 53).to(OUTSIDE_ADDRESS, 5000).build();
        assertEquals(Verdict.DROP, h.send(late, OUTSIDE));
        assertEquals(1, h.drops(DropReason.LOCAL_DESTINATION), "the masquerade address is algd's own");
        assertTrue(h.engine.sessions(h.now).isEmpty());
        assertEquals(1, h.engine.counters().sessionsExpired());
    }

    @Test
    void expireRemovesABoundedNumberPerCallAndSaysWhileMoreAreDue() {
        int flows = Engine.EXPIRE_SLICE_SLOTS + 1000;
        EngineHarness h = new EngineHarness(EngineHarness.config(masquerade(10)), 2 * Engine.EXPIRE_SLICE_SLOTS);
        for (int i = 0; i < flows; i++) {
            MemorySegment packet = TestPackets.udp().from("192.168.1." + (10 + i % 200), 1024 + i / 200).to(SERVER, 53).build();
            assertEquals(Verdict.FORWARD, h.send(packet, INSIDE));
        }
        assertEquals(flows, h.engine.counters().sessionsActive());
        h.advanceSeconds(31);
        int calls = 0;
        boolean moreDue = true;
        while (moreDue) {
            long before = h.engine.counters().sessionsActive();
            moreDue = h.engine.expire(h.now);
            calls++;
            long removed = before - h.engine.counters().sessionsActive();
            assertTrue(removed <= Engine.EXPIRE_SLICE_REMOVALS, "call " + calls + " removed " + removed);
            assertEquals(removed == Engine.EXPIRE_SLICE_REMOVALS, moreDue, "call " + calls);
            assertTrue(calls <= flows, "expire never finished");
        }
        assertEquals((flows + Engine.EXPIRE_SLICE_REMOVALS - 1) / Engine.EXPIRE_SLICE_REMOVALS, calls);
        assertEquals(0, h.engine.counters().sessionsActive());
        assertEquals(flows, h.engine.counters().sessionsExpired());
    }

    @Test
    void fullTableOfAnsweredFlowsDropsNewFlowsAndCountsThem() {
        EngineHarness h = new EngineHarness(EngineHarness.config(masquerade(10)), 4);
        for (int port = 1; port <= 4; port++) {
            assertEquals(Verdict.FORWARD, h.send(TestPackets.udp().from(INSIDE_HOST, port).to(SERVER, 53).build(), INSIDE));
            assertEquals(Verdict.FORWARD, h.send(TestPackets.udp().from(SERVER, 53).to(OUTSIDE_ADDRESS, port).build(),
                    OUTSIDE));
        }
        assertEquals(Verdict.DROP, h.send(TestPackets.udp().from(INSIDE_HOST, 5).to(SERVER, 53).build(), INSIDE));
        assertEquals(Verdict.DROP, h.send(TestPackets.udp().from(INSIDE_HOST, 6).to(SERVER, 53).build(), INSIDE));
        assertEquals(2, h.drops(DropReason.SESSION_TABLE_FULL));
        assertEquals(Verdict.FORWARD, h.send(TestPackets.udp().from(INSIDE_HOST, 1).to(SERVER, 53).build(), INSIDE),
                "existing flows keep working");

        h.advanceSeconds(3600);
        assertEquals(Verdict.FORWARD, h.send(TestPackets.udp().from(INSIDE_HOST, 5).to(SERVER, 53).build(), INSIDE),
                "an expired session's slot is reused");
    }

    @Test
    void fullTableGivesUpAnUnansweredFlowForANewOne() {
        EngineHarness h = new EngineHarness(EngineHarness.config(masquerade(10)), 4);
        for (int port = 1; port <= 4; port++) {
            assertEquals(Verdict.FORWARD, h.send(TestPackets.udp().from(INSIDE_HOST, port).to(SERVER, 53).build(), INSIDE));
            if (port != 3) {
                h.send(TestPackets.udp().from(SERVER, 53).to(OUTSIDE_ADDRESS, port).build(), OUTSIDE);
            }
        }
        assertEquals(Verdict.FORWARD, h.send(TestPackets.udp().from(INSIDE_HOST, 5).to(SERVER, 53).build(), INSIDE));
        assertEquals(1, h.engine.counters().sessionsEvicted());
        assertEquals(0, h.drops(DropReason.SESSION_TABLE_FULL));
        assertTrue(h.engine.sessions(h.now).stream().noneMatch(s -> s.sourcePort() == 3), "port 3 never answered");
    }

    @Test
    void sourceOverItsSessionLimitIsDroppedWhileOthersPass() {
        EngineHarness h = new EngineHarness(EngineHarness.config(masquerade(10)), 64)
                .withEngine(new Engine(EngineHarness.config(masquerade(10)), new EngineLimits(64, 2)));
        assertEquals(Verdict.FORWARD, h.send(TestPackets.udp().from(INSIDE_HOST, 1).to(SERVER, 53).build(), INSIDE));
        assertEquals(Verdict.FORWARD, h.send(TestPackets.udp().from(INSIDE_HOST, 2).to(SERVER, 53).build(), INSIDE));
        assertEquals(Verdict.DROP, h.send(TestPackets.udp().from(INSIDE_HOST, 3).to(SERVER, 53).build(), INSIDE));
        assertEquals(1, h.drops(DropReason.SOURCE_SESSION_LIMIT));
        assertEquals(Verdict.FORWARD, h.send(TestPackets.udp().from("192.168.1.99", 3).to(SERVER, 53).build(), INSIDE));
        assertEquals(Verdict.FORWARD, h.send(TestPackets.udp().from(INSIDE_HOST, 1).to(SERVER, 53).build(), INSIDE),
                "the source's existing flows keep working");
    }

    @Test
    void sessionIsFoundByIdUntilItExpires() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment packet = TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).payload("abc").build();
        h.send(packet, INSIDE);
        SessionView listed = h.onlySession();
        SessionView byId = h.engine.session(listed.id(), h.now);
        assertEquals(listed, byId);
        assertEquals(1, byId.packetsOriginal());
        assertEquals(31, byId.bytesOriginal());
        assertEquals(0, byId.packetsReply());
        assertEquals("inside", byId.interfaceName());
        assertNull(h.engine.session(listed.id() + 1, h.now));
        h.advanceSeconds(30);
        assertNull(h.engine.session(listed.id(), h.now));
    }

    @Test
    void sessionKeepsTheNameOfItsInterfaceAcrossARename() {
        EngineHarness h = new EngineHarness(masquerade(10));
        h.send(TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).build(), INSIDE);
        h.engine.apply(new EngineConfig(Map.of(), List.of(
                new InterfaceConfig("lan", "eth0", List.of(Ipv4Prefix.parse("192.168.1.1/24"))),
                new InterfaceConfig("wan", "eth1", List.of(Ipv4Prefix.parse("203.0.113.1/24")))),
                h.engine.config().staticRoutes(), List.of()));
        MemorySegment again = TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).build();
        assertEquals(Verdict.FORWARD, h.send(again, INSIDE));
        assertEquals(EngineHarness.address(OUTSIDE_ADDRESS), ip(again).sourceAddress());
        assertEquals("inside", h.onlySession().interfaceName());
    }
}
