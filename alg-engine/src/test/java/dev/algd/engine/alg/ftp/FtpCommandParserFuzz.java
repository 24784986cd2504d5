package dev.algd.engine.alg.ftp;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * For any bytes, {@link FtpCommandParser} returns a reason, throws nothing and stays inside its range: the range is
 * framed by guard bytes (LF, digits, commas) that would change the answer if read, and every answer is checked against
 * a parse of an exact-size copy. Spans and line ends must lie inside the range; walking a payload line by line must
 * end.
 * <p>
 * Jazzer fuzzes {@link #parserAnswersEveryInputWithinItsRange} with {@code JAZZER_FUZZ=1}; the normal test run
 * replays its inputs directory and the captured lines, and jqwik adds random bytes.
 */
class FtpCommandParserFuzz {
    private static final int GUARD = 8;
    private static final byte[] GUARDS = {'\n', '7', ',', '|'};
    private final FtpCommand out = new FtpCommand();

    @FuzzTest(maxDuration = "60s")
    void parserAnswersEveryInputWithinItsRange(byte[] data) {
        MemorySegment exact = MemorySegment.ofArray(data.clone());
        long line = 0;
        int lines = 0;
        while (line < data.length) {
            FtpReason expected = FtpCommandParser.parse(exact, line, data.length, out);
            assertNotNull(expected);
            assertTrue(out.lineEnd > line && out.lineEnd <= data.length || expected == FtpReason.INCOMPLETE);
            if (expected == FtpReason.OK) {
                assertTrue(out.spanFrom >= line && out.spanFrom < out.spanTo && out.spanTo <= out.lineEnd);
                assertTrue(out.port > 0 && out.port <= 65_535);
            }
            for (byte guard : GUARDS) {
                MemorySegment framed = MemorySegment.ofArray(new byte[data.length + 2 * GUARD]);
                framed.fill(guard);
                MemorySegment.copy(data, 0, framed, ValueLayout.JAVA_BYTE, GUARD, data.length);
                FtpReason reason = FtpCommandParser.parse(framed, GUARD + line, GUARD + data.length, out);
                assertTrue(reason == expected, () -> reason + " with guard bytes, " + expected + " without");
            }
            if (expected == FtpReason.INCOMPLETE) {
                break;
            }
            FtpCommandParser.parse(exact, line, data.length, out);
            line = out.lineEnd;
            assertTrue(++lines <= data.length, "each line moves forward");
        }
    }

    @Test
    void capturedLinesAreSeeds() {
        for (String line : FtpFixtures.lines().values()) {
            byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
            parserAnswersEveryInputWithinItsRange(bytes);
            for (int cut = 0; cut < bytes.length; cut++) {
                parserAnswersEveryInputWithinItsRange(java.util.Arrays.copyOf(bytes, cut));
            }
        }
    }

    @Property(tries = 2000)
    void randomBytesGetAReason(@ForAll @Size(max = 600) byte[] data) {
        parserAnswersEveryInputWithinItsRange(data);
    }
}
