package dev.algd.engine.alg.rsh;

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
 * For any bytes, {@link RshStderrPortParser} returns a reason, throws nothing and stays inside its range: the range
 * is framed by guard bytes (NUL, digits) that would change the answer if read. On OK the span and end lie inside the
 * range and the port is 1..65535.
 * <p>
 * Jazzer fuzzes {@link #parserAnswersEveryInputWithinItsRange} with {@code JAZZER_FUZZ=1}; the normal test run
 * replays its inputs directory and the captured strings, and jqwik adds random bytes.
 */
class RshStderrPortParserFuzz {
    private static final int GUARD = 8;
    private static final byte[] GUARDS = {0, '7', 'x'};
    private final RshStderrPort out = new RshStderrPort();

    @FuzzTest(maxDuration = "60s")
    void parserAnswersEveryInputWithinItsRange(byte[] data) {
        MemorySegment exact = MemorySegment.ofArray(data.clone());
        RshReason expected = RshStderrPortParser.parse(exact, 0, data.length, out);
        assertNotNull(expected);
        if (expected == RshReason.OK || expected == RshReason.NO_STDERR_CHANNEL) {
            assertTrue(out.spanFrom == 0 && out.spanTo >= out.spanFrom && out.end == out.spanTo + 1
                    && out.end <= data.length);
            assertTrue(expected == RshReason.OK ? out.port > 0 && out.port <= 65_535 : out.port == 0);
        }
        for (byte guard : GUARDS) {
            MemorySegment framed = MemorySegment.ofArray(new byte[data.length + 2 * GUARD]);
            framed.fill(guard);
            MemorySegment.copy(data, 0, framed, ValueLayout.JAVA_BYTE, GUARD, data.length);
            RshReason reason = RshStderrPortParser.parse(framed, GUARD, GUARD + data.length, out);
            assertTrue(reason == expected, () -> reason + " with guard bytes, " + expected + " without");
        }
    }

    @Test
    void capturedStringsAreSeeds() {
        for (byte[] bytes : RshFixtures.firstStrings().values()) {
            parserAnswersEveryInputWithinItsRange(bytes);
            for (int cut = 0; cut < bytes.length; cut++) {
                parserAnswersEveryInputWithinItsRange(java.util.Arrays.copyOf(bytes, cut));
            }
        }
    }

    @Property(tries = 2000)
    void randomBytesGetAReason(@ForAll @Size(max = 64) byte[] data) {
        parserAnswersEveryInputWithinItsRange(data);
    }
}
