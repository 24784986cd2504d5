package dev.algd.engine.alg.tftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.Engine;
import dev.algd.engine.EngineLimits;
import dev.algd.engine.Packet;
import dev.algd.engine.SessionView;
import dev.algd.engine.Verdict;
import dev.algd.engine.alg.AlgStatistic;
import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.DestinationNatRule;
import dev.algd.engine.config.Ipv6Address;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.packet.Ipv6Header;
import dev.algd.engine.packet.UdpHeader;
import dev.algd.engine.session.Timeouts;
import dev.algd.engine.testing.DualStackNetwork;
import dev.algd.engine.testing.Ipv6TestPackets;
import dev.algd.engine.testing.TestSessions;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TftpAlg} over IPv6 through NAT66: alg-behaviour.md §5 vectors 9 and 10 with IPv6 addresses.
 * <pre>
 *  client 2001:db8:1::2 -- eth0 2001:db8:1::1/64 [algd] eth1 2001:db8:2::1/64 -- server 2001:db8:2::2
 *  SNAT66: the client leaves as 2001:db8:2::254; DNAT66: the server 2001:db8:1::5 inside is 2001:db8:2::254
 * </pre>
 */
class TftpAlgIpv6Test {
    private static final int INSIDE = DualStackNetwork.INSIDE;
    private static final int OUTSIDE = DualStackNetwork.OUTSIDE;
    private static final long SECOND = 1_000_000_000L;
    private static final String CLIENT = "2001:db8:1::2";
    private static final String SERVER = "2001:db8:2::2";
    private static final String PUBLIC = "2001:db8:2::254";
    private static final String INSIDE_SERVER = "2001:db8:1::5";
    private static final int CLIENT_PORT = 50618;
    private static final int SERVER_TID = 3445;
    private static final int UDP = 17;
    private static final byte[] ACK_BLOCK_1 = {0, 4, 0, 1};
    private static final byte[] DATA_BLOCK_1 = {0, 3, 0, 1, 'h', 'i'};

    private final TftpAlg alg = new TftpAlg();
    private final Packet packet = new Packet();
    private Engine engine;
    private final long now = 1_000 * SECOND;

    private void start(List<SourceNatRule> sourceNat, List<DestinationNatRule> destinationNat) {
        engine = new Engine(DualStackNetwork.config(sourceNat, destinationNat), new EngineLimits(64),
                Timeouts.defaults(), List.of(alg));
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
        return Ipv6TestPackets.udp().from(from, fromPort).to(to, toPort).payload(payload).build();
    }

    private static Ipv6Address source(MemorySegment segment) {
        Ipv6Header ip = new Ipv6Header().wrap(segment, 0);
        return new Ipv6Address(ip.sourceHigh(), ip.sourceLow());
    }

    private static Ipv6Address destination(MemorySegment segment) {
        Ipv6Header ip = new Ipv6Header().wrap(segment, 0);
        return new Ipv6Address(ip.destinationHigh(), ip.destinationLow());
    }

    private static UdpHeader udpHeader(MemorySegment segment) {
        return new UdpHeader().wrap(segment, Ipv6Header.LENGTH);
    }

    private SessionView sessionFrom(String source, int port) {
        return TestSessions.from(engine.sessions(now), source, port);
    }

    @Test
    void replyFromTheServersNewPortReachesAClientBehindNat66() {
        start(List.of(new SourceNatRule(10, "", false, "outside", SourceNatRule.ANY_PROTOCOL, null, null, null, null,
                false, AddressRange.parse(PUBLIC), null)), List.of());
        MemorySegment rrq = udp(CLIENT, CLIENT_PORT, SERVER, 69, TftpFixtures.request("tftp-hpa-rrq-octet"));
        assertEquals(Verdict.FORWARD, send(rrq, INSIDE));
        assertEquals(Ipv6Address.parse(PUBLIC), source(rrq));

        MemorySegment data = udp(SERVER, SERVER_TID, PUBLIC, udpHeader(rrq).sourcePort(), DATA_BLOCK_1);
        assertEquals(Verdict.FORWARD, send(data, OUTSIDE));
        assertEquals(Ipv6Address.parse(CLIENT), destination(data));
        assertEquals(CLIENT_PORT, udpHeader(data).destinationPort());
        assertEquals(INSIDE, packet.egressInterface);
        assertTrue(Ipv6TestPackets.isChecksumValid(data, packet.length));

        MemorySegment ack = udp(CLIENT, CLIENT_PORT, SERVER, SERVER_TID, ACK_BLOCK_1);
        assertEquals(Verdict.FORWARD, send(ack, INSIDE));
        assertEquals(Ipv6Address.parse(PUBLIC), source(ack), "the client's next packet leaves as the request did");
        assertEquals(SERVER_TID, udpHeader(ack).destinationPort());

        SessionView child = sessionFrom(SERVER, SERVER_TID);
        assertEquals(sessionFrom(CLIENT, CLIENT_PORT).id(), child.parentId());
        assertEquals(AlgId.TFTP, child.alg());
        assertEquals(1, engine.algCounters().count(AlgId.TFTP, AlgStatistic.EXPECTATIONS_USED));
        assertEquals(1, alg.count(TftpReason.OK));
    }

    @Test
    void replyOfAServerBehindDestinationNat66ComesFromThePublicAddress() {
        start(List.of(), List.of(new DestinationNatRule(10, "", false, "outside", UDP, null, null,
                AddressRange.parse(PUBLIC), null, false, AddressRange.parse(INSIDE_SERVER), null)));
        String outsideClient = "2001:db8:2::9";
        MemorySegment wrq = udp(outsideClient, CLIENT_PORT, PUBLIC, 69, TftpFixtures.request("tftp-hpa-rrq-octet"));
        assertEquals(Verdict.FORWARD, send(wrq, OUTSIDE));
        assertEquals(Ipv6Address.parse(INSIDE_SERVER), destination(wrq));

        MemorySegment reply = udp(INSIDE_SERVER, SERVER_TID, outsideClient, CLIENT_PORT, DATA_BLOCK_1);
        assertEquals(Verdict.FORWARD, send(reply, INSIDE));
        assertEquals(Ipv6Address.parse(PUBLIC), source(reply));
        assertEquals(SERVER_TID, udpHeader(reply).sourcePort(), "the server's new port is kept");
        assertEquals(OUTSIDE, packet.egressInterface);
        assertTrue(Ipv6TestPackets.isChecksumValid(reply, packet.length));
        assertEquals(sessionFrom(outsideClient, CLIENT_PORT).id(), sessionFrom(INSIDE_SERVER, SERVER_TID).parentId());
    }

    @Test
    void withoutARequestTheServersNewPortIsNotLetIn() {
        start(List.of(new SourceNatRule(10, "", false, "outside", SourceNatRule.ANY_PROTOCOL, null, null, null, null,
                false, AddressRange.parse(PUBLIC), null)), List.of());
        MemorySegment notARequest = udp(CLIENT, CLIENT_PORT, SERVER, 69, ACK_BLOCK_1);
        assertEquals(Verdict.FORWARD, send(notARequest, INSIDE));
        assertEquals(0, engine.algCounters().expectationsActive());
        assertEquals(Verdict.DROP, send(udp(SERVER, SERVER_TID, PUBLIC, CLIENT_PORT, DATA_BLOCK_1), OUTSIDE));
    }
}
