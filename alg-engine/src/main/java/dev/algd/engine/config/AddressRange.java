package dev.algd.engine.config;

/** An inclusive range of host-order IPv4 addresses, compared unsigned. */
public record AddressRange(int first, int last) {

    public boolean contains(int address) {
        return Integer.compareUnsigned(address, first) >= 0 && Integer.compareUnsigned(address, last) <= 0;
    }

    public long size() {
        return Integer.toUnsignedLong(last) - Integer.toUnsignedLong(first) + 1;
    }

    /** Parses a prefix {@code a.b.c.d/len}, a range {@code a.b.c.d-e.f.g.h} or one address. */
    public static AddressRange parse(String text) {
        int dash = text.indexOf('-');
        if (dash >= 0) {
            int first = Ipv4Addresses.parse(text.substring(0, dash));
            int last = Ipv4Addresses.parse(text.substring(dash + 1));
            if (Integer.compareUnsigned(first, last) > 0) {
                throw new IllegalArgumentException("'" + text + "': the first address is above the last");
            }
            return new AddressRange(first, last);
        }
        Ipv4Prefix prefix = Ipv4Prefix.parse(text);
        return new AddressRange(prefix.network(), prefix.network() | ~prefix.mask());
    }

    @Override
    public String toString() {
        return first == last ? Ipv4Addresses.format(first) : Ipv4Addresses.format(first) + "-" + Ipv4Addresses.format(last);
    }
}
