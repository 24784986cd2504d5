package dev.algd.engine.alg;

import dev.algd.engine.config.AlgId;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One worker's {@link AlgStatistic} counters for every ALG, in one {@code long[]} indexed by ALG and statistic, so
 * counting on the packet path is one array increment. Only the owning worker writes it; management reads a
 * {@link #snapshot} taken on the worker.
 */
public final class AlgStatistics {
    private static final int PER_ALG = AlgStatistic.values().length;
    private static final AlgId[] ALG_IDS = AlgId.values();

    private final long[] counts = new long[ALG_IDS.length * PER_ALG];

    /** Counts one {@code statistic} for the ALG whose {@link AlgId#ordinal()} is {@code algId}. */
    public void count(int algId, AlgStatistic statistic) {
        counts[algId * PER_ALG + statistic.ordinal()]++;
    }

    public long count(AlgId alg, AlgStatistic statistic) {
        return counts[alg.ordinal() * PER_ALG + statistic.ordinal()];
    }

    /** A copy of every ALG's counters, every statistic present. Allocates: for management, not per packet. */
    public Map<AlgId, Map<AlgStatistic, Long>> snapshot() {
        Map<AlgId, Map<AlgStatistic, Long>> all = new EnumMap<>(AlgId.class);
        for (AlgId alg : ALG_IDS) {
            Map<AlgStatistic, Long> one = new EnumMap<>(AlgStatistic.class);
            for (AlgStatistic statistic : AlgStatistic.values()) {
                one.put(statistic, count(alg, statistic));
            }
            all.put(alg, Collections.unmodifiableMap(one));
        }
        return Collections.unmodifiableMap(all);
    }
}
