/**
 * The session table: one entry per flow, found from both directions, with the TCP state machine and idle timeouts.
 * Depends only on the JDK; the engine and the NAT allocator use it, and it knows nothing of rules or packets.
 * Fixed capacity allocated at start, primitive arrays only: no allocation, no locks and no per-call full scan.
 */
package dev.algd.engine.session;
