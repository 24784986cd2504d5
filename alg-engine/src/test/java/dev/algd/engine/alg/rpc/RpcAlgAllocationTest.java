package dev.algd.engine.alg.rpc;

import static dev.algd.engine.testing.TestPackets.ACK;
import static dev.algd.engine.testing.TestPackets.PSH;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.Engine;
import dev.algd.engine.EngineLimits;
import dev.algd.engine.PacketReplay;
import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.AlgSettings;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.session.Timeouts;
import dev.algd.engine.testing.TestPackets;
import java.util.Arrays;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * House style, "Check it in a test": after warm-up, 10,000 packets of portmapper traffic allocate nothing: GETPORT
 * and GETADDR over UDP with their replies, a GETPORT over TCP in two fragments and a record split across segments,
 * an unknown program, a reply with the wrong xid, and the expected child flows.
 */
class RpcAlgAllocationTest {
    private static final int FLOWS = 200;
    private static final int FRAME = 200;
    private static final String SERVER = "2.2.2.2";
    private static final String PUBLIC = "2.2.2.254";

    private final PacketReplay mix = new PacketReplay(FLOWS * 16, FRAME, 200);

    private static RpcMessageWriter writer() {
        return new RpcMessageWriter(MemorySegment.ofArray(new byte[512]));
    }

    private void buildTemplates() {
        for (int i = 0; i < FLOWS; i++) {
            String host = "1.1.1." + (10 + i % 100);
            int port = 20000 + i;
            long program = i % 5 == 4 ? 100_024 : 100_003;
            mix.add(TestPackets.udp().from(host, port).to(SERVER, 111)
                    .payload(writer().getPortCall(i, program, 3, 17).toArray()), 0);
            mix.add(TestPackets.udp().from(SERVER, 111).to(PUBLIC, port)
                    .payload(writer().getPortReply(i % 7 == 6 ? i + 1 : i, 2049).toArray()), 1);
            mix.add(TestPackets.udp().from(host, 30000 + i).to(SERVER, 2049).payload(new byte[8]), 0);
            mix.add(TestPackets.udp().from(host, port + 1000).to(SERVER, 111)
                    .payload(writer().getAddrCall(i, 4, 100_021, 4, "tcp", "", "unknown").toArray()), 0);
            mix.add(TestPackets.udp().from(SERVER, 111).to(PUBLIC, port + 1000)
                    .payload(writer().getAddrReply(i, "2.2.2.2.15.205").toArray()), 1);
            mix.add(TestPackets.tcp().from(host, port + 2000).to(SERVER, 111).seq(999).flags(SYN), 0);
            mix.add(TestPackets.tcp().from(SERVER, 111).to(PUBLIC, port + 2000).seq(4999).ack(1000)
                    .flags(SYN | ACK), 1);
            byte[] call = RpcMessageWriter.record(writer().getPortCall(i, 100_005, 3, 6).toArray(), 32);
            mix.add(TestPackets.tcp().from(host, port + 2000).to(SERVER, 111).seq(1000).ack(5000).flags(ACK | PSH)
                    .payload(Arrays.copyOf(call, 20)), 0);
            mix.add(TestPackets.tcp().from(host, port + 2000).to(SERVER, 111).seq(1020).ack(5000).flags(ACK | PSH)
                    .payload(Arrays.copyOfRange(call, 20, call.length)), 0);
            mix.add(TestPackets.tcp().from(SERVER, 111).to(PUBLIC, port + 2000).seq(5000).ack(1000 + call.length)
                    .flags(ACK | PSH).payload(RpcMessageWriter.record(writer().getPortReply(i, 635).toArray(), 16)),
                    1);
            mix.add(TestPackets.tcp().from(host, 40000 + i).to(SERVER, 635).flags(SYN), 0);
        }
    }

    @Test
    void portmapperTrafficAllocatesNothingAfterWarmUp() {
        buildTemplates();
        EngineConfig config = new EngineConfig(
                Map.of(AlgId.RPC, new AlgSettings(AlgId.RPC, true, List.of(), List.of(100_099L))), List.of(
                new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("1.1.1.254/24"))),
                new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("2.2.2.1/24")))),
                List.of(), List.of(new SourceNatRule(10, "", false, "outside", SourceNatRule.ANY_PROTOCOL, null, null,
                        null, null, false, AddressRange.parse(PUBLIC), null)));
        RpcAlg rpc = new RpcAlg();
        Engine engine = new Engine(config, new EngineLimits(1 << 14), Timeouts.defaults(), List.of(rpc));
        PacketReplay.Measurement measured = mix.measure(engine);

        assertEquals(0, measured.bytesAllocated(),
                "bytes allocated while processing " + PacketReplay.MEASURED_PACKETS + " packets");
        assertTrue(measured.forwarded() > PacketReplay.MEASURED_PACKETS / 2,
                "most packets are forwarded, not dropped: " + measured.forwarded());
        assertTrue(rpc.count(RpcEvent.CHILD_EXPECTED) > 0 && rpc.count(RpcEvent.PROGRAM_NOT_IN_LIST) > 0
                && rpc.count(RpcEvent.XID_UNMATCHED) > 0 && rpc.count(RpcReason.INCOMPLETE) > 0);
    }
}
