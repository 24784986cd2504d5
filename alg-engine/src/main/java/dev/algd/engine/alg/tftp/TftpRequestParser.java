package dev.algd.engine.alg.tftp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Finds an RRQ or WRQ (RFC 1350 §5) at the start of a UDP payload. Pure, total and bounded: the answer depends only on
 * the bytes in {@code [from, to)}, every input gets a {@link TftpReason}, nothing outside the range is read and
 * nothing is allocated.
 */
final class TftpRequestParser {
    /** RFC 2347 §"Packet Formats": "the maximum size of a request packet is 512 octets". */
    static final int MAX_REQUEST_BYTES = 512;
    private static final int OPCODE_BYTES = 2;
    /** RFC 1350 §5: DATA 3, ACK 4, ERROR 5; RFC 2347: OACK 6. */
    private static final int OPCODE_LAST = 6;

    private TftpRequestParser() {
    }

    static TftpReason parse(MemorySegment segment, long from, long to, TftpRequest out) {
        out.clear();
        long length = to - from;
        if (length < OPCODE_BYTES) {
            return TftpReason.TOO_SHORT;
        }
        int high = segment.get(ValueLayout.JAVA_BYTE, from) & 0xff;
        int low = segment.get(ValueLayout.JAVA_BYTE, from + 1) & 0xff;
        int opcode = high << 8 | low;
        if (opcode < TftpRequest.OPCODE_RRQ || opcode > OPCODE_LAST) {
            return TftpReason.UNKNOWN_OPCODE;
        }
        if (opcode > TftpRequest.OPCODE_WRQ) {
            return TftpReason.NOT_A_REQUEST;
        }
        if (length > MAX_REQUEST_BYTES) {
            return TftpReason.REQUEST_TOO_LONG;
        }
        out.opcode = opcode;
        long filename = from + OPCODE_BYTES;
        long filenameEnd = indexOfNul(segment, filename, to);
        if (filenameEnd < 0) {
            return TftpReason.FILENAME_UNTERMINATED;
        }
        if (filenameEnd == filename) {
            return TftpReason.EMPTY_FILENAME;
        }
        out.filenameOffset = filename;
        out.filenameLength = (int) (filenameEnd - filename);
        long mode = filenameEnd + 1;
        long modeEnd = indexOfNul(segment, mode, to);
        if (modeEnd < 0) {
            return TftpReason.MODE_UNTERMINATED;
        }
        if (modeEnd == mode) {
            return TftpReason.EMPTY_MODE;
        }
        out.modeOffset = mode;
        out.modeLength = (int) (modeEnd - mode);
        // RFC 2347: any further bytes are option/value pairs, each NUL-terminated; the loop ends at `to`.
        long i = modeEnd + 1;
        while (i < to) {
            long nameEnd = indexOfNul(segment, i, to);
            if (nameEnd < 0) {
                return TftpReason.OPTION_UNTERMINATED;
            }
            if (nameEnd + 1 >= to) {
                return TftpReason.OPTION_VALUE_MISSING;
            }
            long valueEnd = indexOfNul(segment, nameEnd + 1, to);
            if (valueEnd < 0) {
                return TftpReason.OPTION_UNTERMINATED;
            }
            out.optionCount++;
            i = valueEnd + 1;
        }
        return TftpReason.OK;
    }

    /** The offset of the first NUL in {@code [from, to)}, or -1. */
    private static long indexOfNul(MemorySegment segment, long from, long to) {
        for (long i = from; i < to; i++) {
            if (segment.get(ValueLayout.JAVA_BYTE, i) == 0) {
                return i;
            }
        }
        return -1;
    }
}
