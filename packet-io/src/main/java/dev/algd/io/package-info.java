/**
 * Packet I/O: ports that move Ethernet frames between Linux devices and the engine (AF_PACKET rings through FFM),
 * the L2 adapter (Ethernet, ARP, neighbour resolution) and the {@link dev.algd.io.DataPlane} worker that drives
 * {@code dev.algd.engine.Engine}. It depends on {@code alg-engine} and {@code dev.algd.io.linux} only.
 * Nothing here allocates, logs or locks per packet: outcomes are counted by {@link dev.algd.io.DropReason}.
 */
package dev.algd.io;
