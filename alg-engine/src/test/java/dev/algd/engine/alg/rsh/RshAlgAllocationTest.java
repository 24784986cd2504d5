package dev.algd.engine.alg.rsh;

import static dev.algd.engine.testing.TestPackets.ACK;
import static dev.algd.engine.testing.TestPackets.PSH;
import static dev.algd.engine.testing.TestPackets.RST;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.Engine;
import dev.algd.engine.EngineLimits;
import dev.algd.engine.PacketReplay;
import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.session.Timeouts;
import dev.algd.engine.testing.TestPackets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * House style, "Check it in a test": after warm-up, 10,000 packets through rsh control sessions allocate nothing:
 * stderr ports kept, moved (to a longer text), {@code 0}, split across segments and malformed, the users and command
 * after them, the server's stderr connections, and the sessions reset and created again.
 */
class RshAlgAllocationTest {
    private static final int FLOWS = 200;
    private static final int FRAME = 160;
    private static final int PER_FLOW = 8;
    private static final String SERVER = "2.2.2.11";
    private static final String PUBLIC = "2.2.2.20";

    private final PacketReplay mix = new PacketReplay(FLOWS * PER_FLOW, FRAME, 200);

    private void buildTemplates() {
        for (int i = 0; i < FLOWS; i++) {
            String host = "1.1.1." + (10 + i);
            int port = 600 + i;
            int stderrPort = i % 5 == 3 ? 999 : 2000 + i;
            mix.add(TestPackets.tcp().from(host, port).to(SERVER, 514).seq(999).flags(SYN), 0);
            mix.add(TestPackets.tcp().from(SERVER, 514).to(PUBLIC, port).seq(4999).ack(1000).flags(SYN | ACK), 1);
            String first = switch (i % 5) {
                case 0, 3 -> stderrPort + "\0";
                case 1 -> "0\0root\0root\0id\0";
                case 2 -> String.valueOf(stderrPort).substring(0, 2);
                default -> "70000\0";
            };
            mix.add(TestPackets.tcp().from(host, port).to(SERVER, 514).seq(1000).ack(5000).flags(ACK | PSH)
                    .payload(first), 0);
            String next = i % 5 == 2 ? String.valueOf(stderrPort).substring(2) + "\0" : "root\0root\0id\0";
            mix.add(TestPackets.tcp().from(host, port).to(SERVER, 514).seq(1000 + first.length()).ack(5000)
                    .flags(ACK | PSH).payload(next), 0);
            mix.add(TestPackets.tcp().from(SERVER, 1021).to(PUBLIC, stderrPort).seq(7000).flags(SYN), 1);
            mix.add(TestPackets.tcp().from(SERVER, 514).to(PUBLIC, port).seq(5000).ack(1020).flags(ACK | PSH)
                    .payload("\0out\n"), 1);
            mix.add(TestPackets.tcp().from(host, port).to(SERVER, 514).seq(1040).flags(RST), 0);
            mix.add(TestPackets.tcp().from(SERVER, 1021).to(PUBLIC, stderrPort).seq(7001).flags(RST), 1);
        }
    }

    @Test
    void rshControlTrafficAllocatesNothingAfterWarmUp() {
        buildTemplates();
        EngineConfig config = new EngineConfig(Map.of(), List.of(
                new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("1.1.1.254/24"))),
                new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("2.2.2.1/24")))),
                List.of(), List.of(new SourceNatRule(22, "rsh", false, "outside", 6, null, null,
                        null, null, false, AddressRange.parse(PUBLIC), null)), List.of(), Map.of(), List.of());
        RshAlg rsh = new RshAlg();
        Engine engine = new Engine(config, new EngineLimits(1 << 14), Timeouts.defaults(), List.of(rsh));
        PacketReplay.Measurement measured = mix.measure(engine);

        assertEquals(0, measured.bytesAllocated(),
                "bytes allocated while processing " + PacketReplay.MEASURED_PACKETS + " packets");
        assertTrue(measured.forwarded() > PacketReplay.MEASURED_PACKETS / 2,
                "most packets are forwarded, not dropped: " + measured.forwarded());
        assertTrue(rsh.count(RshEvent.REWRITTEN) > 0 && rsh.count(RshEvent.DROPPED) > 0
                && rsh.count(RshReason.INCOMPLETE) > 0 && rsh.count(RshEvent.STDERR_EXPECTED) > 0
                && rsh.count(RshReason.NO_STDERR_CHANNEL) > 0,
                () -> "rewritten " + rsh.count(RshEvent.REWRITTEN) + ", dropped " + rsh.count(RshEvent.DROPPED)
                        + ", incomplete " + rsh.count(RshReason.INCOMPLETE) + ", expected "
                        + rsh.count(RshEvent.STDERR_EXPECTED));
    }
}
