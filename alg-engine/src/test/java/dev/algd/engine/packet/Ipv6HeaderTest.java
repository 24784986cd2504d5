package dev.algd.engine.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.algd.engine.testing.Ipv6TestPackets;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class Ipv6HeaderTest {
    private final Ipv6Header header = new Ipv6Header();

    private Ipv6Reason validate(byte[] packet) {
        return header.wrap(MemorySegment.ofArray(packet), 0).validate(packet.length);
    }

    @Test
    void upperLayerFollowsTheFixedHeaderWithoutExtensions() {
        byte[] packet = Ipv6TestPackets.tcp().from("2001:db8::1", 1).to("2001:db8::2", 2).bytes();

        assertEquals(Ipv6Reason.OK, validate(packet));
        assertEquals(6, header.protocol());
        assertEquals(40, header.upperLayerOffset());
        assertEquals(20, header.upperLayerLength());
        assertEquals(0x2001_0db8_0000_0000L, header.sourceHigh());
        assertEquals(2L, header.destinationLow());
    }

    @Test
    void extensionHeadersAreWalkedToTheUpperLayer() {
        byte[] packet = Ipv6TestPackets.udp().from("2001:db8::1", 1).to("2001:db8::2", 2).options(0, 2)
                .routing(0).fragment(0, false).options(60, 1).bytes();

        assertEquals(Ipv6Reason.OK, validate(packet));
        assertEquals(17, header.protocol());
        assertEquals(40 + 16 + 8 + 8 + 8, header.upperLayerOffset());
        assertEquals(8, header.upperLayerLength());
    }

    @Test
    void eachMalformationHasItsReason() {
        byte[] good = Ipv6TestPackets.udp().from("2001:db8::1", 1).to("2001:db8::2", 2).bytes();
        assertEquals(Ipv6Reason.TRUNCATED, validate(java.util.Arrays.copyOf(good, 39)));
        byte[] version = good.clone();
        version[0] = 0x40;
        assertEquals(Ipv6Reason.NOT_VERSION_6, validate(version));
        assertEquals(Ipv6Reason.BAD_PAYLOAD_LENGTH, validate(java.util.Arrays.copyOf(good, good.length - 1)));
        byte[] jumbo = good.clone();
        jumbo[4] = 0;
        jumbo[5] = 0;
        assertEquals(Ipv6Reason.BAD_PAYLOAD_LENGTH, validate(jumbo));
        assertEquals(Ipv6Reason.BAD_EXTENSION_HEADER_CHAIN, validate(Ipv6TestPackets.udp().from("2001:db8::1", 1)
                .to("2001:db8::2", 2).options(60, 1).options(0, 1).bytes()));
        assertEquals(Ipv6Reason.FRAGMENT, validate(Ipv6TestPackets.udp().from("2001:db8::1", 1)
                .to("2001:db8::2", 2).fragment(1, false).bytes()));
        assertEquals(Ipv6Reason.ROUTING_HEADER_SEGMENTS_LEFT, validate(Ipv6TestPackets.udp()
                .from("2001:db8::1", 1).to("2001:db8::2", 2).routing(2).bytes()));
        byte[] overlong = Ipv6TestPackets.udp().from("2001:db8::1", 1).to("2001:db8::2", 2).options(60, 1).bytes();
        overlong[41] = 5;
        assertEquals(Ipv6Reason.TRUNCATED, validate(overlong));
    }

    @Test
    void eightExtensionHeadersPassAndNineDoNot() {
        Ipv6TestPackets eight = Ipv6TestPackets.udp().from("2001:db8::1", 1).to("2001:db8::2", 2);
        for (int i = 0; i < Ipv6Header.MAX_EXTENSION_HEADERS; i++) {
            eight.options(60, 1);
        }
        assertEquals(Ipv6Reason.OK, validate(eight.bytes()));
        assertEquals(Ipv6Reason.BAD_EXTENSION_HEADER_CHAIN, validate(eight.options(60, 1).bytes()));
    }
}
