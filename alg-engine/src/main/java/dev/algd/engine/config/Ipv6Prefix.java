package dev.algd.engine.config;

/** An IPv6 address with a prefix length (0..128), as an interface address or a route's destination. */
public record Ipv6Prefix(Ipv6Address address, int length) {

    public Ipv6Prefix {
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("prefix length " + length + " is outside 0..128");
        }
    }

    /** The high 64 bits of the mask. */
    public long maskHigh() {
        return length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }

    /** The low 64 bits of the mask. */
    public long maskLow() {
        return length <= 64 ? 0 : -1L << (128 - length);
    }

    public Ipv6Address network() {
        return new Ipv6Address(address.high() & maskHigh(), address.low() & maskLow());
    }

    /** The last address of the prefix (all host bits set). */
    public Ipv6Address last() {
        return new Ipv6Address(address.high() | ~maskHigh(), address.low() | ~maskLow());
    }

    public boolean contains(long high, long low) {
        return ((high ^ address.high()) & maskHigh()) == 0 && ((low ^ address.low()) & maskLow()) == 0;
    }

    public boolean contains(Ipv6Address candidate) {
        return contains(candidate.high(), candidate.low());
    }

    /** Parses {@code 2001:db8::1/64} or a bare address (a /128). */
    public static Ipv6Prefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new Ipv6Prefix(Ipv6Address.parse(text), 128);
        }
        int length;
        try {
            length = Integer.parseInt(text.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no numeric prefix length");
        }
        return new Ipv6Prefix(Ipv6Address.parse(text.substring(0, slash)), length);
    }

    @Override
    public String toString() {
        return address + "/" + length;
    }
}
