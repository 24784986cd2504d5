package dev.algd.engine;

import static dev.algd.engine.EngineHarness.INSIDE;
import static dev.algd.engine.EngineHarness.INSIDE_HOST;
import static dev.algd.engine.EngineHarness.OUTSIDE;
import static dev.algd.engine.EngineHarness.OUTSIDE_ADDRESS;
import static dev.algd.engine.EngineHarness.SERVER;
import static dev.algd.engine.EngineHarness.address;
import static dev.algd.engine.EngineHarness.masquerade;
import static dev.algd.engine.EngineHarness.translateTo;
import static dev.algd.engine.testing.TestPackets.ACK;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.packet.Ipv4Header;
import dev.algd.engine.testing.ReferenceChecksum;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ICMP error translation (RFC 5508 §4.2, alg-behaviour.md §4 ICMP and §5 vector 17): an error about a packet of a
 * session is forwarded to that packet's sender with the outer and embedded headers translated and every checksum
 * valid; an error about no session is dropped.
 */
class EngineIcmpErrorTest {
    private static final String ROUTER = "198.51.100.254";
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int EMBEDDED = 28;

    /**
     * An ICMP error from {@code from} to {@code to} quoting the first {@code quote} bytes of {@code original}, with
     * {@code rest} as the 4 bytes after the checksum (the next-hop MTU for frag-needed).
     */
    static MemorySegment icmpError(int type, int code, int rest, String from, String to, MemorySegment original,
            int quote) {
        int length = 20 + 8 + quote;
        MemorySegment p = Arena.ofAuto().allocate(length);
        p.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        p.set(U16, 2, (short) length);
        p.set(U16, 4, (short) 0x4321);
        p.set(ValueLayout.JAVA_BYTE, 8, (byte) 64);
        p.set(ValueLayout.JAVA_BYTE, 9, (byte) 1);
        p.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 12, address(from));
        p.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 16, address(to));
        p.set(U16, 10, (short) ReferenceChecksum.checksum(p.asSlice(0, 20).toArray(ValueLayout.JAVA_BYTE), 0));
        p.set(ValueLayout.JAVA_BYTE, 20, (byte) type);
        p.set(ValueLayout.JAVA_BYTE, 21, (byte) code);
        p.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 24, rest);
        MemorySegment.copy(original, 0, p, EMBEDDED, quote);
        p.set(U16, 22, (short) ReferenceChecksum.icmpChecksum(p, 0));
        return p;
    }

    private static byte[] bytes(MemorySegment segment, long offset, int length) {
        return segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    private static int u16(MemorySegment segment, long offset) {
        return Short.toUnsignedInt(segment.get(U16, offset));
    }

    private static Ipv4Header ip(MemorySegment segment, long offset) {
        return new Ipv4Header().wrap(segment, offset);
    }

    @Test
    void timeExceededAboutASourceNattedUdpFlowReachesTheInsideHostUntranslated() {
        EngineHarness h = new EngineHarness(translateTo(10, OUTSIDE_ADDRESS, "40000-40010"));
        MemorySegment query = TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).payload("query").build();
        MemorySegment sent = TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).payload("query").ttl(63)
                .build();
        assertEquals(Verdict.FORWARD, h.send(query, INSIDE));
        assertTrue(u16(query, 20) >= 40000, "the flow left with a translated port");

        MemorySegment error = icmpError(11, 0, 0, ROUTER, OUTSIDE_ADDRESS, query, (int) query.byteSize());
        assertEquals(Verdict.FORWARD, h.send(error, OUTSIDE));

        assertEquals(INSIDE, h.packet.egressInterface);
        assertEquals(address(INSIDE_HOST), h.packet.nextHop);
        assertEquals(address(ROUTER), ip(error, 0).sourceAddress(), "a router's address is not translated");
        assertEquals(address(INSIDE_HOST), ip(error, 0).destinationAddress());
        assertEquals(63, ip(error, 0).ttl());
        assertArrayEquals(bytes(sent, 0, (int) sent.byteSize()), bytes(error, EMBEDDED, (int) sent.byteSize()),
                "the embedded packet is the host's own, as it left the host (after algd's TTL decrement)");
        assertTrue(ReferenceChecksum.areAllChecksumsValid(error, 0), "outer IPv4 and ICMP checksums");
        assertTrue(ReferenceChecksum.areAllChecksumsValid(error, EMBEDDED), "embedded IPv4 and UDP checksums");
        assertEquals(1, h.engine.icmpErrorsTranslated());
    }

    @Test
    void embeddedUdpWithoutChecksumKeepsNone() {
        EngineHarness h = new EngineHarness(translateTo(10, OUTSIDE_ADDRESS, "40000-40010"));
        MemorySegment query = TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).payload("query")
                .withoutUdpChecksum().build();
        h.send(query, INSIDE);
        MemorySegment error = icmpError(3, 3, 0, SERVER, OUTSIDE_ADDRESS, query, 28);

        assertEquals(Verdict.FORWARD, h.send(error, OUTSIDE));
        assertEquals(0, u16(error, EMBEDDED + 20 + 6), "no checksum stays no checksum");
        assertEquals(5000, u16(error, EMBEDDED + 20));
        assertTrue(ReferenceChecksum.areAllChecksumsValid(error, 0));
        assertTrue(ReferenceChecksum.isIpHeaderValid(error, EMBEDDED));
    }

    @Test
    void fragmentationNeededAboutTcpWithAnEightByteQuoteIsTranslated() {
        EngineHarness h = new EngineHarness(translateTo(10, OUTSIDE_ADDRESS, "40000-40010"));
        h.send(TestPackets.tcp().from(INSIDE_HOST, 41000).to(SERVER, 80).flags(SYN).build(), INSIDE);
        h.send(TestPackets.tcp().from(SERVER, 80).to(OUTSIDE_ADDRESS, 40000).flags(SYN | ACK).build(), OUTSIDE);
        MemorySegment data = TestPackets.tcp().from(INSIDE_HOST, 41000).to(SERVER, 80).flags(ACK)
                .payload("x".repeat(1400)).build();
        assertEquals(Verdict.FORWARD, h.send(data, INSIDE));

        // RFC 1191: code 4, next-hop MTU 1280 in the low 16 bits; the router quotes 8 bytes of TCP (RFC 792).
        MemorySegment error = icmpError(3, 4, 1280, ROUTER, OUTSIDE_ADDRESS, data, 28);
        assertEquals(Verdict.FORWARD, h.send(error, OUTSIDE));

        assertEquals(address(INSIDE_HOST), ip(error, 0).destinationAddress());
        assertEquals(address(INSIDE_HOST), ip(error, EMBEDDED).sourceAddress());
        assertEquals(address(SERVER), ip(error, EMBEDDED).destinationAddress());
        assertEquals(41000, u16(error, EMBEDDED + 20));
        assertEquals(80, u16(error, EMBEDDED + 22));
        assertEquals(1280, u16(error, 26), "the MTU is kept");
        assertTrue(ReferenceChecksum.areAllChecksumsValid(error, 0));
        assertTrue(ReferenceChecksum.isIpHeaderValid(error, EMBEDDED));
    }

    @Test
    void errorFromADestinationNattedServerComesFromTheForwardedAddress() {
        EngineHarness h = EngineDestinationNatTest.harness(List.of(EngineDestinationNatTest.forward(10, "outside",
                6, OUTSIDE_ADDRESS, "8080", "192.168.1.5", "80")));
        MemorySegment syn = TestPackets.tcp().from(SERVER, 30000).to(OUTSIDE_ADDRESS, 8080).flags(SYN).build();
        assertEquals(Verdict.FORWARD, h.send(syn, OUTSIDE));

        // The server refuses administratively (code 13) with an error about the SYN it got.
        MemorySegment error = icmpError(3, 13, 0, "192.168.1.5", SERVER, syn, (int) syn.byteSize());
        assertEquals(Verdict.FORWARD, h.send(error, INSIDE));

        assertEquals(OUTSIDE, h.packet.egressInterface);
        assertEquals(address(OUTSIDE_ADDRESS), ip(error, 0).sourceAddress(), "the client only knows the forward");
        assertEquals(address(SERVER), ip(error, 0).destinationAddress());
        assertEquals(address(OUTSIDE_ADDRESS), ip(error, EMBEDDED).destinationAddress());
        assertEquals(8080, u16(error, EMBEDDED + 22));
        assertTrue(ReferenceChecksum.areAllChecksumsValid(error, 0));
        assertTrue(ReferenceChecksum.areAllChecksumsValid(error, EMBEDDED), "embedded TCP checksum too");
    }

    @Test
    void errorAboutAnEchoRequestGetsTheHostsIdentifierBack() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment ping = TestPackets.icmpEcho().from(INSIDE_HOST, 0).identifier(77).to(SERVER, 0).build();
        h.send(ping, INSIDE);
        // Another host's ping with the same identifier gets another one.
        MemorySegment other = TestPackets.icmpEcho().from("192.168.1.11", 0).identifier(77).to(SERVER, 0).build();
        h.send(other, INSIDE);
        int translated = u16(other, 24);
        assertTrue(translated != 77, "the second ping's identifier was translated");

        MemorySegment error = icmpError(11, 0, 0, ROUTER, OUTSIDE_ADDRESS, other, (int) other.byteSize());
        assertEquals(Verdict.FORWARD, h.send(error, OUTSIDE));
        assertEquals(address("192.168.1.11"), ip(error, 0).destinationAddress());
        assertEquals(77, u16(error, EMBEDDED + 24));
        assertTrue(ReferenceChecksum.areAllChecksumsValid(error, 0));
        assertTrue(ReferenceChecksum.areAllChecksumsValid(error, EMBEDDED), "embedded ICMP checksum too");
    }

    @Test
    void errorAboutNoSessionIsDropped() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment never = TestPackets.udp().from(OUTSIDE_ADDRESS, 6000).to(SERVER, 53).build();
        MemorySegment error = icmpError(3, 3, 0, SERVER, OUTSIDE_ADDRESS, never, 28);

        assertEquals(Verdict.DROP, h.send(error, OUTSIDE));
        assertEquals(1, h.drops(DropReason.ICMP_ERROR_NO_SESSION));
        assertEquals(0, h.engine.icmpErrorsTranslated());
    }

    @Test
    void errorsTooShortOrAboutUnsupportedPacketsAreDropped() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment query = TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).payload("query").build();
        h.send(query, INSIDE);

        assertEquals(Verdict.DROP, h.send(icmpError(11, 0, 0, ROUTER, OUTSIDE_ADDRESS, query, 27), OUTSIDE));
        assertEquals(1, h.drops(DropReason.ICMP_ERROR_TRUNCATED));
        MemorySegment sctp = TestPackets.udp().from(OUTSIDE_ADDRESS, 1).to(SERVER, 2).build();
        sctp.set(ValueLayout.JAVA_BYTE, 9, (byte) 132);
        assertEquals(Verdict.DROP, h.send(icmpError(11, 0, 0, ROUTER, OUTSIDE_ADDRESS, sctp, 28), OUTSIDE));
        assertEquals(1, h.drops(DropReason.ICMP_ERROR_UNSUPPORTED_EMBEDDED));
    }

    @Test
    void packetWhoseTtlRunsOutBecomesATimeExceededToItsSender() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment original = TestPackets.udp().from(INSIDE_HOST, 1000).to(SERVER, 53).ttl(1).payload("query")
                .build();
        MemorySegment buffer = Arena.ofAuto().allocate(2048);
        MemorySegment.copy(original, 0, buffer, 0, original.byteSize());

        assertEquals(Verdict.FORWARD, h.send(buffer, 0, (int) original.byteSize(), 2048, INSIDE));

        assertEquals(INSIDE, h.packet.egressInterface);
        assertEquals(address(INSIDE_HOST), h.packet.nextHop);
        assertEquals(28 + original.byteSize(), h.packet.length);
        assertEquals(address("192.168.1.1"), ip(buffer, 0).sourceAddress(), "from the ingress interface");
        assertEquals(address(INSIDE_HOST), ip(buffer, 0).destinationAddress());
        assertEquals(1, ip(buffer, 0).protocol());
        assertEquals(11, buffer.get(ValueLayout.JAVA_BYTE, 20));
        assertEquals(0, buffer.get(ValueLayout.JAVA_BYTE, 21));
        assertArrayEquals(bytes(original, 0, (int) original.byteSize()),
                bytes(buffer, EMBEDDED, (int) original.byteSize()), "the packet as it arrived");
        assertTrue(ReferenceChecksum.areAllChecksumsValid(buffer, 0));
        assertEquals(1, h.engine.timeExceededSent());
        assertEquals(0, h.engine.sessions(h.now).size(), "no session for it");
    }

    @Test
    void timeExceededErrorsAreRateLimited() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment original = TestPackets.udp().from(INSIDE_HOST, 1000).to(SERVER, 53).ttl(1).payload("query")
                .build();
        MemorySegment buffer = Arena.ofAuto().allocate(2048);
        int sent = 0;
        for (int i = 0; i < 60; i++) {
            MemorySegment.copy(original, 0, buffer, 0, original.byteSize());
            if (h.send(buffer, 0, (int) original.byteSize(), 2048, INSIDE) == Verdict.FORWARD) {
                sent++;
            }
        }
        assertEquals(50, sent, "a burst of 50");
        assertEquals(10, h.drops(DropReason.TTL_EXCEEDED));
        h.now += 2_000_000L;
        MemorySegment.copy(original, 0, buffer, 0, original.byteSize());
        assertEquals(Verdict.FORWARD, h.send(buffer, 0, (int) original.byteSize(), 2048, INSIDE),
                "then one per millisecond");
    }

    @Test
    void noTimeExceededWithoutRoomForTheQuote() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment small = TestPackets.udp().from(INSIDE_HOST, 1000).to(SERVER, 53).ttl(1).build();
        assertEquals(Verdict.DROP, h.send(small, INSIDE), "28 bytes cannot hold a 56-byte error");
        assertEquals(1, h.drops(DropReason.TTL_EXCEEDED));
    }
}
