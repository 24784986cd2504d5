package dev.algd.engine.config;

/**
 * The match criteria of a list of rules (NAT or firewall), compiled into arrays for the per-flow path: protocol,
 * source and destination address ranges (both families) and port ranges. An absent criterion matches anything; a
 * rule with a port criterion matches only protocols that carry ports. The one place such rules are matched, so
 * source NAT, destination NAT and the firewall cannot disagree on what a rule covers.
 */
public final class FlowCriteria {
    private final int[] protocols;
    /** Per rule: source first, source last, destination first, destination last (IPv4, unsigned). */
    private final int[] addressRanges;
    /** Per rule: source then destination, each first high, first low, last high, last low (IPv6). */
    private final long[] ipv6Ranges;
    /** Per rule: source first, source last, destination first, destination last. */
    private final int[] portRanges;
    private final boolean[] needsPorts;

    public FlowCriteria(int rules) {
        protocols = new int[rules];
        addressRanges = new int[rules * 4];
        ipv6Ranges = new long[rules * 8];
        portRanges = new int[rules * 4];
        needsPorts = new boolean[rules];
    }

    /**
     * Compiles rule {@code r}'s criteria; null ranges match anything, {@link SourceNatRule#ANY_PROTOCOL} any
     * protocol. A range of one family leaves the other family's side matching anything: the policies keep a rule
     * to the families it {@link AddressFamily covers}.
     */
    public void set(int r, int protocol, AddressRange source, AddressRange destination, PortRange sourcePort,
            PortRange destinationPort) {
        protocols[r] = protocol;
        setAddresses(r, 0, source);
        setAddresses(r, 2, destination);
        AddressRange.storeIpv6(source, ipv6Ranges, r * 8);
        AddressRange.storeIpv6(destination, ipv6Ranges, r * 8 + 4);
        setPorts(r, 0, sourcePort);
        setPorts(r, 2, destinationPort);
        needsPorts[r] = sourcePort != null || destinationPort != null;
    }

    private void setAddresses(int r, int at, AddressRange range) {
        boolean isIpv4 = range != null && !range.isIpv6();
        addressRanges[r * 4 + at] = isIpv4 ? range.first() : 0;
        addressRanges[r * 4 + at + 1] = isIpv4 ? range.last() : -1;
    }

    private void setPorts(int r, int at, PortRange range) {
        portRanges[r * 4 + at] = range == null ? 0 : range.first();
        portRanges[r * 4 + at + 1] = range == null ? 65535 : range.last();
    }

    /** Whether rule {@code r} matches an IPv4 flow; {@code hasPorts}: whether its protocol carries ports. */
    public boolean matches(int r, int protocol, int sourceAddress, int sourcePort, int destinationAddress,
            int destinationPort, boolean hasPorts) {
        return inRange(sourceAddress, addressRanges[r * 4], addressRanges[r * 4 + 1])
                && inRange(destinationAddress, addressRanges[r * 4 + 2], addressRanges[r * 4 + 3])
                && matchesProtocolAndPorts(r, protocol, sourcePort, destinationPort, hasPorts);
    }

    /** {@link #matches} for an IPv6 flow. */
    public boolean matches6(int r, int protocol, long sourceHigh, long sourceLow, int sourcePort,
            long destinationHigh, long destinationLow, int destinationPort, boolean hasPorts) {
        int at = r * 8;
        return AddressRange.contains6(ipv6Ranges[at], ipv6Ranges[at + 1], ipv6Ranges[at + 2], ipv6Ranges[at + 3],
                        sourceHigh, sourceLow)
                && AddressRange.contains6(ipv6Ranges[at + 4], ipv6Ranges[at + 5], ipv6Ranges[at + 6],
                        ipv6Ranges[at + 7], destinationHigh, destinationLow)
                && matchesProtocolAndPorts(r, protocol, sourcePort, destinationPort, hasPorts);
    }

    private boolean matchesProtocolAndPorts(int r, int protocol, int sourcePort, int destinationPort,
            boolean hasPorts) {
        if (protocols[r] != SourceNatRule.ANY_PROTOCOL && protocols[r] != protocol) {
            return false;
        }
        return !needsPorts[r] || hasPorts
                && sourcePort >= portRanges[r * 4] && sourcePort <= portRanges[r * 4 + 1]
                && destinationPort >= portRanges[r * 4 + 2] && destinationPort <= portRanges[r * 4 + 3];
    }

    /** The first port of rule {@code r}'s destination port criterion (0 when it has none). */
    public int destinationPortFirst(int r) {
        return portRanges[r * 4 + 2];
    }

    private static boolean inRange(int address, int first, int last) {
        return Integer.compareUnsigned(address, first) >= 0 && Integer.compareUnsigned(address, last) <= 0;
    }
}
