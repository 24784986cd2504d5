package dev.algd.engine.alg.rpc;

import dev.algd.engine.alg.Alg;
import dev.algd.engine.alg.AlgDiagnostics;
import dev.algd.engine.alg.AlgOutcome;
import dev.algd.engine.alg.AlgPacket;
import dev.algd.engine.alg.AlgPolicy;
import dev.algd.engine.alg.Expectation;
import dev.algd.engine.alg.ExpectationReason;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.AlgSettings;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.session.Direction;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SunRPC portmapper ALG (alg-behaviour.md §3, §5 vector 11). A client asks the portmapper on port 111 where a
 * program listens (portmap v2 GETPORT, rpcbind v3/v4 GETADDR), then talks to that port: a flow no port-111 firewall
 * rule lets through. So the ALG remembers each query by its xid ({@link PendingCalls}), and when the matching reply
 * names a port for a program in the effective program list (the guide's defaults 100000, 100003, 100005, 100021,
 * 100227 and the configured ones, {@link AlgSettings#effectivePrograms()}), it expects the client's flow, from any
 * source port, to the server and that port, as a child of the control session:
 * <ul>
 *   <li>its protocol is the one the query asked for (GETPORT {@code prot}, GETADDR netid {@code tcp}/{@code udp});
 *   Vyatta's {@code alg_rpc.c} takes the control session's protocol instead, which misses a UDP query for a TCP
 *   service;</li>
 *   <li>it goes to the server as the client sees it; when that is a destination NAT address, on to the server.</li>
 * </ul>
 * Nothing is rewritten: the reply carries the server's own port, and a GETADDR address that is not the server's is
 * counted and left alone. Over TCP the messages are in record marking (RFC 5531 §11); a record of several fragments
 * is joined, and one split across segments is held by the framework ({@link AlgPacket#holdFrom}) up to its bound.
 * Malformed messages are counted and passed: port 111 carries other RPC traffic (DUMP, SET, CALLIT) the ALG does not
 * police.
 * <p>
 * Known limits: a record longer than the framework's hold bound that ends in a later segment passes unparsed, and the
 * next segment is then read from its start as if a record began there (a bad record mark stops the reading; the
 * segment passes). GETADDR over IPv6 (netid tcp6/udp6) is not translated. Behind destination NAT a GETADDR reply
 * names the server's own address, which is not rewritten, so a client that connects to it rather than to the address
 * it asked misses the expectation (Vyatta does not read GETADDR at all; GETPORT carries no address). The per-session
 * state is keyed by session id rather than the framework's slot, and ages out instead of ending with its session
 * ({@link PendingCalls} says why).
 */
public final class RpcAlg implements Alg {
    /**
     * A control session may ask for several programs (mountd, then nlockmgr); Vyatta's default tuple timeout of 10 s
     * (alg-behaviour.md §3).
     */
    static final AlgPolicy POLICY = new AlgPolicy(4, 10);
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;

    private final RpcMessage message = new RpcMessage();
    private final RpcRecord record = new RpcRecord();
    private final PendingCalls pending = new PendingCalls();
    /** A TCP record's fragments joined into one piece. */
    private final MemorySegment joined = Arena.ofAuto().allocate(RpcMessageParser.MAX_RECORD_BYTES);
    private final long[] reasonCounters = new long[RpcReason.values().length];
    private final long[] eventCounters = new long[RpcEvent.values().length];

    /** The programs replies may open a child for: built by {@link #apply}, read per reply. */
    private long[] programs = toArray(AlgSettings.DEFAULT_RPC_PROGRAMS);

    /** An RPC ALG that allows the default programs until the engine applies a config to it. */
    public RpcAlg() {
    }

    /** Takes the program list (defaults plus {@code system alg rpc program}) from the config now in force. */
    @Override
    public void apply(EngineConfig config) {
        programs = toArray(config.alg(AlgId.RPC).effectivePrograms());
    }

    @Override
    public AlgId id() {
        return AlgId.RPC;
    }

    @Override
    public AlgPolicy policy() {
        return POLICY;
    }

    @Override
    public AlgOutcome inspect(AlgPacket packet) {
        MemorySegment segment = packet.segment();
        long from = packet.payloadOffset();
        long end = from + packet.payloadLength();
        if (packet.protocol() == PROTOCOL_UDP) {
            inspectMessage(packet, segment, from, end);
        } else if (packet.protocol() == PROTOCOL_TCP) {
            inspectRecords(packet, segment, from, end);
        }
        return AlgOutcome.PASS;
    }

    /** Each complete record of a TCP segment, in order; an unfinished one at the end is held for the next segment. */
    private void inspectRecords(AlgPacket packet, MemorySegment segment, long from, long end) {
        long at = from;
        while (at < end) {
            RpcReason reason = RpcMessageParser.parseRecord(segment, at, end, record);
            if (reason == RpcReason.INCOMPLETE) {
                count(packet, reason);
                packet.holdFrom(at);
                return;
            }
            if (reason != RpcReason.OK) {
                count(packet, reason);
                return;
            }
            int length = RpcMessageParser.joinRecord(segment, record, joined);
            inspectMessage(packet, joined, 0, length);
            at = record.end;
        }
    }

    private void inspectMessage(AlgPacket packet, MemorySegment segment, long from, long to) {
        RpcReason reason = RpcMessageParser.parse(segment, from, to, RpcMessage.QUERY_NONE, message);
        if (message.messageType == RpcMessage.REPLY && reason == RpcReason.REPLY_NOT_READ) {
            inspectReply(packet, segment, from, to);
            return;
        }
        count(packet, reason);
        if (reason == RpcReason.REPLY_DENIED || reason == RpcReason.NOT_SUCCESS) {
            forgetCall(packet);
            return;
        }
        if (reason != RpcReason.OK) {
            return;
        }
        if (packet.direction() != Direction.ORIGINAL) {
            eventCounters[RpcEvent.WRONG_DIRECTION.ordinal()]++;
            return;
        }
        int stored = pending.remember(packet.sessionId(), message.xid, message.query, message.queriedProgram,
                message.queriedProtocol, packet.nowNanos());
        note(stored == PendingCalls.RETRANSMITTED ? RpcEvent.CALL_RETRANSMITTED : RpcEvent.CALL_REMEMBERED);
        if (stored == PendingCalls.EVICTED) {
            note(RpcEvent.PENDING_CALL_EVICTED);
            packet.countLimitHit();
        }
    }

    /** A failed reply answers its call too: the call waits no longer. */
    private void forgetCall(AlgPacket packet) {
        int call = packet.direction() == Direction.REPLY
                ? pending.find(packet.sessionId(), message.xid, packet.nowNanos()) : PendingCalls.NONE;
        if (call != PendingCalls.NONE) {
            pending.release(call);
        }
    }

    /** A successful reply: read as its call asked, then decide. */
    private void inspectReply(AlgPacket packet, MemorySegment segment, long from, long to) {
        if (packet.direction() != Direction.REPLY) {
            count(packet, RpcReason.REPLY_NOT_READ);
            note(RpcEvent.WRONG_DIRECTION);
            return;
        }
        int call = pending.find(packet.sessionId(), message.xid, packet.nowNanos());
        if (call == PendingCalls.NONE) {
            count(packet, RpcReason.REPLY_NOT_READ);
            note(RpcEvent.XID_UNMATCHED);
            return;
        }
        int query = pending.query(call);
        long program = pending.program(call);
        int protocol = pending.protocol(call);
        pending.release(call);
        RpcReason reason = RpcMessageParser.parse(segment, from, to, query, message);
        count(packet, reason);
        if (reason == RpcReason.OK) {
            expectChild(packet, program, protocol);
        }
    }

    /**
     * The client's flow: from the client (where the reply goes), any port, to the server as the client sees it (where
     * the reply comes from after translation) and the port named; on to the server itself under destination NAT.
     */
    private void expectChild(AlgPacket packet, long program, int protocol) {
        if (!isAllowed(program)) {
            note(RpcEvent.PROGRAM_NOT_IN_LIST);
            return;
        }
        if (protocol == 0) {
            note(RpcEvent.PROTOCOL_NOT_TRANSLATED);
            return;
        }
        int server = packet.arrivedSourceAddress();
        int serverAsSeen = packet.leavingSourceAddress();
        int named = message.resultAddress;
        if (named != 0 && named != server && named != serverAsSeen) {
            note(RpcEvent.ADDRESS_NOT_THE_SERVERS);
            return;
        }
        Expectation child = packet.newExpectation()
                .protocol(protocol)
                .fromAnyPort(packet.leavingDestinationAddress())
                .to(serverAsSeen, message.resultPort);
        if (server != serverAsSeen) {
            child.translateDestinationTo(server, Expectation.KEEP_PORT);
        }
        ExpectationReason stored = packet.expect(child);
        note(stored == ExpectationReason.CREATED || stored == ExpectationReason.REFRESHED
                ? RpcEvent.CHILD_EXPECTED : RpcEvent.EXPECTATION_NOT_STORED);
    }

    private boolean isAllowed(long program) {
        for (long allowed : programs) {
            if (allowed == program) {
                return true;
            }
        }
        return false;
    }

    private static long[] toArray(List<Long> programs) {
        long[] array = new long[programs.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = programs.get(i);
        }
        return array;
    }

    private void count(AlgPacket packet, RpcReason reason) {
        reasonCounters[reason.ordinal()]++;
        if (reason.isMalformed()) {
            packet.countParseError();
        }
    }

    private void note(RpcEvent event) {
        eventCounters[event.ordinal()]++;
    }

    /** How many messages or records the parser answered with {@code reason}, on this engine's worker. */
    public long count(RpcReason reason) {
        return reasonCounters[reason.ordinal()];
    }

    /** How often the ALG decided {@code event}, on this engine's worker. */
    public long count(RpcEvent event) {
        return eventCounters[event.ordinal()];
    }

    /** Calls waiting for their reply now, for tests. */
    int pendingCalls(long nowNanos) {
        return pending.size(nowNanos);
    }

    @Override
    public Map<String, Long> diagnostics() {
        Map<String, Long> counts = new LinkedHashMap<>();
        AlgDiagnostics.put(counts, "", RpcReason.values(), reasonCounters);
        AlgDiagnostics.put(counts, "", RpcEvent.values(), eventCounters);
        return counts;
    }
}
