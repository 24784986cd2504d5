/**
 * Flyweight views over one IPv4 packet in a MemorySegment (RFC 791, 793, 768, 792, GRE: 2784, 2890, 2637) and Internet checksums (RFC 1071, 1624).
 * Depends only on the JDK (java.lang.foreign); the engine, packet-io and the ALGs use it.
 * Views are re-pointed with wrap() and never copy or allocate; validation returns a reason and never throws.
 */
package dev.algd.engine.packet;
