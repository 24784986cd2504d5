package dev.algd.engine.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.algd.engine.testing.GreTestPackets;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * For any bytes, {@link GreHeader#validate} returns a reason, throws nothing and reads only the header's bytes: the
 * input is framed by guard bytes and must get the answer of an exact-size copy. An OK header fits the input, and
 * every accessor the engine may call on it then stays inside it.
 * <p>
 * Jazzer fuzzes {@link #validateAnswersEveryInputWithinTheHeader} with {@code JAZZER_FUZZ=1}; the normal test run
 * replays its inputs directory and the seeds below, and jqwik adds random bytes.
 */
class GreHeaderFuzz {
    private static final int GUARD = 32;
    private static final byte[] GUARDS = {0, (byte) 0xff, 0x20};

    @FuzzTest(maxDuration = "60s")
    void validateAnswersEveryInputWithinTheHeader(byte[] data) {
        GreHeader header = new GreHeader().wrap(MemorySegment.ofArray(data.clone()), 0);
        GreReason expected = header.validate(data.length);
        assertNotNull(expected);
        if (expected == GreReason.OK) {
            assertTrue(header.headerLength() >= GreHeader.BASE_LENGTH && header.headerLength() <= data.length);
            readEveryField(header);
        }
        for (byte guard : GUARDS) {
            MemorySegment framed = MemorySegment.ofArray(new byte[data.length + 2 * GUARD]);
            framed.fill(guard);
            MemorySegment.copy(data, 0, framed, ValueLayout.JAVA_BYTE, GUARD, data.length);
            GreHeader other = new GreHeader().wrap(framed.asSlice(0, GUARD + data.length), GUARD);
            assertEquals(expected, other.validate(data.length), "with guard bytes " + guard);
            if (expected == GreReason.OK) {
                assertEquals(header.headerLength(), other.headerLength());
                readEveryField(other);
            }
        }
    }

    /** The framed copy ends where the input ends, so a field read past the header would throw here. */
    private static void readEveryField(GreHeader header) {
        if (header.version() == GreHeader.VERSION_0 && header.hasChecksum()) {
            header.checksum();
        }
        if (header.hasKey()) {
            header.key();
        }
        if (header.version() == GreHeader.VERSION_PPTP) {
            header.callId();
            header.payloadLength();
        }
        if (header.hasSequenceNumber()) {
            header.sequenceNumber();
        }
        if (header.hasAcknowledgmentNumber()) {
            header.acknowledgmentNumber();
        }
    }

    @Test
    void builtHeadersAndTheirTruncationsAreSeeds() {
        MemorySegment[] packets = {
            GreTestPackets.v0().from("192.0.2.1").to("198.51.100.1").build(),
            GreTestPackets.v0().from("192.0.2.1").to("198.51.100.1").checksum().key(3).sequence(4).build(),
            GreTestPackets.pptp(7).from("192.0.2.1").to("198.51.100.1").sequence(1).acknowledgment(2).build(),
            GreTestPackets.pptp(7).from("192.0.2.1").to("198.51.100.1").acknowledgment(2).build(),
        };
        for (MemorySegment packet : packets) {
            byte[] gre = packet.asSlice(20).toArray(ValueLayout.JAVA_BYTE);
            for (int cut = 0; cut <= gre.length; cut++) {
                validateAnswersEveryInputWithinTheHeader(Arrays.copyOf(gre, cut));
            }
        }
    }

    @Property(tries = 3000)
    void randomBytesGetAReason(@ForAll @Size(max = 40) byte[] data) {
        validateAnswersEveryInputWithinTheHeader(data);
    }

    @Property(tries = 2000)
    void randomFlagsOverARoomyHeaderGetAReason(@ForAll short flags, @ForAll boolean ppp,
            @ForAll @Size(min = 0, max = 20) byte[] rest) {
        byte[] data = new byte[4 + rest.length];
        data[0] = (byte) (flags >>> 8);
        data[1] = (byte) flags;
        data[2] = (byte) (ppp ? 0x88 : 0x08);
        data[3] = (byte) (ppp ? 0x0b : 0x00);
        System.arraycopy(rest, 0, data, 4, rest.length);
        validateAnswersEveryInputWithinTheHeader(data);
    }
}
