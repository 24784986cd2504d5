package dev.algd.engine;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Addresses;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.PortRange;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.config.StaticRoute;
import dev.algd.engine.packet.Ipv4Header;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

/**
 * An engine between two networks, driven packet by packet on a fake clock:
 * <pre>
 *  192.168.1.10 .11 ...  -- inside (eth0) 192.168.1.1/24 [algd] outside (eth1) 203.0.113.1/24 -- 203.0.113.254 -- 198.51.100.7
 * </pre>
 * The default route points at 203.0.113.254. In the manner of Netty's EmbeddedChannel: a packet goes in, the test
 * reads the verdict, the rewritten bytes and the packet's egress and next hop.
 */
final class EngineHarness {
    static final int INSIDE = 0;
    static final int OUTSIDE = 1;
    static final long SECOND = 1_000_000_000L;
    static final String INSIDE_HOST = "192.168.1.10";
    static final String SERVER = "198.51.100.7";
    static final String OUTSIDE_ADDRESS = "203.0.113.1";
    static final String GATEWAY = "203.0.113.254";

    Engine engine;
    final Packet packet = new Packet();
    long now = 5_000 * SECOND;

    EngineHarness(EngineConfig config, int maxSessions) {
        engine = new Engine(config, new EngineLimits(maxSessions));
    }

    EngineHarness(SourceNatRule... rules) {
        this(config(rules), 1024);
    }

    /** Replaces the engine, e.g. by one built with ALG implementations. */
    EngineHarness withEngine(Engine replacement) {
        engine = replacement;
        return this;
    }

    static EngineConfig config(SourceNatRule... rules) {
        return new EngineConfig(Map.of(), List.of(
                new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("192.168.1.1/24"))),
                new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("203.0.113.1/24")))),
                List.of(new StaticRoute(Ipv4Prefix.parse("0.0.0.0/0"), address(GATEWAY))),
                List.of(rules));
    }

    /** Masquerade everything from the inside network leaving through "outside". */
    static SourceNatRule masquerade(long id) {
        return new SourceNatRule(id, "masquerade", false, "outside", SourceNatRule.ANY_PROTOCOL,
                AddressRange.parse("192.168.1.0/24"), null, null, null, false, null, null);
    }

    /** Translate everything leaving through "outside" to {@code translation}, ports from {@code ports} (or null). */
    static SourceNatRule translateTo(long id, String translation, String ports) {
        return new SourceNatRule(id, "to " + translation, false, "outside", SourceNatRule.ANY_PROTOCOL, null, null,
                null, null, false, AddressRange.parse(translation), ports == null ? null : PortRange.parse(ports));
    }

    static int address(String dotted) {
        return Ipv4Addresses.parse(dotted);
    }

    Verdict send(MemorySegment segment, int ingress) {
        return send(segment, 0, (int) segment.byteSize(), ingress);
    }

    Verdict send(MemorySegment segment, long offset, int length, int ingress) {
        return send(segment, offset, length, 0, ingress);
    }

    /** Sends with {@code capacity} bytes of buffer the packet may grow into (0: its length). */
    Verdict send(MemorySegment segment, long offset, int length, int capacity, int ingress) {
        packet.segment = segment;
        packet.offset = offset;
        packet.length = length;
        packet.capacity = capacity;
        packet.ingressInterface = ingress;
        packet.egressInterface = -1;
        packet.nextHop = 0;
        return engine.process(packet, now);
    }

    void advanceSeconds(long seconds) {
        now += seconds * SECOND;
    }

    long drops(DropReason reason) {
        return engine.counters().drops(reason);
    }

    SessionView onlySession() {
        List<SessionView> sessions = engine.sessions(now);
        if (sessions.size() != 1) {
            throw new AssertionError("expected one session, found " + sessions);
        }
        return sessions.get(0);
    }

    static Ipv4Header ip(MemorySegment segment) {
        return new Ipv4Header().wrap(segment, 0);
    }
}
