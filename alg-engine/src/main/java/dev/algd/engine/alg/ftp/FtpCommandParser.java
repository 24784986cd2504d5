package dev.algd.engine.alg.ftp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Finds the four FTP lines that carry an address or port, at the start of a line: the client's {@code PORT} and
 * {@code EPRT} and the server's {@code 227} and {@code 229}. Pure, total and bounded: the answer depends only on the
 * bytes in {@code [from, to)}, every input gets an {@link FtpReason}, nothing outside the range is read, every loop
 * is bounded by the range and numbers are checked before they can overflow. Commands are matched without regard to
 * case (RFC 959 §5.3: "the command codes are ... upper or lower case"); Vyatta's {@code alg_ftp.c} misses
 * {@code port} in lower case.
 */
final class FtpCommandParser {
    /**
     * RFC 959 sets no line limit. The longest line the ALG translates, an EPRT with a full IPv6 text, is under 80
     * bytes, and servers put at most a sentence around a 227; 512 bytes bounds what a caller must buffer.
     */
    static final int MAX_LINE_BYTES = 512;
    /** RFC 959 §4.1.2: host and port numbers are decimal bytes, 0..255. */
    private static final int MAX_OCTET_DIGITS = 3;
    private static final int MAX_OCTET = 255;
    /** RFC 2428 §2: the EPRT/229 port is a decimal TCP port, 1..65535. */
    private static final int MAX_PORT_DIGITS = 5;
    private static final int MAX_PORT = 65_535;
    /** RFC 2428 §2: "The delimiter character MUST be one of the ASCII characters in range 33-126 inclusive." */
    private static final int FIRST_DELIMITER = 33;
    private static final int LAST_DELIMITER = 126;
    /** RFC 4291 §2.2: eight 16-bit pieces of at most four hex digits. */
    private static final int IPV6_GROUPS = 8;
    private static final int MAX_HEX_DIGITS = 4;
    private static final int DO_NOT_STORE = -1;

    private static final byte[] PORT = {'P', 'O', 'R', 'T', ' '};
    private static final byte[] EPRT = {'E', 'P', 'R', 'T', ' '};
    private static final byte[] PASV_REPLY = {'2', '2', '7', ' '};
    private static final byte[] EPSV_REPLY = {'2', '2', '9', ' '};

    private static final int NO_MATCH = 0;
    private static final int PREFIX = 1;
    private static final int MATCH = 2;

    private FtpCommandParser() {
    }

    /**
     * Parses the line that starts at {@code from}. On {@link FtpReason#OK} {@code out} holds the command; whatever the
     * answer, {@code out.lineEnd} is where the next line starts (after the LF, or {@code to} when there is none).
     */
    static FtpReason parse(MemorySegment segment, long from, long to, FtpCommand out) {
        out.clear();
        if (from >= to) {
            out.lineEnd = to;
            return FtpReason.INCOMPLETE;
        }
        long lf = indexOf(segment, from, to, '\n');
        boolean isComplete = lf >= 0;
        long stop = isComplete ? lf : to;
        out.lineEnd = isComplete ? lf + 1 : to;

        int port = match(segment, from, stop, PORT);
        int eprt = match(segment, from, stop, EPRT);
        int pasv = match(segment, from, stop, PASV_REPLY);
        int epsv = match(segment, from, stop, EPSV_REPLY);
        if (port != MATCH && eprt != MATCH && pasv != MATCH && epsv != MATCH) {
            boolean couldBeOne = port == PREFIX || eprt == PREFIX || pasv == PREFIX || epsv == PREFIX;
            return !isComplete && couldBeOne ? FtpReason.INCOMPLETE : FtpReason.NOT_TRANSLATED;
        }
        if (stop - from >= MAX_LINE_BYTES) {
            return FtpReason.LINE_TOO_LONG;
        }
        if (!isComplete) {
            return FtpReason.INCOMPLETE;
        }
        if (port == MATCH) {
            out.kind = FtpCommand.Kind.PORT_COMMAND;
            return parseNumbers(segment, skipSpaces(segment, from + PORT.length, stop), stop, out);
        }
        if (eprt == MATCH) {
            out.kind = FtpCommand.Kind.EPRT_COMMAND;
            return parseEprt(segment, skipSpaces(segment, from + EPRT.length, stop), stop, out);
        }
        if (pasv == MATCH) {
            // RFC 1123 §4.1.2.6: the text of a 227 reply is not standard and the parentheses may be missing, so scan
            // for the first digit. No digit at all ("227 Logout.", pure-ftpd#175) is no address: pass it untouched.
            long digit = from + PASV_REPLY.length;
            while (digit < stop && !isDigit(byteAt(segment, digit))) {
                digit++;
            }
            if (digit == stop) {
                out.clear();
                out.lineEnd = lf + 1;
                return FtpReason.NOT_TRANSLATED;
            }
            out.kind = FtpCommand.Kind.PASV_REPLY;
            return parseNumbers(segment, digit, stop, out);
        }
        out.kind = FtpCommand.Kind.EPSV_REPLY;
        return parseEpsv(segment, from + EPSV_REPLY.length, stop, out);
    }

    /** {@code h1,h2,h3,h4,p1,p2} at {@code i} (RFC 959 §4.1.2), the span ending after p2. */
    private static FtpReason parseNumbers(MemorySegment segment, long i, long stop, FtpCommand out) {
        out.family = FtpCommand.FAMILY_IPV4;
        out.spanFrom = i;
        int address = 0;
        int port = 0;
        for (int n = 0; n < 6; n++) {
            int value = 0;
            int digits = 0;
            while (i < stop && isDigit(byteAt(segment, i))) {
                if (++digits > MAX_OCTET_DIGITS) {
                    return FtpReason.NUMBER_TOO_LONG;
                }
                value = value * 10 + byteAt(segment, i) - '0';
                i++;
            }
            if (digits == 0) {
                return FtpReason.NUMBER_MISSING;
            }
            if (value > MAX_OCTET) {
                return FtpReason.OCTET_OVER_255;
            }
            if (n < 4) {
                address = address << 8 | value;
            } else {
                port = port << 8 | value;
            }
            if (n < 5) {
                if (i >= stop || byteAt(segment, i) != ',') {
                    return FtpReason.NUMBER_MISSING;
                }
                i++;
            }
        }
        out.spanTo = i;
        out.address = address;
        out.port = port;
        return port == 0 ? FtpReason.PORT_ZERO : FtpReason.OK;
    }

    /** {@code <d><af><d><address><d><port><d>} at {@code i} (RFC 2428 §2), the span from address to port. */
    private static FtpReason parseEprt(MemorySegment segment, long i, long stop, FtpCommand out) {
        if (i >= stop || !isDelimiter(byteAt(segment, i))) {
            return FtpReason.BAD_DELIMITER;
        }
        byte d = byteAt(segment, i);
        out.delimiter = d;
        if (i + 2 >= stop || byteAt(segment, i + 2) != d) {
            return FtpReason.EPRT_UNKNOWN_FAMILY;
        }
        byte family = byteAt(segment, i + 1);
        if (family != '1' && family != '2') {
            return FtpReason.EPRT_UNKNOWN_FAMILY;
        }
        out.family = family - '0';
        long addressFrom = i + 3;
        long addressTo = indexOf(segment, addressFrom, stop, d);
        if (addressTo < 0) {
            return FtpReason.EPRT_BAD_ADDRESS;
        }
        if (out.family == FtpCommand.FAMILY_IPV4) {
            FtpReason reason = parseDottedQuad(segment, addressFrom, addressTo, out);
            if (reason != FtpReason.OK) {
                return reason;
            }
        } else {
            int groups = parseIpv6(segment, addressFrom, addressTo, out, DO_NOT_STORE);
            if (groups < 0) {
                return FtpReason.EPRT_BAD_ADDRESS;
            }
            parseIpv6(segment, addressFrom, addressTo, out, IPV6_GROUPS - groups);
            out.address = 0;
        }
        out.spanFrom = addressFrom;
        return parseDelimitedPort(segment, addressTo + 1, stop, d, out);
    }

    /** {@code (<d><d><d><port><d>)} somewhere after the code (RFC 2428 §3); the span is the port. */
    private static FtpReason parseEpsv(MemorySegment segment, long i, long stop, FtpCommand out) {
        long open = indexOf(segment, i, stop, '(');
        if (open < 0 || open + 3 >= stop) {
            return FtpReason.EPSV_MALFORMED;
        }
        byte d = byteAt(segment, open + 1);
        if (!isDelimiter(d) || byteAt(segment, open + 2) != d || byteAt(segment, open + 3) != d) {
            return FtpReason.BAD_DELIMITER;
        }
        out.delimiter = d;
        out.spanFrom = open + 4;
        return parseDelimitedPort(segment, open + 4, stop, d, out);
    }

    /** A decimal port at {@code i} followed by {@code d}; sets the port and the span's end. */
    private static FtpReason parseDelimitedPort(MemorySegment segment, long i, long stop, byte d, FtpCommand out) {
        long start = i;
        int value = 0;
        while (i < stop && isDigit(byteAt(segment, i))) {
            if (i - start >= MAX_PORT_DIGITS) {
                return FtpReason.NUMBER_TOO_LONG;
            }
            value = value * 10 + byteAt(segment, i) - '0';
            i++;
        }
        if (i == start || i >= stop || byteAt(segment, i) != d) {
            return FtpReason.NUMBER_MISSING;
        }
        if (value > MAX_PORT) {
            return FtpReason.PORT_OVER_65535;
        }
        if (value == 0) {
            return FtpReason.PORT_ZERO;
        }
        out.port = value;
        out.spanTo = i;
        return FtpReason.OK;
    }

    /** Exactly {@code a.b.c.d} in {@code [i, stop)}. */
    private static FtpReason parseDottedQuad(MemorySegment segment, long i, long stop, FtpCommand out) {
        int address = 0;
        for (int n = 0; n < 4; n++) {
            int value = 0;
            int digits = 0;
            while (i < stop && isDigit(byteAt(segment, i))) {
                if (++digits > MAX_OCTET_DIGITS) {
                    return FtpReason.NUMBER_TOO_LONG;
                }
                value = value * 10 + byteAt(segment, i) - '0';
                i++;
            }
            if (digits == 0) {
                return FtpReason.EPRT_BAD_ADDRESS;
            }
            if (value > MAX_OCTET) {
                return FtpReason.OCTET_OVER_255;
            }
            address = address << 8 | value;
            if (n < 3) {
                if (i >= stop || byteAt(segment, i) != '.') {
                    return FtpReason.EPRT_BAD_ADDRESS;
                }
                i++;
            }
        }
        if (i != stop) {
            return FtpReason.EPRT_BAD_ADDRESS;
        }
        out.address = address;
        return FtpReason.OK;
    }

    /**
     * IPv6 text (RFC 4291 §2.2: hex pieces, one "::", an optional dotted quad last) in exactly {@code [from, to)}:
     * the number of pieces written out, or -1. Run twice: with {@link #DO_NOT_STORE} to check the text and count its
     * pieces, then with the number of zero pieces "::" stands for, to fill {@code out}.
     */
    private static int parseIpv6(MemorySegment segment, long from, long to, FtpCommand out, int zeros) {
        boolean store = zeros != DO_NOT_STORE;
        if (store) {
            out.addressHigh = 0;
            out.addressLow = 0;
        }
        long i = from;
        int groups = 0;
        boolean hasDoubleColon = false;
        if (to - from >= 2 && byteAt(segment, i) == ':' && byteAt(segment, i + 1) == ':') {
            hasDoubleColon = true;
            i += 2;
            if (store) {
                appendZeroGroups(out, zeros);
            }
        } else if (to - from >= 1 && byteAt(segment, i) == ':') {
            return -1;
        }
        while (i < to) {
            long start = i;
            int value = 0;
            while (i < to && hexValue(byteAt(segment, i)) >= 0 && i - start < MAX_HEX_DIGITS + 1) {
                value = value << 4 | hexValue(byteAt(segment, i));
                i++;
            }
            if (i < to && byteAt(segment, i) == '.') {
                // An IPv4 dotted quad as the last 32 bits (RFC 4291 §2.2 form 3).
                if (groups > IPV6_GROUPS - 2 || parseDottedQuad(segment, start, to, out) != FtpReason.OK) {
                    return -1;
                }
                groups += 2;
                if (store) {
                    appendGroup(out, out.address >>> 16);
                    appendGroup(out, out.address & 0xffff);
                }
                i = to;
                break;
            }
            if (i == start || i - start > MAX_HEX_DIGITS || ++groups > IPV6_GROUPS) {
                return -1;
            }
            if (store) {
                appendGroup(out, value);
            }
            if (i == to) {
                break;
            }
            if (byteAt(segment, i) != ':') {
                return -1;
            }
            i++;
            if (i < to && byteAt(segment, i) == ':') {
                if (hasDoubleColon) {
                    return -1;
                }
                hasDoubleColon = true;
                i++;
                if (store) {
                    appendZeroGroups(out, zeros);
                }
            } else if (i == to) {
                return -1;
            }
        }
        if (hasDoubleColon ? groups > IPV6_GROUPS - 1 : groups != IPV6_GROUPS) {
            return -1;
        }
        return groups;
    }

    private static void appendZeroGroups(FtpCommand out, int count) {
        for (int n = 0; n < count; n++) {
            appendGroup(out, 0);
        }
    }

    /** Shifts the 128-bit address left by one piece and puts {@code group} in the lowest 16 bits. */
    private static void appendGroup(FtpCommand out, int group) {
        out.addressHigh = out.addressHigh << 16 | out.addressLow >>> 48;
        out.addressLow = out.addressLow << 16 | (group & 0xffff);
    }

    /** Whether the line at {@code from} starts with {@code keyword} (letters in any case), or with part of it. */
    private static int match(MemorySegment segment, long from, long stop, byte[] keyword) {
        for (int k = 0; k < keyword.length; k++) {
            if (from + k >= stop) {
                return PREFIX;
            }
            byte b = byteAt(segment, from + k);
            byte expected = keyword[k];
            boolean isLetter = expected >= 'A' && expected <= 'Z';
            if (isLetter ? (b & ~0x20) != expected : b != expected) {
                return NO_MATCH;
            }
        }
        return MATCH;
    }

    private static long skipSpaces(MemorySegment segment, long i, long stop) {
        while (i < stop && byteAt(segment, i) == ' ') {
            i++;
        }
        return i;
    }

    private static long indexOf(MemorySegment segment, long from, long to, int value) {
        for (long i = from; i < to; i++) {
            if (byteAt(segment, i) == value) {
                return i;
            }
        }
        return -1;
    }

    private static byte byteAt(MemorySegment segment, long offset) {
        return segment.get(ValueLayout.JAVA_BYTE, offset);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isDelimiter(byte b) {
        return b >= FIRST_DELIMITER && b <= LAST_DELIMITER;
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int lower = b | 0x20;
        if (lower >= 'a' && lower <= 'f') {
            return lower - 'a' + 10;
        }
        return -1;
    }
}
