package dev.algd.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineCountersTest {
    @Test
    void twoWorkersCountersAddUpFieldByFieldAndReasonByReason() {
        EngineCounters a = new EngineCounters(10, 7, 3, 1, Map.of(DropReason.NO_ROUTE, 2L, DropReason.TRUNCATED, 1L),
                5, 20, 15, 1);
        EngineCounters b = new EngineCounters(100, 90, 10, 2, Map.of(DropReason.NO_ROUTE, 10L), 6, 30, 24, 0);

        EngineCounters sum = a.plus(b);

        assertEquals(new EngineCounters(110, 97, 13, 3, Map.of(DropReason.NO_ROUTE, 12L, DropReason.TRUNCATED, 1L),
                11, 50, 39, 1), sum);
        assertEquals(0, sum.drops(DropReason.FRAGMENT), "a reason neither worker counted is listed as 0");
    }
}
