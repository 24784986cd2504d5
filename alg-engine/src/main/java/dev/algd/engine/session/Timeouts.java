package dev.algd.engine.session;

/**
 * Idle timeouts in seconds: a session expires when no packet refreshed it for the timeout of its current state.
 * {@link #defaults()} holds algd's defaults; configuration may override them later. GRE follows Linux conntrack
 * ({@code nf_conntrack_proto_gre}): 30 s until the first reply, 180 s once both directions were seen (a "stream").
 */
public record Timeouts(
        long tcpSynSentSeconds,
        long tcpSynReceivedSeconds,
        long tcpEstablishedSeconds,
        long tcpFinWaitSeconds,
        long tcpCloseWaitSeconds,
        long tcpLastAckSeconds,
        long tcpTimeWaitSeconds,
        long tcpCloseSeconds,
        long udpNewSeconds,
        long udpEstablishedSeconds,
        long icmpEchoSeconds,
        long greUnrepliedSeconds,
        long greStreamSeconds) {

    public Timeouts {
        long[] all = {tcpSynSentSeconds, tcpSynReceivedSeconds, tcpEstablishedSeconds, tcpFinWaitSeconds,
                tcpCloseWaitSeconds, tcpLastAckSeconds, tcpTimeWaitSeconds, tcpCloseSeconds, udpNewSeconds,
                udpEstablishedSeconds, icmpEchoSeconds, greUnrepliedSeconds, greStreamSeconds};
        for (long seconds : all) {
            if (seconds < 1 || seconds > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("timeout " + seconds + " s is outside 1.." + Integer.MAX_VALUE);
            }
        }
    }

    public static Timeouts defaults() {
        return new Timeouts(30, 60, 7440, 120, 60, 30, 120, 10, 30, 60, 30, 30, 180);
    }

    /** The timeout of a TCP session in {@code state}; LI and NEW (never used for TCP) get the SYN-sent timeout. */
    public long tcpSeconds(SessionState state) {
        return switch (state) {
            case SS, LI, NEW -> tcpSynSentSeconds;
            case SR -> tcpSynReceivedSeconds;
            case ES -> tcpEstablishedSeconds;
            case FW -> tcpFinWaitSeconds;
            case CW -> tcpCloseWaitSeconds;
            case LA -> tcpLastAckSeconds;
            case TW -> tcpTimeWaitSeconds;
            case CL -> tcpCloseSeconds;
        };
    }

    /** The timeout of a UDP session in {@code state}: NEW until a reply was seen, then ES. */
    public long udpSeconds(SessionState state) {
        return state == SessionState.NEW ? udpNewSeconds : udpEstablishedSeconds;
    }

    /** The timeout of a GRE session in {@code state}: NEW until a reply was seen, then ES (a stream). */
    public long greSeconds(SessionState state) {
        return state == SessionState.NEW ? greUnrepliedSeconds : greStreamSeconds;
    }
}
