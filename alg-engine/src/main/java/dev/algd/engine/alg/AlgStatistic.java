package dev.algd.engine.alg;

import java.util.Locale;

/**
 * What {@code alg-state} counts for each ALG (issue 4), in the order of the YANG leaves; the ordinal indexes
 * {@link AlgStatistics}, so add values at the end. The framework counts all but {@link #PARSE_ERRORS} and the
 * ALG-private limits, which an ALG reports through {@link AlgPacket#countParseError()} and
 * {@link AlgPacket#countLimitHit()}.
 */
public enum AlgStatistic {
    /** Packets with payload of the ALG's control sessions handed to {@link Alg#inspect}. */
    INSPECTED,
    /** Packets whose payload the ALG rewrote (an address or port text replaced). */
    TRANSLATED,
    /** Expectations stored new (a refresh of a pending one is not counted again). */
    EXPECTATIONS_CREATED,
    /** Expectations a new flow matched: the flow became a child session. */
    EXPECTATIONS_USED,
    /** Expectations that timed out unmatched. */
    EXPECTATIONS_EXPIRED,
    /** Messages the ALG's parser found malformed. */
    PARSE_ERRORS,
    /** Packets of the ALG's control sessions dropped by the ALG or by its line reassembly. */
    DROPS,
    /**
     * A bound was reached: a per-parent expectation limit (the oldest evicted), a full expectation or ALG session
     * table, no room to grow a packet or hold a line, or a table private to the ALG.
     */
    LIMIT_HITS;

    /** The leaf name in {@code alg-state}: {@code expectations-created}. */
    public String yangName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
