package dev.algd.engine.alg;

/**
 * An address in {@link AlgAddress} form and a port, filled in place: how {@link ExpectationTable} hands the source or
 * destination of a child flow to either family's data path without allocating. Each data path keeps one and reuses
 * it for every packet.
 */
public final class AlgEndpoint {
    long high;
    long low;
    int port;

    /** The high 64 bits of the address ({@link AlgAddress#IPV4_HIGH} for IPv4). */
    public long high() {
        return high;
    }

    public long low() {
        return low;
    }

    /** The address as IPv4 (host order), for an endpoint of an IPv4 flow. */
    public int ipv4() {
        return AlgAddress.ipv4(low);
    }

    public int port() {
        return port;
    }
}
