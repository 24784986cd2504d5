package dev.algd.engine.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SourceCountsTest {
    @Test
    void countsFollowIncrementsAndDecrementsLikeAMap() {
        // Few distinct keys in a small table: long probe runs, so deletion's backward shift is exercised.
        SourceCounts counts = new SourceCounts(64);
        Map<Long, Integer> model = new HashMap<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int step = 0; step < 200_000; step++) {
            long key = random.nextInt(48) * 0x1_0000_0001L;
            if (random.nextInt(3) > 0 || model.getOrDefault(key, 0) == 0) {
                if (model.values().stream().mapToInt(Integer::intValue).sum() >= 64) {
                    continue;   // a session table of 64 slots holds no more
                }
                counts.increment(key);
                model.merge(key, 1, Integer::sum);
            } else {
                counts.decrement(key);
                model.merge(key, -1, Integer::sum);
            }
            assertEquals(model.getOrDefault(key, 0), counts.count(key), "step " + step);
        }
        for (long key = 0; key < 48; key++) {
            assertEquals(model.getOrDefault(key * 0x1_0000_0001L, 0), counts.count(key * 0x1_0000_0001L));
        }
    }

    @Test
    void decrementOfAnAbsentKeyChangesNothing() {
        SourceCounts counts = new SourceCounts(8);
        counts.increment(5);
        counts.decrement(6);
        assertEquals(1, counts.count(5));
        assertEquals(0, counts.count(6));
    }
}
