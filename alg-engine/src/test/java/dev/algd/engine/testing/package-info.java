/**
 * Test support: builds IPv4 packets into MemorySegments and checks checksums with an independent, naive implementation.
 * Depends on the config records only, so that it can judge the engine's own packet views and checksums.
 * Test scope only; allocates freely and is never used on a measured path.
 */
package dev.algd.engine.testing;
