package dev.algd.engine;

import static dev.algd.engine.EngineHarness.INSIDE;
import static dev.algd.engine.EngineHarness.INSIDE_HOST;
import static dev.algd.engine.EngineHarness.OUTSIDE;
import static dev.algd.engine.EngineHarness.OUTSIDE_ADDRESS;
import static dev.algd.engine.EngineHarness.SERVER;
import static dev.algd.engine.EngineHarness.address;
import static dev.algd.engine.EngineHarness.masquerade;
import static dev.algd.engine.testing.TestPackets.ACK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.packet.Ipv4Header;
import dev.algd.engine.testing.ReferenceChecksum;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The egress MTU (RFC 1191, RFC 1812 §4.2.2.5 / §5.2.6): a DF packet longer than the egress interface's MTU comes
 * back to its sender as ICMP fragmentation needed with the MTU, quoting the packet as it arrived (before NAT); a
 * non-DF one is dropped and counted, since algd does not fragment.
 */
class EngineMtuTest {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int DF = 0x4000;
    private static final int EMBEDDED = 28;
    private static final int BUFFER = 2048;

    private static MemorySegment inBuffer(MemorySegment packet) {
        MemorySegment buffer = Arena.ofAuto().allocate(BUFFER);
        MemorySegment.copy(packet, 0, buffer, 0, packet.byteSize());
        return buffer;
    }

    private static TestPackets tcpData(int payloadBytes) {
        return TestPackets.tcp().from(INSIDE_HOST, 41000).to(SERVER, 80).flags(ACK).payload("x".repeat(payloadBytes));
    }

    private static EngineHarness withOutsideMtu(int mtu) {
        EngineHarness h = new EngineHarness(masquerade(10));
        h.engine.interfaceMtu(OUTSIDE, mtu);
        return h;
    }

    @Test
    void dfPacketOverTheEgressMtuBecomesFragmentationNeededToItsSender() {
        EngineHarness h = withOutsideMtu(1280);
        MemorySegment original = tcpData(1400 - 40).flagsFragment(DF).build();
        MemorySegment buffer = inBuffer(original);

        assertEquals(Verdict.FORWARD, h.send(buffer, 0, 1400, BUFFER, INSIDE));

        Ipv4Header ip = new Ipv4Header().wrap(buffer, 0);
        assertEquals(INSIDE, h.packet.egressInterface, "back out of the ingress interface");
        assertEquals(address(INSIDE_HOST), h.packet.nextHop);
        assertEquals(address("192.168.1.1"), ip.sourceAddress(), "from the ingress interface's address");
        assertEquals(address(INSIDE_HOST), ip.destinationAddress());
        assertEquals(Ipv4Header.PROTOCOL_ICMP, ip.protocol());
        assertEquals(3, buffer.get(ValueLayout.JAVA_BYTE, 20), "destination unreachable");
        assertEquals(4, buffer.get(ValueLayout.JAVA_BYTE, 21), "fragmentation needed and DF set");
        assertEquals(0, Short.toUnsignedInt(buffer.get(U16, 24)), "unused half of the second word");
        assertEquals(1280, Short.toUnsignedInt(buffer.get(U16, 26)), "next-hop MTU (RFC 1191)");
        assertEquals(576, h.packet.length, "quotes as much as fits in 576 bytes");
        assertArrayEquals(original.asSlice(0, 576 - EMBEDDED).toArray(ValueLayout.JAVA_BYTE),
                buffer.asSlice(EMBEDDED, 576 - EMBEDDED).toArray(ValueLayout.JAVA_BYTE),
                "the packet as the sender sent it, not translated");
        assertTrue(ReferenceChecksum.areAllChecksumsValid(buffer, 0), "outer IPv4 and ICMP checksums");
        assertEquals(1, h.engine.fragmentationNeededSent());
    }

    @Test
    void packetOfExactlyTheMtuIsForwardedAndTranslated() {
        EngineHarness h = withOutsideMtu(1280);
        MemorySegment buffer = inBuffer(tcpData(1280 - 40).flagsFragment(DF).build());

        assertEquals(Verdict.FORWARD, h.send(buffer, 0, 1280, BUFFER, INSIDE));

        assertEquals(OUTSIDE, h.packet.egressInterface);
        assertEquals(address(OUTSIDE_ADDRESS), new Ipv4Header().wrap(buffer, 0).sourceAddress());
        assertEquals(0, h.engine.fragmentationNeededSent());
    }

    @Test
    void packetWithoutDfOverTheMtuIsDroppedAndCounted() {
        EngineHarness h = withOutsideMtu(1280);
        MemorySegment buffer = inBuffer(tcpData(1400 - 40).build());

        assertEquals(Verdict.DROP, h.send(buffer, 0, 1400, BUFFER, INSIDE));

        assertEquals(1, h.drops(DropReason.EXCEEDS_MTU));
        assertEquals(0, h.engine.fragmentationNeededSent());
    }

    @Test
    void fragmentationNeededIsNotRateLimitedLikeOtherErrors() {
        EngineHarness h = withOutsideMtu(1280);
        MemorySegment original = tcpData(1400 - 40).flagsFragment(DF).build();
        MemorySegment buffer = Arena.ofAuto().allocate(BUFFER);
        for (int i = 0; i < 200; i++) {
            MemorySegment.copy(original, 0, buffer, 0, original.byteSize());
            assertEquals(Verdict.FORWARD, h.send(buffer, 0, 1400, BUFFER, INSIDE), "error " + i);
        }
        assertEquals(200, h.engine.fragmentationNeededSent());
    }

    @Test
    void replyDirectionOverTheInsideMtuTellsTheServer() {
        EngineHarness h = new EngineHarness(masquerade(10));
        h.engine.interfaceMtu(INSIDE, 576);
        MemorySegment request = tcpData(10).build();
        assertEquals(Verdict.FORWARD, h.send(request, INSIDE));
        int port = Short.toUnsignedInt(request.get(U16, 20));
        MemorySegment reply = TestPackets.tcp().from(SERVER, 80).to(OUTSIDE_ADDRESS, port).flags(ACK)
                .payload("y".repeat(1000)).flagsFragment(DF).build();
        MemorySegment buffer = inBuffer(reply);

        assertEquals(Verdict.FORWARD, h.send(buffer, 0, (int) reply.byteSize(), BUFFER, OUTSIDE));

        assertEquals(OUTSIDE, h.packet.egressInterface);
        assertEquals(address(SERVER), new Ipv4Header().wrap(buffer, 0).destinationAddress());
        assertEquals(576, Short.toUnsignedInt(buffer.get(U16, 26)));
        assertEquals(address(OUTSIDE_ADDRESS), new Ipv4Header().wrap(buffer, EMBEDDED).destinationAddress(),
                "the quote is the reply as the server sent it");
    }

    @Test
    void noErrorToASourceThatIsNoHost() {
        EngineHarness h = withOutsideMtu(1280);
        MemorySegment buffer = inBuffer(TestPackets.tcp().from("127.0.0.5", 41000).to(SERVER, 80).flags(ACK)
                .payload("x".repeat(1400 - 40)).flagsFragment(DF).build());

        assertEquals(Verdict.DROP, h.send(buffer, 0, 1400, BUFFER, INSIDE));

        assertEquals(1, h.drops(DropReason.FRAGMENTATION_NEEDED));
        assertEquals(0, h.engine.fragmentationNeededSent());
    }

    @Test
    void applyResetsMtusAndOutOfRangeValuesAreRefused() {
        EngineHarness h = withOutsideMtu(1280);
        assertThrows(IllegalArgumentException.class, () -> h.engine.interfaceMtu(OUTSIDE, 67));
        assertThrows(IndexOutOfBoundsException.class, () -> h.engine.interfaceMtu(2, 1500));
        h.engine.apply(h.engine.config());
        MemorySegment buffer = inBuffer(tcpData(1400 - 40).flagsFragment(DF).build());

        assertEquals(Verdict.FORWARD, h.send(buffer, 0, 1400, BUFFER, INSIDE));

        assertEquals(OUTSIDE, h.packet.egressInterface, "no MTU after apply until packet-io sets it again");
    }
}
