package dev.algd.engine.alg.rsh;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RshSessionMemoryTest {
    @Test
    void rememberedSessionsAreFound() {
        RshSessionMemory memory = new RshSessionMemory(16);
        assertFalse(memory.contains(42));
        assertFalse(memory.add(42));
        assertTrue(memory.contains(42));
        assertFalse(memory.add(42), "adding again forgets nothing");
    }

    @Test
    void aFullTableForgetsTheOldestSession() {
        RshSessionMemory memory = new RshSessionMemory(RshSessionMemory.WAYS);
        for (long id = 1; id <= RshSessionMemory.WAYS; id++) {
            assertFalse(memory.add(id));
        }
        assertTrue(memory.add(100));
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
