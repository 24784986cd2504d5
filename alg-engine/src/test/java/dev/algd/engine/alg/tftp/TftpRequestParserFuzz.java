package dev.algd.engine.alg.tftp;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * For any bytes, {@link TftpRequestParser} returns a reason, throws nothing and stays inside its range. The range is
 * framed by guard bytes in a larger segment, so a read past either end would see them, and a NUL guard past the end
 * would turn an unterminated string into a request: every answer is checked against a parse of an exact-size copy.
 * <p>
 * Jazzer fuzzes {@link #parserAnswersEveryInputWithinItsRange} with {@code JAZZER_FUZZ=1}; the normal test run
 * replays its inputs directory and the captured requests, and jqwik adds random bytes.
 */
class TftpRequestParserFuzz {
    private static final int GUARD = 8;
    private final TftpRequest out = new TftpRequest();

    @FuzzTest(maxDuration = "60s")
    void parserAnswersEveryInputWithinItsRange(byte[] data) {
        MemorySegment exact = MemorySegment.ofArray(data.clone());
        TftpReason expected = TftpRequestParser.parse(exact, 0, data.length, out);
        assertNotNull(expected);
        for (byte guard : new byte[] {0, (byte) 0xff}) {
            MemorySegment framed = MemorySegment.ofArray(new byte[data.length + 2 * GUARD]);
            framed.fill(guard);
            MemorySegment.copy(data, 0, framed, ValueLayout.JAVA_BYTE, GUARD, data.length);
            TftpReason reason = TftpRequestParser.parse(framed, GUARD, GUARD + data.length, out);
            assertTrue(reason == expected, () -> reason + " with guard bytes, " + expected + " without");
            if (reason == TftpReason.OK) {
                assertTrue(out.filenameOffset >= GUARD && out.filenameOffset + out.filenameLength <= GUARD + data.length);
                assertTrue(out.modeOffset > out.filenameOffset && out.modeOffset + out.modeLength <= GUARD + data.length);
            }
        }
    }

    @Test
    void capturedRequestsAreSeeds() {
        for (byte[] request : TftpFixtures.requests().values()) {
            parserAnswersEveryInputWithinItsRange(request);
            for (int cut = 0; cut < request.length; cut++) {
                parserAnswersEveryInputWithinItsRange(java.util.Arrays.copyOf(request, cut));
            }
        }
    }

    @Property(tries = 2000)
    void randomBytesGetAReason(@ForAll @Size(max = 600) byte[] data) {
        parserAnswersEveryInputWithinItsRange(data);
    }
}
