package dev.algd.engine.alg.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.AlgSessionEvent;
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
import dev.algd.engine.config.Ipv6Address;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.packet.Ipv6Header;
import dev.algd.engine.packet.TcpHeader;
import dev.algd.engine.session.Timeouts;
import dev.algd.engine.testing.DualStackNetwork;
import dev.algd.engine.testing.Ipv6TestPackets;
import dev.algd.engine.testing.TestSessions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link FtpAlg} over IPv6 through NAT66, frames in and frames out, checksums judged by {@link Ipv6TestPackets}:
 * <pre>
 *  client 2001:db8:1::10 -- eth0 2001:db8:1::1/64 [algd] eth1 2001:db8:2::1/64 -- server 2001:db8:2::7
 *  SNAT66: the client leaves as 2001:db8:2::20 (or the longer 2001:db8:2::200)
 *  DNAT66: an outside client 2001:db8:2::9 reaches the inside server 2001:db8:1::5 at 2001:db8:2::20
 * </pre>
 */
class FtpAlgIpv6Test {
    private static final int INSIDE = DualStackNetwork.INSIDE;
    private static final int OUTSIDE = DualStackNetwork.OUTSIDE;
    private static final long SECOND = 1_000_000_000L;
    private static final String CLIENT = "2001:db8:1::10";
    private static final String SERVER = "2001:db8:2::7";
    private static final String PUBLIC = "2001:db8:2::20";
    private static final String INSIDE_SERVER = "2001:db8:1::5";
    private static final String OUTSIDE_CLIENT = "2001:db8:2::9";
    private static final int CLIENT_PORT = 46682;
    private static final int DATA_PORT = 9819;
    private static final int ROOM = 2048;
    private static final int TCP = 6;

    private final FtpAlg alg = new FtpAlg();
    private final Packet packet = new Packet();
    private final Arena arena = Arena.ofAuto();
    private Engine engine;
    private final long now = 1_000 * SECOND;
    private String client = CLIENT;
    private String clientAsSeen = CLIENT;
    private String server = SERVER;
    private String serverAsSeen = SERVER;
    private int clientSide = INSIDE;
    private int serverSide = OUTSIDE;

    private void sourceNat(String translation) {
        clientAsSeen = translation;
        start(List.of(new SourceNatRule(10, "", false, "outside", SourceNatRule.ANY_PROTOCOL, null, null, null, null,
                false, AddressRange.parse(translation), null)), List.of());
    }

    private void destinationNat() {
        client = OUTSIDE_CLIENT;
        clientAsSeen = OUTSIDE_CLIENT;
        server = INSIDE_SERVER;
        serverAsSeen = PUBLIC;
        clientSide = OUTSIDE;
        serverSide = INSIDE;
        start(List.of(), List.of(new DestinationNatRule(10, "", false, "outside", TCP, null, null,
                AddressRange.parse(PUBLIC), null, false, AddressRange.parse(INSIDE_SERVER), null)));
    }

    private void start(List<SourceNatRule> sourceNat, List<DestinationNatRule> destinationNat) {
        engine = new Engine(DualStackNetwork.config(sourceNat, destinationNat), new EngineLimits(64),
                Timeouts.defaults(), List.of(alg));
        send(Ipv6TestPackets.tcp().from(client, CLIENT_PORT).to(serverAsSeen, 21).seq(999).flags(TcpHeader.SYN),
                clientSide);
        send(Ipv6TestPackets.tcp().from(server, 21).to(clientAsSeen, CLIENT_PORT).seq(4999).ack(1000)
                .flags(TcpHeader.SYN | TcpHeader.ACK), serverSide);
    }

    /** Sends a packet in a buffer with room to grow; returns the buffer (the packet starts at 0). */
    private MemorySegment send(Ipv6TestPackets builder, int ingress) {
        MemorySegment buffer = arena.allocate(ROOM);
        assertEquals(Verdict.FORWARD, send(buffer, builder, ingress));
        return buffer;
    }

    private Verdict send(MemorySegment buffer, Ipv6TestPackets builder, int ingress) {
        byte[] bytes = builder.bytes();
        MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
        packet.segment = buffer;
        packet.offset = 0;
        packet.length = bytes.length;
        packet.capacity = ROOM;
        packet.ingressInterface = ingress;
        return engine.process(packet, now);
    }

    private Ipv6TestPackets clientLine(long seq, String line) {
        return Ipv6TestPackets.tcp().from(client, CLIENT_PORT).to(serverAsSeen, 21).seq(seq).ack(5000)
                .flags(TcpHeader.ACK | TcpHeader.PSH).payload(line);
    }

    private MemorySegment fromServer(String line) {
        return send(Ipv6TestPackets.tcp().from(server, 21).to(clientAsSeen, CLIENT_PORT).seq(5000).ack(1000)
                .flags(TcpHeader.ACK | TcpHeader.PSH).payload(line), serverSide);
    }

    private String payload(MemorySegment buffer) {
        int from = Ipv6Header.LENGTH + tcp(buffer).headerLength();
        assertTrue(Ipv6TestPackets.isChecksumValid(buffer, packet.length), "TCP checksum over IPv6");
        assertEquals(packet.length, Ipv6Header.LENGTH + new Ipv6Header().wrap(buffer, 0).payloadLength(),
                "payload length field follows the rewrite");
        return new String(buffer.asSlice(from, packet.length - from).toArray(ValueLayout.JAVA_BYTE),
                StandardCharsets.US_ASCII);
    }

    private static TcpHeader tcp(MemorySegment buffer) {
        return new TcpHeader().wrap(buffer, Ipv6Header.LENGTH);
    }

    private static Ipv6Address destination(MemorySegment buffer) {
        Ipv6Header ip = new Ipv6Header().wrap(buffer, 0);
        return new Ipv6Address(ip.destinationHigh(), ip.destinationLow());
    }

    private static Ipv6Address source(MemorySegment buffer) {
        Ipv6Header ip = new Ipv6Header().wrap(buffer, 0);
        return new Ipv6Address(ip.sourceHigh(), ip.sourceLow());
    }

    private SessionView sessionFrom(String source, int port) {
        return TestSessions.from(engine.sessions(now), source, port);
    }

    private void assertChildOfTheControlSession(String source, int port) {
        SessionView child = sessionFrom(source, port);
        assertEquals(sessionFrom(client, CLIENT_PORT).id(), child.parentId(), "the data session's parent");
        assertEquals(AlgId.FTP, child.alg());
    }

    @Test
    void eprtOfAClientBehindNat66NamesItsTranslatedAddressAndTheServersDataConnectionReachesIt() {
        sourceNat("2001:db8:2::200");
        String rewritten = payload(send(clientLine(1000, "EPRT |2|2001:db8:1::10|9819|\r\n"), INSIDE));
        assertEquals("EPRT |2|2001:db8:2::200|9819|\r\n", rewritten);
        assertEquals(1, alg.count(FtpEvent.REWRITTEN));

        // One byte longer: the client's next segment is shifted, the server's acknowledgement shifted back.
        assertEquals(1031, tcp(send(clientLine(1030, "LIST\r\n"), INSIDE)).sequenceNumber());
        MemorySegment ack = send(Ipv6TestPackets.tcp().from(SERVER, 21).to("2001:db8:2::200", CLIENT_PORT)
                .seq(5000).ack(1037).flags(TcpHeader.ACK), OUTSIDE);
        assertEquals(1036, tcp(ack).acknowledgmentNumber());
        assertTrue(Ipv6TestPackets.isChecksumValid(ack, packet.length));

        MemorySegment data = send(Ipv6TestPackets.tcp().from(SERVER, 20).to("2001:db8:2::200", DATA_PORT)
                .flags(TcpHeader.SYN), OUTSIDE);
        assertEquals(Ipv6Address.parse(CLIENT), destination(data));
        assertEquals(DATA_PORT, tcp(data).destinationPort());
        assertEquals(INSIDE, packet.egressInterface);
        assertTrue(Ipv6TestPackets.isChecksumValid(data, packet.length));
        assertChildOfTheControlSession(SERVER, 20);
        assertEquals(1, engine.algCounters().count(AlgEvent.EXPECTATION_MATCHED));
        assertEquals(1, engine.algCounters().count(AlgId.FTP, AlgStatistic.EXPECTATIONS_USED));
    }

    @Test
    void epsvReplyToAClientBehindNat66PassesAndTheClientsDataConnectionIsAChild() {
        sourceNat(PUBLIC);
        String reply = "229 Entering Extended Passive Mode (|||50000|)\r\n";
        assertEquals(reply, payload(fromServer(reply)));

        MemorySegment data = send(Ipv6TestPackets.tcp().from(CLIENT, 49888).to(SERVER, 50000).flags(TcpHeader.SYN),
                INSIDE);
        assertEquals(Ipv6Address.parse(PUBLIC), source(data), "the child is source-NATed like any new flow");
        assertEquals(OUTSIDE, packet.egressInterface);
        assertChildOfTheControlSession(CLIENT, 49888);
    }

    @Test
    void epsvReplyOfAServerBehindDestinationNat66OpensThePinholeToTheInsideServer() {
        destinationNat();
        String reply = "229 Entering Extended Passive Mode (|||50000|)\r\n";
        MemorySegment out = fromServer(reply);
        assertEquals(reply, payload(out));
        assertEquals(Ipv6Address.parse(PUBLIC), source(out));

        MemorySegment data = send(Ipv6TestPackets.tcp().from(OUTSIDE_CLIENT, 49888).to(PUBLIC, 50000)
                .flags(TcpHeader.SYN), OUTSIDE);
        assertEquals(Ipv6Address.parse(INSIDE_SERVER), destination(data));
        assertEquals(50000, tcp(data).destinationPort());
        assertEquals(INSIDE, packet.egressInterface);
        assertChildOfTheControlSession(OUTSIDE_CLIENT, 49888);
    }

    @Test
    void withoutTheReplyTheDataConnectionToTheTranslatedAddressIsRefused() {
        sourceNat(PUBLIC);
        MemorySegment buffer = arena.allocate(ROOM);
        assertEquals(Verdict.DROP, send(buffer, Ipv6TestPackets.tcp().from(SERVER, 20).to(PUBLIC, DATA_PORT)
                .flags(TcpHeader.SYN), OUTSIDE), "no pinhole, no session");
        assertEquals(1, engine.counters().drops(DropReason.NO_SESSION_FOR_TRANSLATION_ADDRESS));
    }

    @Test
    void eprtNamingAnIpv4AddressOnAnIpv6ControlConnectionIsRefusedAsABounce() {
        sourceNat(PUBLIC);
        MemorySegment buffer = arena.allocate(ROOM);
        assertEquals(Verdict.DROP, send(buffer, clientLine(1000, "EPRT |1|192.0.2.10|9819|\r\n"), INSIDE));
        assertEquals(1, alg.count(FtpEvent.OTHER_ADDRESS_FAMILY));
        assertEquals(1, alg.count(FtpEvent.BOUNCE_REFUSED));
        assertEquals(1, engine.counters().drops(DropReason.ALG));
        assertEquals(0, engine.algCounters().expectationsActive());
    }

    @Test
    void eprtNamingAnotherIpv6HostIsRefusedAsABounce() {
        sourceNat(PUBLIC);
        MemorySegment buffer = arena.allocate(ROOM);
        assertEquals(Verdict.DROP, send(buffer, clientLine(1000, "EPRT |2|2001:db8:1::99|25|\r\n"), INSIDE));
        assertEquals(1, alg.count(FtpEvent.BOUNCE_REFUSED));
        assertEquals(0, alg.count(FtpEvent.OTHER_ADDRESS_FAMILY));
    }

    @Test
    void pasvReplyOnAnIpv6ControlConnectionPassesUntouched() {
        destinationNat();
        String reply = "227 Entering Passive Mode (192,0,2,5,38,91).\r\n";
        assertEquals(reply, payload(fromServer(reply)));
        assertEquals(1, alg.count(FtpEvent.OTHER_ADDRESS_FAMILY));
        assertEquals(1, alg.count(FtpEvent.ADDRESS_NOT_THE_SERVERS));
        assertEquals(0, engine.algCounters().expectationsActive());
    }

    @Test
    void ipv6ControlAndDataSessionsRaiseAlgSessionEventsWithTheirParent() throws Exception {
        sourceNat(PUBLIC);
        payload(send(clientLine(1000, "EPRT |2|2001:db8:1::10|9819|\r\n"), INSIDE));
        send(Ipv6TestPackets.tcp().from(SERVER, 20).to(PUBLIC, DATA_PORT).flags(TcpHeader.SYN), OUTSIDE);
        List<AlgSessionEvent> events = engine.drainAlgSessionEvents(10);
        assertEquals(2, events.size());
        AlgSessionEvent control = events.get(0);
        assertEquals(InetAddress.getByName(CLIENT), control.sourceAddress());
        assertEquals(InetAddress.getByName(PUBLIC), control.translatedAddress());
        assertEquals(0, control.parentId());
        AlgSessionEvent data = events.get(1);
        assertEquals(control.id(), data.parentId());
        assertEquals(InetAddress.getByName(SERVER), data.sourceAddress());
        assertEquals(AlgId.FTP, data.alg());
    }

    @Test
    void theExpectationGoesWithItsIpv6Parent() {
        sourceNat(PUBLIC);
        payload(send(clientLine(1000, "EPRT |2|2001:db8:1::10|9819|\r\n"), INSIDE));
        assertEquals(1, engine.algCounters().expectationsActive());
        send(Ipv6TestPackets.tcp().from(CLIENT, CLIENT_PORT).to(SERVER, 21).seq(1030).ack(5000)
                .flags(TcpHeader.RST), INSIDE);
        engine.expire(now + 30 * SECOND);
        assertEquals(0, engine.algCounters().expectationsActive(), "removed with the control session");
        assertEquals(1, engine.algCounters().count(AlgEvent.EXPECTATION_REMOVED_WITH_PARENT));
    }
}
