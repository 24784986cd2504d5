package dev.algd.engine.alg.rsh;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Parses the first string a client sends on an rsh control connection: the port of its stderr channel in ASCII
 * decimal, terminated by NUL ({@code rcmd(3)}: {@code "1022\0"}; {@code "\0"} or {@code "0\0"} for no stderr
 * channel). What follows ({@code locuser\0remuser\0command\0}) is not this parser's. Pure, total and bounded: the
 * answer depends only on the bytes in {@code [from, to)}, every input gets an {@link RshReason}, nothing outside the
 * range is read, and the number is checked before it can overflow.
 */
final class RshStderrPortParser {
    /** A TCP port has at most five decimal digits (65535); rcmd writes it with {@code %d}/{@code %u}, no padding. */
    static final int MAX_DIGITS = 5;
    static final int MAX_PORT = 65_535;

    private RshStderrPortParser() {
    }

    /**
     * Parses the string that starts at {@code from}. On {@link RshReason#OK} and {@link RshReason#NO_STDERR_CHANNEL}
     * {@code out} holds the port (0 for none), the digits' span and where the next string starts.
     */
    static RshReason parse(MemorySegment segment, long from, long to, RshStderrPort out) {
        out.clear();
        out.spanFrom = from;
        int port = 0;
        int digits = 0;
        for (long i = from; i < to; i++) {
            int b = segment.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            if (b == 0) {
                out.spanTo = i;
                out.end = i + 1;
                out.port = port;
                return port == 0 ? RshReason.NO_STDERR_CHANNEL : RshReason.OK;
            }
            if (b < '0' || b > '9') {
                return RshReason.NOT_A_DIGIT;
            }
            if (++digits > MAX_DIGITS) {
                return RshReason.TOO_MANY_DIGITS;
            }
            port = port * 10 + (b - '0');
            if (port > MAX_PORT) {
                return RshReason.PORT_OVER_65535;
            }
        }
        return RshReason.INCOMPLETE;
    }
}
