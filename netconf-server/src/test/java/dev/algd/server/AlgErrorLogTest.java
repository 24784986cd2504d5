package dev.algd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.alg.AlgCounters;
import dev.algd.engine.alg.AlgEvent;
import dev.algd.engine.alg.AlgStatistic;
import dev.algd.engine.alg.AlgStatistics;
import dev.algd.engine.config.AlgId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlgErrorLogTest {
    private final AlgStatistics statistics = new AlgStatistics();
    private final Deque<AlgErrorLog.Snapshot> snapshots = new ArrayDeque<>();
    private final AlgErrorLog log = new AlgErrorLog(snapshots::removeFirst);

    private void look(Map<AlgId, Map<String, Long>> diagnostics) {
        snapshots.add(new AlgErrorLog.Snapshot(
                AlgCounters.of(new long[AlgEvent.values().length], statistics, 0, 0), diagnostics));
    }

    @Test
    void grownErrorsAreLoggedOncePerAlgWithTheAlgsOwnReasons() {
        look(Map.of(AlgId.FTP, Map.of("bounce-refused", 2L, "rewritten", 7L)));
        assertEquals(List.of(), log.check(), "the first look only sets the baseline");

        statistics.count(AlgId.FTP.ordinal(), AlgStatistic.DROPS);
        statistics.count(AlgId.FTP.ordinal(), AlgStatistic.DROPS);
        statistics.count(AlgId.TFTP.ordinal(), AlgStatistic.INSPECTED);
        look(Map.of(AlgId.FTP, Map.of("bounce-refused", 4L, "rewritten", 7L)));
        List<String> lines = log.check();

        assertEquals(List.of("ALG ftp: drops +2 in the last " + AlgErrorLog.INTERVAL_SECONDS
                + " s (bounce-refused +2)"), lines);
    }

    @Test
    void quietAlgsAndGrowthWithoutErrorsLogNothing() {
        look(Map.of());
        log.check();
        statistics.count(AlgId.RPC.ordinal(), AlgStatistic.INSPECTED);
        statistics.count(AlgId.RPC.ordinal(), AlgStatistic.EXPECTATIONS_CREATED);
        look(Map.of(AlgId.RPC, Map.of("ok", 1L)));
        assertTrue(log.check().isEmpty());
    }

    @Test
    void eachErrorKindIsNamedAsInAlgState() {
        look(Map.of());
        log.check();
        statistics.count(AlgId.RSH.ordinal(), AlgStatistic.PARSE_ERRORS);
        statistics.count(AlgId.RSH.ordinal(), AlgStatistic.LIMIT_HITS);
        look(Map.of());
        assertEquals(List.of("ALG rsh: parse-errors +1, limit-hits +1 in the last " + AlgErrorLog.INTERVAL_SECONDS
                + " s"), log.check());
    }
}
