package dev.algd.engine.config;

/**
 * An inclusive range of addresses of one family: host-order IPv4 addresses compared unsigned in {@code first} and
 * {@code last}, or IPv6 addresses in {@code first6} and {@code last6} (then {@code first} and {@code last} are 0).
 * A NAT or firewall rule is of the family of its ranges; the validator refuses rules that mix them.
 */
public record AddressRange(int first, int last, Ipv6Address first6, Ipv6Address last6) {

    public AddressRange {
        if ((first6 == null) != (last6 == null)) {
            throw new IllegalArgumentException("an IPv6 range needs both its first and its last address");
        }
    }

    /** An IPv4 range. */
    public AddressRange(int first, int last) {
        this(first, last, null, null);
    }

    /** An IPv6 range. */
    public static AddressRange ofIpv6(Ipv6Address first, Ipv6Address last) {
        return new AddressRange(0, 0, first, last);
    }

    public boolean isIpv6() {
        return first6 != null;
    }

    /** Whether this IPv4 range holds {@code address}; an IPv6 range holds no IPv4 address. */
    public boolean contains(int address) {
        return !isIpv6() && Integer.compareUnsigned(address, first) >= 0 && Integer.compareUnsigned(address, last) <= 0;
    }

    /** Whether this IPv6 range holds the address {@code high:low}; an IPv4 range holds no IPv6 address. */
    public boolean contains6(long high, long low) {
        return isIpv6() && contains6(first6.high(), first6.low(), last6.high(), last6.low(), high, low);
    }

    /**
     * Whether {@code high:low} lies in {@code [firstHigh:firstLow, lastHigh:lastLow]}, compared unsigned: the form
     * compiled policies use per new flow, without objects.
     */
    public static boolean contains6(long firstHigh, long firstLow, long lastHigh, long lastLow, long high, long low) {
        int aboveFirst = high != firstHigh ? Long.compareUnsigned(high, firstHigh) : Long.compareUnsigned(low, firstLow);
        int belowLast = high != lastHigh ? Long.compareUnsigned(high, lastHigh) : Long.compareUnsigned(low, lastLow);
        return aboveFirst >= 0 && belowLast <= 0;
    }

    /**
     * Stores {@code range} (null or IPv4: all of IPv6) at {@code ranges[at..at + 3]} as first high, first low, last
     * high, last low, the form {@link #contains6(long, long, long, long, long, long)} reads.
     */
    public static void storeIpv6(AddressRange range, long[] ranges, int at) {
        boolean isIpv6 = range != null && range.isIpv6();
        ranges[at] = isIpv6 ? range.first6().high() : 0;
        ranges[at + 1] = isIpv6 ? range.first6().low() : 0;
        ranges[at + 2] = isIpv6 ? range.last6().high() : -1;
        ranges[at + 3] = isIpv6 ? range.last6().low() : -1;
    }

    /** Addresses in the range, at most {@link Long#MAX_VALUE} (an IPv6 range may hold more). */
    public long size() {
        if (isIpv6()) {
            if (first6.high() != last6.high() || last6.low() - first6.low() < 0) {
                return Long.MAX_VALUE;
            }
            return last6.low() - first6.low() + 1;
        }
        return Integer.toUnsignedLong(last) - Integer.toUnsignedLong(first) + 1;
    }

    /**
     * Parses a prefix ({@code a.b.c.d/len}, {@code 2001:db8::/64}), a range ({@code a.b.c.d-e.f.g.h},
     * {@code 2001:db8::1-2001:db8::9}) or one address.
     */
    public static AddressRange parse(String text) {
        boolean ipv6 = text.indexOf(':') >= 0;
        int dash = text.indexOf('-');
        if (dash >= 0) {
            if (ipv6) {
                Ipv6Address first = Ipv6Address.parse(text.substring(0, dash));
                Ipv6Address last = Ipv6Address.parse(text.substring(dash + 1));
                if (first.compareTo(last) > 0) {
                    throw new IllegalArgumentException("'" + text + "': the first address is above the last");
                }
                return ofIpv6(first, last);
            }
            int first = Ipv4Addresses.parse(text.substring(0, dash));
            int last = Ipv4Addresses.parse(text.substring(dash + 1));
            if (Integer.compareUnsigned(first, last) > 0) {
                throw new IllegalArgumentException("'" + text + "': the first address is above the last");
            }
            return new AddressRange(first, last);
        }
        if (ipv6) {
            Ipv6Prefix prefix = Ipv6Prefix.parse(text);
            return ofIpv6(prefix.network(), prefix.last());
        }
        Ipv4Prefix prefix = Ipv4Prefix.parse(text);
        return new AddressRange(prefix.network(), prefix.network() | ~prefix.mask());
    }

    @Override
    public String toString() {
        if (isIpv6()) {
            if (first6.equals(last6)) {
                return first6.toString();
            }
            // A range that is exactly one prefix reads as the prefix it was most likely configured as.
            for (int length = 0; length < 128; length++) {
                Ipv6Prefix prefix = new Ipv6Prefix(first6, length);
                if (prefix.network().equals(first6) && prefix.last().equals(last6)) {
                    return prefix.toString();
                }
            }
            return first6 + "-" + last6;
        }
        return first == last ? Ipv4Addresses.format(first) : Ipv4Addresses.format(first) + "-" + Ipv4Addresses.format(last);
    }
}
