package dev.algd.engine.alg;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of one engine's ALG framework counters, taken on the worker thread.
 *
 * @param events counts by {@link AlgEvent}, every event present
 * @param expectationsActive expectations stored now (expired ones not yet swept included)
 * @param algSessionsActive sessions holding per-session ALG state now
 */
public record AlgCounters(Map<AlgEvent, Long> events, int expectationsActive, int algSessionsActive) {
    public AlgCounters {
        EnumMap<AlgEvent, Long> complete = new EnumMap<>(AlgEvent.class);
        for (AlgEvent event : AlgEvent.values()) {
            Long count = events.get(event);
            complete.put(event, count == null ? 0L : count);
        }
        events = Collections.unmodifiableMap(complete);
    }

    public long count(AlgEvent event) {
        return events.get(event);
    }

    /** Builds a snapshot from a counter array indexed by {@link AlgEvent} ordinal. */
    public static AlgCounters of(long[] counts, int expectationsActive, int algSessionsActive) {
        EnumMap<AlgEvent, Long> events = new EnumMap<>(AlgEvent.class);
        for (AlgEvent event : AlgEvent.values()) {
            events.put(event, counts[event.ordinal()]);
        }
        return new AlgCounters(events, expectationsActive, algSessionsActive);
    }
}
