package dev.algd.io;

import dev.algd.engine.Engine;
import dev.algd.engine.alg.Expectation;
import dev.algd.engine.alg.ExpectationObserver;
import java.lang.foreign.MemorySegment;

/**
 * One worker's ends of the rings between the workers of a {@link DataPlaneGroup} (MULTICORE.md): control messages
 * (an ALG's expectation for a child flow another worker will see, and the end of its parent), and frame copies (ARP
 * that worker 0 learnt from, and packets handed off to the worker that may own their flow). All rings are
 * allocated when the group is built; posting copies into a preallocated slot, and a full ring drops the message
 * and counts it. Every method except the constructor runs on this link's worker.
 */
final class WorkerLink implements ExpectationObserver {
    static final int KIND_EXPECT = 1;
    static final int KIND_PARENT_ENDED = 2;
    static final int KIND_ARP_COPY = 3;
    static final int KIND_HAND_OFF = 4;
    /** kind, ALG slot, parent session id, ALG id and limit, timeout, then the expectation. */
    static final int CONTROL_WORDS = 5 + Expectation.WORDS;
    static final int FRAME_WORDS = 4;
    static final int CONTROL_SLOTS = 1024;
    static final int FRAME_SLOTS = 32;
    /** A GSO frame up to 64 KiB fits, with room for an ALG rewrite to grow it. */
    static final int FRAME_BYTES = 65_536 + 1024;

    final int index;
    final int workers;
    /** By peer worker: rings this worker writes, and rings it reads. Its own index holds null. */
    private final SpscRing[] controlOut;
    private final SpscRing[] controlIn;
    private final SpscRing[] framesOut;
    private final SpscRing[] framesIn;
    private final Expectation received = new Expectation();
    /** Replaced by {@link DataPlaneGroup#apply} on this worker, between batches. */
    private Steering steering;
    private Engine engine;

    long expectationsPosted;
    long expectationsReceived;
    long parentEndsPosted;
    long controlRingFull;
    long arpCopiesPosted;
    long framesHandedOff;
    long framesReceivedFromPeers;
    long frameRingFull;

    /** {@code control[from][to]} and {@code frames[from][to]}: the rings of the whole group. */
    WorkerLink(int index, SpscRing[][] control, SpscRing[][] frames) {
        this.index = index;
        this.workers = control.length;
        controlOut = control[index];
        framesOut = frames[index];
        controlIn = new SpscRing[workers];
        framesIn = new SpscRing[workers];
        for (int peer = 0; peer < workers; peer++) {
            controlIn[peer] = control[peer][index];
            framesIn[peer] = frames[peer][index];
        }
    }

    /** Builds the rings of {@code workers} workers. */
    static WorkerLink[] group(int workers) {
        SpscRing[][] control = new SpscRing[workers][workers];
        SpscRing[][] frames = new SpscRing[workers][workers];
        for (int from = 0; from < workers; from++) {
            for (int to = 0; to < workers; to++) {
                if (from != to) {
                    control[from][to] = new SpscRing(CONTROL_SLOTS, CONTROL_WORDS, 0);
                    frames[from][to] = new SpscRing(FRAME_SLOTS, FRAME_WORDS, FRAME_BYTES);
                }
            }
        }
        WorkerLink[] links = new WorkerLink[workers];
        for (int i = 0; i < workers; i++) {
            links[i] = new WorkerLink(i, control, frames);
        }
        return links;
    }

    void engine(Engine engine) {
        this.engine = engine;
        engine.expectationObserver(this);
    }

    void steering(Steering steering) {
        this.steering = steering;
    }

    Steering steering() {
        return steering;
    }

    // ----------------------------------------------------------------------------------- expectations, producer

    @Override
    public boolean expected(Expectation request, int algSlot, long parentSessionId, int algId, int maxPerParent,
            long timeoutNanos, long nowNanos) {
        Steering s = steering;
        // A child the parent's ALG inspects needs the parent's ALG state, which only this worker has; IPv6 all runs
        // on worker 0, so its children are there too.
        if (s == null || request.inspectsChildFlow() || request.isIpv6()) {
            return false;
        }
        int owner = s.ownerOfExpectation(request);
        if (owner == index) {
            return false;
        }
        boolean posted = false;
        for (int peer = 0; peer < workers; peer++) {
            if (peer != index && (owner == Steering.EVERY_WORKER || owner == peer)) {
                posted |= postExpectation(peer, request, algSlot, parentSessionId, algId, maxPerParent, timeoutNanos);
            }
        }
        return posted;
    }

    private boolean postExpectation(int peer, Expectation request, int algSlot, long parentSessionId, int algId,
            int maxPerParent, long timeoutNanos) {
        SpscRing ring = controlOut[peer];
        int slot = ring.claim();
        if (slot < 0) {
            controlRingFull++;
            return false;
        }
        long[] words = ring.words();
        int at = ring.wordsAt(slot);
        words[at] = KIND_EXPECT;
        words[at + 1] = algSlot;
        words[at + 2] = parentSessionId;
        words[at + 3] = (long) algId << 32 | maxPerParent & 0xffff_ffffL;
        words[at + 4] = timeoutNanos;
        request.writeTo(words, at + 5);
        ring.publish();
        expectationsPosted++;
        return true;
    }

    @Override
    public void parentEnded(int algSlot, long parentSessionId) {
        for (int peer = 0; peer < workers; peer++) {
            if (peer == index) {
                continue;
            }
            SpscRing ring = controlOut[peer];
            int slot = ring.claim();
            if (slot < 0) {
                controlRingFull++;   // its expectations there time out instead
                continue;
            }
            long[] words = ring.words();
            int at = ring.wordsAt(slot);
            words[at] = KIND_PARENT_ENDED;
            words[at + 1] = algSlot;
            words[at + 2] = parentSessionId;
            ring.publish();
            parentEndsPosted++;
        }
    }

    // ----------------------------------------------------------------------------------- expectations, consumer

    /**
     * Applies every control message the peers posted. The worker calls it once per frame it takes, after taking
     * it: a child's first packet left its sender after the parent's packet that made the expectation was sent, and
     * that was after the expectation was posted, so the child always finds it.
     */
    void drainControl(long nowNanos) {
        for (int peer = 0; peer < workers; peer++) {
            SpscRing ring = controlIn[peer];
            if (ring == null) {
                continue;
            }
            int slot;
            while ((slot = ring.peek()) >= 0) {
                long[] words = ring.words();
                int at = ring.wordsAt(slot);
                int algSlot = (int) words[at + 1];
                if (words[at] == KIND_EXPECT) {
                    engine.expectForPeer(peer, algSlot, words[at + 2], (int) (words[at + 3] >>> 32), received.readFrom(
                            words, at + 5), (int) words[at + 3], words[at + 4], nowNanos);
                    expectationsReceived++;
                } else {
                    engine.removeExpectationsOfPeer(peer, algSlot);
                }
                ring.release();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- frames

    /** Copies {@code frame} (received on interface {@code interfaceIndex}) to {@code peer}; false when full. */
    boolean postFrame(int peer, int kind, int interfaceIndex, ReceivedFrame frame, boolean checksumNotReady) {
        SpscRing ring = framesOut[peer];
        if (frame.length > ring.frameBytes()) {
            frameRingFull++;
            return false;
        }
        int slot = ring.claim();
        if (slot < 0) {
            frameRingFull++;
            return false;
        }
        MemorySegment.copy(frame.segment, frame.offset, ring.frame(slot), 0, frame.length);
        long[] words = ring.words();
        int at = ring.wordsAt(slot);
        words[at] = kind;
        words[at + 1] = (long) interfaceIndex << 32 | (checksumNotReady ? 1 : 0);
        words[at + 2] = (long) frame.length << 32 | frame.wireLength & 0xffff_ffffL;
        words[at + 3] = (long) frame.gsoType << 32 | frame.gsoSize & 0xffff_ffffL;
        ring.publish();
        return true;
    }

    /** The ring {@code peer} writes frames to this worker in, or null for this worker itself. */
    SpscRing framesFrom(int peer) {
        return framesIn[peer];
    }

    /** Fills {@code frame} from {@code slot} of {@code ring}; returns the kind and leaves the interface in words. */
    static int readFrame(SpscRing ring, int slot, ReceivedFrame frame) {
        long[] words = ring.words();
        int at = ring.wordsAt(slot);
        frame.segment = ring.frame(slot);
        frame.offset = 0;
        frame.length = (int) (words[at + 2] >>> 32);
        frame.wireLength = (int) words[at + 2];
        frame.gsoType = (int) (words[at + 3] >>> 32);
        frame.gsoSize = (int) words[at + 3];
        frame.checksumNotReady = (words[at + 1] & 1) != 0;
        frame.vlanTagStripped = false;
        frame.packetType = 0;
        return (int) words[at];
    }

    static int frameInterface(SpscRing ring, int slot) {
        return (int) (ring.words()[ring.wordsAt(slot) + 1] >>> 32);
    }
}
