package dev.algd.engine.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HashIndexTest {
    /** The values the index yields for {@code hash}, in probe order, walking as an owner does. */
    private static List<Integer> valuesUnder(HashIndex index, int hash) {
        List<Integer> values = new ArrayList<>();
        for (int i = index.home(hash); index.at(i) != 0; i = index.next(i)) {
            if (HashIndex.hashOf(index.at(i)) == hash) {
                values.add(HashIndex.valueOf(index.at(i)));
            }
        }
        return values;
    }

    @Test
    void findsWhatWasInsertedUnderItsHashAndNothingElse() {
        HashIndex index = new HashIndex(8);
        index.insert(0x1234_5678, 0);
        index.insert(0x0BAD_CAFE, 7);
        assertEquals(List.of(0), valuesUnder(index, 0x1234_5678));
        assertEquals(List.of(7), valuesUnder(index, 0x0BAD_CAFE));
        assertEquals(List.of(), valuesUnder(index, 0x1234_5679));
        assertEquals(2, index.size());
    }

    @Test
    void twoValuesUnderOneHashAreBothFound() {
        HashIndex index = new HashIndex(8);
        index.insert(42, 1);
        index.insert(42, 2);
        assertEquals(List.of(1, 2), valuesUnder(index, 42));
        assertTrue(index.remove(42, 1));
        assertEquals(List.of(2), valuesUnder(index, 42));
    }

    @Test
    void removalShiftsAProbeRunThatWrapsPastTheEndBackOverIt() {
        HashIndex index = new HashIndex(8);   // 16 positions
        int last = 15;
        // Three entries at home 15: they fill 15, 0 and 1; one at home 0 lands at 2.
        index.insert(last, 1);
        index.insert(last | 0x100, 2);
        index.insert(last | 0x200, 3);
        index.insert(0x300, 4);
        assertEquals(1, HashIndex.valueOf(index.at(15)));
        assertEquals(4, HashIndex.valueOf(index.at(2)));
        assertTrue(index.remove(last, 1));
        // Every later entry moved one position back, across the wrap; position 2 is free again.
        assertEquals(2, HashIndex.valueOf(index.at(15)));
        assertEquals(3, HashIndex.valueOf(index.at(0)));
        assertEquals(4, HashIndex.valueOf(index.at(1)));
        assertEquals(0, index.at(2));
        assertEquals(List.of(4), valuesUnder(index, 0x300));
        assertEquals(List.of(3), valuesUnder(index, last | 0x200));
    }

    @Test
    void removalLeavesAnEntryThatIsAlreadyAtItsHome() {
        HashIndex index = new HashIndex(8);
        index.insert(3, 1);
        index.insert(3 | 0x100, 2);   // lands at 4
        index.insert(5, 3);           // at its home 5, behind the run
        assertTrue(index.remove(3, 1));
        assertEquals(2, HashIndex.valueOf(index.at(3)));
        assertEquals(0, index.at(4));
        assertEquals(3, HashIndex.valueOf(index.at(5)));
    }

    @Test
    void removingWhatIsNotThereChangesNothing() {
        HashIndex index = new HashIndex(4);
        index.insert(9, 1);
        assertFalse(index.remove(9, 2));
        assertFalse(index.remove(10, 1));
        assertEquals(List.of(1), valuesUnder(index, 9));
        assertEquals(1, index.size());
    }

    @Test
    void aFullIndexRefusesAnotherEntryAndKeepsItsOwn() {
        HashIndex index = new HashIndex(3);
        for (int value = 0; value < 3; value++) {
            index.insert(value * 16, value);   // all at home 0: one long run
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> index.insert(7, 3));
        assertEquals("index already holds its 3 entries", e.getMessage());
        assertEquals(3, index.size());
        assertEquals(List.of(), valuesUnder(index, 7));
        assertTrue(index.remove(16, 1));
        index.insert(7, 3);
        assertEquals(List.of(3), valuesUnder(index, 7));
        assertEquals(List.of(2), valuesUnder(index, 32));
    }

    @Test
    void valuesOutsideTheRangeAnEntryCanHoldAreRefused() {
        HashIndex index = new HashIndex(4);
        assertThrows(IllegalArgumentException.class, () -> index.insert(1, -1));
        assertThrows(IllegalArgumentException.class, () -> index.insert(1, Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> new HashIndex(0));
        assertEquals(0, index.size());
    }

    @Test
    void randomInsertsAndRemovalsAgreeWithAMap() {
        // Hashes from a few homes in a small index: long, wrapping runs for the backward shift to keep intact.
        HashIndex index = new HashIndex(24);
        Map<Integer, Integer> hashOfValue = new HashMap<>();
        SplittableRandom random = new SplittableRandom(11);
        for (int step = 0; step < 100_000; step++) {
            int value = random.nextInt(32);
            Integer hash = hashOfValue.get(value);
            if (hash != null) {
                assertTrue(index.remove(hash, value), "step " + step);
                hashOfValue.remove(value);
            } else if (hashOfValue.size() < 24) {
                int newHash = random.nextInt(1 << 20) << 6 | 60 + random.nextInt(8) & 63;
                index.insert(newHash, value);
                hashOfValue.put(value, newHash);
            }
            for (Map.Entry<Integer, Integer> held : hashOfValue.entrySet()) {
                assertTrue(valuesUnder(index, held.getValue()).contains(held.getKey()), "step " + step);
            }
            assertEquals(hashOfValue.size(), index.size());
        }
    }
}
