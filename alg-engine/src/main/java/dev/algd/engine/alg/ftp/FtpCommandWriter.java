package dev.algd.engine.alg.ftp;

/**
 * Writes the replacement text of an {@link FtpCommand}'s span as ASCII into one scratch array, allocated once: the
 * parser's counterpart (style.md, Parsers). Each method starts at the beginning of {@link #scratch()} and returns the
 * number of bytes written.
 */
final class FtpCommandWriter {
    /** The longest text: an IPv6 address (39 bytes), a delimiter and a 5-digit port. */
    static final int MAX_TEXT_BYTES = 64;

    private final byte[] scratch = new byte[MAX_TEXT_BYTES];

    byte[] scratch() {
        return scratch;
    }

    /** {@code h1,h2,h3,h4,p1,p2}, the span of a PORT command or a 227 reply (RFC 959 §4.1.2). */
    int writeNumbers(int address, int port) {
        int n = 0;
        for (int shift = 24; shift >= 0; shift -= 8) {
            n = writeDecimal(address >>> shift & 0xff, n);
            scratch[n++] = ',';
        }
        n = writeDecimal(port >>> 8 & 0xff, n);
        scratch[n++] = ',';
        return writeDecimal(port & 0xff, n);
    }

    /** {@code a.b.c.d<d>port}, the span of an EPRT |1| command (RFC 2428 §2). */
    int writeEprtAddressAndPort(int address, byte delimiter, int port) {
        int n = writeDottedQuad(address, 0);
        scratch[n++] = delimiter;
        return writeDecimal(port, n);
    }

    /** {@code <ipv6><d>port}, the span of an EPRT |2| command, the address in RFC 5952 form. */
    int writeEprtAddressAndPort(long addressHigh, long addressLow, byte delimiter, int port) {
        int n = writeIpv6(addressHigh, addressLow, 0);
        scratch[n++] = delimiter;
        return writeDecimal(port, n);
    }

    /** The decimal port, the span of a 229 reply. */
    int writePort(int port) {
        return writeDecimal(port, 0);
    }

    private int writeDottedQuad(int address, int n) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            n = writeDecimal(address >>> shift & 0xff, n);
            if (shift > 0) {
                scratch[n++] = '.';
            }
        }
        return n;
    }

    /** RFC 5952 §4: lower-case hex, no leading zeros, the longest run of two or more zero pieces as "::". */
    private int writeIpv6(long high, long low, int n) {
        int bestStart = -1;
        int bestLength = 1;
        int runStart = -1;
        for (int g = 0; g <= 8; g++) {
            boolean isZero = g < 8 && group(high, low, g) == 0;
            if (isZero && runStart < 0) {
                runStart = g;
            } else if (!isZero && runStart >= 0) {
                if (g - runStart > bestLength) {
                    bestStart = runStart;
                    bestLength = g - runStart;
                }
                runStart = -1;
            }
        }
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                scratch[n++] = ':';
                if (g == 0) {
                    scratch[n++] = ':';
                }
                g += bestLength - 1;
                if (g == 7) {
                    break;
                }
                continue;
            }
            n = writeHex(group(high, low, g), n);
            if (g < 7) {
                scratch[n++] = ':';
            }
        }
        return n;
    }

    private static int group(long high, long low, int g) {
        long half = g < 4 ? high : low;
        return (int) (half >>> (48 - 16 * (g & 3))) & 0xffff;
    }

    private int writeHex(int value, int n) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int digit = value >>> shift & 0xf;
            if (digit != 0 || started || shift == 0) {
                scratch[n++] = (byte) (digit < 10 ? '0' + digit : 'a' + digit - 10);
                started = true;
            }
        }
        return n;
    }

    private int writeDecimal(int value, int n) {
        if (value >= 10_000) {
            scratch[n++] = (byte) ('0' + value / 10_000);
        }
        if (value >= 1_000) {
            scratch[n++] = (byte) ('0' + value / 1_000 % 10);
        }
        if (value >= 100) {
            scratch[n++] = (byte) ('0' + value / 100 % 10);
        }
        if (value >= 10) {
            scratch[n++] = (byte) ('0' + value / 10 % 10);
        }
        scratch[n++] = (byte) ('0' + value % 10);
        return n;
    }
}
