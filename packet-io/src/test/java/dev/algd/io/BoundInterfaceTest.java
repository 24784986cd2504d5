package dev.algd.io;

import static dev.algd.io.TestFrames.arp;
import static dev.algd.io.TestFrames.ethernet;
import static dev.algd.io.TestFrames.fixture;
import static dev.algd.io.TestFrames.ip;
import static dev.algd.io.TestFrames.mac;
import static dev.algd.io.TestFrames.macAt;
import static dev.algd.io.TestFrames.u16;
import static dev.algd.io.TestFrames.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.SourceNatRule;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BoundInterfaceTest {
    private static final long PORT_MAC = mac("02:a1:9d:00:00:01");
    private static final long CLIENT_MAC = mac("32:4e:32:15:79:9c");
    private static final int CLIENT = ip("192.0.2.2");
    private static final int OWN = ip("192.0.2.1");

    private final long[] drops = new long[FrameDropReason.values().length];
    private final FakePort port = new FakePort("in0", PORT_MAC);
    private final BoundInterface inside = new BoundInterface(port, drops);
    private final InterfaceConfig insideConfig =
            new InterfaceConfig("inside", "in0", List.of(Ipv4Prefix.parse("192.0.2.1/24")));

    BoundInterfaceTest() {
        inside.configure(0, insideConfig, config(List.of()));
    }

    private EngineConfig config(List<SourceNatRule> rules) {
        return new EngineConfig(Map.of(), List.of(insideConfig), List.of(), rules);
    }

    private void receiveArp(byte[] frame) {
        MemorySegment segment = MemorySegment.ofArray(frame);
        inside.handleArp(segment, Ethernet.HEADER_LENGTH, frame.length, 0);
        port.flushTransmit();
    }

    @Test
    void linuxRequestForAnOwnAddressIsAnsweredWithThePortAddress() {
        receiveArp(fixture("/arp/linux-6.18-request.hex"));
        List<byte[]> sent = port.takeSent();
        assertEquals(1, sent.size());
        byte[] reply = sent.get(0);
        assertEquals(BoundInterface.MIN_FRAME_BYTES, reply.length, "padded to the Ethernet minimum");
        byte[] expected = ethernet(CLIENT_MAC, PORT_MAC, Ethernet.TYPE_ARP,
                arp(Arp.OPERATION_REPLY, PORT_MAC, OWN, CLIENT_MAC, CLIENT));
        assertArrayEquals(expected, Arrays.copyOf(reply, expected.length));
        assertEquals(1, inside.arpRepliesSent);
        assertEquals(CLIENT_MAC, inside.neighbours.lookup(CLIENT), "the requester is learned: algd was its target");
    }

    @Test
    void requestForAnotherAddressIsNeitherAnsweredNorLearned() {
        receiveArp(ethernet(Ethernet.BROADCAST, CLIENT_MAC, Ethernet.TYPE_ARP,
                arp(Arp.OPERATION_REQUEST, CLIENT_MAC, CLIENT, 0, ip("192.0.2.77"))));
        assertTrue(port.takeSent().isEmpty());
        assertEquals(NeighbourTable.NO_MAC, inside.neighbours.lookup(CLIENT));
    }

    @Test
    void requestForASourceNatTranslationAddressOnThisInterfaceIsAnswered() {
        SourceNatRule pool = new SourceNatRule(10, "pool", false, "inside", SourceNatRule.ANY_PROTOCOL, null, null,
                null, null, false, AddressRange.parse("192.0.2.64-192.0.2.65"), null);
        inside.configure(0, insideConfig, config(List.of(pool)));
        receiveArp(ethernet(Ethernet.BROADCAST, CLIENT_MAC, Ethernet.TYPE_ARP,
                arp(Arp.OPERATION_REQUEST, CLIENT_MAC, CLIENT, 0, ip("192.0.2.65"))));
        List<byte[]> sent = port.takeSent();
        assertEquals(1, sent.size());
        assertEquals(ip("192.0.2.65"), u32(sent.get(0), 14 + 14), "the reply's sender address");
    }

    @Test
    void probeIsAnsweredButItsZeroSenderIsNotLearned() {
        receiveArp(ethernet(Ethernet.BROADCAST, CLIENT_MAC, Ethernet.TYPE_ARP,
                arp(Arp.OPERATION_REQUEST, CLIENT_MAC, 0, 0, OWN)));
        List<byte[]> sent = port.takeSent();
        assertEquals(1, sent.size(), "RFC 5227 §2.1.1: a probe for an address in use gets a reply");
        assertEquals(CLIENT_MAC, macAt(sent.get(0), 0));
        assertEquals(0, inside.neighbours.size());
    }

    @Test
    void anotherHostAnnouncingAnOwnAddressIsCountedAsAConflictAndNotAnswered() {
        receiveArp(ethernet(Ethernet.BROADCAST, CLIENT_MAC, Ethernet.TYPE_ARP,
                arp(Arp.OPERATION_REQUEST, CLIENT_MAC, OWN, 0, OWN)));
        assertTrue(port.takeSent().isEmpty());
        assertEquals(1, inside.addressConflicts);
        assertEquals(NeighbourTable.NO_MAC, inside.neighbours.lookup(OWN));
    }

    @Test
    void malformedArpIsDroppedAndCounted() {
        byte[] frame = fixture("/arp/linux-6.18-request.hex");
        receiveArp(Arrays.copyOf(frame, 30));
        assertEquals(1, drops[FrameDropReason.ARP_MALFORMED.ordinal()]);
        assertTrue(port.takeSent().isEmpty());
    }

    @Test
    void eachNewAddressIsAnnouncedOnceWithAGratuitousRequest() {
        BoundInterface fresh = new BoundInterface(port, drops);
        InterfaceConfig two = new InterfaceConfig("inside", "in0",
                List.of(Ipv4Prefix.parse("192.0.2.1/24"), Ipv4Prefix.parse("203.0.113.1/24")));
        fresh.announce(fresh.configure(0, two, config(List.of())));
        fresh.announce(fresh.configure(0, two, config(List.of())));
        port.flushTransmit();
        List<byte[]> sent = port.takeSent();
        assertEquals(2, sent.size(), "the second configure brings no new address");
        byte[] first = sent.get(0);
        assertEquals(Ethernet.BROADCAST, macAt(first, 0));
        assertEquals(Arp.OPERATION_REQUEST, u16(first, 14 + 6));
        assertEquals(OWN, u32(first, 14 + 14), "sender address");
        assertEquals(0, macAt(first, 14 + 18), "target hardware address zero (RFC 5227 §3)");
        assertEquals(OWN, u32(first, 14 + 24), "target address = sender address");
        assertEquals(ip("203.0.113.1"), u32(sent.get(1), 14 + 24));
    }

    @Test
    void packetToAnUnknownNeighbourLeavesAfterItsReply() {
        byte[] packet = TestFrames.ipv4(TestFrames.ICMP, ip("198.51.100.2"), CLIENT, 63,
                TestFrames.icmpEcho(0, 7, 1, new byte[8]));
        inside.transmitIpv4(MemorySegment.ofArray(packet), 0, packet.length, CLIENT, 0);
        port.flushTransmit();
        List<byte[]> sent = port.takeSent();
        assertEquals(1, sent.size());
        assertEquals(Ethernet.TYPE_ARP, u16(sent.get(0), 12));
        assertEquals(OWN, u32(sent.get(0), 14 + 14), "asks from the address on the neighbour's subnet");
        assertEquals(CLIENT, u32(sent.get(0), 14 + 24));

        receiveArp(ethernet(PORT_MAC, CLIENT_MAC, Ethernet.TYPE_ARP,
                arp(Arp.OPERATION_REPLY, CLIENT_MAC, CLIENT, PORT_MAC, OWN)));
        sent = port.takeSent();
        assertEquals(1, sent.size());
        assertArrayEquals(ethernet(CLIENT_MAC, PORT_MAC, Ethernet.TYPE_IPV4, packet), sent.get(0));
        assertEquals(2, inside.txFrames);
    }

    @Test
    void broadcastAndMulticastNextHopsNeedNoArp() {
        byte[] packet = TestFrames.ipv4(TestFrames.UDP, CLIENT, ip("192.0.2.255"), 64, new byte[8]);
        MemorySegment segment = MemorySegment.ofArray(packet);
        inside.transmitIpv4(segment, 0, packet.length, ip("192.0.2.255"), 0);
        inside.transmitIpv4(segment, 0, packet.length, -1, 0);
        inside.transmitIpv4(segment, 0, packet.length, ip("224.0.0.251"), 0);
        port.flushTransmit();
        List<byte[]> sent = port.takeSent();
        assertEquals(3, sent.size());
        assertEquals(Ethernet.BROADCAST, macAt(sent.get(0), 0));
        assertEquals(Ethernet.BROADCAST, macAt(sent.get(1), 0));
        assertEquals(mac("01:00:5e:00:00:fb"), macAt(sent.get(2), 0));
    }

    @Test
    void packetLongerThanTheMtuIsDropped() {
        byte[] packet = new byte[1501];
        inside.transmitIpv4(MemorySegment.ofArray(packet), 0, packet.length, CLIENT, 0);
        assertEquals(1, drops[FrameDropReason.EXCEEDS_MTU.ordinal()]);
        assertEquals(0, inside.neighbours.size(), "dropped before resolving");
    }

    @Test
    void fullTxRingDropsTheReplyAndCountsIt() {
        FakePort tiny = new FakePort("in0", PORT_MAC, 1500, 0);
        BoundInterface b = new BoundInterface(tiny, drops);
        b.configure(0, insideConfig, config(List.of()));
        byte[] frame = fixture("/arp/linux-6.18-request.hex");
        b.handleArp(MemorySegment.ofArray(frame), 14, frame.length, 0);
        assertEquals(1, drops[FrameDropReason.TX_RING_FULL.ordinal()]);
    }
}
