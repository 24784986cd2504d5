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
    /** Values 0..31, each inserted under the hash recorded here, as an owner keeps its keys' hashes. */
    private final int[] hashOfValue = new int[32];

    private HashIndex index(int maxEntries) {
        return new HashIndex(maxEntries, hashOfValue.length, value -> hashOfValue[value]);
    }

    private void insert(HashIndex index, int hash, int value) {
        hashOfValue[value] = hash;
        index.insert(hash, value);
    }

    /** The values the index offers as candidates for {@code hash}, in probe order, walking as an owner does. */
    private static List<Integer> candidates(HashIndex index, int hash) {
        List<Integer> values = new ArrayList<>();
        for (int i = index.home(hash); index.at(i) != 0; i = index.next(i)) {
            if (index.isCandidate(index.at(i), hash)) {
                values.add(index.valueOf(index.at(i)));
            }
        }
        return values;
    }

    @Test
    void findsWhatWasInsertedUnderItsHashAndNothingElse() {
        HashIndex index = index(8);
        insert(index, 0x1234_5678, 0);
        insert(index, 0x0BAD_CAFE, 7);
        assertEquals(List.of(0), candidates(index, 0x1234_5678));
        assertEquals(List.of(7), candidates(index, 0x0BAD_CAFE));
        assertEquals(List.of(), candidates(index, 0x1234_5679));
        assertEquals(2, index.size());
    }

    @Test
    void theTagKeepsAnEntryOfAnotherHashInTheSameRunFromBeingACandidate() {
        HashIndex index = index(8);
        // Same home (low bits 3), tags from different top bits.
        insert(index, 0x4000_0003, 1);
        insert(index, 0x8000_0003, 2);
        assertEquals(List.of(1), candidates(index, 0x4000_0003));
        assertEquals(List.of(2), candidates(index, 0x8000_0003));
    }

    @Test
    void twoValuesUnderOneHashAreBothCandidates() {
        HashIndex index = index(8);
        insert(index, 42, 1);
        insert(index, 42, 2);
        assertEquals(List.of(1, 2), candidates(index, 42));
        assertTrue(index.remove(42, 1));
        assertEquals(List.of(2), candidates(index, 42));
    }

    @Test
    void removalShiftsAProbeRunThatWrapsPastTheEndBackOverIt() {
        HashIndex index = index(8);   // 16 positions
        int last = 15;
        // Three entries at home 15 fill 15, 0 and 1; one at home 0 lands at 2.
        insert(index, last, 1);
        insert(index, last | 0x1000_0000, 2);
        insert(index, last | 0x2000_0000, 3);
        insert(index, 0x3000_0000, 4);
        assertEquals(1, index.valueOf(index.at(15)));
        assertEquals(4, index.valueOf(index.at(2)));
        assertTrue(index.remove(last, 1));
        // Every later entry moved one position back, across the wrap; position 2 is free again.
        assertEquals(2, index.valueOf(index.at(15)));
        assertEquals(3, index.valueOf(index.at(0)));
        assertEquals(4, index.valueOf(index.at(1)));
        assertEquals(0, index.at(2));
        assertEquals(List.of(4), candidates(index, 0x3000_0000));
        assertEquals(List.of(3), candidates(index, last | 0x2000_0000));
    }

    @Test
    void removalLeavesAnEntryThatIsAlreadyAtItsHome() {
        HashIndex index = index(8);
        insert(index, 3, 1);
        insert(index, 3 | 0x1000_0000, 2);   // lands at 4
        insert(index, 5, 3);                 // at its home 5, behind the run
        assertTrue(index.remove(3, 1));
        assertEquals(2, index.valueOf(index.at(3)));
        assertEquals(0, index.at(4));
        assertEquals(3, index.valueOf(index.at(5)));
    }

    @Test
    void removalAsksTheOwnerForTheHashOnlyOfEntriesFarFromHome() {
        int[] asked = new int[1];
        HashIndex index = new HashIndex(16, hashOfValue.length, value -> {
            asked[0]++;
            return hashOfValue[value];
        });
        // Ten entries at home 5 fill 5..14, at distances 0..9 from it.
        for (int value = 0; value < 10; value++) {
            insert(index, value << 28 | 5, value);
        }
        assertTrue(index.remove(5, 0));
        // The nine shifted entries: those at distance 1..6 carry it, the ones at 7, 8 and 9 do not.
        assertEquals(3, asked[0]);
        for (int value = 1; value < 10; value++) {
            assertEquals(List.of(value), candidates(index, value << 28 | 5), "value " + value);
            assertEquals(value, index.valueOf(index.at(4 + value)), "shifted one back");
        }
        asked[0] = 0;
        assertTrue(index.remove(1 << 28 | 5, 1));
        assertEquals(2, asked[0], "after the first shift only values 8 and 9 are 7 or more from home");
        assertEquals(List.of(9), candidates(index, 9 << 28 | 5));
    }

    @Test
    void anIndexOfValuesWithNoBitsLeftForATagOffersEveryEntryOfTheRun() {
        int[] hashes = new int[2];
        HashIndex index = new HashIndex(2, 1 << 28, value -> hashes[value]);
        hashes[0] = 0x1000_0003;
        hashes[1] = 0x2000_0003;
        index.insert(hashes[0], 0);
        index.insert(hashes[1], 1);
        List<Integer> offered = new ArrayList<>();
        for (int i = index.home(hashes[0]); index.at(i) != 0; i = index.next(i)) {
            if (index.isCandidate(index.at(i), hashes[0])) {
                offered.add(index.valueOf(index.at(i)));
            }
        }
        assertEquals(List.of(0, 1), offered, "the owner's key comparison tells them apart");
        assertTrue(index.remove(hashes[0], 0));
        assertEquals(1, index.valueOf(index.at(3)));
    }

    @Test
    void removingWhatIsNotThereChangesNothing() {
        HashIndex index = index(4);
        insert(index, 9, 1);
        assertFalse(index.remove(9, 2));
        assertFalse(index.remove(10, 1));
        assertFalse(index.remove(9 | 0x4000_0000, 1));   // same home and value, other tag
        assertEquals(List.of(1), candidates(index, 9));
        assertEquals(1, index.size());
    }

    @Test
    void aFullIndexRefusesAnotherEntryAndKeepsItsOwn() {
        HashIndex index = index(3);
        for (int value = 0; value < 3; value++) {
            insert(index, value << 28, value);   // all at home 0: one run
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> index.insert(7, 3));
        assertEquals("index already holds its 3 entries", e.getMessage());
        assertEquals(3, index.size());
        assertEquals(List.of(), candidates(index, 7));
        assertTrue(index.remove(1 << 28, 1));
        insert(index, 7, 3);
        assertEquals(List.of(3), candidates(index, 7));
        assertEquals(List.of(2), candidates(index, 2 << 28));
    }

    @Test
    void valuesOutsideTheRangeItWasBuiltForAreRefused() {
        HashIndex index = index(4);
        assertThrows(IllegalArgumentException.class, () -> index.insert(1, -1));
        assertThrows(IllegalArgumentException.class, () -> index.insert(1, 32));
        assertThrows(IllegalArgumentException.class, () -> new HashIndex(0, 1, value -> 0));
        assertThrows(IllegalArgumentException.class, () -> new HashIndex(1, 0, value -> 0));
        assertEquals(0, index.size());
    }

    @Test
    void randomInsertsAndRemovalsAgreeWithAMap() {
        // Hashes with few homes in a small index: long, wrapping runs for the backward shift to keep intact.
        HashIndex index = index(24);
        Map<Integer, Integer> held = new HashMap<>();
        SplittableRandom random = new SplittableRandom(11);
        for (int step = 0; step < 100_000; step++) {
            int value = random.nextInt(32);
            Integer hash = held.get(value);
            if (hash != null) {
                assertTrue(index.remove(hash, value), "step " + step);
                held.remove(value);
            } else if (held.size() < 24) {
                int newHash = random.nextInt(1 << 20) << 12 | 60 + random.nextInt(8) & 63;
                insert(index, newHash, value);
                held.put(value, newHash);
            }
            for (Map.Entry<Integer, Integer> entry : held.entrySet()) {
                assertTrue(candidates(index, entry.getValue()).contains(entry.getKey()), "step " + step);
            }
            assertEquals(held.size(), index.size());
        }
    }
}
