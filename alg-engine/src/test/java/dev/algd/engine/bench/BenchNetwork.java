package dev.algd.engine.bench;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Addresses;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.config.StaticRoute;
import java.util.List;
import java.util.Map;

/**
 * The network the benchmarks run in: hosts in 10.0.0.0/8 behind "inside" (eth0), masqueraded to 203.0.113.1 on
 * "outside" (eth1), default route via 203.0.113.254.
 */
final class BenchNetwork {
    static final int INSIDE = 0;
    static final int OUTSIDE = 1;
    static final String OUTSIDE_ADDRESS = "203.0.113.1";

    private BenchNetwork() {
    }

    static EngineConfig config() {
        return new EngineConfig(Map.of(), List.of(
                new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("10.0.0.1/8"))),
                new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("203.0.113.1/24")))),
                List.of(new StaticRoute(Ipv4Prefix.parse("0.0.0.0/0"), Ipv4Addresses.parse("203.0.113.254"))),
                List.of(new SourceNatRule(10, "masquerade", false, "outside", SourceNatRule.ANY_PROTOCOL,
                        AddressRange.parse("10.0.0.0/8"), null, null, null, false, null, null)));
    }

    /** Inside host number {@code i} (10.0.0.2 upwards), dotted. */
    static String insideHost(int i) {
        int a = 0x0a000002 + i;
        return Ipv4Addresses.format(a);
    }
}
