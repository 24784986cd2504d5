package dev.algd.engine.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.testing.ReferenceChecksum;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChecksumsTest {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    @Test
    void fullChecksumEqualsTheReferenceForEveryLengthAndAlignment() {
        SplittableRandom random = new SplittableRandom(7);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(1600);
            for (int round = 0; round < 300; round++) {
                int length = random.nextInt(0, 1500);
                int offset = random.nextInt(0, 64);
                byte[] bytes = new byte[length];
                random.nextBytes(bytes);
                MemorySegment.copy(MemorySegment.ofArray(bytes), 0, segment, offset, length);
                assertEquals(ReferenceChecksum.checksum(bytes, 0), Checksums.internetChecksum(segment, offset, length),
                        "length " + length + " at offset " + offset);
            }
        }
    }

    @Test
    void rfc1071ExampleSumsAsPublished() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 have the one's complement sum ddf2.
        MemorySegment segment = MemorySegment.ofArray(new byte[] {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4,
                (byte) 0xf5, (byte) 0xf6, (byte) 0xf7});
        assertEquals(0xddf2, Checksums.fold(Checksums.sum(segment, 0, 8, 0)));
        assertEquals(0x220d, Checksums.internetChecksum(segment, 0, 8));
    }

    @Test
    void incrementalUpdateOfAWordEqualsRecomputingFromScratch() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = new byte[40];
            random.nextBytes(bytes);
            MemorySegment segment = MemorySegment.ofArray(bytes);
            int checksum = ReferenceChecksum.checksum(bytes, 0);
            int at = random.nextInt(0, 20) * 2;
            int oldWord = segment.get(U16, at) & 0xffff;
            int newWord = random.nextInt(0, 0x10000);
            segment.set(U16, at, (short) newWord);
            assertEquivalent(ReferenceChecksum.checksum(bytes, 0), Checksums.update16(checksum, oldWord, newWord));
        }
    }

    @Test
    void incrementalUpdateOfAnAddressEqualsRecomputingFromScratch() {
        SplittableRandom random = new SplittableRandom(13);
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = new byte[40];
            random.nextBytes(bytes);
            MemorySegment segment = MemorySegment.ofArray(bytes);
            int checksum = ReferenceChecksum.checksum(bytes, 0);
            int at = random.nextInt(0, 10) * 4;
            int oldValue = segment.get(U32, at);
            int newValue = random.nextInt();
            segment.set(U32, at, newValue);
            assertEquivalent(ReferenceChecksum.checksum(bytes, 0), Checksums.update32(checksum, oldValue, newValue));
        }
    }

    @Test
    void udpChecksumZeroMeansNoneAndStaysZero() {
        assertEquals(0, Checksums.udpUpdate16(0, 40000, 1024));
        assertEquals(0, Checksums.udpUpdate32(0, 0xc0a8010a, 0xcb007101));
    }

    @Test
    void udpUpdateThatComputesZeroIsSentAsAllOnes() {
        // Choose the new word so that the updated checksum is exactly 0x0000: ~(~HC + ~m + m') = 0 needs the sum
        // to be 0xFFFF, which m' = 0xFFFF - (~HC + ~m) gives.
        int checksum = 0x1234;
        int oldWord = 0x4321;
        int partial = Checksums.fold((~checksum & 0xffff) + (~oldWord & 0xffff));
        int newWord = 0xffff - partial;
        assertEquals(0, Checksums.update16(checksum, oldWord, newWord));
        assertEquals(0xffff, Checksums.udpUpdate16(checksum, oldWord, newWord));
    }

    @Test
    void completeL4ChecksumOfIpv6TcpAndUdpRestoresTheChecksumTheBuilderWrote() {
        for (var builder : java.util.List.of(
                dev.algd.engine.testing.Ipv6TestPackets.tcp().from("2001:db8:1::10", 40000).to("2001:db8:2::7", 80)
                        .payload("GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                dev.algd.engine.testing.Ipv6TestPackets.udp().from("2001:db8:1::10", 5353).to("2001:db8:2::7", 53)
                        .payload(new byte[] {1, 2, 3}))) {
            MemorySegment packet = builder.build();
            long field = 40 + (packet.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 6) == 6 ? 16 : 6);
            int expected = packet.get(U16, field) & 0xffff;
            packet.set(U16, field, (short) 0xbeef);   // what a virtual NIC leaves: a partial sum
            Checksums.completeL4Checksum(packet, 0, (int) packet.byteSize());
            assertEquals(expected, packet.get(U16, field) & 0xffff);
        }
    }

    @Test
    void completeL4ChecksumOfTcpEqualsTheReference() {
        MemorySegment packet = TestPackets.tcp().from("10.0.0.1", 1234).to("10.0.0.2", 80).payload("GET / HTTP/1.0\r\n\r\n")
                .build();
        int expected = ReferenceChecksum.l4Checksum(packet, 0);
        packet.set(U16, 20 + 16, (short) 0xbeef);
        Checksums.completeL4Checksum(packet, 0, (int) packet.byteSize());
        assertEquals(expected, packet.get(U16, 20 + 16) & 0xffff);
    }

    @Test
    void completeL4ChecksumOfUdpWithOddLengthEqualsTheReference() {
        MemorySegment packet = TestPackets.udp().from("10.0.0.1", 5353).to("224.0.0.251", 5353).payload("odd").build();
        int expected = ReferenceChecksum.l4Checksum(packet, 0);
        packet.set(U16, 20 + 6, (short) 0);
        Checksums.completeL4Checksum(packet, 0, (int) packet.byteSize());
        assertEquals(expected, packet.get(U16, 20 + 6) & 0xffff);
    }

    @Test
    void completeL4ChecksumReplacesAKernelPartialSumBehindAnEthernetHeader() {
        // TP_STATUS_CSUMNOTREADY: the field holds only the folded pseudo-header sum (not complemented), and the
        // IP header starts after 14 bytes of Ethernet, unaligned.
        TestPackets builder = TestPackets.tcp().from("192.0.2.1", 43210).to("198.51.100.1", 5201).payload("x".repeat(999));
        MemorySegment frame = Arena.ofAuto().allocate(14 + builder.length() + 4);
        int length = builder.writeInto(frame, 14);
        int expected = ReferenceChecksum.l4Checksum(frame, 14);
        int pseudo = Checksums.fold(Checksums.pseudoHeaderSum(TestPackets.address("192.0.2.1"),
                TestPackets.address("198.51.100.1"), 6, length - 20));
        frame.set(U16, 14 + 20 + 16, (short) pseudo);
        Checksums.completeL4Checksum(frame, 14, length + 4);
        assertEquals(expected, frame.get(U16, 14 + 20 + 16) & 0xffff);
        assertTrue(ReferenceChecksum.areAllChecksumsValid(frame, 14));
    }

    @Test
    void completeL4ChecksumOfRandomTcpAndUdpPacketsEqualsTheReference() {
        SplittableRandom random = new SplittableRandom(17);
        for (int round = 0; round < 200; round++) {
            byte[] payload = new byte[random.nextInt(0, 1400)];
            random.nextBytes(payload);
            TestPackets builder = random.nextBoolean() ? TestPackets.tcp() : TestPackets.udp();
            MemorySegment packet = builder.from("172.16." + random.nextInt(256) + ".9", random.nextInt(1, 65536))
                    .to("10.1.2." + random.nextInt(256), random.nextInt(1, 65536)).payload(payload).build();
            int expected = ReferenceChecksum.l4Checksum(packet, 0);
            int at = packet.get(ValueLayout.JAVA_BYTE, 9) == 6 ? 36 : 26;
            packet.set(U16, at, (short) random.nextInt(0, 0x10000));
            Checksums.completeL4Checksum(packet, 0, (int) packet.byteSize());
            assertEquals(expected, packet.get(U16, at) & 0xffff);
        }
    }

    @Test
    void completeL4ChecksumLeavesIcmpAndFragmentsAlone() {
        MemorySegment icmp = TestPackets.icmpEcho().from("10.0.0.1", 7).to("10.0.0.2", 0).build();
        byte[] before = icmp.toArray(ValueLayout.JAVA_BYTE);
        Checksums.completeL4Checksum(icmp, 0, (int) icmp.byteSize());
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(icmp.toArray(ValueLayout.JAVA_BYTE)));

        MemorySegment fragment = TestPackets.udp().from("10.0.0.1", 7).to("10.0.0.2", 9).flagsFragment(0x2000).build();
        fragment.set(U16, 26, (short) 0x1111);
        Checksums.completeL4Checksum(fragment, 0, (int) fragment.byteSize());
        assertEquals(0x1111, fragment.get(U16, 26) & 0xffff);
    }

    /** 0x0000 and 0xFFFF are both the one's complement zero; RFC 1624 eqn. 3 may produce either. */
    private static void assertEquivalent(int expected, int actual) {
        if (expected != actual) {
            assertEquals(0xffff, expected ^ actual, "checksums differ beyond +0/-0");
        }
    }
}
