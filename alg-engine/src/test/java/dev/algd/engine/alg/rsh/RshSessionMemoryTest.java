package dev.algd.engine.alg.rsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RshSessionMemoryTest {
    @Test
    void rememberedSessionsAreFound() {
        RshSessionMemory memory = new RshSessionMemory(16);
        assertFalse(memory.contains(42));
        int entry = memory.add(42);
        assertEquals(entry, memory.indexOf(42));
        assertEquals(entry, memory.add(42), "adding again keeps the entry");
        assertEquals(0, memory.evictions());
    }

    @Test
    void movedPortIsKeptWithTheSessionAndClearedForANewOne() {
        RshSessionMemory memory = new RshSessionMemory(RshSessionMemory.WAYS);
        int entry = memory.add(1);
        memory.moved(entry, 999, 1000);
        assertEquals(999, memory.wantedPort(memory.indexOf(1)));
        assertEquals(1000, memory.movedPort(memory.indexOf(1)));
        for (long id = 2; id <= RshSessionMemory.WAYS + 1; id++) {
            memory.add(id);
        }
        assertFalse(memory.contains(1));
        assertEquals(0, memory.movedPort(memory.indexOf(RshSessionMemory.WAYS + 1)));
    }

    @Test
    void aFullTableForgetsTheOldestSession() {
        RshSessionMemory memory = new RshSessionMemory(RshSessionMemory.WAYS);
        for (long id = 1; id <= RshSessionMemory.WAYS; id++) {
            memory.add(id);
        }
        assertEquals(0, memory.evictions());
        memory.add(100);
        assertEquals(1, memory.evictions());
        assertFalse(memory.contains(1));
        for (long id = 2; id <= RshSessionMemory.WAYS; id++) {
            assertTrue(memory.contains(id));
        }
        assertTrue(memory.contains(100));
    }

    @Test
    void capacityMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new RshSessionMemory(12));
        assertThrows(IllegalArgumentException.class, () -> new RshSessionMemory(2));
    }
}
