package dev.algd.engine.config;

/** An IPv6 static route: packets to {@code prefix} go to the neighbour {@code nextHop}. */
public record Ipv6Route(Ipv6Prefix prefix, Ipv6Address nextHop) {
}
