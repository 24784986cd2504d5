package dev.algd.engine.alg.rsh;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Parses one IDENT line (RFC 1413): a query {@code <port-on-server> , <port-on-client> CR LF} or a reply
 * {@code <port-on-server> , <port-on-client> : <resp-type> : <add-info> CR LF}. "port-on-server" is the port on the
 * host that runs the IDENT server (for rsh: the rsh client's port of the control connection), "port-on-client" the
 * querying host's (the rsh server's 514). White space (SP, HT) may surround the numbers and the comma. Only the two
 * ports are read; the rest of a reply is not this parser's. Pure, total and bounded: the answer depends only on the
 * bytes in {@code [from, to)}, nothing outside them is read, numbers are checked before they overflow.
 */
final class IdentParser {
    /**
     * RFC 1413 limits the user id to 512 octets and the operating system field to short tokens; 1000 bytes bounds a
     * reply with room to spare and what a caller must buffer.
     */
    static final int MAX_LINE_BYTES = 1000;
    private static final int MAX_PORT_DIGITS = 5;
    private static final int MAX_PORT = 65_535;

    private IdentParser() {
    }

    /** Parses the line that starts at {@code from}; {@code out.lineEnd} is set whatever the answer. */
    static IdentReason parse(MemorySegment segment, long from, long to, IdentLine out) {
        out.clear();
        long lf = -1;
        for (long i = from; i < to; i++) {
            if (segment.get(ValueLayout.JAVA_BYTE, i) == '\n') {
                lf = i;
                break;
            }
        }
        long stop = lf >= 0 ? lf : to;
        out.lineEnd = lf >= 0 ? lf + 1 : to;
        if (stop - from >= MAX_LINE_BYTES) {
            return IdentReason.LINE_TOO_LONG;
        }
        if (lf < 0) {
            return IdentReason.INCOMPLETE;
        }
        long i = skipSpaces(segment, from, stop);
        out.serverPortFrom = i;
        long end = digitsEnd(segment, i, stop);
        IdentReason first = port(segment, i, end);
        if (first != IdentReason.OK) {
            return first;
        }
        out.serverPort = value(segment, i, end);
        out.serverPortTo = end;
        i = skipSpaces(segment, end, stop);
        if (i >= stop || segment.get(ValueLayout.JAVA_BYTE, i) != ',') {
            return IdentReason.COMMA_MISSING;
        }
        i = skipSpaces(segment, i + 1, stop);
        out.clientPortFrom = i;
        end = digitsEnd(segment, i, stop);
        IdentReason second = port(segment, i, end);
        if (second != IdentReason.OK) {
            return second;
        }
        out.clientPort = value(segment, i, end);
        out.clientPortTo = end;
        i = skipSpaces(segment, end, stop);
        if (i < stop && segment.get(ValueLayout.JAVA_BYTE, i) == ':') {
            out.isReply = true;
            return IdentReason.OK;
        }
        if (i == stop || i == stop - 1 && segment.get(ValueLayout.JAVA_BYTE, i) == '\r') {
            return IdentReason.OK;
        }
        return IdentReason.BAD_TERMINATOR;
    }

    private static IdentReason port(MemorySegment segment, long from, long end) {
        if (end == from) {
            return IdentReason.NUMBER_MISSING;
        }
        if (end - from > MAX_PORT_DIGITS) {
            return IdentReason.NUMBER_TOO_LONG;
        }
        int value = value(segment, from, end);
        return value < 1 || value > MAX_PORT ? IdentReason.PORT_OUT_OF_RANGE : IdentReason.OK;
    }

    /** The value of at most five digits: below 100000, no overflow. */
    private static int value(MemorySegment segment, long from, long end) {
        int value = 0;
        for (long i = from; i < end; i++) {
            value = value * 10 + (segment.get(ValueLayout.JAVA_BYTE, i) - '0');
        }
        return value;
    }

    /** The end of the digits from {@code from}, at most {@link #MAX_PORT_DIGITS} + 1 of them. */
    private static long digitsEnd(MemorySegment segment, long from, long stop) {
        long i = from;
        while (i < stop && i - from <= MAX_PORT_DIGITS) {
            byte b = segment.get(ValueLayout.JAVA_BYTE, i);
            if (b < '0' || b > '9') {
                break;
            }
            i++;
        }
        return i;
    }

    private static long skipSpaces(MemorySegment segment, long from, long stop) {
        long i = from;
        while (i < stop) {
            byte b = segment.get(ValueLayout.JAVA_BYTE, i);
            if (b != ' ' && b != '\t') {
                break;
            }
            i++;
        }
        return i;
    }
}
