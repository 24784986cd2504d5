package dev.algd.engine;

import static dev.algd.engine.EngineHarness.INSIDE;
import static dev.algd.engine.EngineHarness.OUTSIDE;
import static dev.algd.engine.EngineIpv6Test.GATEWAY;
import static dev.algd.engine.EngineIpv6Test.INSIDE_ADDRESS;
import static dev.algd.engine.EngineIpv6Test.OUTSIDE_ADDRESS;
import static dev.algd.engine.EngineIpv6Test.SERVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.FirewallAttachment;
import dev.algd.engine.config.FirewallRule;
import dev.algd.engine.config.FirewallRuleSet;
import dev.algd.engine.config.PortRange;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.testing.Ipv6TestPackets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * House style, "Check it in a test", for IPv6: after warm-up, 10,000 IPv6 packets through {@link Engine#process}
 * allocate nothing. The mix: TCP and UDP through NAPT66 and their replies, extension headers, ICMPv6 echo both ways,
 * the echo answered in place, ICMPv6 errors translated and dropped, time-exceeded written in place, the firewall
 * dropping a new flow, fragments and zero UDP checksums dropped, lazy expiry and re-creation.
 */
class EngineIpv6AllocationTest {
    private static final int FLOWS = 300;
    private static final int MEASURED_PACKETS = 10_000;
    private static final int FRAME = 256;
    private static final int PER_FLOW = 12;

    private final Arena arena = Arena.ofAuto();
    private final MemorySegment templates = arena.allocate((long) FRAME * FLOWS * PER_FLOW);
    private final int[] lengths = new int[FLOWS * PER_FLOW];
    private final int[] ingress = new int[FLOWS * PER_FLOW];
    private int count;

    private void add(Ipv6TestPackets packet, int from) {
        byte[] bytes = packet.bytes();
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, templates, (long) count * FRAME, bytes.length);
        lengths[count] = bytes.length;
        ingress[count] = from;
        count++;
    }

    private void buildTemplates() {
        for (int i = 0; i < FLOWS; i++) {
            String host = "2001:db8:1::" + Integer.toHexString(0x10 + i % 100);
            int port = 20000 + i;
            add(Ipv6TestPackets.tcp().from(host, port).to(SERVER, 80).flags(0x02), INSIDE);
            add(Ipv6TestPackets.tcp().from(SERVER, 80).to(OUTSIDE_ADDRESS, port).flags(0x12), OUTSIDE);
            add(Ipv6TestPackets.icmpError(1, 4, Ipv6TestPackets.tcp().from(OUTSIDE_ADDRESS, port).to(SERVER, 80)
                    .bytes()).from(GATEWAY, 0).to(OUTSIDE_ADDRESS, 0), OUTSIDE);
            add(Ipv6TestPackets.icmpError(1, 4, Ipv6TestPackets.udp().from(OUTSIDE_ADDRESS, 1).to(SERVER, 2)
                    .bytes()).from(GATEWAY, 0).to(OUTSIDE_ADDRESS, 0), OUTSIDE);
            add(Ipv6TestPackets.udp().from(host, 53000 + i % 7).to(SERVER, 53).options(0, 1).options(60, 1)
                    .payload(new byte[5]), INSIDE);
            add(Ipv6TestPackets.udp().from(SERVER, 53).to(OUTSIDE_ADDRESS, 53000 + i % 7).payload(new byte[6]),
                    OUTSIDE);
            add(Ipv6TestPackets.icmpEcho().from(host, i).to(SERVER, 0), INSIDE);
            add(Ipv6TestPackets.icmpEcho().echoReply().from(SERVER, 0).to(OUTSIDE_ADDRESS, i), OUTSIDE);
            add(Ipv6TestPackets.icmpEcho().from(host, i).to(INSIDE_ADDRESS, 0), INSIDE);
            add(Ipv6TestPackets.tcp().from(SERVER, 30000 + i).to(host, 23).flags(0x02), OUTSIDE);
            switch (i % 3) {
                case 0 -> add(Ipv6TestPackets.udp().from(host, 1).to(SERVER, 9).hopLimit(1), INSIDE);
                case 1 -> add(Ipv6TestPackets.udp().from(host, 1).to(SERVER, 9).fragment(1, true), INSIDE);
                default -> add(Ipv6TestPackets.udp().from(host, 1).to(SERVER, 9).zeroUdpChecksum(), INSIDE);
            }
            add(Ipv6TestPackets.tcp().from(host, port).to(SERVER, 80).flags(0x11), INSIDE);
        }
    }

    private long run(EngineHarness h, MemorySegment buffer, int packets) {
        long forwarded = 0;
        for (int n = 0; n < packets; n++) {
            int t = n % count;
            MemorySegment.copy(templates, (long) t * FRAME, buffer, 0, lengths[t]);
            if (h.send(buffer, 0, lengths[t], (int) buffer.byteSize(), ingress[t]) == Verdict.FORWARD) {
                forwarded++;
            }
            if (t == count - 1) {
                h.advanceSeconds(40);
            }
            if (n % 100 == 0) {
                h.engine.expire(h.now);
            }
        }
        return forwarded;
    }

    @Test
    void processingTenThousandIpv6PacketsAfterWarmUpAllocatesNothing() {
        buildTemplates();
        SourceNatRule narrow = new SourceNatRule(5, "narrow", false, "outside", SourceNatRule.ANY_PROTOCOL,
                AddressRange.parse("2001:db8:1::10-2001:db8:1::13"), null, null, null, false,
                AddressRange.parse(OUTSIDE_ADDRESS), PortRange.parse("53000-53099"));
        FirewallRule noTelnet = new FirewallRule(10, false, 6, null, null, null, PortRange.parse("23"), Set.of());
        EngineHarness h = new EngineHarness(EngineIpv6Test.config(List.of(narrow, EngineIpv6Test.masquerade6(10)),
                Map.of("outside-in", new FirewallRuleSet("outside-in", true, List.of(noTelnet))),
                List.of(new FirewallAttachment("outside", true, "outside-in"))), 1 << 14);
        MemorySegment buffer = arena.allocate(2048);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 20; round++) {
            run(h, buffer, MEASURED_PACKETS);
        }
        threads.getCurrentThreadAllocatedBytes();

        // As in EngineAllocationTest: one clean run out of three proves the path allocation-free.
        long allocated = Long.MAX_VALUE;
        long forwarded = 0;
        for (int attempt = 0; attempt < 3 && allocated != 0; attempt++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            forwarded = run(h, buffer, MEASURED_PACKETS);
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }

        assertEquals(0, allocated, "bytes allocated by " + MEASURED_PACKETS + " packets");
        assertTrue(forwarded > MEASURED_PACKETS * 6 / 10, "the mix is mostly forwarded, was " + forwarded);
        EngineCounters counters = h.engine.counters();
        assertTrue(h.engine.timeExceededSent() > 0);
        assertTrue(h.engine.icmpErrorsTranslated() > 0);
        assertTrue(counters.echoRepliesSent() > 0);
        assertTrue(counters.drops(DropReason.FIREWALL_INBOUND) > 0);
        assertTrue(counters.drops(DropReason.FRAGMENT) > 0);
        assertTrue(counters.drops(DropReason.IPV6_UDP_ZERO_CHECKSUM) > 0);
        assertTrue(counters.drops(DropReason.ICMP_ERROR_NO_SESSION) > 0);
        assertTrue(counters.sessionsExpired() > 0, "sessions expired and were created again");
        assertEquals(0, counters.drops(DropReason.NO_FREE_PORT));
    }
}
