package dev.algd.engine.testing;

import dev.algd.engine.config.DestinationNatRule;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.Ipv6Prefix;
import dev.algd.engine.config.SourceNatRule;
import java.util.List;
import java.util.Map;

/**
 * The two-interface network the IPv6 ALG tests run on: inside (eth0) 192.0.2.1/24 and 2001:db8:1::1/64, outside
 * (eth1) 198.51.100.1/24 and 2001:db8:2::1/64, both on link, with the NAT rules a test gives.
 */
public final class DualStackNetwork {
    public static final int INSIDE = 0;
    public static final int OUTSIDE = 1;

    private DualStackNetwork() {
    }

    public static EngineConfig config(List<SourceNatRule> sourceNat, List<DestinationNatRule> destinationNat) {
        return new EngineConfig(Map.of(), List.of(
                new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("192.0.2.1/24")),
                        List.of(Ipv6Prefix.parse("2001:db8:1::1/64"))),
                new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("198.51.100.1/24")),
                        List.of(Ipv6Prefix.parse("2001:db8:2::1/64")))),
                List.of(), sourceNat, destinationNat, Map.of(), List.of(), List.of());
    }
}
