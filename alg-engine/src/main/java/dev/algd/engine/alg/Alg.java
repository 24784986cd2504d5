package dev.algd.engine.alg;

import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.EngineConfig;
import java.util.Map;

/**
 * The contract of one application layer gateway: stateless code the engine calls for the sessions the
 * {@link AlgRegistry} assigned to it. Like a netfilter helper, an ALG is mostly data ({@link #id}, {@link #policy});
 * the framework does registration, lookup, expectations, the child sessions and the clean-up.
 * <p>
 * When the framework calls it:
 * <ul>
 *   <li>{@link #inspect}: for every packet with payload of a session assigned to this ALG, in either direction,
 *   after the engine translated its headers (so the payload still holds the untranslated addresses the ALG may
 *   replace through {@link AlgPacket#rewriter()}), and before the packet is counted and forwarded. The ALG may
 *   expect child flows through {@link AlgPacket#expect}. It must not keep references to the packet.</li>
 * </ul>
 * An ALG never claims flows itself: which flows it sees is decided from config (protocol and control port). An
 * ALG implementation must not allocate in {@link #inspect}; parse results go to fields of preallocated objects.
 */
public interface Alg {
    /** The ALG this code implements; one implementation per id in an engine. */
    AlgId id();

    /**
     * Limits the framework applies to this ALG's expectations, read at every {@code Engine.apply}: the per-parent
     * limit as it is, the timeout as the default that {@code system alg X expectation-timeout} replaces.
     */
    AlgPolicy policy();

    /**
     * Whether this ALG handles IPv6 sessions: reads addresses through the two-{@code long} accessors of
     * {@link AlgPacket} ({@link AlgAddress}) and expects children with them. Others are never assigned an IPv6
     * session; their IPv6 flows pass as plain NAT66 flows.
     */
    default boolean supportsIpv6() {
        return false;
    }

    /** Inspects (and may rewrite) one packet of a control session; see the class comment for when. */
    AlgOutcome inspect(AlgPacket packet);

    /**
     * A new configuration took effect: called by {@code Engine.apply} on the engine's thread, after the swap and
     * before the next packet, so an ALG can precompute what it reads per packet (the RPC program list, say).
     */
    default void apply(EngineConfig config) {
    }

    /**
     * The ALG's own counters by name (its parser's answers and its decisions, e.g. {@code bounce-refused}), for the
     * error log and diagnostics. Management path: called on the engine's thread through a query, may allocate.
     */
    default Map<String, Long> diagnostics() {
        return Map.of();
    }
}
