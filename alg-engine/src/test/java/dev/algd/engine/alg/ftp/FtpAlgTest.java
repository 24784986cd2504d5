package dev.algd.engine.alg.ftp;

import static dev.algd.engine.testing.TestPackets.tcpPayload;
import static dev.algd.engine.testing.TestPackets.ACK;
import static dev.algd.engine.testing.TestPackets.PSH;
import static dev.algd.engine.testing.TestPackets.RST;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.DropReason;
import dev.algd.engine.Engine;
import dev.algd.engine.EngineLimits;
import dev.algd.engine.Packet;
import dev.algd.engine.SessionView;
import dev.algd.engine.Verdict;
import dev.algd.engine.alg.AlgEvent;
import dev.algd.engine.alg.AlgStatistic;
import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.AlgSettings;
import dev.algd.engine.config.AlgTimeouts;
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
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link FtpAlg} through the engine, frames in and frames out, with alg-behaviour.md §5 vectors 1 to 8 (Vyatta's
 * {@code dp_test_npf_alg_ftp.c}) and §5 item 18:
 * <pre>
 *  client 1.1.1.11 -- eth0 1.1.1.254/24 [algd] eth1 2.2.2.1/24 -- server 2.2.2.11
 *  SNAT: the client leaves as 2.2.2.20 (or 2.2.2.200, 2.2.2.5); DNAT: the client reaches the server at 2.2.2.20
 * </pre>
 * The control session is 1.1.1.11:46682 to port 21; the data port of the vectors is 38 * 256 + 91 = 9819.
 */
class FtpAlgTest {
    private static final int INSIDE = 0;
    private static final int OUTSIDE = 1;
    private static final long SECOND = 1_000_000_000L;
    private static final String CLIENT = "1.1.1.11";
    private static final String SERVER = "2.2.2.11";
    private static final String PUBLIC = "2.2.2.20";
    private static final int CLIENT_PORT = 46682;
    private static final int DATA_PORT = 9819;
    private static final int ROOM = 2048;
    private static final int TCP = 6;

    private FtpAlg alg = new FtpAlg();
    private final Packet packet = new Packet();
    private final Arena arena = Arena.ofAuto();
    private Engine engine;
    private long now = 1_000 * SECOND;
    /** Where the client's control connection leaves from: its address and port after source NAT. */
    private String clientAsSeen = CLIENT;
    private int clientPortAsSeen = CLIENT_PORT;
    /** Where the client sends its control connection: the server, or its public address under DNAT. */
    private String serverAsSeen = SERVER;

    private void sourceNat(String translation, String ports) {
        clientAsSeen = translation;
        start(List.of(new SourceNatRule(10, "", false, "outside", SourceNatRule.ANY_PROTOCOL, null, null, null, null,
                false, AddressRange.parse(translation), ports == null ? null : PortRange.parse(ports))), List.of());
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
        MemorySegment syn = send(TestPackets.tcp().from(CLIENT, CLIENT_PORT).to(serverAsSeen, 21).seq(999)
                .flags(SYN), INSIDE);
        clientPortAsSeen = tcp(syn).sourcePort();
        send(TestPackets.tcp().from(SERVER, 21).to(clientAsSeen, clientPortAsSeen).seq(4999).ack(1000)
                .flags(SYN | ACK), OUTSIDE);
    }

    /** Sends a packet in a buffer with room to grow; returns the buffer (the packet starts at 0). */
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

    private MemorySegment fromClient(long seq, String payload) {
        return send(clientLine(seq, payload), INSIDE);
    }

    private TestPackets clientLine(long seq, String payload) {
        return TestPackets.tcp().from(CLIENT, CLIENT_PORT).to(serverAsSeen, 21).seq(seq).ack(5000).flags(ACK | PSH)
                .payload(payload);
    }

    private MemorySegment fromServer(long seq, long ack, String payload) {
        return send(TestPackets.tcp().from(SERVER, 21).to(clientAsSeen, clientPortAsSeen).seq(seq).ack(ack)
                .flags(ACK | PSH).payload(payload), OUTSIDE);
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

    private void assertChildOfTheControlSession(String source, int port) {
        SessionView child = sessionFrom(source, port);
        assertEquals(sessionFrom(CLIENT, CLIENT_PORT).id(), child.parentId());
        assertEquals(AlgId.FTP, child.alg());
    }

    // Vector 1 (ftp4).
    @Test
    void pasvReplyToASourceNatedClientPassesUnchangedAndItsDataConnectionIsAChild() {
        sourceNat(PUBLIC, null);
        String reply = "227 Entering Passive Mode (2,2,2,11,9,255).\r\n";
        assertEquals(reply, tcpPayload(fromServer(5000, 1000, reply)));

        MemorySegment data = send(TestPackets.tcp().from(CLIENT, 49888).to(SERVER, 2559).flags(SYN), INSIDE);
        assertEquals(address(PUBLIC), ip(data).sourceAddress());
        assertChildOfTheControlSession(CLIENT, 49888);
        assertEquals(1, engine.algCounters().count(AlgEvent.EXPECTATION_MATCHED));
    }

    // Vector 2 (ftp5).
    @Test
    void pasvReplyOfADestinationNatedServerNamesThePublicAddress() {
        destinationNat();
        MemorySegment reply = fromServer(5000, 1000, "227 Entering Passive Mode (2,2,2,11,38,91).\r\n");
        assertEquals("227 Entering Passive Mode (2,2,2,20,38,91).\r\n", tcpPayload(reply));
        assertEquals(address(PUBLIC), ip(reply).sourceAddress());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(reply, 0));

        MemorySegment data = send(TestPackets.tcp().from(CLIENT, 49888).to(PUBLIC, DATA_PORT).flags(SYN), INSIDE);
        assertEquals(address(SERVER), ip(data).destinationAddress());
        assertEquals(DATA_PORT, tcp(data).destinationPort());
        assertEquals(OUTSIDE, packet.egressInterface);
        assertChildOfTheControlSession(CLIENT, 49888);
    }

    // Vector 3 (ftp6).
    @Test
    void pasvReplyWithoutParenthesesIsRewritten() {
        destinationNat();
        MemorySegment reply = fromServer(5000, 1000, "227 Entering Passive Mode 2,2,2,11,38,91\r\n");
        assertEquals("227 Entering Passive Mode 2,2,2,20,38,91\r\n", tcpPayload(reply));
        assertTrue(ReferenceChecksum.areAllChecksumsValid(reply, 0));
    }

    // Vector 4 (ftp7).
    @Test
    void portCommandOfASourceNatedClientNamesItsTranslatedAddress() {
        sourceNat(PUBLIC, null);
        MemorySegment command = fromClient(1000, "PORT 1,1,1,11,38,91\r\n");
        assertEquals("PORT 2,2,2,20,38,91\r\n", tcpPayload(command));
        assertTrue(ReferenceChecksum.areAllChecksumsValid(command, 0));
        assertEquals(1021, tcp(fromClient(1021, "LIST\r\n")).sequenceNumber(), "same length, no shift");

        MemorySegment data = send(TestPackets.tcp().from(SERVER, 20).to(PUBLIC, DATA_PORT).flags(SYN), OUTSIDE);
        assertEquals(address(CLIENT), ip(data).destinationAddress());
        assertEquals(DATA_PORT, tcp(data).destinationPort());
        assertEquals(INSIDE, packet.egressInterface);
        assertChildOfTheControlSession(SERVER, 20);
        assertEquals(1, alg.count(FtpEvent.REWRITTEN));
    }

    // Vector 5 (ftp8): 1,1,1,11 to 2,2,2,200 is one byte longer.
    @Test
    void longerPortCommandShiftsLaterSequenceAndAcknowledgementNumbers() {
        sourceNat("2.2.2.200", null);
        MemorySegment command = fromClient(1000, "PORT 1,1,1,11,38,91\r\n");
        assertEquals("PORT 2,2,2,200,38,91\r\n", tcpPayload(command));
        assertEquals(40 + 22, packet.length);
        assertTrue(ReferenceChecksum.areAllChecksumsValid(command, 0));

        MemorySegment next = fromClient(1021, "LIST\r\n");
        assertEquals(1022, tcp(next).sequenceNumber());
        MemorySegment ack = send(TestPackets.tcp().from(SERVER, 21).to("2.2.2.200", CLIENT_PORT).seq(5000)
                .ack(1028).sack(1022, 1028).flags(ACK), OUTSIDE);
        assertEquals(1027, tcp(ack).acknowledgmentNumber());
        assertEquals(1021, ack.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 44));
        assertTrue(ReferenceChecksum.areAllChecksumsValid(ack, 0));
    }

    // Vector 5 (ftp9): 2,2,2,5 is one byte shorter.
    @Test
    void shorterPortCommandShiftsBack() {
        sourceNat("2.2.2.5", null);
        assertEquals("PORT 2,2,2,5,38,91\r\n", tcpPayload(fromClient(1000, "PORT 1,1,1,11,38,91\r\n")));
        assertEquals(1020, tcp(fromClient(1021, "LIST\r\n")).sequenceNumber());
        MemorySegment ack = send(TestPackets.tcp().from(SERVER, 21).to("2.2.2.5", CLIENT_PORT).seq(5000).ack(1026)
                .flags(ACK), OUTSIDE);
        assertEquals(1027, tcp(ack).acknowledgmentNumber());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(ack, 0));
    }

    // Vector 6 (ftp11). Vyatta allocates ports in order (10000, then 10001); algd's allocator hashes into the range.
    @Test
    void epsvReplyPassesUnchangedAndItsDataConnectionGetsAPortFromTheRange() {
        sourceNat(PUBLIC, "10000-20000");
        assertTrue(clientPortAsSeen >= 10000 && clientPortAsSeen <= 20000);
        String reply = "229 Entering Extended Passive Mode (|||2559|)\r\n";
        assertEquals(reply, tcpPayload(fromServer(5000, 1000, reply)));

        MemorySegment data = send(TestPackets.tcp().from(CLIENT, 49888).to(SERVER, 2559).flags(SYN), INSIDE);
        int port = tcp(data).sourcePort();
        assertTrue(port >= 10000 && port <= 20000 && port != clientPortAsSeen, "port " + port);
        assertEquals(address(PUBLIC), ip(data).sourceAddress());
        assertChildOfTheControlSession(CLIENT, 49888);
    }

    // Vector 7 (ftp12), as Vyatta does it: the data port is the range's next one after the control session's (there
    // 1024 and 1025; algd's allocator may give the control session another port of the range, so read it), and the
    // server's connection to it reaches the client's own port.
    @Test
    void portCommandBehindAPortRangeGetsTheNextPortOfTheRange() {
        sourceNat(PUBLIC, "1024-1030");
        String rewritten = tcpPayload(fromClient(1000, "PORT 1,1,1,11,38,91\r\n"));
        int controlPort = sessionFrom(CLIENT, CLIENT_PORT).translatedPort();
        assertTrue(controlPort >= 1024 && controlPort <= 1030, "control port " + controlPort);
        int dataPort = controlPort == 1030 ? 1024 : controlPort + 1;
        assertEquals("PORT 2,2,2,20," + dataPort / 256 + "," + dataPort % 256 + "\r\n", rewritten);
        MemorySegment data = send(TestPackets.tcp().from(SERVER, 20).to(PUBLIC, dataPort).flags(SYN), OUTSIDE);
        assertEquals(address(CLIENT), ip(data).destinationAddress());
        assertEquals(DATA_PORT, tcp(data).destinationPort());
        assertChildOfTheControlSession(SERVER, 20);
    }

    // A one-port range wraps to the control session's own port: the server's connection from port 20 is another flow
    // than the control session's reply from port 21, so both share the public port.
    @Test
    void portCommandBehindAOnePortRangeSharesThePortWithItsControlSession() {
        sourceNat(PUBLIC, "1024");
        assertEquals("PORT 2,2,2,20,4,0\r\n", tcpPayload(fromClient(1000, "PORT 1,1,1,11,38,91\r\n")));
        MemorySegment data = send(TestPackets.tcp().from(SERVER, 20).to(PUBLIC, 1024).flags(SYN), OUTSIDE);
        assertEquals(address(CLIENT), ip(data).destinationAddress());
        assertEquals(DATA_PORT, tcp(data).destinationPort());
    }

    // Vector 8 (ftp13).
    @Test
    void parentEndingBeforeTheDataConnectionTakesItsExpectationAlong() {
        sourceNat(PUBLIC, null);
        fromClient(1000, "PORT 1,1,1,11,38,91\r\n");
        send(clientLine(1021, "").flags(RST), INSIDE);
        now += Timeouts.defaults().tcpCloseSeconds() * SECOND;
        engine.expire(now);
        assertEquals(0, engine.algCounters().expectationsActive());
        MemorySegment data = arena.allocate(ROOM);
        int length = TestPackets.tcp().from(SERVER, 20).to(PUBLIC, DATA_PORT).flags(SYN).writeInto(data, 0);
        assertEquals(Verdict.DROP, send(data, length, OUTSIDE));
    }

    // Item 18 and pure-ftpd#175.
    @Test
    void pasvReplyWithoutAnAddressPassesUntouched() {
        destinationNat();
        assertEquals("227 Logout.\r\n", tcpPayload(fromServer(5000, 1000, "227 Logout.\r\n")));
        assertEquals(1, alg.count(FtpReason.NOT_TRANSLATED));
        assertEquals(0, engine.algCounters().expectationsActive());
    }

    // Item 18.
    @Test
    void lowercasePortCommandIsRewritten() {
        sourceNat(PUBLIC, null);
        assertEquals("port 2,2,2,20,38,91\r\n", tcpPayload(fromClient(1000, "port 1,1,1,11,38,91\r\n")));
    }

    @Test
    void eprtCommandOfASourceNatedClientIsRewritten() {
        sourceNat("2.2.2.200", null);
        MemorySegment command = fromClient(1000, "EPRT |1|1.1.1.11|9819|\r\n");
        assertEquals("EPRT |1|2.2.2.200|9819|\r\n", tcpPayload(command));
        assertTrue(ReferenceChecksum.areAllChecksumsValid(command, 0));
        MemorySegment data = send(TestPackets.tcp().from(SERVER, 20).to("2.2.2.200", DATA_PORT).flags(SYN), OUTSIDE);
        assertEquals(address(CLIENT), ip(data).destinationAddress());
    }

    @Test
    void eprtWithAnIpv6AddressOnAnIpv4ControlConnectionIsRefusedAsABounce() {
        sourceNat(PUBLIC, null);
        MemorySegment buffer = arena.allocate(ROOM);
        int length = clientLine(1000, FtpFixtures.line("curl-eprt-ipv6")).writeInto(buffer, 0);
        assertEquals(Verdict.DROP, send(buffer, length, INSIDE), "not the client's own address");
        assertEquals(1, alg.count(FtpEvent.OTHER_ADDRESS_FAMILY));
        assertEquals(1, alg.count(FtpEvent.BOUNCE_REFUSED));
        assertEquals(0, engine.algCounters().expectationsActive());
    }

    @Test
    void portCommandNamingAnotherHostIsRefusedAsABounce() {
        sourceNat(PUBLIC, null);
        MemorySegment buffer = arena.allocate(ROOM);
        int length = clientLine(1000, "PORT 192,0,2,80,0,25\r\n").writeInto(buffer, 0);
        assertEquals(Verdict.DROP, send(buffer, length, INSIDE));
        assertEquals(1, alg.count(FtpEvent.BOUNCE_REFUSED));
        assertEquals(1, engine.counters().drops(DropReason.ALG));
        assertEquals(0, engine.algCounters().expectationsActive());
    }

    @Test
    void bounceMayBeAllowedAndThenPassesUntouched() {
        alg = new FtpAlg(true);
        sourceNat(PUBLIC, null);
        assertEquals("PORT 192,0,2,80,0,25\r\n", tcpPayload(fromClient(1000, "PORT 192,0,2,80,0,25\r\n")));
        assertEquals(0, engine.algCounters().expectationsActive());
    }

    @Test
    void pipelinedLinesAroundAPortCommandAreKept() {
        sourceNat("2.2.2.200", null);
        MemorySegment segment = fromClient(1000, "TYPE I\r\nPORT 1,1,1,11,38,91\r\nRETR big.iso\r\n");
        assertEquals("TYPE I\r\nPORT 2,2,2,200,38,91\r\nRETR big.iso\r\n", tcpPayload(segment));
        assertTrue(ReferenceChecksum.areAllChecksumsValid(segment, 0));
    }

    @Test
    void twoAddressLinesInOneSegmentAreBothRewritten() {
        sourceNat("2.2.2.200", null);
        assertEquals("PORT 2,2,2,200,38,91\r\nPORT 2,2,2,200,38,92\r\n",
                tcpPayload(fromClient(1000, "PORT 1,1,1,11,38,91\r\nPORT 1,1,1,11,38,92\r\n")));
        assertEquals(1, engine.algCounters().expectationsActive(), "the first was replaced by the second");
    }

    @Test
    void retransmittedPortCommandIsRewrittenIdentically() {
        sourceNat("2.2.2.200", null);
        byte[] first = fromClient(1000, "PORT 1,1,1,11,38,91\r\n").asSlice(0, packet.length)
                .toArray(ValueLayout.JAVA_BYTE);
        byte[] again = fromClient(1000, "PORT 1,1,1,11,38,91\r\n").asSlice(0, packet.length)
                .toArray(ValueLayout.JAVA_BYTE);
        assertArrayEquals(first, again);
        assertEquals(1, engine.algCounters().count(AlgEvent.EXPECTATION_REFRESHED));
    }

    // Item 18: the framework holds the unfinished line and puts it in front of the next segment.
    @Test
    void portCommandSplitAcrossSegmentsIsRewrittenOnce() {
        sourceNat("2.2.2.200", null);
        MemorySegment first = fromClient(1000, "PORT 1,1,1,");
        assertEquals("", tcpPayload(first), "the unfinished line is held back");
        MemorySegment second = fromClient(1011, "11,38,91\r\nLIST\r\n");
        assertEquals("PORT 2,2,2,200,38,91\r\nLIST\r\n", tcpPayload(second));
        assertEquals(1000, tcp(second).sequenceNumber(), "the segment starts where the held bytes did");
        assertTrue(ReferenceChecksum.areAllChecksumsValid(second, 0));
        assertEquals(1, alg.count(FtpReason.INCOMPLETE));
        assertEquals(1, alg.count(FtpEvent.REWRITTEN));
        assertEquals(1028, tcp(fromClient(1027, "QUIT\r\n")).sequenceNumber(), "later segments shift by one");
        MemorySegment data = send(TestPackets.tcp().from(SERVER, 20).to("2.2.2.200", DATA_PORT).flags(SYN), OUTSIDE);
        assertEquals(address(CLIENT), ip(data).destinationAddress());
    }

    @Test
    void pasvReplySplitInThreeIsRewrittenOnce() {
        destinationNat();
        assertEquals("", tcpPayload(fromServer(5000, 1000, "22")));
        assertEquals("", tcpPayload(fromServer(5002, 1000, "7 Entering Passive Mode (2,2,")));
        MemorySegment last = fromServer(5031, 1000, "2,11,38,91).\r\n");
        assertEquals("227 Entering Passive Mode (2,2,2,20,38,91).\r\n", tcpPayload(last));
        assertEquals(5000, tcp(last).sequenceNumber());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(last, 0));
    }

    @Test
    void unfinishedLineThatCannotMatterIsNotHeld() {
        sourceNat(PUBLIC, null);
        assertEquals("RETR some", tcpPayload(fromClient(1000, "RETR some")));
        assertEquals(0, engine.algCounters().count(AlgEvent.LINE_HELD));
    }

    @Test
    void replyLinesFromTheClientAreIgnored() {
        destinationNat();
        String line = "227 Entering Passive Mode (1,1,1,11,38,91).\r\n";
        assertEquals(line, tcpPayload(fromClient(1000, line)));
        assertEquals(1, alg.count(FtpEvent.WRONG_DIRECTION));
    }

    @Test
    void pasvReplyNamingAThirdAddressPassesUntouched() {
        destinationNat();
        String reply = "227 Entering Passive Mode (192,0,2,80,38,91).\r\n";
        assertEquals(reply, tcpPayload(fromServer(5000, 1000, reply)));
        assertEquals(1, alg.count(FtpEvent.ADDRESS_NOT_THE_SERVERS));
    }

    @Test
    void epsvReplyOfADestinationNatedServerLetsTheClientIn() {
        destinationNat();
        String reply = FtpFixtures.line("pyftpdlib-epsv-reply");
        assertEquals(reply, tcpPayload(fromServer(5000, 1000, reply)));
        MemorySegment data = send(TestPackets.tcp().from(CLIENT, 49888).to(PUBLIC, 38417).flags(SYN), INSIDE);
        assertEquals(address(SERVER), ip(data).destinationAddress());
        assertChildOfTheControlSession(CLIENT, 49888);
    }

    @Test
    void activeDataConnectionOfADestinationNatedServerLeavesFromThePublicAddress() {
        destinationNat();
        assertEquals("PORT 1,1,1,11,38,91\r\n", tcpPayload(fromClient(1000, "PORT 1,1,1,11,38,91\r\n")));
        MemorySegment data = send(TestPackets.tcp().from(SERVER, 20).to(CLIENT, DATA_PORT).flags(SYN), OUTSIDE);
        assertEquals(address(PUBLIC), ip(data).sourceAddress());
        assertEquals(INSIDE, packet.egressInterface);
        assertChildOfTheControlSession(SERVER, 20);
    }

    private long ftp(AlgStatistic statistic) {
        return engine.algCounters().count(AlgId.FTP, statistic);
    }

    @Test
    void translatedPortCommandAndItsDataConnectionMoveFtpsStatistics() {
        sourceNat(PUBLIC, null);
        fromClient(1000, "PORT 1,1,1,11,38,91\r\n");
        fromClient(1021, "LIST\r\n");
        send(TestPackets.tcp().from(SERVER, 20).to(PUBLIC, DATA_PORT).flags(SYN), OUTSIDE);

        assertEquals(2, ftp(AlgStatistic.INSPECTED));
        assertEquals(1, ftp(AlgStatistic.TRANSLATED));
        assertEquals(1, ftp(AlgStatistic.EXPECTATIONS_CREATED));
        assertEquals(1, ftp(AlgStatistic.EXPECTATIONS_USED));
        assertEquals(0, ftp(AlgStatistic.EXPECTATIONS_EXPIRED));
        assertEquals(0, ftp(AlgStatistic.PARSE_ERRORS));
        assertEquals(0, engine.algCounters().count(AlgId.TFTP, AlgStatistic.INSPECTED), "counted under FTP only");
    }

    @Test
    void unusedPasvExpectationIsCountedExpired() {
        sourceNat(PUBLIC, null);
        fromClient(1000, "PASV\r\n");
        fromServer(5000, 1006, "227 Entering Passive Mode (2,2,2,11,9,255).\r\n");
        assertEquals(0, ftp(AlgStatistic.TRANSLATED), "a 227 to a source-NATed client needs no rewrite");
        now += (FtpAlg.POLICY.expectationTimeoutSeconds() + 1) * SECOND;
        engine.expire(now);

        assertEquals(1, ftp(AlgStatistic.EXPECTATIONS_CREATED));
        assertEquals(1, ftp(AlgStatistic.EXPECTATIONS_EXPIRED));
        assertEquals(0, ftp(AlgStatistic.EXPECTATIONS_USED));
    }

    @Test
    void malformedPortCommandIsAParseErrorAndABounceADrop() {
        sourceNat(PUBLIC, null);
        fromClient(1000, "PORT 1,1,1,311,38,91\r\n");
        MemorySegment buffer = arena.allocate(ROOM);
        int length = clientLine(1023, "PORT 192,0,2,80,0,25\r\n").writeInto(buffer, 0);
        assertEquals(Verdict.DROP, send(buffer, length, INSIDE));

        assertEquals(1, ftp(AlgStatistic.PARSE_ERRORS));
        assertEquals(1, ftp(AlgStatistic.DROPS));
        assertEquals(0, ftp(AlgStatistic.EXPECTATIONS_CREATED));
    }

    @Test
    void configuredExpectationTimeoutReplacesFtpsDefaultAtApply() {
        sourceNat(PUBLIC, null);
        EngineConfig current = engine.config();
        AlgSettings shortLived = new AlgSettings(AlgId.FTP, true, List.of(), List.of(),
                AlgTimeouts.defaults(AlgId.FTP).withExpectationSeconds(5));
        engine.apply(new EngineConfig(Map.of(AlgId.FTP, shortLived), current.interfaces(), current.staticRoutes(),
                current.sourceNatRules(), current.destinationNatRules(), current.firewallRuleSets(),
                current.firewallAttachments()));
        fromClient(1000, "PASV\r\n");
        fromServer(5000, 1006, "227 Entering Passive Mode (2,2,2,11,9,255).\r\n");
        now += 4 * SECOND;
        engine.expire(now);
        assertEquals(1, engine.algCounters().expectationsActive(), "still waiting after 4 s");
        now += 2 * SECOND;
        engine.expire(now);

        assertEquals(0, engine.algCounters().expectationsActive());
        assertEquals(1, ftp(AlgStatistic.EXPECTATIONS_EXPIRED));
    }
}
