package dev.algd.engine.alg.ftp;

import static dev.algd.engine.testing.TestPackets.ACK;
import static dev.algd.engine.testing.TestPackets.PSH;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.Engine;
import dev.algd.engine.EngineLimits;
import dev.algd.engine.PacketReplay;
import dev.algd.engine.alg.tftp.TftpAlg;
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
 * House style, "Check it in a test": after warm-up, 10,000 packets through FTP and TFTP control sessions allocate
 * nothing: PORT, EPRT and pipelined lines rewritten to a longer address, 227, 229 and {@code 227 Logout.}, a bounce
 * dropped, a split line, the expected data connections, and TFTP requests with their replies.
 */
class FtpAlgAllocationTest {
    private static final int FLOWS = 200;
    private static final int FRAME = 160;
    private static final String SERVER = "2.2.2.11";
    private static final String PUBLIC = "2.2.2.200";

    private final PacketReplay mix = new PacketReplay(FLOWS * 16, FRAME, 200);

    private void buildTemplates() {
        for (int i = 0; i < FLOWS; i++) {
            String host = "1.1.1." + (10 + i % 100);
            String numbers = host.replace('.', ',');
            int port = 20000 + i;
            mix.add(TestPackets.tcp().from(host, port).to(SERVER, 21).seq(999).flags(SYN), 0);
            mix.add(TestPackets.tcp().from(SERVER, 21).to(PUBLIC, port).seq(4999).ack(1000).flags(SYN | ACK), 1);
            String line = switch (i % 4) {
                case 0 -> "PORT " + numbers + ",38," + (i % 200 + 1) + "\r\n";
                case 1 -> "EPRT |1|" + host + "|" + (9000 + i) + "|\r\n";
                case 2 -> "TYPE I\r\nPORT " + numbers + ",39," + (i % 200 + 1) + "\r\nLIST\r\n";
                default -> "PORT 9,9,9,9,1,1\r\n";
            };
            mix.add(TestPackets.tcp().from(host, port).to(SERVER, 21).seq(1000).ack(5000).flags(ACK | PSH)
                    .payload(line),
                    0);
            mix.add(TestPackets.tcp().from(host, port).to(SERVER, 21).seq(1000 + line.length()).ack(5000)
                    .flags(ACK | PSH).payload("PORT 1,1,"), 0);
            String reply = switch (i % 3) {
                case 0 -> "227 Entering Passive Mode (2,2,2,11," + (i % 200 + 1) + ",7).\r\n";
                case 1 -> "229 Entering Extended Passive Mode (|||" + (30000 + i) + "|)\r\n";
                default -> "227 Logout.\r\n";
            };
            mix.add(TestPackets.tcp().from(SERVER, 21).to(PUBLIC, port).seq(5000).ack(1000).flags(ACK | PSH)
                    .payload(reply), 1);
            mix.add(TestPackets.tcp().from(SERVER, 20).to(PUBLIC, i % 4 == 1 ? 9000 + i : 38 * 256 + i % 200 + 1)
                    .flags(SYN), 1);
            mix.add(TestPackets.tcp().from(host, 40000 + i).to(SERVER, 30000 + i).flags(SYN), 0);
            mix.add(TestPackets.udp().from(host, 50000 + i).to(SERVER, 69)
                    .payload(new byte[] {0, 1, 'f', 0, 'o', 0}), 0);
            mix.add(TestPackets.udp().from(SERVER, 3445).to(PUBLIC, 50000 + i)
                    .payload(new byte[] {0, 3, 0, 1, 'x'}), 1);
        }
    }

    @Test
    void ftpAndTftpControlTrafficAllocatesNothingAfterWarmUp() {
        buildTemplates();
        EngineConfig config = new EngineConfig(Map.of(), List.of(
                new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("1.1.1.254/24"))),
                new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("2.2.2.1/24")))),
                List.of(), List.of(new SourceNatRule(10, "", false, "outside", SourceNatRule.ANY_PROTOCOL, null, null,
                        null, null, false, AddressRange.parse(PUBLIC), null)));
        FtpAlg ftp = new FtpAlg();
        Engine engine = new Engine(config, new EngineLimits(1 << 14), Timeouts.defaults(),
                List.of(ftp, new TftpAlg()));
        PacketReplay.Measurement measured = mix.measure(engine);

        assertEquals(0, measured.bytesAllocated(),
                "bytes allocated while processing " + PacketReplay.MEASURED_PACKETS + " packets");
        assertTrue(measured.forwarded() > PacketReplay.MEASURED_PACKETS / 2,
                "most packets are forwarded, not dropped: " + measured.forwarded());
        assertTrue(ftp.count(FtpEvent.REWRITTEN) > 0 && ftp.count(FtpEvent.BOUNCE_REFUSED) > 0
                && ftp.count(FtpReason.INCOMPLETE) > 0 && ftp.count(FtpEvent.DATA_CONNECTION_EXPECTED) > 0);
    }
}
