package dev.algd.engine.alg.rsh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RshStderrPortParserTest {
    private final RshStderrPort out = new RshStderrPort();

    private RshReason parse(byte[] bytes) {
        return RshStderrPortParser.parse(MemorySegment.ofArray(bytes), 0, bytes.length, out);
    }

    private RshReason parse(String text) {
        return parse(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void netkitRshStderrPortIsParsed() {
        assertEquals(RshReason.OK, parse(RshFixtures.firstString("netkit-rsh-stderr-1022")));
        assertEquals(1022, out.port);
        assertEquals(0, out.spanFrom);
        assertEquals(4, out.spanTo);
        assertEquals(5, out.end);
    }

    @Test
    void emptyStringOfRcmdMeansNoStderrChannelAndTheUsersFollowUntouched() {
        assertEquals(RshReason.NO_STDERR_CHANNEL,
                parse(RshFixtures.firstString("handwritten-rcmd-no-stderr-then-users")));
        assertEquals(0, out.port);
        assertEquals(1, out.end);
    }

    @Test
    void zeroMeansNoStderrChannel() {
        assertEquals(RshReason.NO_STDERR_CHANNEL, parse("0\0"));
        assertEquals(2, out.end);
    }

    @Test
    void onlyTheFirstStringIsRead() {
        assertEquals(RshReason.OK, parse("1022\0root\0alice\0id\0"));
        assertEquals(5, out.end);
    }

    @Test
    void digitsWithoutNulAreIncomplete() {
        assertEquals(RshReason.INCOMPLETE, parse("10"));
        assertEquals(RshReason.INCOMPLETE, parse(""));
        assertEquals(RshReason.INCOMPLETE, parse("65535"));
    }

    @Test
    void malformedFirstStringsAreNamed() {
        assertEquals(RshReason.NOT_A_DIGIT, parse("10x2\0"));
        assertEquals(RshReason.NOT_A_DIGIT, parse("-1\0"));
        assertEquals(RshReason.NOT_A_DIGIT, parse(" 1022\0"));
        assertEquals(RshReason.TOO_MANY_DIGITS, parse("000001\0"));
        assertEquals(RshReason.TOO_MANY_DIGITS, parse("123456"));
        assertEquals(RshReason.PORT_OVER_65535, parse("65536\0"));
        assertEquals(RshReason.PORT_OVER_65535, parse("99999"));
    }

    @Test
    void leadingZerosAreAPort() {
        assertEquals(RshReason.OK, parse("01022\0"));
        assertEquals(1022, out.port);
    }

    @Property(tries = 1000)
    void writtenPortParsesBack(@ForAll @IntRange(min = 0, max = 65_535) int port) {
        RshStderrPortWriter writer = new RshStderrPortWriter();
        int length = writer.writePort(port);
        byte[] bytes = new byte[length + 1];
        System.arraycopy(writer.scratch(), 0, bytes, 0, length);
        RshReason reason = parse(bytes);
        assertEquals(port == 0 ? RshReason.NO_STDERR_CHANNEL : RshReason.OK, reason);
        assertEquals(port, out.port);
        assertEquals(length, out.spanTo);
        assertEquals(String.valueOf(port), new String(bytes, 0, length, StandardCharsets.US_ASCII));
    }
}
