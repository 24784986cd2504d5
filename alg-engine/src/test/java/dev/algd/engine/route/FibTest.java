package dev.algd.engine.route;

import static dev.algd.engine.config.Ipv4Addresses.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.StaticRoute;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FibTest {
    private static EngineConfig config(List<StaticRoute> routes) {
        return new EngineConfig(Map.of(), List.of(
                new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("192.168.1.1/24"))),
                new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("203.0.113.1/24"),
                        Ipv4Prefix.parse("198.51.100.1/28")))),
                routes, List.of());
    }

    private static StaticRoute route(String prefix, String nextHop) {
        return new StaticRoute(Ipv4Prefix.parse(prefix), parse(nextHop));
    }

    @Test
    void connectedDestinationIsItsOwnNextHop() {
        Fib fib = Fib.build(config(List.of()));
        long route = fib.lookup(parse("192.168.1.77"));
        assertEquals(0, Fib.egressInterface(route));
        assertEquals(parse("192.168.1.77"), Fib.nextHop(route));
        assertEquals(1, Fib.egressInterface(fib.lookup(parse("198.51.100.14"))));
    }

    @Test
    void withoutAMatchingRouteThereIsNoRoute() {
        Fib fib = Fib.build(config(List.of()));
        assertEquals(Fib.NO_ROUTE, fib.lookup(parse("8.8.8.8")));
        assertEquals(Fib.NO_ROUTE, fib.lookup(parse("198.51.100.16")), "just outside the /28");
    }

    @Test
    void defaultRouteGoesThroughItsGatewayOnTheConnectedInterface() {
        Fib fib = Fib.build(config(List.of(route("0.0.0.0/0", "203.0.113.254"))));
        long route = fib.lookup(parse("8.8.8.8"));
        assertEquals(1, Fib.egressInterface(route));
        assertEquals(parse("203.0.113.254"), Fib.nextHop(route));
    }

    @Test
    void longestPrefixWins() {
        Fib fib = Fib.build(config(List.of(
                route("0.0.0.0/0", "203.0.113.254"),
                route("10.0.0.0/8", "192.168.1.2"),
                route("10.1.0.0/16", "203.0.113.253"),
                route("10.1.2.3/32", "192.168.1.3"))));
        assertEquals(parse("192.168.1.2"), Fib.nextHop(fib.lookup(parse("10.9.9.9"))));
        assertEquals(parse("203.0.113.253"), Fib.nextHop(fib.lookup(parse("10.1.9.9"))));
        assertEquals(parse("192.168.1.3"), Fib.nextHop(fib.lookup(parse("10.1.2.3"))));
        assertEquals(parse("203.0.113.254"), Fib.nextHop(fib.lookup(parse("11.0.0.1"))));
        assertEquals(0, Fib.egressInterface(fib.lookup(parse("10.1.2.3"))));
    }

    @Test
    void connectedRouteBeatsAStaticRouteForTheSamePrefix() {
        Fib fib = Fib.build(config(List.of(route("192.168.1.0/24", "203.0.113.254"))));
        assertEquals(parse("192.168.1.5"), Fib.nextHop(fib.lookup(parse("192.168.1.5"))));
    }

    @Test
    void staticRouteWithAnUnreachableNextHopIsLeftOut() {
        Fib fib = Fib.build(config(List.of(route("0.0.0.0/0", "172.16.0.1"))));
        assertEquals(Fib.NO_ROUTE, fib.lookup(parse("8.8.8.8")));
    }

    @Test
    void ownAddressesAreLocalAndTheFirstIsTheMasqueradeAddress() {
        Fib fib = Fib.build(config(List.of()));
        assertTrue(fib.isLocalAddress(parse("192.168.1.1")));
        assertTrue(fib.isLocalAddress(parse("198.51.100.1")));
        assertFalse(fib.isLocalAddress(parse("192.168.1.2")));
        assertEquals(parse("203.0.113.1"), fib.firstAddress(1));
        assertEquals(0, fib.firstAddress(7));
    }

    @Test
    void emptyConfigRoutesNothing() {
        Fib fib = Fib.build(EngineConfig.empty());
        assertEquals(Fib.NO_ROUTE, fib.lookup(0));
        assertFalse(fib.isLocalAddress(0));
    }
}
