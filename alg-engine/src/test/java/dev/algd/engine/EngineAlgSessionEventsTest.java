package dev.algd.engine;

import static dev.algd.engine.EngineHarness.INSIDE;
import static dev.algd.engine.EngineHarness.INSIDE_HOST;
import static dev.algd.engine.EngineHarness.OUTSIDE;
import static dev.algd.engine.EngineHarness.OUTSIDE_ADDRESS;
import static dev.algd.engine.EngineHarness.SERVER;
import static dev.algd.engine.EngineHarness.masquerade;
import static dev.algd.engine.testing.TestPackets.ACK;
import static dev.algd.engine.testing.TestPackets.PSH;
import static dev.algd.engine.testing.TestPackets.RST;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.algd.engine.AlgSessionEvent.CloseReason;
import dev.algd.engine.AlgSessionEvent.Kind;
import dev.algd.engine.alg.AlgAddress;
import dev.algd.engine.alg.OpenLineAlg;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.session.Timeouts;
import dev.algd.engine.testing.TestPackets;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ALG sessions and their children raise created/closed events into a bounded ring that management drains. */
class EngineAlgSessionEventsTest {
    private static final int CONTROL_PORT = 40000;

    private static EngineHarness harness() {
        var config = EngineHarness.config(masquerade(10));
        return new EngineHarness(config, 256).withEngine(new Engine(config, new EngineLimits(256),
                Timeouts.defaults(), List.of(new OpenLineAlg())));
    }

    /** A control session to port 21 that asked for a connection back to port 5000, and that child. */
    private static void controlAndChild(EngineHarness h) {
        h.send(TestPackets.tcp().from(INSIDE_HOST, CONTROL_PORT).to(SERVER, 21).flags(SYN).build(), INSIDE);
        h.send(TestPackets.tcp().from(INSIDE_HOST, CONTROL_PORT).to(SERVER, 21).flags(ACK | PSH)
                .payload("OPEN 5000\n").build(), INSIDE);
        assertEquals(Verdict.FORWARD, h.send(TestPackets.tcp().from(SERVER, 20).to(OUTSIDE_ADDRESS, 5000).flags(SYN)
                .build(), OUTSIDE));
    }

    @Test
    void controlSessionAndChildAreReportedCreatedWithTheParentId() throws Exception {
        EngineHarness h = harness();
        h.send(TestPackets.udp().from(INSIDE_HOST, 5353).to(SERVER, 53).build(), INSIDE);
        controlAndChild(h);

        List<AlgSessionEvent> events = h.engine.drainAlgSessionEvents(100);
        assertEquals(2, events.size(), "a session without an ALG raises no event: " + events);
        AlgSessionEvent control = events.get(0);
        AlgSessionEvent child = events.get(1);
        assertEquals(Kind.CREATED, control.kind());
        assertEquals(AlgId.FTP, control.alg());
        assertEquals(0, control.parentId());
        assertEquals(InetAddress.getByName(INSIDE_HOST), control.sourceAddress());
        assertEquals(CONTROL_PORT, control.sourcePort());
        assertEquals(21, control.destinationPort());
        assertEquals(InetAddress.getByName(OUTSIDE_ADDRESS), control.translatedAddress());
        assertEquals(6, control.protocol());
        assertNull(control.reason());
        assertEquals(control.id(), child.parentId());
        assertEquals(AlgId.FTP, child.alg());
        assertEquals(InetAddress.getByName(SERVER), child.sourceAddress());
        assertEquals(20, child.sourcePort());
        assertEquals(h.now, child.atNanos());
        assertEquals(List.of(), h.engine.drainAlgSessionEvents(100), "drained events are gone");
    }

    @Test
    void removalsSayWhetherTheConnectionClosedTimedOutOrWasCleared() {
        EngineHarness h = harness();
        controlAndChild(h);
        List<AlgSessionEvent> created = h.engine.drainAlgSessionEvents(100);
        long controlId = created.get(0).id();
        long childId = created.get(1).id();

        h.send(TestPackets.tcp().from(INSIDE_HOST, CONTROL_PORT).to(SERVER, 21).flags(RST).build(), INSIDE);
        assertEquals(1, h.engine.clearSessions(new SessionFilter(childId, null, null, null, null), h.now));
        h.advanceSeconds(Timeouts.defaults().tcpCloseSeconds());
        h.engine.expire(h.now);

        List<AlgSessionEvent> closed = h.engine.drainAlgSessionEvents(100);
        assertEquals(2, closed.size(), closed.toString());
        assertEquals(childId, closed.get(0).id());
        assertEquals(Kind.CLOSED, closed.get(0).kind());
        assertEquals(CloseReason.CLEARED, closed.get(0).reason());
        assertEquals(controlId, closed.get(1).id());
        assertEquals(CloseReason.CLOSED, closed.get(1).reason(), "an RST ended the control connection");
    }

    @Test
    void aFullRingDropsNewEventsAndCountsThem() {
        AlgSessionEvents ring = new AlgSessionEvents(2);
        for (int i = 1; i <= 3; i++) {
            ring.record(Kind.CREATED, i, i, 0, AlgId.TFTP.ordinal(), 17, 0, AlgAddress.ipv4Low(0xC000_0202), 1000 + i,
                    0, AlgAddress.ipv4Low(0xC633_6402), 69, 0, AlgAddress.ipv4Low(0xC633_6401), 2000 + i, null);
        }
        assertEquals(1, ring.overflowed());
        List<AlgSessionEvent> drained = ring.drain(10);
        assertEquals(List.of(1L, 2L), drained.stream().map(AlgSessionEvent::id).toList(), "the oldest are kept");
        assertEquals("/192.0.2.2", drained.get(0).sourceAddress().toString());
        ring.record(Kind.CLOSED, 4, 4, 1, AlgId.TFTP.ordinal(), 17, 0x2001_0db8L << 32, 1, 2, 0, 3, 4, 0, 5, 6,
                CloseReason.IDLE_TIMEOUT);
        assertEquals(CloseReason.IDLE_TIMEOUT, ring.drain(10).getFirst().reason(), "room again after a drain");
    }

    @Test
    void ringCapacityMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new AlgSessionEvents(3));
    }
}
