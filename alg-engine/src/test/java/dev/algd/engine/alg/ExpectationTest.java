package dev.algd.engine.alg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.Ipv4Addresses;
import dev.algd.engine.config.Ipv6Address;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An expectation crosses between workers as {@link Expectation#WORDS} longs and arrives whole, of either family. */
class ExpectationTest {

    private static List<Object> fields(Expectation e) {
        return List.of(e.protocol, e.isIpv6, e.sourceHigh, e.sourceLow, e.sourcePort, e.anySourceAddress,
                e.anySourcePort, e.destinationHigh, e.destinationLow, e.destinationPort, e.translatesSource,
                e.newSourceHigh, e.newSourceLow, e.newSourcePort, e.translatesDestination, e.newDestinationHigh,
                e.newDestinationLow, e.newDestinationPort, e.timeoutSeconds, e.oneShot, e.inspectsChild);
    }

    private static Expectation roundTrip(Expectation sent) {
        long[] ring = new long[3 + Expectation.WORDS];
        sent.writeTo(ring, 3);
        // The receiver's request held another expectation before: every field must be overwritten.
        Expectation stale = new Expectation().clear().protocol(17).from(0x0a000001, 9).to(0x0a000002, 10)
                .translateSourceTo(0x0a000003, 11).translateDestinationTo(0x0a000004, 12).timeoutSeconds(99)
                .inspectChild();
        return stale.readFrom(ring, 3);
    }

    @Test
    void anIpv6ExpectationArrivesWithAllOneHundredTwentyEightBitsOfEachAddress() {
        Ipv6Address server = Ipv6Address.parse("2001:db8:2::11");
        Ipv6Address outside = Ipv6Address.parse("2001:db8:2::200");
        Ipv6Address client = Ipv6Address.parse("2001:db8:1::10");
        Expectation sent = new Expectation().clear().protocol(6).ipv6(true).fromAnyPort(server.high(), server.low())
                .to(outside.high(), outside.low(), 30_000)
                .translateDestinationTo(client.high(), client.low(), Expectation.KEEP_PORT).multiMatch();

        Expectation received = roundTrip(sent);

        assertEquals(fields(sent), fields(received));
        assertTrue(received.isIpv6());
        assertEquals(Expectation.KEEP_PORT, received.newDestinationPort);
    }

    @Test
    void anIpv4ExpectationArrivesWithItsAddressesAndKeptPorts() {
        Expectation sent = new Expectation().clear().protocol(17).from(Ipv4Addresses.parse("198.51.100.2"), 3445)
                .to(Ipv4Addresses.parse("203.0.113.1"), 50_000)
                .translateDestinationTo(Ipv4Addresses.parse("192.0.2.2"), Expectation.KEEP_PORT).timeoutSeconds(5);

        Expectation received = roundTrip(sent);

        assertEquals(fields(sent), fields(received));
        assertFalse(received.isIpv6());
        assertEquals(Ipv4Addresses.parse("198.51.100.2"), received.expectedSourceAddress());
        assertEquals(Ipv4Addresses.parse("203.0.113.1"), received.expectedDestinationAddress());
    }
}
