package dev.algd.engine.alg;

import java.lang.foreign.MemorySegment;

/**
 * What {@link Alg#inspect} sees of one packet: its payload inside the packet buffer, the flow as the packet arrived
 * and as it leaves (after NAT), its session, and the means to expect child flows. One per engine, re-bound to
 * each inspected packet by the engine ({@link #bind}); an ALG must not keep it beyond the call.
 * <p>
 * "Arrived" fields are the packet's tuple before translation; "leaving" fields after it. For a client behind
 * source NAT sending {@code PORT}, the payload holds {@link #arrivedSourceAddress()} and should hold
 * {@link #leavingSourceAddress()}.
 * <p>
 * Addresses of either family are two {@code long}s ({@link AlgAddress}: IPv4 as {@code ::ffff:a.b.c.d}), so an ALG
 * that works on the {@code ...High()}/{@code ...Low()} accessors serves IPv4 and IPv6 sessions with one code path;
 * the {@code int} accessors are the IPv4 address of an IPv4 session. Only an ALG whose {@link Alg#supportsIpv6()}
 * says so is given IPv6 sessions.
 */
public final class AlgPacket {
    private final Expectation request = new Expectation();
    private final long[] counters;
    private final AlgStatistics statistics;
    private final ExpectationTable expectations;
    private final int parentCapacity;
    private ExpectationObserver observer;
    /** By parent ALG slot: the observer posted one of its expectations to another worker. */
    private boolean[] postedElsewhere;
    private final PayloadRewriter rewriter;
    private final LineReassembly reassembly;
    private final AlgSessionTable algSessions;

    private MemorySegment segment;
    private long payloadOffset;
    private int payloadLength;
    private int protocol;
    private int direction;
    private long sessionId;
    private long parentSessionId;
    private int parentAlgSlot = AlgSessionTable.NONE;
    private int algSlot;
    private int algId;
    private AlgPolicy policy;
    private long nowNanos;
    private boolean isIpv6;
    /** Arrived source, arrived destination, leaving source, leaving destination; each high then low. */
    private final long[] addresses = new long[8];
    private int arrivedSourcePort;
    private int arrivedDestinationPort;
    private int leavingSourcePort;
    private int leavingDestinationPort;

    public AlgPacket(ExpectationTable expectations, AlgSessionTable algSessions, long[] counters,
            AlgStatistics statistics) {
        this(expectations, algSessions, counters, statistics, new LineReassembly(algSessions.capacity(), counters));
    }

    /** With the engine's {@code reassembly}, whose buffers are indexed by the slots of {@code algSessions}. */
    public AlgPacket(ExpectationTable expectations, AlgSessionTable algSessions, long[] counters,
            AlgStatistics statistics, LineReassembly reassembly) {
        this.expectations = expectations;
        this.counters = counters;
        this.statistics = statistics;
        this.rewriter = new PayloadRewriter(algSessions, counters);
        this.reassembly = reassembly;
        this.algSessions = algSessions;
        this.parentCapacity = algSessions.capacity();
    }

    /** The control-line reassembly behind {@link #holdFrom}. */
    public LineReassembly reassembly() {
        return reassembly;
    }

    /**
     * Holds back the payload from {@code offset} (in {@link #segment()}, at or after the end of any span this packet
     * replaced) to its end: the unfinished line the payload ends in. The bytes are cut from this segment and put in
     * front of the next segment of this direction, where this ALG sees them again followed by the rest of the line
     * ({@link LineReassembly} explains the bound and what is done when holding is not possible). Call it last:
     * nothing can be replaced in this packet after it. TCP only. Answers {@link HoldReason#OK} when the bytes are
     * held (or there are none); any other answer leaves the payload as it is, to pass unparsed.
     */
    public HoldReason holdFrom(long offset) {
        HoldReason reason = rewriter.holdTail(reassembly, offset);
        if (reason == HoldReason.OVER_BOUND || reason == HoldReason.NO_BUFFER) {
            countLimitHit();
        }
        return reason;
    }

    /** The ALG's parser found this packet's message malformed: counted as the ALG's {@code parse-errors}. */
    public void countParseError() {
        statistics.count(algId, AlgStatistic.PARSE_ERRORS);
    }

    /** A bound of the ALG's own was reached (a private table full, say): counted as the ALG's {@code limit-hits}. */
    public void countLimitHit() {
        statistics.count(algId, AlgStatistic.LIMIT_HITS);
    }

    /** Replaces spans of this packet's payload, keeping lengths, checksums and TCP sequence numbers right. */
    public PayloadRewriter rewriter() {
        return rewriter;
    }

    /** For the engine: points this view at the packet about to be inspected. */
    public AlgPacket bind(MemorySegment segment, long payloadOffset, int payloadLength, int protocol, int direction,
            long sessionId, long parentSessionId, int parentAlgSlot, int algSlot, int algId, AlgPolicy policy,
            long nowNanos) {
        this.segment = segment;
        this.payloadOffset = payloadOffset;
        this.payloadLength = payloadLength;
        this.protocol = protocol;
        this.direction = direction;
        this.sessionId = sessionId;
        this.parentSessionId = parentSessionId;
        this.parentAlgSlot = parentAlgSlot;
        this.algSlot = algSlot;
        this.algId = algId;
        this.policy = policy;
        this.nowNanos = nowNanos;
        return this;
    }

    /**
     * For the engine: the packet's family and its tuple as it arrived and as it leaves, addresses in
     * {@link AlgAddress} form.
     */
    public void bindTuples(boolean isIpv6, long arrivedSourceHigh, long arrivedSourceLow, int arrivedSourcePort,
            long arrivedDestinationHigh, long arrivedDestinationLow, int arrivedDestinationPort,
            long leavingSourceHigh, long leavingSourceLow, int leavingSourcePort, long leavingDestinationHigh,
            long leavingDestinationLow, int leavingDestinationPort) {
        this.isIpv6 = isIpv6;
        addresses[ARRIVED_SOURCE] = arrivedSourceHigh;
        addresses[ARRIVED_SOURCE + 1] = arrivedSourceLow;
        addresses[ARRIVED_DESTINATION] = arrivedDestinationHigh;
        addresses[ARRIVED_DESTINATION + 1] = arrivedDestinationLow;
        addresses[LEAVING_SOURCE] = leavingSourceHigh;
        addresses[LEAVING_SOURCE + 1] = leavingSourceLow;
        addresses[LEAVING_DESTINATION] = leavingDestinationHigh;
        addresses[LEAVING_DESTINATION + 1] = leavingDestinationLow;
        this.arrivedSourcePort = arrivedSourcePort;
        this.arrivedDestinationPort = arrivedDestinationPort;
        this.leavingSourcePort = leavingSourcePort;
        this.leavingDestinationPort = leavingDestinationPort;
    }

    private static final int ARRIVED_SOURCE = 0;
    private static final int ARRIVED_DESTINATION = 2;
    private static final int LEAVING_SOURCE = 4;
    private static final int LEAVING_DESTINATION = 6;

    /** For the engine and the rewriter: the payload moved or changed length. */
    void payload(long offset, int length) {
        payloadOffset = offset;
        payloadLength = length;
    }

    public MemorySegment segment() {
        return segment;
    }

    /** Where the L4 payload starts in {@link #segment()}. */
    public long payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    /** IP protocol: 6 TCP, 17 UDP. */
    public int protocol() {
        return protocol;
    }

    /** {@code Direction.ORIGINAL} (as the control session's first packet) or {@code Direction.REPLY}. */
    public int direction() {
        return direction;
    }

    public long sessionId() {
        return sessionId;
    }

    /**
     * The control session whose expectation admitted this session, when the ALG asked to inspect that child
     * ({@link Expectation#inspectChild()}); 0 for a session the ALG was assigned by its control port.
     */
    public long parentSessionId() {
        return parentSessionId;
    }

    /**
     * Word {@code word} (0 .. {@link AlgSessionTable#STATE_WORDS} - 1) of this ALG's own state for this session: kept
     * between packets, zero in a new session, gone with the session. What the words mean is the ALG's business.
     */
    public long state(int word) {
        return algSessions.state(algSlot, word);
    }

    public void state(int word, long value) {
        algSessions.state(algSlot, word, value);
    }

    /**
     * The first port of the translation port range of the source NAT rule that translated this session, or 0 when
     * that rule names no range (then the rule keeps a port where it can) or none translated it.
     */
    public int sourceNatPortFirst() {
        return algSessions.natPortRange(algSlot) >>> 16;
    }

    /** The last port of that range ({@link #sourceNatPortFirst}), or 0. */
    public int sourceNatPortLast() {
        return algSessions.natPortRange(algSlot) & 0xffff;
    }

    /** Whether {@link #parentState} can be read: an inspected child whose parent is still there. */
    public boolean hasParentState() {
        return parentAlgSlot != AlgSessionTable.NONE;
    }

    /** Word {@code word} of the parent's state, for an inspected child ({@link #hasParentState}); read only. */
    public long parentState(int word) {
        if (parentAlgSlot == AlgSessionTable.NONE) {
            throw new IllegalStateException("no parent state: check hasParentState()");
        }
        return algSessions.state(parentAlgSlot, word);
    }

    public long nowNanos() {
        return nowNanos;
    }

    /** Whether the session is IPv6: then only the {@code ...High()}/{@code ...Low()} address accessors apply. */
    public boolean isIpv6() {
        return isIpv6;
    }

    /** The arrived source's IPv4 address, for an IPv4 session. */
    public int arrivedSourceAddress() {
        return AlgAddress.ipv4(addresses[ARRIVED_SOURCE + 1]);
    }

    public long arrivedSourceHigh() {
        return addresses[ARRIVED_SOURCE];
    }

    public long arrivedSourceLow() {
        return addresses[ARRIVED_SOURCE + 1];
    }

    public int arrivedSourcePort() {
        return arrivedSourcePort;
    }

    public int arrivedDestinationAddress() {
        return AlgAddress.ipv4(addresses[ARRIVED_DESTINATION + 1]);
    }

    public long arrivedDestinationHigh() {
        return addresses[ARRIVED_DESTINATION];
    }

    public long arrivedDestinationLow() {
        return addresses[ARRIVED_DESTINATION + 1];
    }

    public int arrivedDestinationPort() {
        return arrivedDestinationPort;
    }

    public int leavingSourceAddress() {
        return AlgAddress.ipv4(addresses[LEAVING_SOURCE + 1]);
    }

    public long leavingSourceHigh() {
        return addresses[LEAVING_SOURCE];
    }

    public long leavingSourceLow() {
        return addresses[LEAVING_SOURCE + 1];
    }

    public int leavingSourcePort() {
        return leavingSourcePort;
    }

    public int leavingDestinationAddress() {
        return AlgAddress.ipv4(addresses[LEAVING_DESTINATION + 1]);
    }

    public long leavingDestinationHigh() {
        return addresses[LEAVING_DESTINATION];
    }

    public long leavingDestinationLow() {
        return addresses[LEAVING_DESTINATION + 1];
    }

    public int leavingDestinationPort() {
        return leavingDestinationPort;
    }

    /** Whether source NAT changed the packet's source address (either family). */
    public boolean isSourceAddressTranslated() {
        return addresses[ARRIVED_SOURCE] != addresses[LEAVING_SOURCE]
                || addresses[ARRIVED_SOURCE + 1] != addresses[LEAVING_SOURCE + 1];
    }

    /** Whether destination NAT changed the packet's destination address (either family). */
    public boolean isDestinationAddressTranslated() {
        return addresses[ARRIVED_DESTINATION] != addresses[LEAVING_DESTINATION]
                || addresses[ARRIVED_DESTINATION + 1] != addresses[LEAVING_DESTINATION + 1];
    }

    /** The reusable request to describe a child flow, cleared, with this packet's protocol and family. */
    public Expectation newExpectation() {
        return request.clear().protocol(protocol).ipv6(isIpv6);
    }

    /**
     * Stores {@code expectation} with this packet's session as parent, under the ALG's {@link AlgPolicy} (its
     * timeout unless the request names one, its per-parent limit).
     */
    public ExpectationReason expect(Expectation expectation) {
        long seconds = expectation.timeoutSeconds > 0 ? expectation.timeoutSeconds
                : policy.expectationTimeoutSeconds();
        ExpectationReason reason = expectations.add(expectation, algSlot, sessionId, algId,
                policy.maxExpectationsPerParent(), seconds * 1_000_000_000L, nowNanos);
        if (observer != null && (reason == ExpectationReason.CREATED || reason == ExpectationReason.REFRESHED)
                && observer.expected(expectation, algSlot, sessionId, algId, policy.maxExpectationsPerParent(),
                        seconds * 1_000_000_000L, nowNanos)) {
            postedElsewhere[algSlot] = true;
        }
        return reason;
    }

    /** For the engine: who hears of every stored expectation (a multi-worker data plane), or null. */
    public void observer(ExpectationObserver observer) {
        this.observer = observer;
        if (observer != null && postedElsewhere == null) {
            postedElsewhere = new boolean[parentCapacity];
        }
    }

    /** For the engine: the parent in ALG slot {@code slot} ended; its expectations posted elsewhere go too. */
    public void parentEnded(int slot, long parentSessionId) {
        if (postedElsewhere != null && postedElsewhere[slot]) {
            postedElsewhere[slot] = false;
            observer.parentEnded(slot, parentSessionId);
        }
    }

}
