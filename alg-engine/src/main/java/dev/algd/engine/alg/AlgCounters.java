package dev.algd.engine.alg;

import dev.algd.engine.config.AlgId;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of one engine's ALG counters, taken on the worker thread.
 *
 * @param events the framework's counts by {@link AlgEvent}, every event present
 * @param expectationsActive expectations stored now (expired ones not yet swept included)
 * @param algSessionsActive sessions holding per-session ALG state now
 * @param perAlg each ALG's {@link AlgStatistic} counts, every ALG and statistic present
 */
public record AlgCounters(Map<AlgEvent, Long> events, int expectationsActive, int algSessionsActive,
        Map<AlgId, Map<AlgStatistic, Long>> perAlg) {
    public AlgCounters {
        EnumMap<AlgEvent, Long> complete = new EnumMap<>(AlgEvent.class);
        for (AlgEvent event : AlgEvent.values()) {
            Long count = events.get(event);
            complete.put(event, count == null ? 0L : count);
        }
        events = Collections.unmodifiableMap(complete);
        EnumMap<AlgId, Map<AlgStatistic, Long>> algs = new EnumMap<>(AlgId.class);
        for (AlgId alg : AlgId.values()) {
            EnumMap<AlgStatistic, Long> one = new EnumMap<>(AlgStatistic.class);
            Map<AlgStatistic, Long> given = perAlg.getOrDefault(alg, Map.of());
            for (AlgStatistic statistic : AlgStatistic.values()) {
                one.put(statistic, given.getOrDefault(statistic, 0L));
            }
            algs.put(alg, Collections.unmodifiableMap(one));
        }
        perAlg = Collections.unmodifiableMap(algs);
    }

    public long count(AlgEvent event) {
        return events.get(event);
    }

    public long count(AlgId alg, AlgStatistic statistic) {
        return perAlg.get(alg).get(statistic);
    }

    /** Builds a snapshot from a counter array indexed by {@link AlgEvent} ordinal and the per-ALG statistics. */
    public static AlgCounters of(long[] counts, AlgStatistics statistics, int expectationsActive,
            int algSessionsActive) {
        EnumMap<AlgEvent, Long> events = new EnumMap<>(AlgEvent.class);
        for (AlgEvent event : AlgEvent.values()) {
            events.put(event, counts[event.ordinal()]);
        }
        return new AlgCounters(events, expectationsActive, algSessionsActive, statistics.snapshot());
    }

    /** The sum of this snapshot and {@code other}'s: the counters of several workers' engines as one. */
    public AlgCounters plus(AlgCounters other) {
        EnumMap<AlgEvent, Long> sum = new EnumMap<>(AlgEvent.class);
        for (AlgEvent event : AlgEvent.values()) {
            sum.put(event, count(event) + other.count(event));
        }
        EnumMap<AlgId, Map<AlgStatistic, Long>> algs = new EnumMap<>(AlgId.class);
        for (AlgId alg : AlgId.values()) {
            EnumMap<AlgStatistic, Long> one = new EnumMap<>(AlgStatistic.class);
            for (AlgStatistic statistic : AlgStatistic.values()) {
                one.put(statistic, count(alg, statistic) + other.count(alg, statistic));
            }
            algs.put(alg, one);
        }
        return new AlgCounters(sum, expectationsActive + other.expectationsActive,
                algSessionsActive + other.algSessionsActive, algs);
    }
}
