package dev.algd.engine.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.algd.engine.testing.Ipv6TestPackets;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * For any bytes, {@link Ipv6Header#validate} returns a reason, throws nothing and reads only the packet: the bytes
 * are framed by guard bytes (each a next-header value that would lengthen the walk if read) and the answer must
 * match the one for an exact-size copy. An OK packet's upper-layer header lies inside its payload and is no
 * extension header.
 * <p>
 * Jazzer fuzzes {@link #validateAnswersEveryInputWithinThePacket} with {@code JAZZER_FUZZ=1}; the normal test run
 * replays its inputs directory and the seeds below, and jqwik adds random bytes and random chains.
 */
class Ipv6HeaderFuzz {
    private static final int GUARD = 64;
    private static final byte[] GUARDS = {0, 43, 44, 60, (byte) 0xff};

    @FuzzTest(maxDuration = "60s")
    void validateAnswersEveryInputWithinThePacket(byte[] data) {
        Ipv6Header header = new Ipv6Header();
        header.wrap(MemorySegment.ofArray(data.clone()), 0);
        Ipv6Reason expected = header.validate(data.length);
        assertNotNull(expected);
        if (expected == Ipv6Reason.OK) {
            int payloadEnd = Ipv6Header.LENGTH + header.payloadLength();
            assertTrue(header.upperLayerOffset() >= Ipv6Header.LENGTH && header.upperLayerOffset() <= payloadEnd);
            assertTrue(header.upperLayerLength() >= 0);
            int protocol = header.protocol();
            assertTrue(protocol != 0 && protocol != 43 && protocol != 44 && protocol != 60, "protocol " + protocol);
        }
        int upper = header.upperLayerOffset();
        for (byte guard : GUARDS) {
            MemorySegment framed = MemorySegment.ofArray(new byte[data.length + 2 * GUARD]);
            framed.fill(guard);
            MemorySegment.copy(data, 0, framed, ValueLayout.JAVA_BYTE, GUARD, data.length);
            Ipv6Header other = new Ipv6Header().wrap(framed, GUARD);
            Ipv6Reason reason = other.validate(data.length);
            assertEquals(expected, reason, "with guard bytes " + guard);
            if (reason == Ipv6Reason.OK) {
                assertEquals(upper, other.upperLayerOffset());
            }
        }
    }

    @Test
    void builtPacketsAndTheirTruncationsAreSeeds() {
        byte[][] seeds = {
            Ipv6TestPackets.tcp().from("2001:db8::1", 1).to("2001:db8::2", 2).bytes(),
            Ipv6TestPackets.udp().from("2001:db8::1", 1).to("2001:db8::2", 2).options(0, 2).options(60, 1)
                    .routing(0).fragment(0, false).bytes(),
            Ipv6TestPackets.icmpEcho().from("2001:db8::1", 1).to("2001:db8::2", 0).fragment(3, true).bytes(),
        };
        for (byte[] seed : seeds) {
            for (int cut = 0; cut <= seed.length; cut++) {
                validateAnswersEveryInputWithinThePacket(Arrays.copyOf(seed, cut));
            }
        }
    }

    @Property(tries = 2000)
    void randomBytesGetAReason(@ForAll @Size(max = 200) byte[] data) {
        validateAnswersEveryInputWithinThePacket(data);
    }

    @Property(tries = 2000)
    void randomChainsBehindAValidHeaderGetAReason(@ForAll @Size(max = 160) byte[] chain, @ForAll byte nextHeader) {
        byte[] packet = new byte[40 + chain.length];
        packet[0] = 0x60;
        packet[4] = (byte) (chain.length >>> 8);
        packet[5] = (byte) chain.length;
        packet[6] = nextHeader;
        System.arraycopy(chain, 0, packet, 40, chain.length);
        validateAnswersEveryInputWithinThePacket(packet);
    }
}
