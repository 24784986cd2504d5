package dev.algd.engine.alg.rsh;

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
 * For any bytes, {@link IdentParser} returns a reason, throws nothing and stays inside its range (framed by guard
 * bytes that would change the answer if read); on OK both spans lie inside the line and the ports are 1..65535.
 * Jazzer fuzzes with {@code JAZZER_FUZZ=1}; the normal run replays the inputs directory; jqwik adds random bytes.
 */
class IdentParserFuzz {
    private static final int GUARD = 8;
    private static final byte[] GUARDS = {'\n', '7', ',', ':'};
    private final IdentLine out = new IdentLine();

    @FuzzTest(maxDuration = "60s")
    void parserAnswersEveryInputWithinItsRange(byte[] data) {
        MemorySegment exact = MemorySegment.ofArray(data.clone());
        IdentReason expected = IdentParser.parse(exact, 0, data.length, out);
        assertNotNull(expected);
        assertTrue(out.lineEnd <= data.length);
        if (expected == IdentReason.OK) {
            assertTrue(out.serverPortFrom < out.serverPortTo && out.serverPortTo < out.clientPortFrom
                    && out.clientPortFrom < out.clientPortTo && out.clientPortTo < out.lineEnd);
            assertTrue(out.serverPort >= 1 && out.serverPort <= 65_535);
            assertTrue(out.clientPort >= 1 && out.clientPort <= 65_535);
        }
        for (byte guard : GUARDS) {
            MemorySegment framed = MemorySegment.ofArray(new byte[data.length + 2 * GUARD]);
            framed.fill(guard);
            MemorySegment.copy(data, 0, framed, ValueLayout.JAVA_BYTE, GUARD, data.length);
            IdentReason reason = IdentParser.parse(framed, GUARD, GUARD + data.length, out);
            assertTrue(reason == expected, () -> reason + " with guard bytes, " + expected + " without");
        }
    }

    @Test
    void rfcLinesAreSeeds() {
        for (String line : new String[] {"6191, 23\r\n", "6193, 23 : USERID : UNIX : stjohns\r\n",
                "6195, 23 : ERROR : NO-USER\r\n"}) {
            byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
            for (int cut = 0; cut <= bytes.length; cut++) {
                parserAnswersEveryInputWithinItsRange(java.util.Arrays.copyOf(bytes, cut));
            }
        }
    }

    @Property(tries = 2000)
    void randomBytesGetAReason(@ForAll @Size(max = 80) byte[] data) {
        parserAnswersEveryInputWithinItsRange(data);
    }
}
