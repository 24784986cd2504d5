package dev.algd.engine.alg.tftp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class TftpRequestParserTest {
    private final TftpRequest out = new TftpRequest();

    private TftpReason parse(byte[] bytes) {
        MemorySegment segment = MemorySegment.ofArray(bytes);
        return TftpRequestParser.parse(segment, 0, bytes.length, out);
    }

    private static byte[] bytes(String escaped) {
        return escaped.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] bytes, long offset, int length) {
        return new String(bytes, (int) offset, length, StandardCharsets.US_ASCII);
    }

    @Test
    void readRequestOfTftpHpaHasItsFilenameAndMode() {
        byte[] rrq = TftpFixtures.request("tftp-hpa-rrq-octet");
        assertEquals(TftpReason.OK, parse(rrq));
        assertEquals(TftpRequest.OPCODE_RRQ, out.opcode);
        assertEquals("pxelinux.0", text(rrq, out.filenameOffset, out.filenameLength));
        assertEquals("octet", text(rrq, out.modeOffset, out.modeLength));
        assertEquals(0, out.optionCount);
    }

    @Test
    void writeRequestIsARequestToo() {
        byte[] wrq = TftpFixtures.request("tftp-hpa-wrq-netascii");
        assertEquals(TftpReason.OK, parse(wrq));
        assertEquals(TftpRequest.OPCODE_WRQ, out.opcode);
        assertEquals("netascii", text(wrq, out.modeOffset, out.modeLength));
    }

    @Test
    void curlsOptionsAreCountedInPairs() {
        assertEquals(TftpReason.OK, parse(TftpFixtures.request("curl-rrq-with-options")));
        assertEquals(3, out.optionCount, "tsize, blksize, timeout");
    }

    @Test
    void dataAckErrorAndOackAreNotRequests() {
        assertEquals(TftpReason.NOT_A_REQUEST, parse(bytes("\0\3\0\1hello")));
        assertEquals(TftpReason.NOT_A_REQUEST, parse(bytes("\0\4\0\1")));
        assertEquals(TftpReason.NOT_A_REQUEST, parse(bytes("\0\5\0\1File not found\0")));
        assertEquals(TftpReason.NOT_A_REQUEST, parse(bytes("\0\6blksize\0001428\0")));
    }

    @Test
    void malformedRequestsAreNamed() {
        assertEquals(TftpReason.TOO_SHORT, parse(bytes("")));
        assertEquals(TftpReason.TOO_SHORT, parse(bytes("\0")));
        assertEquals(TftpReason.UNKNOWN_OPCODE, parse(bytes("\0\0a\0octet\0")));
        assertEquals(TftpReason.UNKNOWN_OPCODE, parse(bytes("\0\7a\0octet\0")));
        assertEquals(TftpReason.UNKNOWN_OPCODE, parse(bytes("\1\1a\0octet\0")), "the first byte must be 0");
        assertEquals(TftpReason.FILENAME_UNTERMINATED, parse(bytes("\0\1file")));
        assertEquals(TftpReason.EMPTY_FILENAME, parse(bytes("\0\1\0octet\0")));
        assertEquals(TftpReason.MODE_UNTERMINATED, parse(bytes("\0\1file\0oct")));
        assertEquals(TftpReason.MODE_UNTERMINATED, parse(bytes("\0\1file\0")));
        assertEquals(TftpReason.EMPTY_MODE, parse(bytes("\0\1file\0\0")));
        assertEquals(TftpReason.OPTION_UNTERMINATED, parse(bytes("\0\1file\0octet\0blksize")));
        assertEquals(TftpReason.OPTION_VALUE_MISSING, parse(bytes("\0\1file\0octet\0blksize\0")));
        assertEquals(TftpReason.OPTION_UNTERMINATED, parse(bytes("\0\1file\0octet\0blksize\0001428")));
    }

    @Test
    void requestLongerThan512OctetsIsRefused() {
        byte[] name = new byte[TftpRequestParser.MAX_REQUEST_BYTES];
        java.util.Arrays.fill(name, (byte) 'a');
        MemorySegment segment = MemorySegment.ofArray(new byte[name.length + 16]);
        int length = TftpRequestWriter.write(segment, 0, 1, name, bytes("octet"));
        assertEquals(TftpReason.REQUEST_TOO_LONG, TftpRequestParser.parse(segment, 0, length, out));
        int fits = TftpRequestWriter.write(segment, 0, 1, java.util.Arrays.copyOf(name, 503), bytes("octet"));
        assertEquals(512, fits);
        assertEquals(TftpReason.OK, TftpRequestParser.parse(segment, 0, fits, out));
    }

    @Test
    void parserReadsOnlyItsRange() {
        byte[] rrq = TftpFixtures.request("tftp-hpa-rrq-octet");
        byte[] framed = new byte[rrq.length + 8];
        System.arraycopy(rrq, 0, framed, 4, rrq.length);
        MemorySegment segment = MemorySegment.ofArray(framed);
        assertEquals(TftpReason.OK, TftpRequestParser.parse(segment, 4, 4 + rrq.length, out));
        assertEquals(TftpReason.MODE_UNTERMINATED, TftpRequestParser.parse(segment, 4, 4 + rrq.length - 1, out),
                "the NUL just past the range is not seen");
    }

    /** parse(write(request)) gives back the request, options included. */
    @Property
    void writtenRequestsParseBackToThemselves(@ForAll("opcodes") int opcode, @ForAll("strings") String filename,
            @ForAll("strings") String mode, @ForAll("optionLists") List<String> options) {
        byte[][] optionBytes = new byte[options.size()][];
        for (int i = 0; i < optionBytes.length; i++) {
            optionBytes[i] = options.get(i).getBytes(StandardCharsets.US_ASCII);
        }
        MemorySegment segment = MemorySegment.ofArray(new byte[4096]);
        int length = TftpRequestWriter.write(segment, 0, opcode, filename.getBytes(StandardCharsets.US_ASCII),
                mode.getBytes(StandardCharsets.US_ASCII), optionBytes);
        TftpReason reason = TftpRequestParser.parse(segment, 0, length, out);
        if (length > TftpRequestParser.MAX_REQUEST_BYTES) {
            assertEquals(TftpReason.REQUEST_TOO_LONG, reason);
            return;
        }
        assertEquals(TftpReason.OK, reason);
        assertEquals(opcode, out.opcode);
        byte[] array = segment.toArray(ValueLayout.JAVA_BYTE);
        assertEquals(filename, text(array, out.filenameOffset, out.filenameLength));
        assertEquals(mode, text(array, out.modeOffset, out.modeLength));
        assertEquals(options.size() / 2, out.optionCount);
    }

    @Provide
    Arbitrary<Integer> opcodes() {
        return Arbitraries.of(TftpRequest.OPCODE_RRQ, TftpRequest.OPCODE_WRQ);
    }

    @Provide
    Arbitrary<String> strings() {
        return Arbitraries.strings().withCharRange((char) 1, (char) 126).ofMinLength(1).ofMaxLength(300);
    }

    @Provide
    Arbitrary<List<String>> optionLists() {
        return Arbitraries.strings().withCharRange((char) 1, (char) 126).ofMinLength(0).ofMaxLength(20)
                .list().ofMaxSize(6).map(list -> {
                    List<String> even = new ArrayList<>(list);
                    if (even.size() % 2 != 0) {
                        even.remove(even.size() - 1);
                    }
                    return even;
                });
    }
}
