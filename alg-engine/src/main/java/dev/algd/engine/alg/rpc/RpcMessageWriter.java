package dev.algd.engine.alg.rpc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes the messages {@link RpcMessage} draws, with AUTH_NONE or a given credential, and TCP record marking: the
 * parser's counterpart, for round-trip tests and the engine harness. The ALG itself never rewrites a message (the
 * reply carries the server's own port).
 */
final class RpcMessageWriter {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment out;
    private long at;

    /** A writer that fills {@code out} from 0; the caller sizes it. */
    RpcMessageWriter(MemorySegment out) {
        this.out = out;
    }

    /** Bytes written so far. */
    int length() {
        return (int) at;
    }

    byte[] toArray() {
        return out.asSlice(0, at).toArray(ValueLayout.JAVA_BYTE);
    }

    RpcMessageWriter u32(long value) {
        out.set(U32, at, (int) value);
        at += 4;
        return this;
    }

    /** An XDR string or opaque: length, bytes, zeros to a multiple of 4. */
    RpcMessageWriter string(byte[] bytes) {
        u32(bytes.length);
        MemorySegment.copy(bytes, 0, out, ValueLayout.JAVA_BYTE, at, bytes.length);
        at += bytes.length;
        while ((at & 3) != 0) {
            out.set(ValueLayout.JAVA_BYTE, at++, (byte) 0);
        }
        return this;
    }

    RpcMessageWriter string(String ascii) {
        return string(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    /** A CALL header up to its arguments, with credential {@code credFlavor}/{@code cred} and an AUTH_NONE verifier. */
    RpcMessageWriter call(int xid, long program, long version, long procedure, int credFlavor, byte[] cred) {
        return u32(xid).u32(RpcMessage.CALL).u32(2).u32(program).u32(version).u32(procedure)
                .u32(credFlavor).string(cred).u32(0).u32(0);
    }

    /** portmap v2 GETPORT with AUTH_NONE. */
    RpcMessageWriter getPortCall(int xid, long program, long version, long protocol) {
        return call(xid, RpcMessage.PROGRAM_PORTMAP, 2, RpcMessage.PROCEDURE_GETPORT, 0, new byte[0])
                .u32(program).u32(version).u32(protocol).u32(0);
    }

    /** rpcbind v3 or v4 GETADDR with AUTH_NONE. */
    RpcMessageWriter getAddrCall(int xid, int rpcbindVersion, long program, long version, String netid, String address,
            String owner) {
        return call(xid, RpcMessage.PROGRAM_PORTMAP, rpcbindVersion, RpcMessage.PROCEDURE_GETADDR, 0, new byte[0])
                .u32(program).u32(version).string(netid).string(address).string(owner);
    }

    /** An accepted REPLY header with an AUTH_NONE verifier and accept_stat {@code acceptStat}. */
    RpcMessageWriter reply(int xid, int acceptStat) {
        return u32(xid).u32(RpcMessage.REPLY).u32(0).u32(0).u32(0).u32(acceptStat);
    }

    RpcMessageWriter getPortReply(int xid, long port) {
        return reply(xid, 0).u32(port);
    }

    RpcMessageWriter getAddrReply(int xid, String universalAddress) {
        return reply(xid, 0).string(universalAddress);
    }

    /**
     * {@code message} in TCP record marking, cut into fragments of at most {@code fragmentBytes} bytes (RFC 5531 §11).
     */
    static byte[] record(byte[] message, int fragmentBytes) {
        int fragments = Math.max(1, (message.length + fragmentBytes - 1) / fragmentBytes);
        MemorySegment out = MemorySegment.ofArray(new byte[message.length + 4 * fragments]);
        long at = 0;
        for (int n = 0; n < fragments; n++) {
            int from = n * fragmentBytes;
            int length = Math.min(fragmentBytes, message.length - from);
            boolean isLast = n == fragments - 1;
            out.set(U32, at, (isLast ? RpcMessageParser.LAST_FRAGMENT : 0) | length);
            MemorySegment.copy(message, from, out, ValueLayout.JAVA_BYTE, at + 4, length);
            at += 4 + length;
        }
        return out.toArray(ValueLayout.JAVA_BYTE);
    }

    /** The universal address of {@code address} (host order int) and {@code port} (RFC 5665 §5.2.3.3). */
    static String universalAddress(int address, int port) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff)
                + "." + (port >>> 8) + "." + (port & 0xff);
    }
}
