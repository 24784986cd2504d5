package dev.algd.server;

import dev.algd.engine.alg.AlgCounters;
import dev.algd.engine.alg.AlgStatistic;
import dev.algd.engine.config.AlgId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs ALG errors: every {@link #INTERVAL_SECONDS} seconds, one WARN line per ALG whose parse errors, drops or limit
 * hits grew since the last look, with those deltas and the ALG's own counters that changed (what was refused and
 * why, e.g. {@code bounce-refused +1}). The engine never logs (its packet path does not allocate); this reads its
 * counters from the management side, so a flood of bad packets costs one line per ALG per interval.
 */
public final class AlgErrorLog {
    /** How often the counters are compared: the most lines one ALG can write is one per interval. */
    public static final long INTERVAL_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(AlgErrorLog.class);
    private static final AlgStatistic[] ERRORS = {AlgStatistic.PARSE_ERRORS, AlgStatistic.DROPS,
            AlgStatistic.LIMIT_HITS};

    /** What one look at the engine gives: the framework's per-ALG statistics and each ALG's own counters. */
    public record Snapshot(AlgCounters counters, Map<AlgId, Map<String, Long>> diagnostics) {
        /** Two workers' snapshots as one: counters and diagnostics summed. */
        public Snapshot plus(Snapshot other) {
            Map<AlgId, Map<String, Long>> sum = new java.util.EnumMap<>(AlgId.class);
            for (var source : List.of(diagnostics, other.diagnostics)) {
                source.forEach((alg, values) -> values.forEach((key, value) ->
                        sum.computeIfAbsent(alg, a -> new java.util.TreeMap<>()).merge(key, value, Long::sum)));
            }
            return new Snapshot(counters.plus(other.counters), sum);
        }

    }

    private final Supplier<Snapshot> source;
    private Snapshot last;

    /** @param source takes a snapshot on the engine's thread (a {@code DataPlaneGroup.query}, merged over the workers) */
    public AlgErrorLog(Supplier<Snapshot> source) {
        this.source = source;
    }

    /** Takes a snapshot, logs what grew since the previous one, and returns the lines logged. */
    public List<String> check() {
        Snapshot now = source.get();
        Snapshot before = last;
        last = now;
        List<String> lines = new ArrayList<>();
        if (before == null) {
            return lines;
        }
        for (AlgId alg : AlgId.values()) {
            Map<AlgStatistic, Long> grown = new EnumMap<>(AlgStatistic.class);
            for (AlgStatistic error : ERRORS) {
                long delta = now.counters().count(alg, error) - before.counters().count(alg, error);
                if (delta > 0) {
                    grown.put(error, delta);
                }
            }
            if (!grown.isEmpty()) {
                lines.add(line(alg, grown, before.diagnostics().getOrDefault(alg, Map.of()),
                        now.diagnostics().getOrDefault(alg, Map.of())));
            }
        }
        lines.forEach(LOG::warn);
        return lines;
    }

    private static String line(AlgId alg, Map<AlgStatistic, Long> grown, Map<String, Long> before,
            Map<String, Long> now) {
        StringJoiner errors = new StringJoiner(", ");
        grown.forEach((statistic, delta) -> errors.add(statistic.yangName() + " +" + delta));
        StringJoiner changed = new StringJoiner(", ");
        now.forEach((name, count) -> {
            long delta = count - before.getOrDefault(name, 0L);
            if (delta > 0) {
                changed.add(name + " +" + delta);
            }
        });
        return "ALG " + alg.name().toLowerCase(java.util.Locale.ROOT) + ": " + errors + " in the last "
                + INTERVAL_SECONDS + " s" + (changed.length() == 0 ? "" : " (" + changed + ")");
    }
}
