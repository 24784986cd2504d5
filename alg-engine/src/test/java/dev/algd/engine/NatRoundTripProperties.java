package dev.algd.engine;

import static dev.algd.engine.EngineHarness.INSIDE;
import static dev.algd.engine.EngineHarness.OUTSIDE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.Ipv4Addresses;
import dev.algd.engine.config.Ipv6Address;
import dev.algd.engine.config.PortRange;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.testing.Ipv6TestPackets;
import dev.algd.engine.testing.ReferenceChecksum;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * NAT round trips (issue 5): a packet translated by source NAT leaves with valid checksums, and the peer's answer to
 * what it saw (the translated packet's addresses and ports swapped, any payload) comes back as exactly the packet the
 * inside host would have received without NAT, byte for byte, checksums included. For IPv4 and IPv6, TCP, UDP and
 * ICMP/ICMPv6 echo, random hosts, ports, identifiers and payloads.
 */
class NatRoundTripProperties {
    private static final int TCP = 0;
    private static final int UDP = 1;
    private static final int ECHO = 2;
    private static final String PORT_RANGE = "20000-20099";

    private static byte[] bytes(MemorySegment segment, int length) {
        return segment.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    private static int u16(byte[] packet, int at) {
        return (packet[at] & 0xff) << 8 | packet[at + 1] & 0xff;
    }

    @Property(tries = 300)
    void ipv4TranslateThenReverseGivesTheOriginal(@ForAll @IntRange(min = 0, max = 2) int kind,
            @ForAll @IntRange(min = 2, max = 254) int host, @ForAll @IntRange(min = 1, max = 65535) int port,
            @ForAll @IntRange(min = 2, max = 253) int server, @ForAll @IntRange(min = 1, max = 65535) int serverPort,
            @ForAll @Size(max = 64) byte[] request, @ForAll @Size(max = 64) byte[] answer,
            @ForAll boolean movesPorts) {
        // Masquerade keeps the port where free; a translation port range moves it (unless it already lies in it).
        EngineHarness h = new EngineHarness(movesPorts
                ? EngineHarness.translateTo(10, EngineHarness.OUTSIDE_ADDRESS, PORT_RANGE)
                : EngineHarness.masquerade(10));
        String inside = "192.168.1." + host;
        String remote = "198.51.100." + server;
        MemorySegment out = packet4(kind, inside, port, remote, serverPort, false, request).ttl(64).build();
        int length = (int) out.byteSize();

        assertEquals(Verdict.FORWARD, h.send(out, INSIDE));

        byte[] translated = bytes(out, length);
        assertTrue(ReferenceChecksum.areAllChecksumsValid(out, 0), "the translated packet's checksums");
        String seenFrom = Ipv4Addresses.format(u32(translated, 12));
        assertEquals(EngineHarness.OUTSIDE_ADDRESS, seenFrom);
        int seenPort = kind == ECHO ? u16(translated, 24) : u16(translated, 20);
        MemorySegment back = packet4(kind, remote, serverPort, seenFrom, seenPort, true, answer).ttl(64).build();

        assertEquals(Verdict.FORWARD, h.send(back, OUTSIDE));

        byte[] expected = bytes(packet4(kind, remote, serverPort, inside, port, true, answer).ttl(63).build(),
                (int) back.byteSize());
        assertArrayEquals(expected, bytes(back, (int) back.byteSize()));
    }

    /** From {@code source} to {@code destination}; an echo carries its identifier as the requester's "port". */
    private static TestPackets packet4(int kind, String source, int sourcePort, String destination,
            int destinationPort, boolean isAnswer, byte[] payload) {
        TestPackets packet = switch (kind) {
            case TCP -> TestPackets.tcp().from(source, sourcePort).to(destination, destinationPort);
            case UDP -> TestPackets.udp().from(source, sourcePort).to(destination, destinationPort);
            default -> isAnswer
                    ? TestPackets.icmpEcho().echoReply().from(source, 0).to(destination, 0).identifier(destinationPort)
                    : TestPackets.icmpEcho().from(source, 0).to(destination, 0).identifier(sourcePort);
        };
        return packet.payload(payload);
    }

    private static int u32(byte[] packet, int at) {
        return u16(packet, at) << 16 | u16(packet, at + 2);
    }

    @Property(tries = 300)
    void ipv6TranslateThenReverseGivesTheOriginal(@ForAll @IntRange(min = 0, max = 2) int kind,
            @ForAll long hostBits, @ForAll @IntRange(min = 1, max = 65535) int port, @ForAll long serverBits,
            @ForAll @IntRange(min = 1, max = 65535) int serverPort, @ForAll @Size(max = 64) byte[] request,
            @ForAll @Size(max = 64) byte[] answer, @ForAll boolean movesPorts) {
        SourceNatRule rule = movesPorts
                ? new SourceNatRule(10, "to a port range", false, "outside", SourceNatRule.ANY_PROTOCOL,
                        AddressRange.parse("2001:db8:1::/64"), null, null, null, false,
                        AddressRange.parse(EngineIpv6Test.OUTSIDE_ADDRESS), PortRange.parse(PORT_RANGE))
                : EngineIpv6Test.masquerade6(10);
        EngineHarness h = new EngineHarness(EngineIpv6Test.config(List.of(rule), Map.of(), List.of()), 1024);
        String inside = new Ipv6Address(Ipv6Address.parse("2001:db8:1::").high(), hostBits | 0x100).toString();
        String remote = new Ipv6Address(Ipv6Address.parse("2001:db8:3::").high(), serverBits | 0x100).toString();
        MemorySegment out = packet6(kind, inside, port, remote, serverPort, false, request).hopLimit(64).build();
        int length = (int) out.byteSize();

        assertEquals(Verdict.FORWARD, h.send(out, INSIDE));

        byte[] translated = bytes(out, length);
        assertTrue(Ipv6TestPackets.isChecksumValid(translated), "the translated packet's checksum");
        assertArrayEquals(Ipv6TestPackets.address(EngineIpv6Test.OUTSIDE_ADDRESS),
                java.util.Arrays.copyOfRange(translated, 8, 24));
        int seenPort = kind == ECHO ? u16(translated, 44) : u16(translated, 40);
        MemorySegment back = packet6(kind, remote, serverPort, EngineIpv6Test.OUTSIDE_ADDRESS, seenPort, true, answer)
                .hopLimit(64).build();

        assertEquals(Verdict.FORWARD, h.send(back, OUTSIDE));

        byte[] expected = bytes(packet6(kind, remote, serverPort, inside, port, true, answer).hopLimit(63).build(),
                (int) back.byteSize());
        assertArrayEquals(expected, bytes(back, (int) back.byteSize()));
    }

    private static Ipv6TestPackets packet6(int kind, String source, int sourcePort, String destination,
            int destinationPort, boolean isAnswer, byte[] payload) {
        Ipv6TestPackets packet = switch (kind) {
            case TCP -> Ipv6TestPackets.tcp().from(source, sourcePort).to(destination, destinationPort);
            case UDP -> Ipv6TestPackets.udp().from(source, sourcePort).to(destination, destinationPort);
            default -> isAnswer
                    ? Ipv6TestPackets.icmpEcho().echoReply().from(source, 0).to(destination, destinationPort)
                    : Ipv6TestPackets.icmpEcho().from(source, sourcePort).to(destination, 0);
        };
        return packet.payload(payload);
    }
}
