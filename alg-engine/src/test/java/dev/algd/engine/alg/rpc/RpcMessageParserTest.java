package dev.algd.engine.alg.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.algd.engine.config.Ipv4Addresses;
import java.lang.foreign.MemorySegment;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RpcMessageParserTest {
    private final RpcMessage out = new RpcMessage();
    private final RpcRecord record = new RpcRecord();

    private static RpcMessageWriter writer() {
        return new RpcMessageWriter(MemorySegment.ofArray(new byte[2048]));
    }

    private RpcReason parse(byte[] bytes, int replyQuery) {
        return RpcMessageParser.parse(MemorySegment.ofArray(bytes), 0, bytes.length, replyQuery, out);
    }

    private RpcReason parse(byte[] bytes) {
        return parse(bytes, RpcMessage.QUERY_NONE);
    }

    @Test
    void rpcinfosGetAddrOverUdpAndRpcbindsReplyAreRead() {
        assertEquals(RpcReason.OK, parse(RpcFixtures.message("rpcinfo-getaddr-udp")));
        assertEquals(0x6b065617, out.xid);
        assertEquals(4, out.version, "libtirpc asks rpcbind version 4");
        assertEquals(RpcMessage.QUERY_GETADDR, out.query);
        assertEquals(100_024, out.queriedProgram);
        assertEquals(1, out.queriedVersion);
        assertEquals(17, out.queriedProtocol);
        assertEquals(RpcReason.OK, parse(RpcFixtures.message("rpcbind-getaddr-udp-reply"), RpcMessage.QUERY_GETADDR));
        assertEquals(0x6b065617, out.xid);
        assertEquals(Ipv4Addresses.parse("198.51.100.2"), out.resultAddress);
        assertEquals(44_090, out.resultPort, "the port the service registered");
    }

    @Test
    void rpcinfosGetAddrOverTcpIsOneRecord() {
        byte[] stream = RpcFixtures.message("rpcinfo-getaddr-tcp-record");
        MemorySegment segment = MemorySegment.ofArray(stream);
        assertEquals(RpcReason.OK, RpcMessageParser.parseRecord(segment, 0, stream.length, record));
        assertEquals(1, record.fragments);
        MemorySegment joined = MemorySegment.ofArray(new byte[RpcMessageParser.MAX_RECORD_BYTES]);
        int length = RpcMessageParser.joinRecord(segment, record, joined);
        assertEquals(RpcReason.OK, RpcMessageParser.parse(joined, 0, length, RpcMessage.QUERY_NONE, out));
        assertEquals(6, out.queriedProtocol);
        byte[] reply = RpcFixtures.message("rpcbind-getaddr-tcp-reply-record");
        segment = MemorySegment.ofArray(reply);
        assertEquals(RpcReason.OK, RpcMessageParser.parseRecord(segment, 0, reply.length, record));
        length = RpcMessageParser.joinRecord(segment, record, joined);
        assertEquals(RpcReason.OK, RpcMessageParser.parse(joined, 0, length, RpcMessage.QUERY_GETADDR, out));
        assertEquals(43_065, out.resultPort);
    }

    @Test
    void capturedUnregisteredProgramAndSetCallAreNamed() {
        assertEquals(RpcReason.OK, parse(RpcFixtures.message("rpcinfo-getaddr-unregistered")));
        assertEquals(100_003, out.queriedProgram);
        assertEquals(RpcReason.NOT_REGISTERED,
                parse(RpcFixtures.message("rpcbind-getaddr-unregistered-reply"), RpcMessage.QUERY_GETADDR));
        assertEquals(RpcReason.NOT_A_PORT_QUERY, parse(RpcFixtures.message("python-pmap-set-udp")), "SET");
        assertEquals(RpcReason.REPLY_NOT_READ, parse(RpcFixtures.message("rpcbind-pmap-set-reply")));
    }

    @Test
    void getPortCallOfVector11HasItsArguments() {
        byte[] call = writer().getPortCall(0x01020304, 100_000, 2, 17).toArray();
        assertEquals(56, call.length, "alg-behaviour.md §3: 56 bytes with AUTH_NONE");
        assertEquals(RpcReason.OK, parse(call));
        assertEquals(0x01020304, out.xid);
        assertEquals(RpcMessage.QUERY_GETPORT, out.query);
        assertEquals(100_000, out.queriedProgram);
        assertEquals(2, out.queriedVersion);
        assertEquals(17, out.queriedProtocol);
    }

    @Test
    void authSysCredentialIsSkipped() {
        byte[] body = new byte[37];
        byte[] call = writer().call(7, 100_000, 2, 3, 1, body).u32(100_024).u32(1).u32(6).u32(0).toArray();
        assertEquals(RpcReason.OK, parse(call));
        assertEquals(100_024, out.queriedProgram);
        assertEquals(6, out.queriedProtocol);
    }

    @Test
    void getAddrCallOfRpcbindReadsTheNetid() {
        assertEquals(RpcReason.OK, parse(writer().getAddrCall(9, 4, 100_024, 1, "tcp", "", "unknown").toArray()));
        assertEquals(RpcMessage.QUERY_GETADDR, out.query);
        assertEquals(100_024, out.queriedProgram);
        assertEquals(6, out.queriedProtocol);
        assertEquals(RpcReason.OK, parse(writer().getAddrCall(9, 3, 100_003, 3, "udp", "", "").toArray()));
        assertEquals(17, out.queriedProtocol);
        assertEquals(RpcReason.OK, parse(writer().getAddrCall(9, 3, 100_003, 3, "udp6", "", "").toArray()));
        assertEquals(0, out.queriedProtocol, "IPv6 is not translated");
    }

    @Test
    void otherCallsAreNotPortQueries() {
        assertEquals(RpcReason.NOT_A_PORT_QUERY, parse(writer().call(1, 100_000, 2, 4, 0, new byte[0]).toArray()),
                "DUMP");
        assertEquals(RpcReason.NOT_A_PORT_QUERY, parse(writer().call(1, 100_003, 3, 3, 0, new byte[0]).toArray()),
                "NFS LOOKUP");
        assertEquals(RpcReason.NOT_A_PORT_QUERY, parse(writer().call(1, 100_000, 3, 4, 0, new byte[0]).toArray()),
                "rpcbind DUMP");
    }

    @Test
    void getPortReplyIsReadOnlyWhenTheCallerSaysSo() {
        byte[] reply = writer().getPortReply(0x01020304, 1025).toArray();
        assertEquals(28, reply.length, "alg-behaviour.md §3: 28 bytes");
        assertEquals(RpcReason.REPLY_NOT_READ, parse(reply));
        assertEquals(0x01020304, out.xid);
        assertEquals(RpcReason.OK, parse(reply, RpcMessage.QUERY_GETPORT));
        assertEquals(1025, out.resultPort);
    }

    @Test
    void getAddrReplyGivesAddressAndPort() {
        int server = Ipv4Addresses.parse("198.51.100.2");
        byte[] reply = writer().getAddrReply(5, "198.51.100.2.3.233").toArray();
        assertEquals(RpcReason.OK, parse(reply, RpcMessage.QUERY_GETADDR));
        assertEquals(server, out.resultAddress);
        assertEquals(3 * 256 + 233, out.resultPort);
    }

    @Test
    void unregisteredProgramsAreNamed() {
        assertEquals(RpcReason.NOT_REGISTERED, parse(writer().getPortReply(1, 0).toArray(), RpcMessage.QUERY_GETPORT));
        assertEquals(RpcReason.NOT_REGISTERED, parse(writer().getAddrReply(1, "").toArray(), RpcMessage.QUERY_GETADDR));
        assertEquals(RpcReason.NOT_REGISTERED,
                parse(writer().getAddrReply(1, "10.0.0.1.0.0").toArray(), RpcMessage.QUERY_GETADDR));
    }

    @Test
    void malformedMessagesAreNamed() {
        assertEquals(RpcReason.TOO_SHORT, parse(new byte[7]));
        assertEquals(RpcReason.TOO_SHORT, parse(writer().u32(1).u32(0).u32(2).toArray()));
        assertEquals(RpcReason.UNKNOWN_MESSAGE_TYPE, parse(writer().u32(1).u32(2).toArray()));
        assertEquals(RpcReason.RPC_VERSION_NOT_2,
                parse(writer().u32(1).u32(0).u32(3).u32(100_000).u32(2).u32(3).u32(0).u32(0).u32(0).u32(0).toArray()));
        assertEquals(RpcReason.AUTH_TOO_LONG, parse(writer().call(1, 100_000, 2, 3, 1, new byte[404]).toArray()));
        assertEquals(RpcReason.TRUNCATED, parse(writer().call(1, 100_000, 2, 3, 0, new byte[0]).u32(100_003).toArray()));
        byte[] cut = writer().call(1, 100_000, 2, 3, 1, new byte[40]).toArray();
        assertEquals(RpcReason.TRUNCATED, parse(java.util.Arrays.copyOf(cut, cut.length - 12)));
        assertEquals(RpcReason.STRING_TOO_LONG,
                parse(writer().getAddrCall(1, 4, 100_003, 3, "tcp", "x".repeat(256), "").toArray()));
        assertEquals(RpcReason.REPLY_DENIED, parse(writer().u32(1).u32(1).u32(1).u32(0).u32(0).u32(0).toArray()));
        assertEquals(RpcReason.NOT_SUCCESS, parse(writer().reply(1, 1).u32(0).toArray(), RpcMessage.QUERY_GETPORT));
        assertEquals(RpcReason.TRUNCATED, parse(writer().reply(1, 0).toArray(), RpcMessage.QUERY_GETPORT));
        assertEquals(RpcReason.PORT_OVER_65535,
                parse(writer().getPortReply(1, 65_536).toArray(), RpcMessage.QUERY_GETPORT));
        for (String bad : new String[] {"1.2.3.4.5", "1.2.3.4.5.6.7", "1.2.3.4.5.256", "fe80::1.0.111", "1..2.3.4.5",
                "1.2.3.4.5.0006", "1.2.3.4.5.6."}) {
            assertEquals(RpcReason.BAD_UNIVERSAL_ADDRESS,
                    parse(writer().getAddrReply(1, bad).toArray(), RpcMessage.QUERY_GETADDR), bad);
        }
    }

    @Test
    void recordOfTwoFragmentsIsJoined() {
        byte[] call = writer().getPortCall(42, 100_005, 3, 6).toArray();
        byte[] stream = RpcMessageWriter.record(call, 20);
        assertEquals(call.length + 3 * 4, stream.length);
        MemorySegment segment = MemorySegment.ofArray(stream);
        assertEquals(RpcReason.OK, RpcMessageParser.parseRecord(segment, 0, stream.length, record));
        assertEquals(3, record.fragments);
        assertEquals(stream.length, record.end);
        MemorySegment joined = MemorySegment.ofArray(new byte[RpcMessageParser.MAX_RECORD_BYTES]);
        int length = RpcMessageParser.joinRecord(segment, record, joined);
        assertEquals(RpcReason.OK, RpcMessageParser.parse(joined, 0, length, RpcMessage.QUERY_NONE, out));
        assertEquals(100_005, out.queriedProgram);
        for (int cut = 0; cut < stream.length; cut++) {
            assertEquals(RpcReason.INCOMPLETE, RpcMessageParser.parseRecord(segment, 0, cut, record), "cut " + cut);
        }
    }

    @Test
    void recordBoundsAreNamed() {
        byte[] longRecord = writer().u32(RpcMessageParser.LAST_FRAGMENT | RpcMessageParser.MAX_RECORD_BYTES + 1)
                .toArray();
        assertEquals(RpcReason.RECORD_TOO_LONG,
                RpcMessageParser.parseRecord(MemorySegment.ofArray(longRecord), 0, longRecord.length, record));
        RpcMessageWriter empties = writer();
        for (int i = 0; i <= RpcMessageParser.MAX_FRAGMENTS; i++) {
            empties.u32(0);
        }
        byte[] many = empties.toArray();
        assertEquals(RpcReason.TOO_MANY_FRAGMENTS,
                RpcMessageParser.parseRecord(MemorySegment.ofArray(many), 0, many.length, record));
    }

    @Property(tries = 500)
    void getPortRoundTrips(@ForAll int xid, @ForAll @LongRange(min = 0, max = 0xffff_ffffL) long program,
            @ForAll @LongRange(min = 0, max = 0xffff_ffffL) long version, @ForAll @IntRange(min = 1, max = 65_535) int port,
            @ForAll boolean isTcp) {
        int protocol = isTcp ? 6 : 17;
        assertEquals(RpcReason.OK, parse(writer().getPortCall(xid, program, version, protocol).toArray()));
        assertEquals(xid, out.xid);
        assertEquals(program, out.queriedProgram);
        assertEquals(version, out.queriedVersion);
        assertEquals(protocol, out.queriedProtocol);
        assertEquals(RpcReason.OK, parse(writer().getPortReply(xid, port).toArray(), RpcMessage.QUERY_GETPORT));
        assertEquals(port, out.resultPort);
    }

    @Property(tries = 500)
    void universalAddressRoundTrips(@ForAll int address, @ForAll @IntRange(min = 1, max = 65_535) int port,
            @ForAll @IntRange(min = 8, max = 64) int fragmentBytes) {
        byte[] reply = writer().getAddrReply(3, RpcMessageWriter.universalAddress(address, port)).toArray();
        byte[] stream = RpcMessageWriter.record(reply, fragmentBytes);
        MemorySegment segment = MemorySegment.ofArray(stream);
        assertEquals(RpcReason.OK, RpcMessageParser.parseRecord(segment, 0, stream.length, record));
        MemorySegment joined = MemorySegment.ofArray(new byte[RpcMessageParser.MAX_RECORD_BYTES]);
        int length = RpcMessageParser.joinRecord(segment, record, joined);
        assertEquals(RpcReason.OK, RpcMessageParser.parse(joined, 0, length, RpcMessage.QUERY_GETADDR, out));
        assertEquals(address, out.resultAddress);
        assertEquals(port, out.resultPort);
    }
}
