package dev.algd.engine.alg.rsh;

import static dev.algd.engine.testing.TestPackets.tcpPayload;
import static dev.algd.engine.testing.TestPackets.ACK;
import static dev.algd.engine.testing.TestPackets.PSH;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.DropReason;
import dev.algd.engine.Engine;
import dev.algd.engine.EngineLimits;
import dev.algd.engine.Packet;
import dev.algd.engine.SessionFilter;
import dev.algd.engine.SessionView;
import dev.algd.engine.Verdict;
import dev.algd.engine.alg.AlgStatistic;
import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.DestinationNatRule;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Addresses;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.PortRange;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.packet.Ipv4Header;
import dev.algd.engine.packet.TcpHeader;
import dev.algd.engine.session.Timeouts;
import dev.algd.engine.testing.ReferenceChecksum;
import dev.algd.engine.testing.TestPackets;
import dev.algd.engine.testing.TestSessions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link RshAlg} through the engine, frames in and frames out:
 * <pre>
 *  clients 1.1.1.11, 1.1.1.12 -- eth0 1.1.1.254/24 [algd] eth1 2.2.2.1/24 -- rsh server 2.2.2.11
 *  SNAT (the guide's rule 22): tcp to port 514 leaves as 2.2.2.20, ports 513-1023
 *  DNAT: the clients reach the server at 2.2.2.20
 * </pre>
 * The control session is 1.1.1.11:1023 to port 514; the server connects back from its reserved port 1021.
 */
class RshAlgTest {
    private static final int INSIDE = 0;
    private static final int OUTSIDE = 1;
    private static final String CLIENT = "1.1.1.11";
    private static final String OTHER_CLIENT = "1.1.1.12";
    private static final String SERVER = "2.2.2.11";
    private static final String PUBLIC = "2.2.2.20";
    private static final int CLIENT_PORT = 1023;
    private static final int SERVER_STDERR_PORT = 1021;
    private static final int ROOM = 2048;
    private static final int TCP = 6;

    private final RshAlg alg = new RshAlg();
    private final Packet packet = new Packet();
    private final Arena arena = Arena.ofAuto();
    private Engine engine;
    private String clientAsSeen = CLIENT;
    private String serverAsSeen = SERVER;
    /** Per client address: its control connection's port after source NAT. */
    private int clientPortAsSeen;
    private static final long SECOND = 1_000_000_000L;
    private long now = 1_000 * SECOND;

    private void sourceNat() {
        clientAsSeen = PUBLIC;
        start(List.of(new SourceNatRule(22, "rsh", false, "outside", TCP, null, null, null, PortRange.parse("514"), false,
                AddressRange.parse(PUBLIC), PortRange.parse("513-1023"))), List.of());
    }

    private void destinationNat() {
        serverAsSeen = PUBLIC;
        start(List.of(), List.of(new DestinationNatRule(10, "", false, "inside", TCP, null, null,
                AddressRange.parse(PUBLIC), null, false, AddressRange.parse(SERVER), null)));
    }

    private void start(List<SourceNatRule> sourceNat, List<DestinationNatRule> destinationNat) {
        EngineConfig config = new EngineConfig(Map.of(), List.of(
                new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("1.1.1.254/24"))),
                new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("2.2.2.1/24")))),
                List.of(), sourceNat, destinationNat, Map.of(), List.of());
        engine = new Engine(config, new EngineLimits(64), Timeouts.defaults(), List.of(alg));
        clientPortAsSeen = connect(CLIENT, CLIENT_PORT);
    }

    /** Opens a control connection from {@code client}; returns its port as the server sees it. */
    private int connect(String client, int port) {
        MemorySegment syn = send(TestPackets.tcp().from(client, port).to(serverAsSeen, 514).seq(999).flags(SYN),
                INSIDE);
        int portAsSeen = tcp(syn).sourcePort();
        send(TestPackets.tcp().from(SERVER, 514).to(clientAsSeen, portAsSeen).seq(4999).ack(1000)
                .flags(SYN | ACK), OUTSIDE);
        return portAsSeen;
    }

    private MemorySegment send(TestPackets builder, int ingress) {
        MemorySegment buffer = arena.allocate(ROOM);
        assertEquals(Verdict.FORWARD, send(buffer, builder.writeInto(buffer, 0), ingress));
        return buffer;
    }

    private Verdict send(MemorySegment buffer, int length, int ingress) {
        packet.segment = buffer;
        packet.offset = 0;
        packet.length = length;
        packet.capacity = ROOM;
        packet.ingressInterface = ingress;
        return engine.process(packet, now);
    }

    private TestPackets fromClient(String client, long seq, String payload) {
        return TestPackets.tcp().from(client, CLIENT_PORT).to(serverAsSeen, 514).seq(seq).ack(5000)
                .flags(ACK | PSH).payload(payload);
    }

    private MemorySegment fromClient(long seq, String payload) {
        return send(fromClient(CLIENT, seq, payload), INSIDE);
    }

    /** The server's connection back to {@code port} of the client as it sees it, from {@code sourcePort}. */
    private MemorySegment serverConnects(int sourcePort, int port) {
        return send(TestPackets.tcp().from(SERVER, sourcePort).to(clientAsSeen, port).seq(7000).flags(SYN),
                OUTSIDE);
    }

    private static TcpHeader tcp(MemorySegment packet) {
        return new TcpHeader().wrap(packet, 20);
    }

    private static Ipv4Header ip(MemorySegment packet) {
        return new Ipv4Header().wrap(packet, 0);
    }

    private static int address(String dotted) {
        return Ipv4Addresses.parse(dotted);
    }

    private SessionView sessionFrom(String source, int port) {
        return TestSessions.from(engine.sessions(now), source, port);
    }

    private void assertChildOfTheControlSession(String client, int sourcePort) {
        SessionView child = sessionFrom(SERVER, sourcePort);
        assertEquals(sessionFrom(client, CLIENT_PORT).id(), child.parentId());
        assertEquals(AlgId.RSH, child.alg());
    }

    @Test
    void stderrPortBehindSourceNatIsKeptAndTheServersConnectionReachesTheClientAsAChild() {
        sourceNat();
        assertTrue(clientPortAsSeen >= 513 && clientPortAsSeen <= 1023, "port " + clientPortAsSeen);
        assertEquals("1022\0", tcpPayload(fromClient(1000, "1022\0")));
        assertEquals(0, alg.count(RshEvent.REWRITTEN));

        MemorySegment stderr = serverConnects(SERVER_STDERR_PORT, 1022);
        assertEquals(address(CLIENT), ip(stderr).destinationAddress());
        assertEquals(1022, tcp(stderr).destinationPort());
        assertEquals(INSIDE, packet.egressInterface);
        assertChildOfTheControlSession(CLIENT, SERVER_STDERR_PORT);

        MemorySegment back = send(TestPackets.tcp().from(CLIENT, 1022).to(SERVER, SERVER_STDERR_PORT).seq(3000)
                .ack(7001).flags(SYN | ACK), INSIDE);
        assertEquals(address(PUBLIC), ip(back).sourceAddress());
        assertEquals(1022, tcp(back).sourcePort());
    }

    @Test
    void stderrPortTakenByAnotherClientMovesToTheNextReservedPortOfTheSameLength() {
        sourceNat();
        fromClient(1000, "1022\0");
        connect(OTHER_CLIENT, CLIENT_PORT);
        MemorySegment first = send(fromClient(OTHER_CLIENT, 1000, "1022\0"), INSIDE);
        assertEquals("1023\0", tcpPayload(first));
        assertTrue(ReferenceChecksum.areAllChecksumsValid(first, 0));
        assertEquals(1, alg.count(RshEvent.REWRITTEN));

        MemorySegment stderr = serverConnects(SERVER_STDERR_PORT, 1023);
        assertEquals(address(OTHER_CLIENT), ip(stderr).destinationAddress());
        assertEquals(1022, tcp(stderr).destinationPort());
        assertChildOfTheControlSession(OTHER_CLIENT, SERVER_STDERR_PORT);
    }

    @Test
    void movedStderrPortOfAnotherLengthShiftsLaterSequenceAndAcknowledgementNumbers() {
        sourceNat();
        fromClient(1000, "999\0");
        connect(OTHER_CLIENT, CLIENT_PORT);
        MemorySegment first = send(fromClient(OTHER_CLIENT, 1000, "999\0"), INSIDE);
        assertEquals("1000\0", tcpPayload(first));
        assertTrue(ReferenceChecksum.areAllChecksumsValid(first, 0));

        MemorySegment users = send(fromClient(OTHER_CLIENT, 1004, "root\0root\0id\0"), INSIDE);
        assertEquals(1005, tcp(users).sequenceNumber());
        assertEquals("root\0root\0id\0", tcpPayload(users));
        int otherPortAsSeen = tcp(first).sourcePort();
        MemorySegment ack = send(TestPackets.tcp().from(SERVER, 514).to(PUBLIC, otherPortAsSeen).seq(5000)
                .ack(1018).flags(ACK), OUTSIDE);
        assertEquals(1017, tcp(ack).acknowledgmentNumber());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(ack, 0));

        MemorySegment stderr = serverConnects(SERVER_STDERR_PORT, 1000);
        assertEquals(address(OTHER_CLIENT), ip(stderr).destinationAddress());
        assertEquals(999, tcp(stderr).destinationPort());
    }

    @Test
    void resentMovedStderrPortIsRewrittenIdentically() {
        sourceNat();
        fromClient(1000, "999\0");
        connect(OTHER_CLIENT, CLIENT_PORT);
        byte[] first = send(fromClient(OTHER_CLIENT, 1000, "999\0"), INSIDE).asSlice(0, packet.length)
                .toArray(ValueLayout.JAVA_BYTE);
        byte[] again = send(fromClient(OTHER_CLIENT, 1000, "999\0"), INSIDE).asSlice(0, packet.length)
                .toArray(ValueLayout.JAVA_BYTE);
        assertArrayEquals(first, again);
        assertEquals(1, alg.count(RshEvent.RESENT_STRING_REWRITTEN));
        assertEquals(1005, tcp(send(fromClient(OTHER_CLIENT, 1004, "root\0"), INSIDE)).sequenceNumber(),
                "the shift is the first time's");
    }

    @Test
    void resentStringWhosePortWasKeptPassesAsItIs() {
        sourceNat();
        fromClient(1000, "1022\0");
        assertEquals("1022\0", tcpPayload(fromClient(1000, "1022\0")));
        assertEquals(0, alg.count(RshEvent.RESENT_STRING_REWRITTEN));
        assertEquals(1, alg.count(RshReason.OK));
    }

    @Test
    void zeroAsksForNoStderrChannelSoOnlyIdentIsExpected() {
        sourceNat();
        assertEquals("0\0", tcpPayload(fromClient(1000, "0\0")));
        assertEquals(1, alg.count(RshReason.NO_STDERR_CHANNEL));
        assertEquals(1, engine.algCounters().expectationsActive());
        assertEquals(0, alg.count(RshEvent.STDERR_EXPECTED));
    }

    @Test
    void emptyFirstStringOfRcmdWithTheUsersInTheSameSegmentPassesUntouched() {
        sourceNat();
        String payload = new String(RshFixtures.firstString("handwritten-rcmd-no-stderr-then-users"),
                StandardCharsets.ISO_8859_1);
        assertEquals(payload, tcpPayload(fromClient(1000, payload)));
        assertEquals(1, alg.count(RshReason.NO_STDERR_CHANNEL));
        assertEquals(1, engine.algCounters().expectationsActive());
    }

    @Test
    void stderrPortSplitAcrossSegmentsIsSeenWhole() {
        sourceNat();
        connect(OTHER_CLIENT, CLIENT_PORT);
        send(fromClient(OTHER_CLIENT, 1000, "999\0"), INSIDE);
        MemorySegment head = fromClient(1000, "99");
        assertEquals("", tcpPayload(head), "the unfinished string is held back");
        MemorySegment rest = fromClient(1002, "9\0");
        assertEquals("1000\0", tcpPayload(rest), "999 is taken by the other client");
        assertEquals(1000, tcp(rest).sequenceNumber(), "the segment starts where the held bytes did");
        assertTrue(ReferenceChecksum.areAllChecksumsValid(rest, 0));
        assertEquals(1, alg.count(RshReason.INCOMPLETE));
        MemorySegment stderr = serverConnects(SERVER_STDERR_PORT, 1000);
        assertEquals(address(CLIENT), ip(stderr).destinationAddress());
        assertEquals(999, tcp(stderr).destinationPort());
    }

    @Test
    void onlyTheFirstStringOfASessionIsInspected() {
        sourceNat();
        fromClient(1000, "1022\0");
        assertEquals("root\0root\0id\0", tcpPayload(fromClient(1005, "root\0root\0id\0")));
        assertEquals("999\0", tcpPayload(fromClient(1018, "999\0")), "standard input is not a port");
        assertEquals("x", tcpPayload(fromClient(1022, "x")), "nor is it malformed");
        assertEquals(1, alg.count(RshReason.OK));
        assertEquals(2, engine.algCounters().expectationsActive());
    }

    @Test
    void serverOutputIsNotInspected() {
        sourceNat();
        fromClient(1000, "1022\0");
        MemorySegment output = send(TestPackets.tcp().from(SERVER, 514).to(PUBLIC, clientPortAsSeen).seq(5000)
                .ack(1005).flags(ACK | PSH).payload("\0" + "12\0"), OUTSIDE);
        assertEquals("\0" + "12\0", tcpPayload(output));
        assertEquals(1, alg.count(RshReason.OK));
    }

    @Test
    void identQueryOfTheServerReachesTheClientAsAChild() {
        sourceNat();
        fromClient(1000, "1022\0");
        MemorySegment ident = serverConnects(1020, RshAlg.IDENT_PORT);
        assertEquals(address(CLIENT), ip(ident).destinationAddress());
        assertEquals(RshAlg.IDENT_PORT, tcp(ident).destinationPort());
        assertChildOfTheControlSession(CLIENT, 1020);
    }

    @Test
    void identQueryAndReplyNameTheClientsOwnPortInsideAndItsTranslatedPortOutside() {
        sourceNat();
        // The other client's control connection takes a new port: 1023 is taken on the public address.
        int otherPortAsSeen = connect(OTHER_CLIENT, CLIENT_PORT);
        assertTrue(otherPortAsSeen != CLIENT_PORT, "port " + otherPortAsSeen);
        send(fromClient(OTHER_CLIENT, 1000, "0\0"), INSIDE);

        MemorySegment syn = serverConnects(1020, RshAlg.IDENT_PORT);
        assertEquals(address(OTHER_CLIENT), ip(syn).destinationAddress());
        send(TestPackets.tcp().from(OTHER_CLIENT, RshAlg.IDENT_PORT).to(SERVER, 1020).seq(300).ack(7001)
                .flags(SYN | ACK), INSIDE);
        String query = otherPortAsSeen + " , 514\r\n";
        MemorySegment asked = send(TestPackets.tcp().from(SERVER, 1020).to(PUBLIC, RshAlg.IDENT_PORT).seq(7001)
                .ack(301).flags(ACK | PSH).payload(query), OUTSIDE);
        assertEquals(CLIENT_PORT + " , 514\r\n", tcpPayload(asked));
        assertTrue(ReferenceChecksum.areAllChecksumsValid(asked, 0));

        String reply = CLIENT_PORT + " , 514 : USERID : UNIX : alice\r\n";
        MemorySegment answered = send(TestPackets.tcp().from(OTHER_CLIENT, RshAlg.IDENT_PORT).to(SERVER, 1020)
                .seq(301).ack(7001 + (CLIENT_PORT + " , 514\r\n").length()).flags(ACK | PSH).payload(reply), INSIDE);
        assertEquals(otherPortAsSeen + " , 514 : USERID : UNIX : alice\r\n", tcpPayload(answered));
        assertEquals(7001 + query.length(), tcp(answered).acknowledgmentNumber(),
                "the acknowledgement covers the query as the server sent it");
        assertTrue(ReferenceChecksum.areAllChecksumsValid(answered, 0));
        assertEquals(2, alg.count(RshEvent.IDENT_TRANSLATED));
    }

    @Test
    void identLinesPassUntouchedOnceTheControlSessionEnded() {
        sourceNat();
        int otherPortAsSeen = connect(OTHER_CLIENT, CLIENT_PORT);
        send(fromClient(OTHER_CLIENT, 1000, "0\0"), INSIDE);
        serverConnects(1020, RshAlg.IDENT_PORT);
        send(TestPackets.tcp().from(OTHER_CLIENT, RshAlg.IDENT_PORT).to(SERVER, 1020).seq(300).ack(7001)
                .flags(SYN | ACK), INSIDE);
        long control = sessionFrom(OTHER_CLIENT, CLIENT_PORT).id();
        assertEquals(1, engine.clearSessions(new SessionFilter(control, null, null, null, null), now));
        String query = otherPortAsSeen + " , 514\r\n";
        MemorySegment asked = send(TestPackets.tcp().from(SERVER, 1020).to(PUBLIC, RshAlg.IDENT_PORT).seq(7001)
                .ack(301).flags(ACK | PSH).payload(query), OUTSIDE);
        assertEquals(query, tcpPayload(asked));
        assertEquals(1, alg.count(RshEvent.IDENT_PARENT_GONE));
    }

    @Test
    void identLinesOfAClientWhosePortWasKeptPassUntouched() {
        sourceNat();
        fromClient(1000, "0\0");
        serverConnects(1020, RshAlg.IDENT_PORT);
        send(TestPackets.tcp().from(CLIENT, RshAlg.IDENT_PORT).to(SERVER, 1020).seq(300).ack(7001)
                .flags(SYN | ACK), INSIDE);
        String query = clientPortAsSeen + " , 514\r\n";
        MemorySegment asked = send(TestPackets.tcp().from(SERVER, 1020).to(PUBLIC, RshAlg.IDENT_PORT).seq(7001)
                .ack(301).flags(ACK | PSH).payload(query), OUTSIDE);
        assertEquals(query, tcpPayload(asked));
        assertEquals(0, alg.count(RshEvent.IDENT_TRANSLATED));
    }

    @Test
    void serverBehindDestinationNatConnectsBackFromThePublicAddress() {
        destinationNat();
        assertEquals("1022\0", tcpPayload(fromClient(1000, "1022\0")));
        MemorySegment stderr = serverConnects(SERVER_STDERR_PORT, 1022);
        assertEquals(address(PUBLIC), ip(stderr).sourceAddress());
        assertEquals(SERVER_STDERR_PORT, tcp(stderr).sourcePort());
        assertEquals(address(CLIENT), ip(stderr).destinationAddress());
        assertEquals(1022, tcp(stderr).destinationPort());
        assertChildOfTheControlSession(CLIENT, SERVER_STDERR_PORT);
    }

    @Test
    void malformedFirstStringIsDroppedEvenWhenSentAgain() {
        sourceNat();
        for (int n = 0; n < 2; n++) {
            MemorySegment buffer = arena.allocate(ROOM);
            int length = fromClient(CLIENT, 1000, "70000\0").writeInto(buffer, 0);
            assertEquals(Verdict.DROP, send(buffer, length, INSIDE));
        }
        assertEquals(2, alg.count(RshReason.PORT_OVER_65535));
        assertEquals(2, engine.counters().drops(DropReason.ALG));
        assertEquals(0, engine.algCounters().expectationsActive());
    }

    @Test
    void serverWithoutAnExpectationCannotConnect() {
        sourceNat();
        fromClient(1000, "1022\0");
        MemorySegment buffer = arena.allocate(ROOM);
        int length = TestPackets.tcp().from(SERVER, SERVER_STDERR_PORT).to(PUBLIC, 1021).seq(7000).flags(SYN)
                .writeInto(buffer, 0);
        assertEquals(Verdict.DROP, send(buffer, length, OUTSIDE));
    }

    private long rsh(AlgStatistic statistic) {
        return engine.algCounters().count(AlgId.RSH, statistic);
    }

    @Test
    void stderrAndIdentExpectationsAndAMovedPortMoveRshsStatistics() {
        sourceNat();
        fromClient(1000, "1022\0");
        connect(OTHER_CLIENT, CLIENT_PORT);
        send(fromClient(OTHER_CLIENT, 1000, "1022\0"), INSIDE);
        serverConnects(SERVER_STDERR_PORT, 1022);
        now += (RshAlg.POLICY.expectationTimeoutSeconds() + 1) * SECOND;
        engine.expire(now);

        assertEquals(2, rsh(AlgStatistic.INSPECTED));
        assertEquals(1, rsh(AlgStatistic.TRANSLATED), "the second client's port moved to 1023");
        assertEquals(3, rsh(AlgStatistic.EXPECTATIONS_CREATED), "both stderr channels, the first client's IDENT");
        assertEquals(1, rsh(AlgStatistic.EXPECTATIONS_USED));
        assertEquals(2, rsh(AlgStatistic.EXPECTATIONS_EXPIRED));
        assertEquals(0, rsh(AlgStatistic.PARSE_ERRORS));
    }

    @Test
    void malformedFirstStringIsAParseErrorAndADrop() {
        sourceNat();
        MemorySegment buffer = arena.allocate(ROOM);
        int length = fromClient(CLIENT, 1000, "12a\0").writeInto(buffer, 0);
        assertEquals(Verdict.DROP, send(buffer, length, INSIDE));
        assertEquals(1, rsh(AlgStatistic.PARSE_ERRORS));
        assertEquals(1, rsh(AlgStatistic.DROPS));
    }
}
