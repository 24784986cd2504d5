package dev.algd.io;

import static dev.algd.io.TestFrames.arp;
import static dev.algd.io.TestFrames.ethernet;
import static dev.algd.io.TestFrames.icmpEcho;
import static dev.algd.io.TestFrames.ip;
import static dev.algd.io.TestFrames.ipv4;
import static dev.algd.io.TestFrames.mac;
import static dev.algd.io.TestFrames.macAt;
import static dev.algd.io.TestFrames.u16;
import static dev.algd.io.TestFrames.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.Engine;
import dev.algd.engine.EngineCounters;
import dev.algd.engine.EngineLimits;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.SourceNatRule;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The data plane driven one turn at a time over in-memory ports, with the real engine: frames go in, frames come
 * out, and each test checks that nothing else was sent.
 */
class DataPlaneTest {
    static final long MS = 1_000_000L;
    static final long IN_MAC = mac("02:a1:9d:00:00:01");
    static final long OUT_MAC = mac("02:a1:9d:00:00:02");
    static final long CLIENT_MAC = mac("02:00:00:00:0c:02");
    static final long SERVER_MAC = mac("02:00:00:00:05:02");
    static final int CLIENT = ip("192.0.2.2");
    static final int INSIDE_ADDRESS = ip("192.0.2.1");
    static final int SERVER = ip("198.51.100.2");
    static final int OUTSIDE_ADDRESS = ip("198.51.100.1");

    private static final InterfaceConfig INSIDE =
            new InterfaceConfig("inside", "in0", List.of(Ipv4Prefix.parse("192.0.2.1/24")));
    private static final InterfaceConfig OUTSIDE =
            new InterfaceConfig("outside", "out0", List.of(Ipv4Prefix.parse("198.51.100.1/24")));
    private static final SourceNatRule MASQUERADE = new SourceNatRule(10, "masquerade", false, "outside",
            SourceNatRule.ANY_PROTOCOL, null, null, null, null, false, null, null);
    static final EngineConfig CONFIG = new EngineConfig(Map.of(), List.of(INSIDE, OUTSIDE), List.of(), List.of(MASQUERADE));

    private final FakePort in0 = new FakePort("in0", IN_MAC);
    private final FakePort out0 = new FakePort("out0", OUT_MAC);
    private final Engine engine = new Engine(EngineConfig.empty(), new EngineLimits(1024));
    private final DataPlane dataPlane = new DataPlane(engine, device -> switch (device) {
        case "in0" -> in0;
        case "out0" -> out0;
        default -> throw new IOException("interface '" + device + "' does not exist");
    });
    private long now = 1_000 * MS;

    @AfterEach
    void close() {
        dataPlane.close();
    }

    private void turn() {
        now += MS;
        dataPlane.turn(now);
    }

    private void applyAndForgetAnnouncements(EngineConfig config) {
        dataPlane.apply(config);
        in0.takeSent();
        out0.takeSent();
    }

    /** The client resolves algd and algd learns the client; the server makes itself known the same way. */
    private void resolveNeighbours() {
        in0.receive(ethernet(Ethernet.BROADCAST, CLIENT_MAC, Ethernet.TYPE_ARP,
                arp(Arp.OPERATION_REQUEST, CLIENT_MAC, CLIENT, 0, INSIDE_ADDRESS)));
        out0.receive(ethernet(Ethernet.BROADCAST, SERVER_MAC, Ethernet.TYPE_ARP,
                arp(Arp.OPERATION_REQUEST, SERVER_MAC, SERVER, 0, OUTSIDE_ADDRESS)));
        turn();
        assertEquals(1, in0.takeSent().size());
        assertEquals(1, out0.takeSent().size());
    }

    private static byte[] echoRequest(int identifier) {
        return ethernet(IN_MAC, CLIENT_MAC, Ethernet.TYPE_IPV4,
                ipv4(TestFrames.ICMP, CLIENT, SERVER, 64, icmpEcho(8, identifier, 1, "algd-ping".getBytes())));
    }

    @Test
    void applyAnnouncesEveryInterfaceAddressOnce() {
        dataPlane.apply(CONFIG);
        List<byte[]> inside = in0.takeSent();
        assertEquals(1, inside.size());
        assertEquals(Ethernet.BROADCAST, macAt(inside.get(0), 0));
        assertEquals(INSIDE_ADDRESS, u32(inside.get(0), 14 + 24));
        assertEquals(1, out0.takeSent().size());
        dataPlane.apply(CONFIG);
        assertTrue(in0.takeSent().isEmpty(), "unchanged addresses are not announced again");
    }

    @Test
    void pingCrossesAlgdWithTheOutsideAddressAndTheReplyComesBack() {
        applyAndForgetAnnouncements(CONFIG);

        in0.receive(ethernet(Ethernet.BROADCAST, CLIENT_MAC, Ethernet.TYPE_ARP,
                arp(Arp.OPERATION_REQUEST, CLIENT_MAC, CLIENT, 0, INSIDE_ADDRESS)));
        turn();
        List<byte[]> arpReply = in0.takeSent();
        assertEquals(1, arpReply.size());
        assertEquals(Arp.OPERATION_REPLY, u16(arpReply.get(0), 14 + 6));

        in0.receive(echoRequest(7));
        turn();
        List<byte[]> request = out0.takeSent();
        assertEquals(1, request.size(), "the server is unknown: an ARP request, the ping waits");
        assertEquals(Ethernet.TYPE_ARP, u16(request.get(0), 12));
        assertEquals(OUTSIDE_ADDRESS, u32(request.get(0), 14 + 14));
        assertEquals(SERVER, u32(request.get(0), 14 + 24));

        out0.receive(ethernet(OUT_MAC, SERVER_MAC, Ethernet.TYPE_ARP,
                arp(Arp.OPERATION_REPLY, SERVER_MAC, SERVER, OUT_MAC, OUTSIDE_ADDRESS)));
        turn();
        List<byte[]> forwarded = out0.takeSent();
        assertEquals(1, forwarded.size());
        byte[] ping = forwarded.get(0);
        assertEquals(SERVER_MAC, macAt(ping, 0));
        assertEquals(OUT_MAC, macAt(ping, 6));
        assertEquals(OUTSIDE_ADDRESS, u32(ping, 14 + 12), "masqueraded source");
        assertEquals(SERVER, u32(ping, 14 + 16));
        assertEquals(63, ping[14 + 8], "TTL decremented");
        assertTrue(TestFrames.ipv4HeaderChecksumVerifies(ping, 14));
        int identifier = u16(ping, 14 + 20 + 4);

        out0.receive(ethernet(OUT_MAC, SERVER_MAC, Ethernet.TYPE_IPV4, ipv4(TestFrames.ICMP, SERVER, OUTSIDE_ADDRESS,
                64, icmpEcho(0, identifier, 1, "algd-ping".getBytes()))));
        turn();
        List<byte[]> back = in0.takeSent();
        assertEquals(1, back.size());
        assertEquals(CLIENT_MAC, macAt(back.get(0), 0), "learned from the client's ARP request");
        assertEquals(CLIENT, u32(back.get(0), 14 + 16));
        assertEquals(7, u16(back.get(0), 14 + 20 + 4), "the client's identifier again");

        DataPlaneCounters counters = dataPlane.counters();
        assertEquals(1, counters.port("inside").arpRepliesSent());
        assertEquals(1, counters.port("outside").arpRequestsSent());
        assertEquals(3, counters.port("outside").txFrames(), "announcement, ARP request, ping");
        assertEquals(0, counters.drops().values().stream().mapToLong(Long::longValue).sum());
        EngineCounters engineCounters = dataPlane.query(Engine::counters);
        assertEquals(2, engineCounters.packetsForwarded());
    }

    @Test
    void tcpWithChecksumLeftToTheRouterLeavesWithACompleteChecksum() {
        applyAndForgetAnnouncements(CONFIG);
        resolveNeighbours();
        byte[] syn = ethernet(IN_MAC, CLIENT_MAC, Ethernet.TYPE_IPV4, ipv4(TestFrames.TCP, CLIENT, SERVER, 64,
                TestFrames.tcp(CLIENT, SERVER, 40000, 80, TestFrames.TCP_SYN, new byte[0], true)));
        assertFalse(TestFrames.l4ChecksumVerifies(syn, 14), "CHECKSUM_PARTIAL: only the pseudo-header sum");
        in0.receive(new FakePort.Received(syn, syn.length, true, false, ReceivedFrame.PACKET_HOST));
        turn();
        List<byte[]> sent = out0.takeSent();
        assertEquals(1, sent.size());
        assertEquals(OUTSIDE_ADDRESS, u32(sent.get(0), 14 + 12));
        assertTrue(TestFrames.l4ChecksumVerifies(sent.get(0), 14));
        assertEquals(1, dataPlane.counters().port("inside").checksumsCompleted());
    }

    @Test
    void framesAlgdDoesNotHandleAreDroppedAndCountedByReason() {
        applyAndForgetAnnouncements(CONFIG);
        resolveNeighbours();
        byte[] ping = echoRequest(9);
        in0.receive(new FakePort.Received(ping, 9000, false, false, ReceivedFrame.PACKET_HOST));
        in0.receive(new FakePort.Received(ping, ping.length, false, true, ReceivedFrame.PACKET_HOST));
        in0.receive(new FakePort.Received(ping, ping.length, false, false, ReceivedFrame.PACKET_OTHERHOST));
        byte[] tagged = ping.clone();
        tagged[12] = (byte) 0x81;
        tagged[13] = 0;
        in0.receive(tagged);
        byte[] lldp = ping.clone();
        lldp[12] = (byte) 0x88;
        lldp[13] = (byte) 0xcc;
        in0.receive(lldp);
        in0.receive(new byte[10]);
        byte[] toAlgdTcp = ethernet(IN_MAC, CLIENT_MAC, Ethernet.TYPE_IPV4, ipv4(TestFrames.TCP, CLIENT,
                INSIDE_ADDRESS, 64, TestFrames.tcp(CLIENT, INSIDE_ADDRESS, 40000, 22, TestFrames.TCP_SYN, new byte[0], false)));
        in0.receive(toAlgdTcp);
        turn();
        assertTrue(in0.takeSent().isEmpty());
        assertTrue(out0.takeSent().isEmpty());
        DataPlaneCounters counters = dataPlane.counters();
        assertEquals(1, counters.drops(FrameDropReason.RX_TRUNCATED));
        assertEquals(2, counters.drops(FrameDropReason.VLAN_TAGGED), "in the frame, or stripped by the NIC");
        assertEquals(1, counters.drops(FrameDropReason.NOT_FOR_THIS_HOST));
        assertEquals(1, counters.drops(FrameDropReason.OTHER_ETHERTYPE));
        assertEquals(1, counters.drops(FrameDropReason.RUNT));
        assertEquals(1, counters.drops(FrameDropReason.ENGINE_VERDICT));
        assertEquals(8, counters.port("inside").rxFrames(), "the client's ARP request and the seven frames");
        assertEquals(1, dataPlane.query(Engine::counters).drops(dev.algd.engine.DropReason.LOCAL_DESTINATION));
    }

    @Test
    void reorderedInterfacesGetNewIndexesAndStillForward() {
        applyAndForgetAnnouncements(CONFIG);
        resolveNeighbours();
        EngineConfig swapped = new EngineConfig(Map.of(), List.of(OUTSIDE, INSIDE), List.of(), List.of(MASQUERADE));
        dataPlane.apply(swapped);
        assertTrue(in0.takeSent().isEmpty(), "same addresses: no new announcement");
        in0.receive(echoRequest(11));
        turn();
        List<byte[]> sent = out0.takeSent();
        assertEquals(1, sent.size(), "neighbours survive a re-map");
        assertEquals(OUTSIDE_ADDRESS, u32(sent.get(0), 14 + 12));
        assertEquals(List.of("outside", "inside"),
                dataPlane.counters().ports().stream().map(PortCounters::interfaceName).toList());
    }

    @Test
    void removedInterfaceClosesItsPortAndDropsWhatWaitedForArp() {
        applyAndForgetAnnouncements(CONFIG);
        in0.receive(ethernet(Ethernet.BROADCAST, CLIENT_MAC, Ethernet.TYPE_ARP,
                arp(Arp.OPERATION_REQUEST, CLIENT_MAC, CLIENT, 0, INSIDE_ADDRESS)));
        in0.receive(echoRequest(12));
        turn();
        assertEquals(1, dataPlane.counters().port("outside").heldPackets());
        dataPlane.apply(new EngineConfig(Map.of(), List.of(INSIDE), List.of(), List.of()));
        assertTrue(out0.closed);
        assertFalse(in0.closed);
        DataPlaneCounters counters = dataPlane.counters();
        assertEquals(1, counters.ports().size());
        assertNull(counters.port("outside"));
        assertEquals(1, counters.drops(FrameDropReason.INTERFACE_REMOVED));
    }

    @Test
    void prepareNamesAMissingDeviceAndChangesNothing() {
        InterfaceConfig missing = new InterfaceConfig("dmz", "eth7", List.of(Ipv4Prefix.parse("203.0.113.1/24")));
        IOException e = assertThrows(IOException.class, () -> dataPlane.prepare(
                new EngineConfig(Map.of(), List.of(INSIDE, missing), List.of(), List.of())));
        assertEquals("interface 'eth7' does not exist", e.getMessage());
        assertSame(EngineConfig.empty().interfaces(), engine.config().interfaces(), "the engine kept its config");
    }

    @Test
    void twoInterfacesOnOneDeviceAreRefused() {
        InterfaceConfig twin = new InterfaceConfig("twin", "in0", List.of(Ipv4Prefix.parse("203.0.113.1/24")));
        IOException e = assertThrows(IOException.class, () -> dataPlane.prepare(
                new EngineConfig(Map.of(), List.of(INSIDE, twin), List.of(), List.of())));
        assertTrue(e.getMessage().startsWith("interfaces 'inside' and 'twin' both use device 'in0'"), e.getMessage());
    }

    @Test
    void queryRunsOnTheCallerBeforeStartAndOnTheWorkerAfter() throws IOException {
        dataPlane.apply(CONFIG);
        assertSame(Thread.currentThread(), dataPlane.query(e -> Thread.currentThread()));
        dataPlane.start();
        assertTrue(dataPlane.isRunning());
        assertEquals("algd-dataplane-0", dataPlane.query(e -> Thread.currentThread().getName()));
        assertEquals(2, dataPlane.counters().ports().size());
        RuntimeException thrown = assertThrows(IllegalArgumentException.class,
                () -> dataPlane.query(e -> { throw new IllegalArgumentException("from the worker"); }));
        assertEquals("from the worker", thrown.getMessage());
        dataPlane.close();
        assertFalse(dataPlane.isRunning());
        assertTrue(in0.closed && out0.closed);
        assertSame(Thread.currentThread(), dataPlane.query(e -> Thread.currentThread()), "after close: on the caller");
    }

    @Test
    void forwardingAnEstablishedFlowAllocatesNothing() {
        applyAndForgetAnnouncements(CONFIG);
        resolveNeighbours();
        in0.recordSent = false;
        out0.recordSent = false;
        long sentBefore = out0.sentCount;
        byte[] ping = echoRequest(13);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        // Rounds 0 and 1 warm up (JIT, lazy initialisation). As the engine's allocation tests: a real per-frame
        // allocation costs bytes in every round of 10,000 frames; a JIT one-off (seen under load: 1552 B once) does
        // not repeat, so the best of the three rounds after warm-up must be 0.
        long best = Long.MAX_VALUE;
        int round = 0;
        for (; round < 5 && best != 0; round++) {
            for (int i = 0; i < 10_000; i++) {
                in0.receive(ping);
            }
            long before = threads.getThreadAllocatedBytes(thread);
            while (in0.pendingReceive() > 0) {
                dataPlane.turn(now += MS);
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            if (round >= 2) {
                best = Math.min(best, allocated);
            }
        }
        assertEquals(0, best, "bytes allocated while forwarding 10,000 frames, best of three rounds");
        assertEquals(round * 10_000L, out0.sentCount - sentBefore);
    }

    @Test
    void dfPacketTooLongForTheOutsideDeviceComesBackAsFragmentationNeededWithItsMtu() {
        FakePort narrowOut = new FakePort("out0", OUT_MAC, 1280, 64);
        DataPlane narrow = new DataPlane(engine, device -> device.equals("in0") ? in0 : narrowOut);
        try {
            narrow.apply(CONFIG);
            in0.receive(ethernet(Ethernet.BROADCAST, CLIENT_MAC, Ethernet.TYPE_ARP,
                    arp(Arp.OPERATION_REQUEST, CLIENT_MAC, CLIENT, 0, INSIDE_ADDRESS)));
            narrow.turn(now += MS);
            in0.takeSent();
            narrowOut.takeSent();
            byte[] segment = TestFrames.tcp(CLIENT, SERVER, 41000, 80, 0x10, new byte[1400 - 40], false);
            in0.receive(ethernet(IN_MAC, CLIENT_MAC, Ethernet.TYPE_IPV4, ipv4(TestFrames.TCP, CLIENT, SERVER, 64,
                    segment)));

            narrow.turn(now += MS);

            assertTrue(narrowOut.takeSent().isEmpty(), "nothing leaves on the narrow side, not even an ARP request");
            List<byte[]> back = in0.takeSent();
            assertEquals(1, back.size());
            byte[] error = back.get(0);
            assertEquals(CLIENT_MAC, macAt(error, 0), "straight back to the client");
            assertEquals(INSIDE_ADDRESS, u32(error, 14 + 12));
            assertEquals(CLIENT, u32(error, 14 + 16));
            assertEquals(0x0304, u16(error, 14 + 20), "destination unreachable, fragmentation needed");
            assertEquals(1280, u16(error, 14 + 26));
            assertEquals(CLIENT, u32(error, 14 + 28 + 12), "quotes the client's packet as sent");
            assertEquals(1, engine.fragmentationNeededSent());
        } finally {
            narrow.close();
        }
    }

    /** Ports with vnet headers and 68 KiB slots; the client and the server resolved. */
    private DataPlane gsoDataPlane(FakePort inside, FakePort outside) {
        DataPlane gso = new DataPlane(engine, device -> device.equals("in0") ? inside : outside);
        gso.apply(CONFIG);
        inside.receive(ethernet(Ethernet.BROADCAST, CLIENT_MAC, Ethernet.TYPE_ARP,
                arp(Arp.OPERATION_REQUEST, CLIENT_MAC, CLIENT, 0, INSIDE_ADDRESS)));
        outside.receive(ethernet(Ethernet.BROADCAST, SERVER_MAC, Ethernet.TYPE_ARP,
                arp(Arp.OPERATION_REQUEST, SERVER_MAC, SERVER, 0, OUTSIDE_ADDRESS)));
        gso.turn(now += MS);
        inside.takeSent();
        outside.takeSent();
        inside.offloads.clear();
        outside.offloads.clear();
        return gso;
    }

    /** A 20000-byte TCP GSO frame from the client with its checksum left partial, as a local sender's stack makes it. */
    private static FakePort.Received gsoFrame(int mss) {
        byte[] segment = TestFrames.tcp(CLIENT, SERVER, 41000, 80, 0x10, new byte[20_000], true);
        byte[] frame = ethernet(IN_MAC, CLIENT_MAC, Ethernet.TYPE_IPV4, ipv4(TestFrames.TCP, CLIENT, SERVER, 64, segment));
        return new FakePort.Received(frame, frame.length, true, false, ReceivedFrame.PACKET_HOST,
                ReceivedFrame.GSO_TCPV4, mss);
    }

    @Test
    void gsoFrameLeavesWholeAsGsoWithThePseudoHeaderSumOfItsTranslatedAddresses() {
        FakePort inside = new FakePort("in0", IN_MAC, 1500, 64, 70 * 1024, true);
        FakePort outside = new FakePort("out0", OUT_MAC, 1500, 64, 70 * 1024, true);
        DataPlane gso = gsoDataPlane(inside, outside);
        try {
            inside.receive(gsoFrame(1448));
            gso.turn(now += MS);

            List<byte[]> sent = outside.takeSent();
            assertEquals(1, sent.size(), "one frame, not segmented");
            byte[] frame = sent.get(0);
            assertEquals(14 + 20 + 20 + 20_000, frame.length);
            assertEquals(OUTSIDE_ADDRESS, u32(frame, 14 + 12), "masqueraded");
            int l4Length = 20 + 20_000;
            assertEquals(TestFrames.fold(TestFrames.pseudoHeader(OUTSIDE_ADDRESS, SERVER, TestFrames.TCP, l4Length)),
                    u16(frame, 14 + 20 + 16), "the field holds the pseudo-header sum the kernel completes");
            assertEquals(List.of(new FakePort.Offload(ReceivedFrame.GSO_TCPV4, 1448, 14 + 20 + 20, 14 + 20, 16)),
                    outside.offloads);
            assertEquals(0, gso.counters().drops().get(FrameDropReason.EXCEEDS_MTU));
        } finally {
            gso.close();
        }
    }

    @Test
    void gsoFrameWhoseSegmentsExceedTheEgressMtuGetsFragmentationNeededWithoutOffload() {
        FakePort inside = new FakePort("in0", IN_MAC, 1500, 64, 70 * 1024, true);
        FakePort outside = new FakePort("out0", OUT_MAC, 1280, 64, 70 * 1024, true);
        DataPlane gso = gsoDataPlane(inside, outside);
        try {
            inside.receive(gsoFrame(1448));
            gso.turn(now += MS);

            assertTrue(outside.takeSent().isEmpty());
            List<byte[]> back = inside.takeSent();
            assertEquals(1, back.size());
            assertEquals(0x0304, u16(back.get(0), 14 + 20), "fragmentation needed");
            assertEquals(1280, u16(back.get(0), 14 + 26));
            assertEquals(List.of(new FakePort.Offload(ReceivedFrame.GSO_NONE, 0, 0, 0, 0)), inside.offloads,
                    "the ICMP error is an ordinary frame");
        } finally {
            gso.close();
        }
    }

    @Test
    void gsoFrameOfAnotherKindIsDroppedAndCounted() {
        FakePort inside = new FakePort("in0", IN_MAC, 1500, 64, 70 * 1024, true);
        FakePort outside = new FakePort("out0", OUT_MAC, 1500, 64, 70 * 1024, true);
        DataPlane gso = gsoDataPlane(inside, outside);
        try {
            FakePort.Received tcp = gsoFrame(1448);
            inside.receive(new FakePort.Received(tcp.bytes(), tcp.wireLength(), true, false, ReceivedFrame.PACKET_HOST,
                    ReceivedFrame.GSO_UDP_L4, 1448));
            gso.turn(now += MS);

            assertTrue(outside.takeSent().isEmpty());
            assertEquals(1, gso.counters().drops().get(FrameDropReason.GSO_UNSUPPORTED));
        } finally {
            gso.close();
        }
    }
}
