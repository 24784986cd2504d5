package dev.algd.engine.alg;

/**
 * How the ALG framework carries an address of either family without allocating: two {@code long}s (the high and
 * low 64 bits of an IPv6 address), an IPv4 address as its IPv4-mapped IPv6 form {@code ::ffff:a.b.c.d} (RFC 4291
 * §2.5.5.2). Expectations, {@link AlgPacket} tuples and session events all use it, so one code path serves both
 * families; an expectation also records its family, so a mapped address never matches a native IPv6 flow.
 */
public final class AlgAddress {
    /** The high 64 bits of every IPv4-mapped address. */
    public static final long IPV4_HIGH = 0;
    private static final long IPV4_LOW_PREFIX = 0xFFFFL << 32;

    private AlgAddress() {
    }

    /** The low 64 bits of {@code address} (host order) as an IPv4-mapped address. */
    public static long ipv4Low(int address) {
        return IPV4_LOW_PREFIX | address & 0xFFFF_FFFFL;
    }

    /** Whether the address is IPv4-mapped. */
    public static boolean isIpv4(long high, long low) {
        return high == IPV4_HIGH && low >>> 32 == 0xFFFFL;
    }

    /** The IPv4 address of a mapped address ({@link #isIpv4}), host order. */
    public static int ipv4(long low) {
        return (int) low;
    }

    /** Text of an address of the given family: dotted quad for IPv4 (mapped), RFC 5952 for IPv6 (management path). */
    public static String format(boolean isIpv6, long high, long low) {
        return isIpv6 ? new dev.algd.engine.config.Ipv6Address(high, low).toString()
                : dev.algd.engine.config.Ipv4Addresses.format(ipv4(low));
    }
}
