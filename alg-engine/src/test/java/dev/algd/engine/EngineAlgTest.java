package dev.algd.engine;

import static dev.algd.engine.EngineHarness.INSIDE;
import static dev.algd.engine.EngineHarness.INSIDE_HOST;
import static dev.algd.engine.EngineHarness.OUTSIDE;
import static dev.algd.engine.EngineHarness.OUTSIDE_ADDRESS;
import static dev.algd.engine.EngineHarness.SERVER;
import static dev.algd.engine.EngineHarness.address;
import static dev.algd.engine.EngineHarness.ip;
import static dev.algd.engine.EngineHarness.masquerade;
import static dev.algd.engine.testing.TestPackets.ACK;
import static dev.algd.engine.testing.TestPackets.PSH;
import static dev.algd.engine.testing.TestPackets.RST;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.alg.AlgEvent;
import dev.algd.engine.alg.ExpectationReason;
import dev.algd.engine.alg.OpenLineAlg;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.AlgSettings;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.FirewallAttachment;
import dev.algd.engine.config.FirewallRuleSet;
import dev.algd.engine.packet.TcpHeader;
import dev.algd.engine.session.Timeouts;
import dev.algd.engine.testing.ReferenceChecksum;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ALG framework driven by the test-only {@link OpenLineAlg} on FTP's control port. */
class EngineAlgTest {
    private static final int CONTROL_PORT = 40000;

    private final OpenLineAlg alg = new OpenLineAlg();

    private EngineHarness harness(EngineConfig config) {
        EngineHarness h = new EngineHarness(config, 256);
        return h.withEngine(new Engine(config, new EngineLimits(256), Timeouts.defaults(), List.of(alg)));
    }

    private EngineHarness harness() {
        return harness(EngineHarness.config(masquerade(10)));
    }

    private static EngineConfig withFtp(AlgSettings ftp) {
        EngineConfig base = EngineHarness.config(masquerade(10));
        return new EngineConfig(Map.of(AlgId.FTP, ftp), base.interfaces(), base.staticRoutes(),
                base.sourceNatRules());
    }

    private static void openControl(EngineHarness h, int serverPort) {
        assertEquals(Verdict.FORWARD, h.send(TestPackets.tcp().from(INSIDE_HOST, CONTROL_PORT).to(SERVER, serverPort)
                .flags(SYN).build(), INSIDE));
        h.send(TestPackets.tcp().from(SERVER, serverPort).to(OUTSIDE_ADDRESS, CONTROL_PORT).flags(SYN | ACK)
                .build(), OUTSIDE);
    }

    private static Verdict sendLine(EngineHarness h, int serverPort, String line) {
        return h.send(TestPackets.tcp().from(INSIDE_HOST, CONTROL_PORT).to(SERVER, serverPort).flags(ACK | PSH)
                .payload(line).build(), INSIDE);
    }

    private static MemorySegment connectBack(int sourcePort, int port) {
        return TestPackets.tcp().from(SERVER, sourcePort).to(OUTSIDE_ADDRESS, port).flags(SYN).build();
    }

    private static SessionView sessionFrom(EngineHarness h, String source, int port) {
        return h.engine.sessions(h.now).stream()
                .filter(s -> s.sourceAddress() == address(source) && s.sourcePort() == port)
                .findFirst().orElseThrow();
    }

    @Test
    void expectedConnectionBackBecomesAChildLinkedToItsParent() {
        EngineHarness h = harness();
        openControl(h, 21);
        assertEquals(Verdict.FORWARD, sendLine(h, 21, "OPEN 5000\n"));
        assertEquals(ExpectationReason.CREATED, alg.lastReason);

        MemorySegment child = connectBack(20, 5000);
        assertEquals(Verdict.FORWARD, h.send(child, OUTSIDE));

        assertEquals(address(INSIDE_HOST), ip(child).destinationAddress());
        assertEquals(5000, new TcpHeader().wrap(child, 20).destinationPort());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(child, 0));
        assertEquals(INSIDE, h.packet.egressInterface);
        SessionView parent = sessionFrom(h, INSIDE_HOST, CONTROL_PORT);
        SessionView view = sessionFrom(h, SERVER, 20);
        assertEquals(parent.id(), view.parentId());
        assertEquals(0, parent.parentId());
        assertEquals(AlgId.FTP, view.alg());
        assertEquals(AlgId.FTP, parent.alg());
        assertEquals(Set.of("snat", "alg"), parent.features());
        assertTrue(view.features().contains("alg"));
        assertEquals(address(INSIDE_HOST), view.translatedDestinationAddress());
        assertEquals(1, h.engine.algCounters().count(AlgEvent.EXPECTATION_MATCHED));

        MemorySegment answer = TestPackets.tcp().from(INSIDE_HOST, 5000).to(SERVER, 20).flags(SYN | ACK).build();
        assertEquals(Verdict.FORWARD, h.send(answer, INSIDE));
        assertEquals(address(OUTSIDE_ADDRESS), ip(answer).sourceAddress(), "the child's reply leaves translated");
        assertEquals(5000, new TcpHeader().wrap(answer, 20).sourcePort());
    }

    @Test
    void connectionBackWithoutAnExpectationIsDropped() {
        EngineHarness h = harness();
        openControl(h, 21);
        assertEquals(Verdict.DROP, h.send(connectBack(20, 5000), OUTSIDE));
        assertEquals(1, h.drops(DropReason.LOCAL_DESTINATION), "algd's own address, and no session or expectation");
    }

    @Test
    void expectationIsConsumedByItsFirstFlow() {
        EngineHarness h = harness();
        openControl(h, 21);
        sendLine(h, 21, "OPEN 5000\n");
        assertEquals(Verdict.FORWARD, h.send(connectBack(20, 5000), OUTSIDE));
        assertEquals(Verdict.DROP, h.send(connectBack(21000, 5000), OUTSIDE), "a second flow finds nothing");
        assertEquals(0, h.engine.algCounters().expectationsActive());
    }

    @Test
    void unmatchedExpectationTimesOut() {
        EngineHarness h = harness();
        openControl(h, 21);
        sendLine(h, 21, "OPEN 5000\n");
        // The configured timeout (the default here), not the one the ALG declares, is in force.
        h.advanceSeconds(h.engine.config().alg(AlgId.FTP).timeouts().expectationSeconds() - 1);
        assertEquals(1, h.engine.algCounters().expectationsActive(), "still pending a second before");
        h.advanceSeconds(1);
        assertEquals(Verdict.DROP, h.send(connectBack(20, 5000), OUTSIDE));
        assertEquals(1, h.engine.algCounters().count(AlgEvent.EXPECTATION_EXPIRED));
    }

    @Test
    void expectationsEndWithTheirParent() {
        EngineHarness h = harness();
        openControl(h, 21);
        sendLine(h, 21, "OPEN 5000\n");
        sendLine(h, 21, "OPEN 5001\n");
        assertEquals(2, h.engine.algCounters().expectationsActive());
        h.send(TestPackets.tcp().from(INSIDE_HOST, CONTROL_PORT).to(SERVER, 21).flags(RST).build(), INSIDE);
        h.advanceSeconds(Timeouts.defaults().tcpCloseSeconds());
        h.engine.expire(h.now);

        assertEquals(0, h.engine.algCounters().expectationsActive());
        assertEquals(0, h.engine.algCounters().algSessionsActive());
        assertEquals(2, h.engine.algCounters().count(AlgEvent.EXPECTATION_REMOVED_WITH_PARENT));
        assertEquals(Verdict.DROP, h.send(connectBack(20, 5000), OUTSIDE));
    }

    @Test
    void aParentBeyondItsLimitLosesItsOldestExpectation() {
        EngineHarness h = harness();
        openControl(h, 21);
        sendLine(h, 21, "OPEN 5000\n");
        sendLine(h, 21, "OPEN 5001\n");
        sendLine(h, 21, "OPEN 5002\n");
        assertEquals(1, h.engine.algCounters().count(AlgEvent.EXPECTATION_EVICTED));
        assertEquals(Verdict.DROP, h.send(connectBack(20, 5000), OUTSIDE));
        assertEquals(Verdict.FORWARD, h.send(connectBack(20, 5002), OUTSIDE));
    }

    @Test
    void disablingTheAlgKeepsItOnExistingSessionsOnly() {
        EngineHarness h = harness();
        openControl(h, 21);
        h.engine.apply(withFtp(new AlgSettings(AlgId.FTP, false, List.of(), List.of())));

        sendLine(h, 21, "OPEN 5000\n");
        assertEquals(Verdict.FORWARD, h.send(connectBack(20, 5000), OUTSIDE), "the old session still has its ALG");

        h.send(TestPackets.tcp().from("192.168.1.11", CONTROL_PORT).to(SERVER, 21).flags(SYN).build(), INSIDE);
        assertNull(sessionFrom(h, "192.168.1.11", CONTROL_PORT).alg(), "a new session gets no disabled ALG");
    }

    @Test
    void configuredPortsReplaceTheDefaultPort() {
        EngineHarness h = harness(withFtp(new AlgSettings(AlgId.FTP, true, List.of(2121), List.of())));
        openControl(h, 2121);
        h.send(TestPackets.tcp().from("192.168.1.11", CONTROL_PORT).to(SERVER, 21).flags(SYN).build(), INSIDE);
        assertEquals(AlgId.FTP, sessionFrom(h, INSIDE_HOST, CONTROL_PORT).alg());
        assertNull(sessionFrom(h, "192.168.1.11", CONTROL_PORT).alg());
    }

    @Test
    void childPassesADefaultDropFirewallAsRelated() {
        EngineConfig base = EngineHarness.config(masquerade(10));
        EngineConfig guarded = new EngineConfig(base.algs(), base.interfaces(), base.staticRoutes(),
                base.sourceNatRules(), List.of(), Map.of("outside-in", new FirewallRuleSet("outside-in", false,
                        List.of())), List.of(new FirewallAttachment("outside", true, "outside-in")));
        EngineHarness h = harness(guarded);
        openControl(h, 21);
        sendLine(h, 21, "OPEN 5000\n");
        assertEquals(Verdict.DROP, h.send(TestPackets.tcp().from(SERVER, 20).to(INSIDE_HOST, 22).flags(SYN).build(),
                OUTSIDE), "new flows from the outside are dropped");
        assertEquals(Verdict.FORWARD, h.send(connectBack(20, 5000), OUTSIDE));
        assertTrue(sessionFrom(h, SERVER, 20).features().contains("firewall"));
    }

    @Test
    void algRefusingAMalformedMessageDropsThePacketAndCountsIt() {
        EngineHarness h = harness();
        openControl(h, 21);
        assertEquals(Verdict.DROP, sendLine(h, 21, "OPEN 0\n"));
        assertEquals(1, h.drops(DropReason.ALG));
        assertEquals(1, h.engine.algCounters().count(AlgEvent.PACKET_DROPPED));
    }

    @Test
    void packetsWithoutPayloadAreNotInspected() {
        EngineHarness h = harness();
        openControl(h, 21);
        assertEquals(0, alg.inspected);
        sendLine(h, 21, "NOOP\n");
        assertEquals(1, alg.inspected);
    }
}
