package dev.algd.engine.alg.tftp;

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
import dev.algd.engine.config.DestinationNatRule;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Addresses;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.packet.Ipv4Header;
import dev.algd.engine.packet.UdpHeader;
import dev.algd.engine.session.Timeouts;
import dev.algd.engine.testing.ReferenceChecksum;
import dev.algd.engine.testing.TestPackets;
import dev.algd.engine.testing.TestSessions;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link TftpAlg} through the engine, frames in and frames out, with alg-behaviour.md §5 vectors 9 and 10 (Vyatta's
 * {@code dp_test_npf_alg_tftp.c}, alg_tftp2 and alg_tftp4):
 * <pre>
 *  vector 9 (SNAT):  1.1.1.2 -- eth0 1.1.1.1/24 [algd, SNAT to 2.2.2.254] eth1 2.2.2.1/24 -- 2.2.2.2 (server)
 *  vector 10 (DNAT): 2.2.2.2 (server) -- eth0 2.2.2.1/24 [algd, DNAT 2.2.2.254 to 2.2.2.2] eth1 1.1.1.1/24 -- 1.1.1.2
 * </pre>
 */
class TftpAlgTest {
    private static final int INSIDE = 0;
    private static final int OUTSIDE = 1;
    private static final long SECOND = 1_000_000_000L;
    private static final String CLIENT = "1.1.1.2";
    private static final String SERVER = "2.2.2.2";
    private static final String PUBLIC = "2.2.2.254";
    private static final int CLIENT_PORT = 50618;
    private static final int SERVER_TID = 3445;
    private static final int UDP = 17;

    private final TftpAlg alg = new TftpAlg();
    private final Packet packet = new Packet();
    private Engine engine;
    private long now = 1_000 * SECOND;

    private void sourceNat() {
        EngineConfig config = new EngineConfig(Map.of(), List.of(
                new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("1.1.1.1/24"))),
                new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("2.2.2.1/24")))),
                List.of(), List.of(new SourceNatRule(10, "", false, "outside", SourceNatRule.ANY_PROTOCOL, null, null,
                        null, null, false, AddressRange.parse(PUBLIC), null)));
        engine = new Engine(config, new EngineLimits(64), Timeouts.defaults(), List.of(alg));
    }

    private void destinationNat() {
        EngineConfig config = new EngineConfig(Map.of(), List.of(
                new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("2.2.2.1/24"))),
                new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("1.1.1.1/24")))),
                List.of(), List.of(), List.of(new DestinationNatRule(10, "", false, "outside", UDP, null, null,
                        AddressRange.parse(PUBLIC), null, false, AddressRange.parse(SERVER), null)),
                Map.of(), List.of());
        engine = new Engine(config, new EngineLimits(64), Timeouts.defaults(), List.of(alg));
    }

    private Verdict send(MemorySegment segment, int ingress) {
        packet.segment = segment;
        packet.offset = 0;
        packet.length = (int) segment.byteSize();
        packet.capacity = 0;
        packet.ingressInterface = ingress;
        return engine.process(packet, now);
    }

    private static MemorySegment udp(String from, int fromPort, String to, int toPort, byte[] payload) {
        return TestPackets.udp().from(from, fromPort).to(to, toPort).payload(payload).build();
    }

    private static final byte[] ACK_BLOCK_1 = {0, 4, 0, 1};
    private static final byte[] DATA_BLOCK_1 = {0, 3, 0, 1, 'h', 'i'};

    private static int address(String dotted) {
        return Ipv4Addresses.parse(dotted);
    }

    private static Ipv4Header ip(MemorySegment segment) {
        return new Ipv4Header().wrap(segment, 0);
    }

    private static UdpHeader udpHeader(MemorySegment segment) {
        return new UdpHeader().wrap(segment, 20);
    }

    private SessionView sessionFrom(String source, int port) {
        return TestSessions.from(engine.sessions(now), source, port);
    }

    @Test
    void replyFromTheServersNewPortReachesASourceNatedClient() {
        sourceNat();
        MemorySegment rrq = udp(CLIENT, CLIENT_PORT, SERVER, 69, TftpFixtures.request("tftp-hpa-rrq-octet"));
        assertEquals(Verdict.FORWARD, send(rrq, INSIDE));
        assertEquals(address(PUBLIC), ip(rrq).sourceAddress());
        assertEquals(CLIENT_PORT, udpHeader(rrq).sourcePort());

        MemorySegment data = udp(SERVER, SERVER_TID, PUBLIC, CLIENT_PORT, DATA_BLOCK_1);
        assertEquals(Verdict.FORWARD, send(data, OUTSIDE));
        assertEquals(address(CLIENT), ip(data).destinationAddress());
        assertEquals(CLIENT_PORT, udpHeader(data).destinationPort());
        assertEquals(INSIDE, packet.egressInterface);
        assertTrue(ReferenceChecksum.areAllChecksumsValid(data, 0));

        MemorySegment ack = udp(CLIENT, CLIENT_PORT, SERVER, SERVER_TID, ACK_BLOCK_1);
        assertEquals(Verdict.FORWARD, send(ack, INSIDE));
        assertEquals(address(PUBLIC), ip(ack).sourceAddress(), "the client's next packet leaves as the request did");
        assertEquals(CLIENT_PORT, udpHeader(ack).sourcePort());
        assertEquals(SERVER_TID, udpHeader(ack).destinationPort());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(ack, 0));

        SessionView parent = sessionFrom(CLIENT, CLIENT_PORT);
        SessionView child = sessionFrom(SERVER, SERVER_TID);
        assertEquals(parent.id(), child.parentId());
        assertEquals(AlgId.TFTP, parent.alg());
        assertEquals(AlgId.TFTP, child.alg());
        assertEquals(1, alg.count(TftpReason.OK));
        assertEquals(1, engine.algCounters().count(AlgEvent.EXPECTATION_MATCHED));
    }

    @Test
    void replyFromADestinationNatedServerAppearsFromTheAddressTheClientAsked() {
        destinationNat();
        MemorySegment wrq = udp(CLIENT, CLIENT_PORT, PUBLIC, 69, TftpFixtures.request("tftp-hpa-wrq-netascii"));
        assertEquals(Verdict.FORWARD, send(wrq, OUTSIDE));
        assertEquals(address(SERVER), ip(wrq).destinationAddress());

        MemorySegment ack = udp(SERVER, SERVER_TID, CLIENT, CLIENT_PORT, new byte[] {0, 4, 0, 0});
        assertEquals(Verdict.FORWARD, send(ack, INSIDE));
        assertEquals(address(PUBLIC), ip(ack).sourceAddress());
        assertEquals(SERVER_TID, udpHeader(ack).sourcePort(), "the server's new port is kept");
        assertEquals(address(CLIENT), ip(ack).destinationAddress());
        assertEquals(OUTSIDE, packet.egressInterface);
        assertTrue(ReferenceChecksum.areAllChecksumsValid(ack, 0));

        MemorySegment data = udp(CLIENT, CLIENT_PORT, PUBLIC, SERVER_TID, DATA_BLOCK_1);
        assertEquals(Verdict.FORWARD, send(data, OUTSIDE));
        assertEquals(address(SERVER), ip(data).destinationAddress());
        assertEquals(SERVER_TID, udpHeader(data).destinationPort());
        assertEquals(sessionFrom(CLIENT, CLIENT_PORT).id(), sessionFrom(SERVER, SERVER_TID).parentId());
    }

    @Test
    void optionsAndTheServersOackPassUntouched() {
        sourceNat();
        byte[] request = TftpFixtures.request("curl-rrq-with-options");
        MemorySegment rrq = udp(CLIENT, CLIENT_PORT, SERVER, 69, request);
        assertEquals(Verdict.FORWARD, send(rrq, INSIDE));
        assertArrayEquals(request, rrq.asSlice(28, request.length).toArray(ValueLayout.JAVA_BYTE));

        byte[] oack = "\0\6tsize\0004096\0blksize\0001428\0timeout\0001\0".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1);
        MemorySegment reply = udp(SERVER, SERVER_TID, PUBLIC, CLIENT_PORT, oack);
        assertEquals(Verdict.FORWARD, send(reply, OUTSIDE));
        assertArrayEquals(oack, reply.asSlice(28, oack.length).toArray(ValueLayout.JAVA_BYTE));
        assertTrue(ReferenceChecksum.areAllChecksumsValid(reply, 0));
    }

    @Test
    void retransmittedRequestRefreshesItsExpectation() {
        sourceNat();
        byte[] request = TftpFixtures.request("tftp-hpa-rrq-octet");
        send(udp(CLIENT, CLIENT_PORT, SERVER, 69, request), INSIDE);
        now += 8 * SECOND;
        send(udp(CLIENT, CLIENT_PORT, SERVER, 69, request), INSIDE);
        assertEquals(1, engine.algCounters().count(AlgEvent.EXPECTATION_REFRESHED));
        now += 8 * SECOND;
        assertEquals(Verdict.FORWARD, send(udp(SERVER, SERVER_TID, PUBLIC, CLIENT_PORT, DATA_BLOCK_1), OUTSIDE));
    }

    @Test
    void unansweredRequestsExpectationTimesOut() {
        sourceNat();
        send(udp(CLIENT, CLIENT_PORT, SERVER, 69, TftpFixtures.request("tftp-hpa-rrq-octet")), INSIDE);
        now += TftpAlg.POLICY.expectationTimeoutSeconds() * SECOND;
        assertEquals(Verdict.DROP, send(udp(SERVER, SERVER_TID, PUBLIC, CLIENT_PORT, DATA_BLOCK_1), OUTSIDE));
        assertEquals(1, engine.algCounters().count(AlgEvent.EXPECTATION_EXPIRED));
    }

    @Test
    void malformedRequestIsDroppedAndCounted() {
        sourceNat();
        byte[] unterminated = "\0\1pxelinux.0\0octet".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(Verdict.DROP, send(udp(CLIENT, CLIENT_PORT, SERVER, 69, unterminated), INSIDE));
        assertEquals(1, alg.count(TftpReason.MODE_UNTERMINATED));
        assertEquals(1, engine.counters().drops(DropReason.ALG));
        assertEquals(0, engine.algCounters().expectationsActive());
    }

    @Test
    void unknownOpcodeIsDroppedButAnErrorPasses() {
        sourceNat();
        assertEquals(Verdict.DROP, send(udp(CLIENT, CLIENT_PORT, SERVER, 69, new byte[] {0, 9, 'x', 0}), INSIDE));
        assertEquals(1, alg.count(TftpReason.UNKNOWN_OPCODE));
        byte[] error = "\0\5\0\0bye\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(Verdict.FORWARD, send(udp(CLIENT, CLIENT_PORT + 1, SERVER, 69, error), INSIDE));
        assertEquals(1, alg.count(TftpReason.NOT_A_REQUEST));
        assertEquals(0, engine.algCounters().expectationsActive());
    }

    private long tftp(AlgStatistic statistic) {
        return engine.algCounters().count(AlgId.TFTP, statistic);
    }

    @Test
    void requestAnsweredUnansweredAndMalformedMoveTftpsStatistics() {
        sourceNat();
        send(udp(CLIENT, CLIENT_PORT, SERVER, 69, TftpFixtures.request("tftp-hpa-rrq-octet")), INSIDE);
        send(udp(SERVER, SERVER_TID, PUBLIC, CLIENT_PORT, DATA_BLOCK_1), OUTSIDE);
        send(udp(CLIENT, CLIENT_PORT + 1, SERVER, 69, TftpFixtures.request("tftp-hpa-rrq-octet")), INSIDE);
        byte[] unterminated = "\0\1pxelinux.0\0octet".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        send(udp(CLIENT, CLIENT_PORT + 2, SERVER, 69, unterminated), INSIDE);
        now += (TftpAlg.POLICY.expectationTimeoutSeconds() + 1) * SECOND;
        engine.expire(now);

        assertEquals(3, tftp(AlgStatistic.INSPECTED));
        assertEquals(0, tftp(AlgStatistic.TRANSLATED), "TFTP rewrites no payload");
        assertEquals(2, tftp(AlgStatistic.EXPECTATIONS_CREATED));
        assertEquals(1, tftp(AlgStatistic.EXPECTATIONS_USED));
        assertEquals(1, tftp(AlgStatistic.EXPECTATIONS_EXPIRED));
        assertEquals(1, tftp(AlgStatistic.PARSE_ERRORS));
        assertEquals(1, tftp(AlgStatistic.DROPS));
    }
}
