package dev.algd.engine.config;

/** An IPv4 address with a prefix length; {@code address} holds the host-order 32-bit value. */
public record Ipv4Prefix(int address, int length) {

    public Ipv4Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("prefix length " + length + " is outside 0..32");
        }
    }

    public int mask() {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    public int network() {
        return address & mask();
    }

    public boolean contains(int candidate) {
        return (candidate & mask()) == network();
    }

    /** Parses {@code a.b.c.d/len} or a bare {@code a.b.c.d} (a /32). */
    public static Ipv4Prefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new Ipv4Prefix(Ipv4Addresses.parse(text), 32);
        }
        int length;
        try {
            length = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no numeric prefix length");
        }
        return new Ipv4Prefix(Ipv4Addresses.parse(text.substring(0, slash)), length);
    }

    @Override
    public String toString() {
        return Ipv4Addresses.format(address) + "/" + length;
    }
}
