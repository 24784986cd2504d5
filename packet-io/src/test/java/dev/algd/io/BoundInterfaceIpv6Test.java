package dev.algd.io;

import static dev.algd.io.TestFrames.checksum;
import static dev.algd.io.TestFrames.mac;
import static dev.algd.io.TestFrames.macAt;
import static dev.algd.io.TestFrames.u16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.Ipv6Address;
import dev.algd.engine.config.Ipv6Prefix;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * IPv6 neighbour discovery in the L2 adapter (RFC 4861 §7): solicitations for algd's addresses are answered and
 * teach the solicitor, next hops are solicited through their solicited-node group, advertisements release what
 * waited. Messages are built and checked here byte by byte, independently of {@link Ndp}.
 */
class BoundInterfaceIpv6Test {
    private static final long PORT_MAC = mac("02:a1:9d:00:00:01");
    private static final long CLIENT_MAC = mac("32:4e:32:15:79:9c");
    private static final String OWN = "2001:db8:1::1";
    private static final String CLIENT = "2001:db8:1::10";

    private final long[] drops = new long[FrameDropReason.values().length];
    private final FakePort port = new FakePort("in0", PORT_MAC);
    private final BoundInterface inside = new BoundInterface(port, drops);
    private final InterfaceConfig insideConfig = new InterfaceConfig("inside", "in0",
            List.of(Ipv4Prefix.parse("192.0.2.1/24")), List.of(Ipv6Prefix.parse(OWN + "/64")));

    BoundInterfaceIpv6Test() {
        inside.configure(0, insideConfig, new EngineConfig(Map.of(), List.of(insideConfig), List.of(), List.of()));
    }

    private static byte[] address(String text) {
        return InetAddress.ofLiteral(text).getAddress();
    }

    /** An NS or NA in an Ethernet frame, with the ICMPv6 checksum over the pseudo-header computed here. */
    static byte[] ndpFrame(long destinationMac, long sourceMac, int type, int flags, String source,
            String destination, String target, int optionType, long optionMac, int hopLimit) {
        ByteBuffer icmp = ByteBuffer.allocate(optionType == 0 ? 24 : 32);
        icmp.put((byte) type).put((byte) 0).putShort((short) 0).putInt(flags).put(address(target));
        if (optionType != 0) {
            icmp.put((byte) optionType).put((byte) 1).putShort((short) (optionMac >>> 32)).putInt((int) optionMac);
        }
        byte[] body = icmp.array();
        long pseudo = sumOf(address(source)) + sumOf(address(destination)) + body.length + 58;
        int sum = checksum(body, 0, body.length, pseudo);
        body[2] = (byte) (sum >>> 8);
        body[3] = (byte) sum;
        ByteBuffer frame = ByteBuffer.allocate(14 + 40 + body.length);
        frame.putShort((short) (destinationMac >>> 32)).putInt((int) destinationMac);
        frame.putShort((short) (sourceMac >>> 32)).putInt((int) sourceMac).putShort((short) 0x86DD);
        frame.putInt(0x6000_0000).putShort((short) body.length).put((byte) 58).put((byte) hopLimit);
        frame.put(address(source)).put(address(destination)).put(body);
        return frame.array();
    }

    private static long sumOf(byte[] bytes) {
        long sum = 0;
        for (int i = 0; i < bytes.length; i += 2) {
            sum += u16(bytes, i);
        }
        return sum;
    }

    private static boolean icmpChecksumVerifies(byte[] frame) {
        int length = u16(frame, 18);
        long pseudo = sumOf(Arrays.copyOfRange(frame, 22, 38)) + sumOf(Arrays.copyOfRange(frame, 38, 54)) + length
                + 58;
        return checksum(frame, 54, length, pseudo) == 0;
    }

    private boolean receive(byte[] frame) {
        boolean taken = inside.handleNeighbourDiscovery(MemorySegment.ofArray(frame), Ethernet.HEADER_LENGTH,
                frame.length, 0);
        port.flushTransmit();
        return taken;
    }

    @Test
    void solicitationForAnOwnAddressIsAnsweredAndTeachesTheSolicitor() {
        byte[] ns = ndpFrame(Ethernet.ipv6MulticastMac(0x1_ff00_0001L), CLIENT_MAC,
                Ndp.TYPE_NEIGHBOUR_SOLICITATION, 0, CLIENT, "ff02::1:ff00:1", OWN, 1, CLIENT_MAC, 255);

        assertTrue(receive(ns));

        List<byte[]> sent = port.takeSent();
        assertEquals(1, sent.size());
        byte[] na = sent.getFirst();
        assertEquals(CLIENT_MAC, macAt(na, 0));
        assertEquals(PORT_MAC, macAt(na, 6));
        assertEquals(0x86DD, u16(na, 12));
        assertEquals(255, na[21] & 0xff, "hop limit 255");
        assertArrayEquals(address(OWN), Arrays.copyOfRange(na, 22, 38));
        assertArrayEquals(address(CLIENT), Arrays.copyOfRange(na, 38, 54));
        assertEquals(Ndp.TYPE_NEIGHBOUR_ADVERTISEMENT, na[54] & 0xff);
        assertEquals(0xe0, na[58] & 0xff, "router, solicited, override");
        assertArrayEquals(address(OWN), Arrays.copyOfRange(na, 62, 78));
        assertEquals(2, na[78], "target link-layer address option");
        assertEquals(PORT_MAC, macAt(na, 80));
        assertTrue(icmpChecksumVerifies(na));
        Ipv6Address client = Ipv6Address.parse(CLIENT);
        assertEquals(CLIENT_MAC, inside.neighbours6.lookup6(client.high(), client.low()));
    }

    @Test
    void duplicateAddressProbeIsAnsweredToAllNodesWithoutLearning() {
        assertTrue(receive(ndpFrame(Ethernet.ipv6MulticastMac(0x1_ff00_0001L), CLIENT_MAC,
                Ndp.TYPE_NEIGHBOUR_SOLICITATION, 0, "::", "ff02::1:ff00:1", OWN, 0, 0, 255)));

        byte[] na = port.takeSent().getFirst();
        assertEquals(Ethernet.ipv6MulticastMac(1), macAt(na, 0));
        assertArrayEquals(address("ff02::1"), Arrays.copyOfRange(na, 38, 54));
        assertEquals(0xa0, na[58] & 0xff, "not solicited");
        assertEquals(0, inside.neighbours6.size());
    }

    @Test
    void solicitationForAnotherAddressOrWithABadHopLimitGetsNoAnswer() {
        assertTrue(receive(ndpFrame(Ethernet.ipv6MulticastMac(0x1_ff00_0020L), CLIENT_MAC,
                Ndp.TYPE_NEIGHBOUR_SOLICITATION, 0, CLIENT, "ff02::1:ff00:20", "2001:db8:1::20", 1, CLIENT_MAC, 255)));
        assertTrue(receive(ndpFrame(Ethernet.ipv6MulticastMac(0x1_ff00_0001L), CLIENT_MAC,
                Ndp.TYPE_NEIGHBOUR_SOLICITATION, 0, CLIENT, "ff02::1:ff00:1", OWN, 1, CLIENT_MAC, 64)));

        assertEquals(List.of(), port.takeSent());
        assertEquals(1, drops[FrameDropReason.NDP_MALFORMED.ordinal()]);
    }

    @Test
    void unknownNextHopIsSolicitedAndItsAdvertisementSendsThePacket() {
        byte[] packet = new byte[48];
        packet[0] = 0x60;
        inside.transmitIpv6(MemorySegment.ofArray(packet), 0, packet.length,
                Ipv6Address.parse(CLIENT).high(), Ipv6Address.parse(CLIENT).low(), 0);
        port.flushTransmit();
        byte[] ns = port.takeSent().getFirst();
        assertEquals(Ethernet.ipv6MulticastMac(0x1_ff00_0010L), macAt(ns, 0));
        assertArrayEquals(address("ff02::1:ff00:10"), Arrays.copyOfRange(ns, 38, 54));
        assertArrayEquals(address(OWN), Arrays.copyOfRange(ns, 22, 38));
        assertEquals(Ndp.TYPE_NEIGHBOUR_SOLICITATION, ns[54] & 0xff);
        assertArrayEquals(address(CLIENT), Arrays.copyOfRange(ns, 62, 78));
        assertTrue(icmpChecksumVerifies(ns));

        assertTrue(receive(ndpFrame(PORT_MAC, CLIENT_MAC, Ndp.TYPE_NEIGHBOUR_ADVERTISEMENT, 0x6000_0000, CLIENT, OWN,
                CLIENT, 2, CLIENT_MAC, 255)));

        byte[] released = port.takeSent().getFirst();
        assertEquals(CLIENT_MAC, macAt(released, 0));
        assertEquals(0x86DD, u16(released, 12));
        assertEquals(14 + 48, released.length);
    }

    @Test
    void withoutALinkLayerAPacketIsSentAtOnceWithoutSolicitingItsNextHop() {
        port.ethernet = false;
        byte[] packet = new byte[48];
        packet[0] = 0x60;
        packet[47] = 0x5a;
        inside.transmitIpv6(MemorySegment.ofArray(packet), 0, packet.length,
                Ipv6Address.parse(CLIENT).high(), Ipv6Address.parse(CLIENT).low(), 0);
        port.flushTransmit();
        List<byte[]> sent = port.takeSent();
        assertEquals(1, sent.size(), "the packet itself, no neighbour solicitation");
        assertEquals(0x86DD, u16(sent.getFirst(), 12));
        assertArrayEquals(packet, Arrays.copyOfRange(sent.getFirst(), 14, 14 + packet.length));
        assertEquals(0, inside.ndpSolicitationsSent);
    }

    @Test
    void otherIpv6TrafficIsLeftForTheEngine() {
        byte[] echo = ndpFrame(PORT_MAC, CLIENT_MAC, 128, 0, CLIENT, OWN, OWN, 0, 0, 64);

        assertEquals(false, receive(echo));
    }
}
