package dev.algd.engine.alg.rpc;

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
import dev.algd.engine.SessionView;
import dev.algd.engine.Verdict;
import dev.algd.engine.alg.AlgEvent;
import dev.algd.engine.alg.AlgStatistic;
import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.AlgSettings;
import dev.algd.engine.config.DestinationNatRule;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.FirewallAttachment;
import dev.algd.engine.config.FirewallRule;
import dev.algd.engine.config.FirewallRule.ConnectionState;
import dev.algd.engine.config.FirewallRuleSet;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Addresses;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.PortRange;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.packet.Ipv4Header;
import dev.algd.engine.session.Timeouts;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link RpcAlg} through the engine, frames in and frames out, with alg-behaviour.md §5 vector 11 (Vyatta's
 * {@code dp_test_npf_alg_rpc.c}) and its variants:
 * <pre>
 *  client 1.1.1.2 -- eth0 1.1.1.1/24 [algd] eth1 2.2.2.1/24 -- server 2.2.2.2 (portmapper on 111, service on 1025)
 *  outbound firewall on eth1: accept RELATED, accept udp/tcp to port 111, drop the rest ("dst-port 111 only")
 *  SNAT variant: the client leaves as 2.2.2.254; DNAT variant: the client reaches the server at 2.2.2.254
 * </pre>
 */
class RpcAlgTest {
    private static final int INSIDE = 0;
    private static final int OUTSIDE = 1;
    private static final long SECOND = 1_000_000_000L;
    private static final String CLIENT = "1.1.1.2";
    private static final String SERVER = "2.2.2.2";
    private static final String PUBLIC = "2.2.2.254";
    private static final int CLIENT_PORT = 50618;
    private static final int SERVICE_PORT = 1025;
    private static final int XID = 0x01020304;
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int ROOM = 2048;

    private final RpcAlg alg = new RpcAlg();
    private final Packet packet = new Packet();
    private final Arena arena = Arena.ofAuto();
    private Engine engine;
    private long now = 1_000 * SECOND;
    private String clientAsSeen = CLIENT;
    private String serverAsSeen = SERVER;

    private static FirewallRule accept(long id, int protocol, String port, ConnectionState... states) {
        return new FirewallRule(id, true, protocol, null, null, null, port == null ? null : PortRange.parse(port),
                Set.of(states));
    }

    private void start(List<SourceNatRule> sourceNat, List<DestinationNatRule> destinationNat, List<Long> programs,
            boolean isEnabled) {
        FirewallRuleSet portmapOnly = new FirewallRuleSet("outside-out", false, List.of(
                accept(10, SourceNatRule.ANY_PROTOCOL, null, ConnectionState.RELATED, ConnectionState.ESTABLISHED),
                accept(20, UDP, "111"), accept(30, TCP, "111")));
        EngineConfig config = new EngineConfig(
                Map.of(AlgId.RPC, new AlgSettings(AlgId.RPC, isEnabled, List.of(), programs)),
                List.of(new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("1.1.1.1/24"))),
                        new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("2.2.2.1/24")))),
                List.of(), sourceNat, destinationNat, Map.of("outside-out", portmapOnly),
                List.of(new FirewallAttachment("outside", false, "outside-out")));
        engine = new Engine(config, new EngineLimits(64), Timeouts.defaults(), List.of(alg));
    }

    private void start() {
        start(List.of(), List.of(), List.of(), true);
    }

    private void sourceNat() {
        clientAsSeen = PUBLIC;
        start(List.of(new SourceNatRule(10, "", false, "outside", SourceNatRule.ANY_PROTOCOL, null, null, null, null,
                false, AddressRange.parse(PUBLIC), null)), List.of(), List.of(), true);
    }

    private void destinationNat() {
        serverAsSeen = PUBLIC;
        start(List.of(), List.of(new DestinationNatRule(10, "", false, "inside", SourceNatRule.ANY_PROTOCOL, null,
                null, AddressRange.parse(PUBLIC), null, false, AddressRange.parse(SERVER), null)), List.of(), true);
    }

    private Verdict send(TestPackets builder, int ingress) {
        MemorySegment buffer = arena.allocate(ROOM);
        packet.segment = buffer;
        packet.offset = 0;
        packet.length = builder.writeInto(buffer, 0);
        packet.capacity = ROOM;
        packet.ingressInterface = ingress;
        return engine.process(packet, now);
    }

    private static RpcMessageWriter writer() {
        return new RpcMessageWriter(MemorySegment.ofArray(new byte[1024]));
    }

    private Verdict callOverUdp(byte[] call) {
        return send(TestPackets.udp().from(CLIENT, CLIENT_PORT).to(serverAsSeen, 111).payload(call), INSIDE);
    }

    private Verdict replyOverUdp(byte[] reply) {
        return send(TestPackets.udp().from(SERVER, 111).to(clientAsSeen, CLIENT_PORT).payload(reply), OUTSIDE);
    }

    private Verdict clientFlow(int protocol, int sourcePort, int destinationPort) {
        TestPackets builder = protocol == UDP ? TestPackets.udp().payload(new byte[] {1, 2, 3, 4})
                : TestPackets.tcp().flags(SYN);
        return send(builder.from(CLIENT, sourcePort).to(serverAsSeen, destinationPort), INSIDE);
    }

    private SessionView session(int destinationPort) {
        return engine.sessions(now).stream().filter(s -> s.destinationPort() == destinationPort).findFirst()
                .orElseThrow();
    }

    private byte[] getPort(int xid, long program, int protocol) {
        return writer().getPortCall(xid, program, 1, protocol).toArray();
    }

    @Test
    void vector11GetPortReplyLetsTheClientPastAPortmapOnlyFirewall() {
        start();
        assertEquals(Verdict.DROP, clientFlow(UDP, 30123, SERVICE_PORT), "without a GETPORT the firewall drops it");
        assertEquals(1, engine.counters().drops(DropReason.FIREWALL_OUTBOUND));

        assertEquals(Verdict.FORWARD, callOverUdp(getPort(XID, 100_000, UDP)));
        byte[] reply = writer().getPortReply(XID, SERVICE_PORT).toArray();
        assertEquals(Verdict.FORWARD, replyOverUdp(reply));
        assertEquals(1, alg.count(RpcEvent.CHILD_EXPECTED));

        assertEquals(Verdict.FORWARD, clientFlow(UDP, 30123, SERVICE_PORT));
        SessionView child = session(SERVICE_PORT);
        assertEquals(session(111).id(), child.parentId());
        assertEquals(AlgId.RPC, child.alg());
        assertEquals(1, engine.algCounters().count(AlgEvent.EXPECTATION_MATCHED));
        assertEquals(0, alg.pendingCalls(now), "the reply answered the call");
    }

    @Test
    void replyIsNotRewritten() {
        start();
        callOverUdp(getPort(XID, 100_003, UDP));
        byte[] reply = writer().getPortReply(XID, 2049).toArray();
        MemorySegment buffer = arena.allocate(ROOM);
        packet.segment = buffer;
        packet.offset = 0;
        packet.length = TestPackets.udp().from(SERVER, 111).to(CLIENT, CLIENT_PORT).payload(reply)
                .writeInto(buffer, 0);
        packet.capacity = ROOM;
        packet.ingressInterface = OUTSIDE;
        assertEquals(Verdict.FORWARD, engine.process(packet, now));
        assertArrayEquals(reply, buffer.asSlice(28, reply.length).toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void childOfASourceNatedClientLeavesTranslated() {
        sourceNat();
        callOverUdp(getPort(XID, 100_005, TCP));
        replyOverUdp(writer().getPortReply(XID, 635).toArray());
        assertEquals(Verdict.FORWARD, clientFlow(TCP, 40000, 635), "a UDP query for a TCP service expects TCP");
        SessionView child = session(635);
        assertEquals(Ipv4Addresses.parse(PUBLIC), child.translatedAddress());
        assertEquals(session(111).id(), child.parentId());
    }

    @Test
    void childOfADestinationNatedServerGoesOnToTheServer() {
        destinationNat();
        callOverUdp(getPort(XID, 100_021, UDP));
        replyOverUdp(writer().getPortReply(XID, 4045).toArray());
        MemorySegment buffer = arena.allocate(ROOM);
        packet.segment = buffer;
        packet.offset = 0;
        packet.length = TestPackets.udp().from(CLIENT, 30123).to(PUBLIC, 4045).payload(new byte[4])
                .writeInto(buffer, 0);
        packet.capacity = ROOM;
        packet.ingressInterface = INSIDE;
        assertEquals(Verdict.FORWARD, engine.process(packet, now));
        assertEquals(Ipv4Addresses.parse(SERVER), new Ipv4Header().wrap(buffer, 0).destinationAddress());
        assertEquals(session(111).id(), session(4045).parentId());
    }

    @Test
    void programNotInTheListExpectsNothing() {
        start();
        callOverUdp(getPort(XID, 100_024, UDP));
        replyOverUdp(writer().getPortReply(XID, 1025).toArray());
        assertEquals(1, alg.count(RpcEvent.PROGRAM_NOT_IN_LIST));
        assertEquals(0, engine.algCounters().expectationsActive());
        assertEquals(Verdict.DROP, clientFlow(UDP, 30123, 1025));
    }

    @Test
    void configuredProgramIsAllowed() {
        start(List.of(), List.of(), List.of(100_024L), true);
        callOverUdp(getPort(XID, 100_024, UDP));
        replyOverUdp(writer().getPortReply(XID, 1025).toArray());
        assertEquals(Verdict.FORWARD, clientFlow(UDP, 30123, 1025));
    }

    @Test
    void programListFollowsTheAppliedConfig() {
        start();
        EngineConfig withStatd = new EngineConfig(
                Map.of(AlgId.RPC, new AlgSettings(AlgId.RPC, true, List.of(), List.of(100_024L))),
                engine.config().interfaces(), List.of(), List.of(), List.of(), engine.config().firewallRuleSets(),
                engine.config().firewallAttachments());
        engine.apply(withStatd);
        callOverUdp(getPort(XID, 100_024, UDP));
        replyOverUdp(writer().getPortReply(XID, 1025).toArray());
        assertEquals(1, alg.count(RpcEvent.CHILD_EXPECTED));
    }

    @Test
    void replyWithAnotherXidExpectsNothing() {
        start();
        callOverUdp(getPort(XID, 100_003, UDP));
        replyOverUdp(writer().getPortReply(XID + 1, 2049).toArray());
        assertEquals(1, alg.count(RpcEvent.XID_UNMATCHED));
        assertEquals(0, engine.algCounters().expectationsActive());
        assertEquals(1, alg.pendingCalls(now), "the call still waits for its own reply");
        replyOverUdp(writer().getPortReply(XID, 2049).toArray());
        assertEquals(1, alg.count(RpcEvent.CHILD_EXPECTED));
    }

    @Test
    void replyFromAnotherControlSessionDoesNotMatch() {
        start();
        callOverUdp(getPort(XID, 100_003, UDP));
        send(TestPackets.udp().from(CLIENT, CLIENT_PORT + 1).to(SERVER, 111).payload(getPort(7, 100_000, UDP)),
                INSIDE);
        send(TestPackets.udp().from(SERVER, 111).to(CLIENT, CLIENT_PORT + 1)
                .payload(writer().getPortReply(XID, 2049).toArray()), OUTSIDE);
        assertEquals(1, alg.count(RpcEvent.XID_UNMATCHED));
        assertEquals(0, engine.algCounters().expectationsActive());
    }

    @Test
    void unregisteredProgramOrFailedReplyExpectsNothing() {
        start();
        callOverUdp(getPort(XID, 100_003, UDP));
        replyOverUdp(writer().getPortReply(XID, 0).toArray());
        assertEquals(1, alg.count(RpcReason.NOT_REGISTERED));
        callOverUdp(getPort(XID + 1, 100_003, UDP));
        replyOverUdp(writer().reply(XID + 1, 1).toArray());
        assertEquals(1, alg.count(RpcReason.NOT_SUCCESS));
        assertEquals(0, engine.algCounters().expectationsActive());
        assertEquals(0, alg.pendingCalls(now));
    }

    @Test
    void getAddrOfRpcbindExpectsTheNetidsProtocol() {
        start();
        callOverUdp(writer().getAddrCall(XID, 4, 100_003, 3, "tcp", "", "unknown").toArray());
        replyOverUdp(writer().getAddrReply(XID, "2.2.2.2.8.1").toArray());
        assertEquals(Verdict.DROP, clientFlow(UDP, 30123, 2049), "the netid asked for TCP");
        assertEquals(Verdict.FORWARD, clientFlow(TCP, 30123, 2049));
        assertEquals(session(111).id(), session(2049).parentId());
    }

    @Test
    void getAddrNamingAnotherHostExpectsNothing() {
        start();
        callOverUdp(writer().getAddrCall(XID, 3, 100_003, 3, "udp", "", "").toArray());
        replyOverUdp(writer().getAddrReply(XID, "9.9.9.9.8.1").toArray());
        assertEquals(1, alg.count(RpcEvent.ADDRESS_NOT_THE_SERVERS));
        assertEquals(0, engine.algCounters().expectationsActive());
    }

    @Test
    void getAddrForIpv6ExpectsNothing() {
        start();
        callOverUdp(writer().getAddrCall(XID, 4, 100_003, 3, "udp6", "", "").toArray());
        replyOverUdp(writer().getAddrReply(XID, "2.2.2.2.8.1").toArray());
        assertEquals(1, alg.count(RpcEvent.PROTOCOL_NOT_TRANSLATED));
    }

    @Test
    void malformedCallsPassAndAreCounted() {
        start();
        assertEquals(Verdict.FORWARD, callOverUdp(new byte[] {1, 2, 3}));
        assertEquals(Verdict.FORWARD, callOverUdp(writer().call(1, 100_000, 2, 3, 1, new byte[404]).toArray()));
        assertEquals(1, alg.count(RpcReason.TOO_SHORT));
        assertEquals(1, alg.count(RpcReason.AUTH_TOO_LONG));
        assertEquals(0, alg.pendingCalls(now));
    }

    @Test
    void expectationTimesOutAfterTenSeconds() {
        start();
        callOverUdp(getPort(XID, 100_003, UDP));
        replyOverUdp(writer().getPortReply(XID, 2049).toArray());
        now += RpcAlg.POLICY.expectationTimeoutSeconds() * SECOND;
        assertEquals(Verdict.DROP, clientFlow(UDP, 30123, 2049));
    }

    // TCP: the control session is a connection to 111, each message in record marking (RFC 5531 §11).

    private long clientSequence = 1000;
    private long serverSequence = 5000;
    private int clientPortAsSeen;

    private void connect() {
        MemorySegment buffer = arena.allocate(ROOM);
        packet.segment = buffer;
        packet.offset = 0;
        packet.length = TestPackets.tcp().from(CLIENT, CLIENT_PORT).to(serverAsSeen, 111).seq(clientSequence - 1)
                .flags(SYN).writeInto(buffer, 0);
        packet.capacity = ROOM;
        packet.ingressInterface = INSIDE;
        assertEquals(Verdict.FORWARD, engine.process(packet, now));
        clientPortAsSeen = new dev.algd.engine.packet.TcpHeader().wrap(buffer, 20).sourcePort();
        assertEquals(Verdict.FORWARD, send(TestPackets.tcp().from(SERVER, 111).to(clientAsSeen, clientPortAsSeen)
                .seq(serverSequence - 1).ack(clientSequence).flags(SYN | ACK), OUTSIDE));
    }

    private Verdict clientSegment(byte[] bytes) {
        Verdict verdict = send(TestPackets.tcp().from(CLIENT, CLIENT_PORT).to(serverAsSeen, 111).seq(clientSequence)
                .ack(serverSequence).flags(ACK | PSH).payload(bytes), INSIDE);
        clientSequence += bytes.length;
        return verdict;
    }

    private Verdict serverSegment(byte[] bytes) {
        Verdict verdict = send(TestPackets.tcp().from(SERVER, 111).to(clientAsSeen, clientPortAsSeen)
                .seq(serverSequence).ack(clientSequence).flags(ACK | PSH).payload(bytes), OUTSIDE);
        serverSequence += bytes.length;
        return verdict;
    }

    @Test
    void getPortOverTcpWithTwoRecordFragmentsExpectsTheChild() {
        sourceNat();
        connect();
        byte[] call = getPort(XID, 100_003, UDP);
        assertEquals(Verdict.FORWARD, clientSegment(RpcMessageWriter.record(call, 28)));
        serverSegment(RpcMessageWriter.record(writer().getPortReply(XID, 2049).toArray(), 16));
        assertEquals(2, alg.count(RpcReason.OK));
        assertEquals(Verdict.FORWARD, clientFlow(UDP, 30123, 2049));
        assertEquals(session(111).id(), session(2049).parentId());
    }

    @Test
    void recordSplitAcrossSegmentsIsHeldAndReadWhole() {
        start();
        connect();
        byte[] record = RpcMessageWriter.record(getPort(XID, 100_003, TCP), 1024);
        clientSegment(Arrays.copyOfRange(record, 0, 30));
        assertEquals(1, engine.algCounters().count(AlgEvent.LINE_HELD));
        clientSegment(Arrays.copyOfRange(record, 30, record.length));
        assertEquals(1, engine.algCounters().count(AlgEvent.HELD_LINE_PREPENDED));
        assertEquals(1, alg.pendingCalls(now));
        byte[] reply = RpcMessageWriter.record(writer().getPortReply(XID, 2049).toArray(), 1024);
        serverSegment(Arrays.copyOfRange(reply, 0, 3));
        serverSegment(Arrays.copyOfRange(reply, 3, reply.length));
        assertEquals(Verdict.FORWARD, clientFlow(TCP, 30123, 2049));
    }

    @Test
    void pipelinedRecordsInOneSegmentAreAllRead() {
        start();
        connect();
        byte[] first = RpcMessageWriter.record(getPort(1, 100_003, TCP), 1024);
        byte[] second = RpcMessageWriter.record(getPort(2, 100_005, UDP), 1024);
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        clientSegment(both);
        assertEquals(2, alg.pendingCalls(now));
        byte[] r1 = RpcMessageWriter.record(writer().getPortReply(1, 2049).toArray(), 1024);
        byte[] r2 = RpcMessageWriter.record(writer().getPortReply(2, 635).toArray(), 1024);
        byte[] replies = Arrays.copyOf(r1, r1.length + r2.length);
        System.arraycopy(r2, 0, replies, r1.length, r2.length);
        serverSegment(replies);
        assertEquals(2, alg.count(RpcEvent.CHILD_EXPECTED));
        assertTrue(engine.algCounters().expectationsActive() == 2);
    }

    /** The captured rpcinfo/rpcbind exchange (rpcinfo-rpcbind.txt) in the e2e topology, behind masquerade. */
    @Test
    void capturedRpcinfoGetAddrOverUdpAndTcpExpectsTheService() {
        String client = "192.0.2.2";
        String server = "198.51.100.2";
        String outside = "198.51.100.1";
        EngineConfig config = new EngineConfig(
                Map.of(AlgId.RPC, new AlgSettings(AlgId.RPC, true, List.of(), List.of(100_024L))),
                List.of(new InterfaceConfig("inside", "inside", List.of(Ipv4Prefix.parse("192.0.2.1/24"))),
                        new InterfaceConfig("outside", "outside", List.of(Ipv4Prefix.parse(outside + "/24")))),
                List.of(), List.of(new SourceNatRule(100, "", false, "outside", SourceNatRule.ANY_PROTOCOL, null,
                        null, null, null, false, AddressRange.parse(outside), null)));
        engine = new Engine(config, new EngineLimits(64), Timeouts.defaults(), List.of(alg));

        send(TestPackets.udp().from(client, 949).to(server, 111)
                .payload(RpcFixtures.message("rpcinfo-getaddr-udp")), INSIDE);
        send(TestPackets.udp().from(server, 111).to(outside, 949)
                .payload(RpcFixtures.message("rpcbind-getaddr-udp-reply")), OUTSIDE);
        send(TestPackets.tcp().from(client, 950).to(server, 111).seq(999).flags(SYN), INSIDE);
        send(TestPackets.tcp().from(server, 111).to(outside, 950).seq(4999).ack(1000).flags(SYN | ACK), OUTSIDE);
        send(TestPackets.tcp().from(client, 950).to(server, 111).seq(1000).ack(5000).flags(ACK | PSH)
                .payload(RpcFixtures.message("rpcinfo-getaddr-tcp-record")), INSIDE);
        send(TestPackets.tcp().from(server, 111).to(outside, 950).seq(5000).ack(1096).flags(ACK | PSH)
                .payload(RpcFixtures.message("rpcbind-getaddr-tcp-reply-record")), OUTSIDE);

        assertEquals(2, alg.count(RpcEvent.CHILD_EXPECTED));
        assertEquals(Verdict.FORWARD, send(TestPackets.udp().from(client, 41000).to(server, 44_090)
                .payload(new byte[4]), INSIDE));
        assertEquals(Verdict.FORWARD, send(TestPackets.tcp().from(client, 41001).to(server, 43_065).flags(SYN),
                INSIDE));
        assertEquals(2, engine.algCounters().count(AlgEvent.EXPECTATION_MATCHED));
    }

    @Test
    void disabledAlgLeavesTheFirewallClosed() {
        start(List.of(), List.of(), List.of(), false);
        callOverUdp(getPort(XID, 100_003, UDP));
        replyOverUdp(writer().getPortReply(XID, 2049).toArray());
        assertEquals(Verdict.DROP, clientFlow(UDP, 30123, 2049));
        assertEquals(0, alg.count(RpcReason.OK));
    }

    private long rpc(AlgStatistic statistic) {
        return engine.algCounters().count(AlgId.RPC, statistic);
    }

    @Test
    void getPortExchangesAndMalformedCallsMoveRpcsStatistics() {
        start();
        callOverUdp(getPort(XID, 100_000, UDP));
        replyOverUdp(writer().getPortReply(XID, SERVICE_PORT).toArray());
        clientFlow(UDP, 30123, SERVICE_PORT);
        callOverUdp(getPort(XID + 1, 100_003, UDP));
        replyOverUdp(writer().getPortReply(XID + 1, 2049).toArray());
        callOverUdp(new byte[] {1, 2, 3});
        now += (RpcAlg.POLICY.expectationTimeoutSeconds() + 1) * SECOND;
        engine.expire(now);

        assertEquals(5, rpc(AlgStatistic.INSPECTED));
        assertEquals(0, rpc(AlgStatistic.TRANSLATED), "GETPORT replies carry the server's own port");
        assertEquals(2, rpc(AlgStatistic.EXPECTATIONS_CREATED));
        assertEquals(1, rpc(AlgStatistic.EXPECTATIONS_USED));
        assertEquals(1, rpc(AlgStatistic.EXPECTATIONS_EXPIRED));
        assertEquals(1, rpc(AlgStatistic.PARSE_ERRORS));
        assertEquals(0, rpc(AlgStatistic.DROPS), "malformed RPC passes");
    }
}
