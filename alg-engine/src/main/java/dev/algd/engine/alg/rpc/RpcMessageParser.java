package dev.algd.engine.alg.rpc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reads the ONC RPC messages of the portmapper (RFC 5531, RFC 1833) that {@link RpcMessage} draws, and the TCP record
 * marking around them ({@link RpcRecord}). Pure, total and bounded: the answer depends only on the bytes in
 * {@code [from, to)} (and, for a reply, on which query the caller says it answers), every input gets an
 * {@link RpcReason}, nothing outside the range is read, every loop is bounded by a named constant and lengths are
 * checked against the range before they are used. Unlike Vyatta's {@code alg_rpc.c}, which skips the record mark
 * and assumes one fragment, a record of several fragments is read whole.
 */
final class RpcMessageParser {
    /** RFC 5531 §8.2: {@code opaque body<400>} for credentials and verifiers. */
    static final int MAX_AUTH_BYTES = 400;
    /**
     * netid, address, owner and universal address strings. RFC 1833 bounds none of them; a netid is a short name
     * ("tcp", "udp6"), an IPv6 universal address is at most 53 characters (RFC 5665 §5.2.3.4), and rpcinfo's owner
     * is a user name or a uid.
     */
    static final int MAX_STRING_BYTES = 255;
    /**
     * The longest TCP record read. A GETADDR call with a 400-byte AUTH_SYS credential and three full strings is under
     * 1.3 KiB; larger records (a DUMP reply listing every program) are never queries and are skipped whole.
     */
    static final int MAX_RECORD_BYTES = 1_536;
    /** Fragments per record: senders use one; a few more covers a record split on purpose (§5 item 18). */
    static final int MAX_FRAGMENTS = 8;
    static final int RECORD_MARK_BYTES = 4;
    static final int LAST_FRAGMENT = 0x8000_0000;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** xid, type, rpcvers, prog, vers, proc, cred flavor, cred length, verf flavor, verf length. */
    private static final int MIN_CALL_BYTES = 40;
    /** xid, type, reply_stat, verf flavor, verf length, accept_stat. */
    private static final int MIN_REPLY_BYTES = 24;
    private static final int RPC_VERSION = 2;
    private static final int MSG_ACCEPTED = 0;
    private static final int SUCCESS = 0;
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;
    private static final int MAX_PORT = 65_535;
    private static final int UNIVERSAL_ADDRESS_NUMBERS = 6;
    private static final int MAX_OCTET = 255;
    private static final int MAX_OCTET_DIGITS = 3;
    private static final RpcReason[] REASONS = RpcReason.values();

    private RpcMessageParser() {
    }

    /**
     * Parses the message in {@code [from, to)}. A REPLY's result is read as {@code replyQuery} says
     * ({@link RpcMessage#QUERY_GETPORT}, {@link RpcMessage#QUERY_GETADDR}); with {@link RpcMessage#QUERY_NONE} a
     * well-formed successful reply answers {@link RpcReason#REPLY_NOT_READ} with its xid set.
     */
    static RpcReason parse(MemorySegment segment, long from, long to, int replyQuery, RpcMessage out) {
        out.clear();
        if (to - from < 2L * Integer.BYTES) {
            return RpcReason.TOO_SHORT;
        }
        out.xid = segment.get(U32, from);
        out.messageType = segment.get(U32, from + 4);
        if (out.messageType == RpcMessage.CALL) {
            return parseCall(segment, from, to, out);
        }
        if (out.messageType == RpcMessage.REPLY) {
            return parseReply(segment, from, to, replyQuery, out);
        }
        return RpcReason.UNKNOWN_MESSAGE_TYPE;
    }

    private static RpcReason parseCall(MemorySegment segment, long from, long to, RpcMessage out) {
        if (to - from < MIN_CALL_BYTES) {
            return RpcReason.TOO_SHORT;
        }
        if (segment.get(U32, from + 8) != RPC_VERSION) {
            return RpcReason.RPC_VERSION_NOT_2;
        }
        out.program = unsigned(segment, from + 12);
        out.version = unsigned(segment, from + 16);
        out.procedure = unsigned(segment, from + 20);
        long verifier = skipAuth(segment, from + 24, to);
        if (verifier < 0) {
            return reasonOf(verifier);
        }
        long arguments = skipAuth(segment, verifier, to);
        if (arguments < 0) {
            return reasonOf(arguments);
        }
        if (out.program != RpcMessage.PROGRAM_PORTMAP) {
            return RpcReason.NOT_A_PORT_QUERY;
        }
        if (out.version == 2 && out.procedure == RpcMessage.PROCEDURE_GETPORT) {
            return parseGetPortArguments(segment, arguments, to, out);
        }
        if ((out.version == 3 || out.version == 4) && out.procedure == RpcMessage.PROCEDURE_GETADDR) {
            return parseGetAddrArguments(segment, arguments, to, out);
        }
        return RpcReason.NOT_A_PORT_QUERY;
    }

    /** RFC 1833 §3.1: {@code struct mapping { prog, vers, prot, port }}. */
    private static RpcReason parseGetPortArguments(MemorySegment segment, long at, long to, RpcMessage out) {
        if (to - at < 4L * Integer.BYTES) {
            return RpcReason.TRUNCATED;
        }
        out.query = RpcMessage.QUERY_GETPORT;
        out.queriedProgram = unsigned(segment, at);
        out.queriedVersion = unsigned(segment, at + 4);
        long protocol = unsigned(segment, at + 8);
        out.queriedProtocol = protocol == PROTOCOL_TCP || protocol == PROTOCOL_UDP ? (int) protocol : 0;
        return RpcReason.OK;
    }

    /** RFC 1833 §2.1: {@code struct rpcb { prog, vers, string netid, string addr, string owner }}. */
    private static RpcReason parseGetAddrArguments(MemorySegment segment, long at, long to, RpcMessage out) {
        if (to - at < 3L * Integer.BYTES) {
            return RpcReason.TRUNCATED;
        }
        long netid = at + 8;
        long address = skipString(segment, netid, to);
        if (address < 0) {
            return reasonOf(address);
        }
        long owner = skipString(segment, address, to);
        if (owner < 0) {
            return reasonOf(owner);
        }
        long end = skipString(segment, owner, to);
        if (end < 0) {
            return reasonOf(end);
        }
        out.query = RpcMessage.QUERY_GETADDR;
        out.queriedProgram = unsigned(segment, at);
        out.queriedVersion = unsigned(segment, at + 4);
        out.queriedProtocol = netidProtocol(segment, netid);
        return RpcReason.OK;
    }

    /** "tcp" and "udp" (RFC 5665 §5.1) are IPv4; "tcp6", "udp6" and local transports are not translated here. */
    private static int netidProtocol(MemorySegment segment, long string) {
        if (segment.get(U32, string) != 3) {
            return 0;
        }
        int b0 = segment.get(ValueLayout.JAVA_BYTE, string + 4);
        int b1 = segment.get(ValueLayout.JAVA_BYTE, string + 5);
        int b2 = segment.get(ValueLayout.JAVA_BYTE, string + 6);
        if (b1 == 'c' && b2 == 'p' && b0 == 't') {
            return PROTOCOL_TCP;
        }
        if (b1 == 'd' && b2 == 'p' && b0 == 'u') {
            return PROTOCOL_UDP;
        }
        return 0;
    }

    private static RpcReason parseReply(MemorySegment segment, long from, long to, int replyQuery, RpcMessage out) {
        if (to - from < MIN_REPLY_BYTES) {
            return RpcReason.TOO_SHORT;
        }
        if (segment.get(U32, from + 8) != MSG_ACCEPTED) {
            return RpcReason.REPLY_DENIED;
        }
        long acceptStat = skipAuth(segment, from + 12, to);
        if (acceptStat < 0) {
            return reasonOf(acceptStat);
        }
        if (to - acceptStat < Integer.BYTES) {
            return RpcReason.TRUNCATED;
        }
        if (segment.get(U32, acceptStat) != SUCCESS) {
            return RpcReason.NOT_SUCCESS;
        }
        long result = acceptStat + 4;
        if (replyQuery == RpcMessage.QUERY_GETPORT) {
            return parsePort(segment, result, to, out);
        }
        if (replyQuery == RpcMessage.QUERY_GETADDR) {
            return parseUniversalAddress(segment, result, to, out);
        }
        return RpcReason.REPLY_NOT_READ;
    }

    /** RFC 1833 §3.1: the port, or 0 when the program is not registered. */
    private static RpcReason parsePort(MemorySegment segment, long at, long to, RpcMessage out) {
        if (to - at < Integer.BYTES) {
            return RpcReason.TRUNCATED;
        }
        long port = unsigned(segment, at);
        if (port == 0) {
            return RpcReason.NOT_REGISTERED;
        }
        if (port > MAX_PORT) {
            return RpcReason.PORT_OVER_65535;
        }
        out.resultPort = (int) port;
        return RpcReason.OK;
    }

    /**
     * RFC 1833 §2.2: the universal address, or an empty string when the program is not registered. RFC 5665
     * §5.2.3.3: an IPv4 one is {@code h1.h2.h3.h4.p1.p2}, six decimal numbers 0..255, the port p1 * 256 + p2.
     */
    private static RpcReason parseUniversalAddress(MemorySegment segment, long at, long to, RpcMessage out) {
        long end = skipString(segment, at, to);
        if (end < 0) {
            return reasonOf(end);
        }
        long length = unsigned(segment, at);
        if (length == 0) {
            return RpcReason.NOT_REGISTERED;
        }
        long i = at + Integer.BYTES;
        long stop = i + length;
        int address = 0;
        int port = 0;
        for (int n = 0; n < UNIVERSAL_ADDRESS_NUMBERS; n++) {
            int value = 0;
            int digits = 0;
            while (i < stop && digits <= MAX_OCTET_DIGITS) {
                int c = segment.get(ValueLayout.JAVA_BYTE, i);
                if (c < '0' || c > '9') {
                    break;
                }
                value = value * 10 + (c - '0');
                digits++;
                i++;
            }
            if (digits == 0 || digits > MAX_OCTET_DIGITS || value > MAX_OCTET) {
                return RpcReason.BAD_UNIVERSAL_ADDRESS;
            }
            boolean isLast = n == UNIVERSAL_ADDRESS_NUMBERS - 1;
            if (isLast ? i != stop : i >= stop || segment.get(ValueLayout.JAVA_BYTE, i) != '.') {
                return RpcReason.BAD_UNIVERSAL_ADDRESS;
            }
            i++;
            if (n < 4) {
                address = address << 8 | value;
            } else {
                port = port << 8 | value;
            }
        }
        if (port == 0) {
            return RpcReason.NOT_REGISTERED;
        }
        out.resultAddress = address;
        out.resultPort = port;
        return RpcReason.OK;
    }

    /**
     * Finds the record that starts at {@code from} (RFC 5531 §11). {@link RpcReason#OK} when all its fragments are in
     * {@code [from, to)}; {@link RpcReason#INCOMPLETE} when more bytes are needed; a longer record or one with more
     * fragments gets its reason, even before it is complete.
     */
    static RpcReason parseRecord(MemorySegment segment, long from, long to, RpcRecord out) {
        out.clear();
        out.start = from;
        long i = from;
        long total = 0;
        for (int n = 0; n < MAX_FRAGMENTS; n++) {
            if (to - i < RECORD_MARK_BYTES) {
                return RpcReason.INCOMPLETE;
            }
            int mark = segment.get(U32, i);
            long length = mark & ~LAST_FRAGMENT;
            total += length;
            if (total > MAX_RECORD_BYTES) {
                return RpcReason.RECORD_TOO_LONG;
            }
            if (to - i - RECORD_MARK_BYTES < length) {
                return RpcReason.INCOMPLETE;
            }
            i += RECORD_MARK_BYTES + length;
            out.fragments = n + 1;
            if ((mark & LAST_FRAGMENT) != 0) {
                out.end = i;
                out.messageLength = (int) total;
                return RpcReason.OK;
            }
        }
        return RpcReason.TOO_MANY_FRAGMENTS;
    }

    /**
     * Copies the fragments of a record {@link #parseRecord} answered OK for into {@code target} from 0, so the
     * message lies in one piece; {@code target} holds at least {@link #MAX_RECORD_BYTES}. Returns the message length.
     */
    static int joinRecord(MemorySegment segment, RpcRecord record, MemorySegment target) {
        long i = record.start;
        long written = 0;
        for (int n = 0; n < record.fragments; n++) {
            int length = segment.get(U32, i) & ~LAST_FRAGMENT;
            MemorySegment.copy(segment, i + RECORD_MARK_BYTES, target, written, length);
            written += length;
            i += RECORD_MARK_BYTES + length;
        }
        return (int) written;
    }

    /** Skips an {@code opaque_auth} (flavor, length, padded body); its end, or a negative reason code. */
    private static long skipAuth(MemorySegment segment, long at, long to) {
        if (to - at < 2L * Integer.BYTES) {
            return -1 - RpcReason.TRUNCATED.ordinal();
        }
        long length = unsigned(segment, at + 4);
        if (length > MAX_AUTH_BYTES) {
            return -1 - RpcReason.AUTH_TOO_LONG.ordinal();
        }
        long end = at + 8 + padded(length);
        return end > to ? -1 - RpcReason.TRUNCATED.ordinal() : end;
    }

    /** Skips an XDR string (length, padded bytes); its end, or a negative reason code. */
    private static long skipString(MemorySegment segment, long at, long to) {
        if (to - at < Integer.BYTES) {
            return -1 - RpcReason.TRUNCATED.ordinal();
        }
        long length = unsigned(segment, at);
        if (length > MAX_STRING_BYTES) {
            return -1 - RpcReason.STRING_TOO_LONG.ordinal();
        }
        long end = at + 4 + padded(length);
        return end > to ? -1 - RpcReason.TRUNCATED.ordinal() : end;
    }

    /** The reason a negative answer of {@link #skipAuth} or {@link #skipString} codes. */
    private static RpcReason reasonOf(long code) {
        return REASONS[(int) (-1 - code)];
    }

    /** XDR (RFC 4506 §4.10): opaque data and strings are padded with zeros to a multiple of four bytes. */
    private static long padded(long length) {
        return (length + 3) & ~3L;
    }

    private static long unsigned(MemorySegment segment, long at) {
        return segment.get(U32, at) & 0xffff_ffffL;
    }
}
