package dev.algd.engine.alg.rsh;

/**
 * The answer of {@link RshStderrPortParser#parse} for the first string of an rsh control session, and the index of
 * {@link RshAlg}'s parse counters: add values at the end.
 */
public enum RshReason {
    /** A stderr port 1..65535 terminated by NUL. */
    OK,
    /** The empty string or {@code 0}, terminated by NUL: the client asks for no stderr channel. */
    NO_STDERR_CHANNEL,
    /** Digits so far and no NUL yet: the rest follows in the next segment. */
    INCOMPLETE,
    /** A byte other than an ASCII digit before the NUL. */
    NOT_A_DIGIT,
    /** More than {@link RshStderrPortParser#MAX_DIGITS} digits. */
    TOO_MANY_DIGITS,
    /** A port above 65535. */
    PORT_OVER_65535;

    /** Whether the first string was malformed: counted as the RSH ALG's parse errors. */
    public boolean isMalformed() {
        return this != OK && this != NO_STDERR_CHANNEL && this != INCOMPLETE;
    }
}
