package dev.algd.engine.config;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An IPv6 address as its high and low 64 bits (network order read as two big-endian longs): the form the data
 * path compares and writes, so that no packet needs an object for it.
 */
public record Ipv6Address(long high, long low) implements Comparable<Ipv6Address> {

    /**
     * Parses RFC 4291 §2.2 text ({@code 2001:db8::1}, also the embedded IPv4 form); throws with the offending text.
     * Zone indices ({@code %eth0}) are refused: a NAT rule or route names an address, not a link.
     */
    public static Ipv6Address parse(String text) {
        String trimmed = text.trim();
        if (trimmed.indexOf(':') < 0 || trimmed.indexOf('%') >= 0) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address (such as 2001:db8::1)");
        }
        InetAddress parsed;
        try {
            // A literal only: ofLiteral never consults DNS. Inet6Address's, since InetAddress's first tries IPv4
            // and throws (a stack trace per address of every commit) before it gets to IPv6.
            parsed = Inet6Address.ofLiteral(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address (such as 2001:db8::1)");
        }
        byte[] bytes = parsed instanceof Inet6Address ? parsed.getAddress() : mappedBytes(parsed.getAddress());
        return new Ipv6Address(java.nio.ByteBuffer.wrap(bytes).getLong(0), java.nio.ByteBuffer.wrap(bytes).getLong(8));
    }

    /** {@code ::ffff:a.b.c.d}, which InetAddress turns into an IPv4 address. */
    private static byte[] mappedBytes(byte[] ipv4) {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, bytes, 12, 4);
        return bytes;
    }

    /** The 16-bit group {@code index} (0..7). */
    public int group(int index) {
        long half = index < 4 ? high : low;
        return (int) (half >>> (48 - 16 * (index & 3))) & 0xffff;
    }

    /** Whether the address is multicast (ff00::/8, RFC 4291 §2.7). */
    public boolean isMulticast() {
        return high >>> 56 == 0xff;
    }

    @Override
    public int compareTo(Ipv6Address other) {
        int byHigh = Long.compareUnsigned(high, other.high);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
    }

    /** RFC 5952 text: lower case, leading zeros dropped, the longest run of two or more zero groups as {@code ::}. */
    @Override
    public String toString() {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (group(i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && group(j) == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            text.append(Integer.toHexString(group(i)));
            if (i < 7) {
                text.append(':');
            }
        }
        return text.toString();
    }
}
