package dev.algd.engine.alg;

import dev.algd.engine.config.AlgId;

/**
 * A snapshot of one pending expectation for management (the YANG {@code alg-state/expectation} entry, what
 * {@code conntrack -L expect} shows): the tuple a new flow must carry to become a child of the parent session, and
 * what the child is translated to.
 *
 * @param alg the parent's ALG
 * @param parentSessionId the session whose ALG expects the flow
 * @param protocol 6 or 17
 * @param isIpv6 the family of every address here
 * @param sourceAddress null: any source address
 * @param sourcePort {@link #ANY}: any source port
 * @param translatedSourceAddress null: the child's source address is not translated
 * @param translatedSourcePort {@link #ANY}: the child keeps its source port (also when the source is untranslated)
 * @param translatedDestinationAddress null: the child's destination is not translated
 * @param translatedDestinationPort {@link #ANY}: the child keeps its destination port
 * @param timeoutSeconds seconds left until the expectation expires unmatched (rounded up)
 * @param oneShot removed by the first flow it admits; else it admits several (as SIP media do)
 */
public record ExpectationView(AlgId alg, long parentSessionId, int protocol, boolean isIpv6,
        String sourceAddress, int sourcePort, String destinationAddress, int destinationPort,
        String translatedSourceAddress, int translatedSourcePort,
        String translatedDestinationAddress, int translatedDestinationPort,
        long timeoutSeconds, boolean oneShot) {
    /** A port (or source address) the expectation leaves open or untouched. */
    public static final int ANY = -1;

    /** This expectation with another {@code timeoutSeconds}. */
    public ExpectationView withTimeoutSeconds(long seconds) {
        return new ExpectationView(alg, parentSessionId, protocol, isIpv6, sourceAddress, sourcePort,
                destinationAddress, destinationPort, translatedSourceAddress, translatedSourcePort,
                translatedDestinationAddress, translatedDestinationPort, seconds, oneShot);
    }
}
