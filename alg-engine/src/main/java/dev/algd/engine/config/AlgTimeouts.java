package dev.algd.engine.config;

/**
 * The timeouts of one ALG that the guide fixes as constants and algd lets an operator set
 * ({@code system alg X expectation-timeout}, and for SIP {@code invite-timeout} and {@code media-inactivity-timeout};
 * alg-behaviour.md §6 "Per-ALG configurable timeouts"). Every value is in force: the config translator puts the
 * default where the configuration names none.
 *
 * @param expectationSeconds how long an expectation (a pinhole for a child flow) waits for its flow
 * @param inviteSeconds SIP: how long a pending INVITE waits for its answer
 * @param mediaInactivitySeconds SIP: how long a call's media may be silent before its sessions end
 */
public record AlgTimeouts(long expectationSeconds, long inviteSeconds, long mediaInactivitySeconds) {
    /** Vyatta's tuple timeout for every ALG but FTP ({@code src/npf/alg/alg_apt.c}; alg-behaviour.md §0). */
    public static final long DEFAULT_EXPECTATION_SECONDS = 10;
    /** Vyatta's FTP data-connection tuple timeout ({@code src/npf/alg/alg_ftp.c}; alg-behaviour.md §1). */
    public static final long DEFAULT_FTP_EXPECTATION_SECONDS = 120;
    /** Vyatta: a pending INVITE lives for its Expires header, 32 s without one ({@code alg_sip}; alg-behaviour.md §2). */
    public static final long DEFAULT_INVITE_SECONDS = 32;
    /** Junos {@code inactive-media-timeout}'s default (alg-behaviour.md §2); Vyatta has no such timeout. */
    public static final long DEFAULT_MEDIA_INACTIVITY_SECONDS = 120;

    /** The bounds the YANG model and the validator share: what {@code AlgPolicy} accepts. */
    public static final long MIN_EXPECTATION_SECONDS = 1;
    public static final long MAX_EXPECTATION_SECONDS = 86_400;
    /** Vyatta takes an INVITE Expires above 84600 s as absent (alg-behaviour.md §2). */
    public static final long MIN_INVITE_SECONDS = 1;
    public static final long MAX_INVITE_SECONDS = 84_600;
    /** Junos {@code inactive-media-timeout}'s range. */
    public static final long MIN_MEDIA_INACTIVITY_SECONDS = 10;
    public static final long MAX_MEDIA_INACTIVITY_SECONDS = 2_550;

    /** The guide's (Vyatta's) values for {@code alg}. */
    public static AlgTimeouts defaults(AlgId alg) {
        return new AlgTimeouts(alg == AlgId.FTP ? DEFAULT_FTP_EXPECTATION_SECONDS : DEFAULT_EXPECTATION_SECONDS,
                DEFAULT_INVITE_SECONDS, DEFAULT_MEDIA_INACTIVITY_SECONDS);
    }

    public AlgTimeouts withExpectationSeconds(long seconds) {
        return new AlgTimeouts(seconds, inviteSeconds, mediaInactivitySeconds);
    }

    public AlgTimeouts withInviteSeconds(long seconds) {
        return new AlgTimeouts(expectationSeconds, seconds, mediaInactivitySeconds);
    }

    public AlgTimeouts withMediaInactivitySeconds(long seconds) {
        return new AlgTimeouts(expectationSeconds, inviteSeconds, seconds);
    }
}
