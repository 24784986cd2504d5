package dev.algd.engine.alg.rsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** IDENT lines as RFC 1413's examples write them, and the malformed cases (hand-written). */
class IdentParserTest {
    private final IdentLine out = new IdentLine();

    private IdentReason parse(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return IdentParser.parse(MemorySegment.ofArray(bytes), 0, bytes.length, out);
    }

    @Test
    void queryGivesBothPortsAndTheirSpans() {
        assertEquals(IdentReason.OK, parse("6191, 23\r\n"));
        assertFalse(out.isReply);
        assertEquals(6191, out.serverPort);
        assertEquals(23, out.clientPort);
        assertEquals(0, out.serverPortFrom);
        assertEquals(4, out.serverPortTo);
        assertEquals(6, out.clientPortFrom);
        assertEquals(8, out.clientPortTo);
        assertEquals(10, out.lineEnd);
    }

    @Test
    void rfc1413RepliesAreReplies() {
        assertEquals(IdentReason.OK, parse("6193, 23 : USERID : UNIX : stjohns\r\n"));
        assertTrue(out.isReply);
        assertEquals(6193, out.serverPort);
        assertEquals(23, out.clientPort);
        assertEquals(IdentReason.OK, parse("6195, 23 : ERROR : NO-USER\r\n"));
        assertTrue(out.isReply);
    }

    @Test
    void spacesAndTabsAroundTheNumbersAndABareLfAreAccepted() {
        assertEquals(IdentReason.OK, parse(" \t1022 \t,\t 514 \n"));
        assertEquals(1022, out.serverPort);
        assertEquals(514, out.clientPort);
        assertEquals(4, out.serverPortTo - out.serverPortFrom);
    }

    @Test
    void lineWithoutLfIsIncomplete() {
        assertEquals(IdentReason.INCOMPLETE, parse("1022 , 5"));
        assertEquals(IdentReason.INCOMPLETE, parse(""));
    }

    @Test
    void malformedLinesAreNamed() {
        assertEquals(IdentReason.NUMBER_MISSING, parse(", 514\r\n"));
        assertEquals(IdentReason.NUMBER_MISSING, parse("1022 , \r\n"));
        assertEquals(IdentReason.COMMA_MISSING, parse("1022 514\r\n"));
        assertEquals(IdentReason.NUMBER_TOO_LONG, parse("100000 , 514\r\n"));
        assertEquals(IdentReason.PORT_OUT_OF_RANGE, parse("0 , 514\r\n"));
        assertEquals(IdentReason.PORT_OUT_OF_RANGE, parse("1022 , 65536\r\n"));
        assertEquals(IdentReason.BAD_TERMINATOR, parse("1022 , 514 x\r\n"));
        assertEquals(IdentReason.BAD_TERMINATOR, parse("1022 , 514\r\r\n"));
        assertEquals(IdentReason.LINE_TOO_LONG, parse("1".repeat(IdentParser.MAX_LINE_BYTES)));
    }

    @Property(tries = 500)
    void writtenPortsParseBack(@ForAll @IntRange(min = 1, max = 65_535) int serverPort,
            @ForAll @IntRange(min = 1, max = 65_535) int clientPort) {
        RshStderrPortWriter writer = new RshStderrPortWriter();
        String server = new String(writer.scratch(), 0, writer.writePort(serverPort), StandardCharsets.US_ASCII);
        String client = new String(writer.scratch(), 0, writer.writePort(clientPort), StandardCharsets.US_ASCII);
        assertEquals(IdentReason.OK, parse(server + " , " + client + "\r\n"));
        assertEquals(serverPort, out.serverPort);
        assertEquals(clientPort, out.clientPort);
    }
}
