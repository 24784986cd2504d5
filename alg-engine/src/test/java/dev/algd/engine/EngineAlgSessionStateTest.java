package dev.algd.engine;

import static dev.algd.engine.EngineHarness.INSIDE;
import static dev.algd.engine.EngineHarness.INSIDE_HOST;
import static dev.algd.engine.EngineHarness.OUTSIDE;
import static dev.algd.engine.EngineHarness.OUTSIDE_ADDRESS;
import static dev.algd.engine.EngineHarness.SERVER;
import static dev.algd.engine.EngineHarness.masquerade;
import static dev.algd.engine.testing.TestPackets.ACK;
import static dev.algd.engine.testing.TestPackets.PSH;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.algd.engine.alg.Alg;
import dev.algd.engine.alg.AlgOutcome;
import dev.algd.engine.alg.AlgPacket;
import dev.algd.engine.alg.AlgPolicy;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.session.Direction;
import dev.algd.engine.session.Timeouts;
import dev.algd.engine.testing.TestPackets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The words of state the framework keeps per ALG session ({@link AlgPacket#state}) and an inspected child's read of
 * its parent's ({@link AlgPacket#parentState}), through a test ALG on FTP's port: each client packet of a control
 * session counts itself in word 0; a payload starting {@code CHILD} also expects an inspected connection back to
 * port 5000; a child packet records what it reads of its parent.
 */
class EngineAlgSessionStateTest {
    private static final int CHILD_PORT = 5000;
    private static final long NO_PARENT_STATE = -1;

    private static final class CountingAlg implements Alg {
        long lastCount;
        long lastParentCount;
        long lastChildOwnState;

        @Override
        public AlgId id() {
            return AlgId.FTP;
        }

        @Override
        public AlgPolicy policy() {
            return new AlgPolicy(2, 30);
        }

        @Override
        public AlgOutcome inspect(AlgPacket packet) {
            if (packet.parentSessionId() != 0) {
                lastChildOwnState = packet.state(0);
                packet.state(0, lastChildOwnState + 100);
                lastParentCount = packet.hasParentState() ? packet.parentState(0) : NO_PARENT_STATE;
                return AlgOutcome.PASS;
            }
            if (packet.direction() != Direction.ORIGINAL) {
                return AlgOutcome.PASS;
            }
            lastCount = packet.state(0) + 1;
            packet.state(0, lastCount);
            if (packet.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, packet.payloadOffset()) == 'C') {
                packet.expect(packet.newExpectation().fromAnyPort(packet.leavingDestinationAddress())
                        .to(packet.leavingSourceAddress(), CHILD_PORT)
                        .translateDestinationTo(packet.arrivedSourceAddress(), CHILD_PORT).inspectChild());
            }
            return AlgOutcome.PASS;
        }
    }

    private final CountingAlg alg = new CountingAlg();

    private EngineHarness harness() {
        EngineConfig config = EngineHarness.config(masquerade(10));
        return new EngineHarness(config, 256)
                .withEngine(new Engine(config, new EngineLimits(256), Timeouts.defaults(), List.of(alg)));
    }

    private static void open(EngineHarness h, int clientPort) {
        assertEquals(Verdict.FORWARD, h.send(TestPackets.tcp().from(INSIDE_HOST, clientPort).to(SERVER, 21)
                .seq(100).flags(SYN).build(), INSIDE));
        h.send(TestPackets.tcp().from(SERVER, 21).to(OUTSIDE_ADDRESS, clientPort).seq(500).ack(101)
                .flags(SYN | ACK).build(), OUTSIDE);
    }

    private static void line(EngineHarness h, int clientPort, long seq, String text) {
        assertEquals(Verdict.FORWARD, h.send(TestPackets.tcp().from(INSIDE_HOST, clientPort).to(SERVER, 21)
                .seq(seq).ack(501).flags(ACK | PSH).payload(text).build(), INSIDE));
    }

    private static void childPacket(EngineHarness h, long seq, String text) {
        assertEquals(Verdict.FORWARD, h.send(TestPackets.tcp().from(SERVER, 20).to(OUTSIDE_ADDRESS, CHILD_PORT)
                .seq(seq).flags(seq == 7000 ? SYN : ACK | PSH).payload(text).build(), OUTSIDE));
    }

    @Test
    void stateIsKeptPerSessionAcrossPacketsAndStartsAtZero() {
        EngineHarness h = harness();
        open(h, 40000);
        open(h, 40001);
        line(h, 40000, 101, "a\n");
        line(h, 40000, 103, "b\n");
        line(h, 40001, 101, "x\n");
        assertEquals(1, alg.lastCount, "the second session counts on its own");
        line(h, 40000, 105, "c\n");
        assertEquals(3, alg.lastCount);
    }

    @Test
    void inspectedChildReadsItsParentsStateAndKeepsItsOwn() {
        EngineHarness h = harness();
        open(h, 40000);
        line(h, 40000, 101, "a\n");
        line(h, 40000, 103, "CHILD\n");
        childPacket(h, 7000, "");
        childPacket(h, 7001, "hello");
        assertEquals(2, alg.lastParentCount);
        assertEquals(0, alg.lastChildOwnState, "a child's own words start at zero");
        childPacket(h, 7006, "again");
        assertEquals(100, alg.lastChildOwnState);
    }

    @Test
    void childWhoseParentEndedHasNoParentState() {
        EngineHarness h = harness();
        open(h, 40000);
        line(h, 40000, 101, "CHILD\n");
        childPacket(h, 7000, "");
        assertEquals(1, h.engine.clearSessions(new SessionFilter(null, null, null, 40000, null), h.now));
        childPacket(h, 7001, "hello");
        assertEquals(NO_PARENT_STATE, alg.lastParentCount);
    }
}
