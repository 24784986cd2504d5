package dev.algd.engine;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of one engine's counters, taken on the worker thread.
 *
 * @param packetsReceived every call of {@link Engine#process}
 * @param packetsForwarded FORWARD verdicts, including echo replies written in place
 * @param packetsDropped DROP verdicts, the sum of {@code drops}
 * @param echoRepliesSent echo requests to algd's own addresses answered in place
 * @param drops DROP verdicts by reason, every reason present
 * @param sessionsActive sessions holding a slot (expired ones are freed by the incremental sweep)
 * @param sessionsCreated sessions created since start
 * @param sessionsExpired sessions removed after their idle timeout
 * @param sessionsEvicted sessions that never saw a reply, given up for a new flow when the table was full
 */
public record EngineCounters(long packetsReceived, long packetsForwarded, long packetsDropped, long echoRepliesSent,
        Map<DropReason, Long> drops, long sessionsActive, long sessionsCreated, long sessionsExpired,
        long sessionsEvicted) {

    public EngineCounters {
        EnumMap<DropReason, Long> complete = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            Long count = drops.get(reason);
            complete.put(reason, count == null ? 0L : count);
        }
        drops = Collections.unmodifiableMap(complete);
    }

    public long drops(DropReason reason) {
        return drops.get(reason);
    }

    /** The counters of two engines (workers) as one. */
    public EngineCounters plus(EngineCounters other) {
        Map<DropReason, Long> sum = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            sum.put(reason, drops(reason) + other.drops(reason));
        }
        return new EngineCounters(packetsReceived + other.packetsReceived, packetsForwarded + other.packetsForwarded,
                packetsDropped + other.packetsDropped, echoRepliesSent + other.echoRepliesSent, sum,
                sessionsActive + other.sessionsActive, sessionsCreated + other.sessionsCreated,
                sessionsExpired + other.sessionsExpired, sessionsEvicted + other.sessionsEvicted);
    }
}
