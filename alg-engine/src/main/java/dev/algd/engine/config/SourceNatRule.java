package dev.algd.engine.config;

/**
 * {@code service nat source rule N}: rules are evaluated in ascending id, the first match wins.
 *
 * @param protocol IP protocol number to match, or {@link #ANY_PROTOCOL}
 * @param sourceAddress {@code null} matches any
 * @param sourcePort {@code null} matches any
 * @param translationAddress {@code null} means masquerade: the outbound interface's first address
 * @param translationPort {@code null} keeps the original port where free, else picks from 1024..65535
 */
public record SourceNatRule(
        long id,
        String description,
        boolean disabled,
        String outboundInterface,
        int protocol,
        AddressRange sourceAddress,
        PortRange sourcePort,
        AddressRange destinationAddress,
        PortRange destinationPort,
        boolean exclude,
        AddressRange translationAddress,
        PortRange translationPort) {

    public static final int ANY_PROTOCOL = -1;

    public boolean isMasquerade() {
        return translationAddress == null;
    }

    /** The family of the addresses this rule names ({@link AddressFamily#MIXED} is refused by the validator). */
    public AddressFamily addressFamily() {
        return AddressFamily.of(sourceAddress, destinationAddress, translationAddress);
    }
}
