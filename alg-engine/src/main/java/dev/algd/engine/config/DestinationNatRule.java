package dev.algd.engine.config;

/**
 * {@code service nat destination rule N}: evaluated in ascending id on the inbound interface, first match wins,
 * before routing (so the route is looked up for the translated destination).
 *
 * @param protocol IP protocol number to match, or {@link SourceNatRule#ANY_PROTOCOL}
 * @param translationAddress the new destination; never null for a rule that is not {@code exclude}
 * @param translationPort {@code null} keeps the destination port; a range maps the matched port range onto it
 */
public record DestinationNatRule(
        long id,
        String description,
        boolean disabled,
        String inboundInterface,
        int protocol,
        AddressRange sourceAddress,
        PortRange sourcePort,
        AddressRange destinationAddress,
        PortRange destinationPort,
        boolean exclude,
        AddressRange translationAddress,
        PortRange translationPort) {

    /** The family of the addresses this rule names ({@link AddressFamily#MIXED} is refused by the validator). */
    public AddressFamily addressFamily() {
        return AddressFamily.of(sourceAddress, destinationAddress, translationAddress);
    }
}
