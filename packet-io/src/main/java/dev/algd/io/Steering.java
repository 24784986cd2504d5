package dev.algd.io;

import dev.algd.engine.alg.Expectation;
import dev.algd.engine.config.DestinationNatRule;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.route.Fib;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which worker owns a flow (MULTICORE.md): a hash of the flow's <em>external address</em>, the one NAT never
 * changes. On an inside interface that is the packet's destination, on an outside interface its source; an ICMP
 * error is steered by the external address of the packet it quotes. The kernel computes the same function with the
 * classic BPF program of {@link #program} (PACKET_FANOUT_CBPF), so both directions of a flow reach one worker.
 * <p>
 * Why the address alone, not address and port as MULTICORE.md first proposed: fragments after the first carry no
 * ports, and steering them by address needs no reassembly in the kernel (PACKET_FANOUT_FLAG_DEFRAG would hand algd
 * packets larger than the egress MTU, which it does not fragment); and an ALG's expectation almost always names
 * its child's external address but often not its port (an active FTP or TFTP child comes from any source port), so
 * its owner is known when the expectation is made. The cost: one pair of hosts never spreads over two workers.
 * <p>
 * Frames that are not IPv4 (ARP, IPv6) go to worker 0, which holds the one neighbour table (DataPlane copies what it
 * learns from ARP to the other workers) and every IPv6 session.
 */
final class Steering {
    /** {@link #ownerOfExpectation}: the child's external address is unknown; every worker gets a copy. */
    static final int EVERY_WORKER = -1;

    static final int MIX1 = 0x9E37_79B1;
    static final int MIX2 = 0x85EB_CA6B;

    private final int workers;
    private final boolean[] outside;
    private final Fib fib;

    Steering(EngineConfig config, int workers) {
        this.workers = workers;
        this.fib = Fib.build(config);
        List<String> names = config.interfaces().stream().map(i -> i.name()).toList();
        Set<String> outsideNames = outsideInterfaces(config);
        outside = new boolean[names.size()];
        for (int i = 0; i < outside.length; i++) {
            outside[i] = outsideNames.contains(names.get(i));
        }
    }

    /**
     * Outside interfaces: the outbound interface of a source NAT rule or the inbound interface of a destination NAT
     * rule. An interface that is both (hairpin) gets the outside role; flows that then miss their owner are handed
     * off (DataPlane).
     */
    static Set<String> outsideInterfaces(EngineConfig config) {
        Set<String> names = new HashSet<>();
        for (SourceNatRule rule : config.sourceNatRules()) {
            if (!rule.disabled() && rule.outboundInterface() != null) {
                names.add(rule.outboundInterface());
            }
        }
        for (DestinationNatRule rule : config.destinationNatRules()) {
            if (!rule.disabled() && rule.inboundInterface() != null) {
                names.add(rule.inboundInterface());
            }
        }
        return names;
    }

    int workers() {
        return workers;
    }

    boolean isOutside(int interfaceIndex) {
        return interfaceIndex >= 0 && interfaceIndex < outside.length && outside[interfaceIndex];
    }

    /** The same arithmetic as the BPF program: 32-bit multiply, xor-shift, and the kernel's unsigned modulo. */
    static int hash(int address) {
        int h = address * MIX1;
        h ^= h >>> 16;
        h *= MIX2;
        h ^= h >>> 13;
        return h;
    }

    int ownerOf(int externalAddress) {
        return Integer.remainderUnsigned(hash(externalAddress), workers);
    }

    /**
     * The worker that will see the child flow {@code request} describes, or {@link #EVERY_WORKER} when its source
     * (which decides its ingress interface, hence which of its addresses is external) may be any address.
     */
    int ownerOfExpectation(Expectation request) {
        if (request.fromAnyAddress()) {
            return EVERY_WORKER;
        }
        int source = request.expectedSourceAddress();
        long route = fib.lookup(source);
        if (route == Fib.NO_ROUTE) {
            return EVERY_WORKER;
        }
        return ownerOf(isOutside(Fib.egressInterface(route)) ? source : request.expectedDestinationAddress());
    }

    // ------------------------------------------------------------------------------------------- classic BPF

    // linux/filter.h and linux/bpf_common.h
    static final int BPF_LD = 0x00;
    static final int BPF_LDX = 0x01;
    static final int BPF_ST = 0x02;
    static final int BPF_ALU = 0x04;
    static final int BPF_JMP = 0x05;
    static final int BPF_RET = 0x06;
    static final int BPF_MISC = 0x07;
    static final int BPF_W = 0x00;
    static final int BPF_H = 0x08;
    static final int BPF_B = 0x10;
    static final int BPF_ABS = 0x20;
    static final int BPF_IND = 0x40;
    static final int BPF_MEM = 0x60;
    static final int BPF_MSH = 0xa0;
    static final int BPF_MUL = 0x20;
    static final int BPF_RSH = 0x70;
    static final int BPF_XOR = 0xa0;
    static final int BPF_JA = 0x00;
    static final int BPF_JEQ = 0x10;
    static final int BPF_K = 0x00;
    static final int BPF_X = 0x08;
    static final int BPF_A = 0x10;
    static final int BPF_TAX = 0x00;
    /** SKF_AD_OFF + SKF_AD_PROTOCOL: the frame's ethertype, host order. */
    static final int SKF_AD_PROTOCOL = -0x1000;

    private static final int ETH_P_IP = 0x0800;
    private static final int PROTOCOL_ICMP = 1;

    /**
     * The program the kernel runs for every frame of a device's fanout group ({@code fanout_demux_bpf}: the
     * program's return value modulo the number of members picks the socket, in the order they joined). Offsets are
     * from the IP header: the fanout hook runs before packet_rcv pushes the link-layer header back. Each instruction
     * is a {@code struct sock_filter} packed in a long: code u16, jt u8, jf u8, k u32 (as {@link #fprog} lays out).
     *
     * @param outside hash the source address (outside interface) rather than the destination (inside)
     */
    static long[] program(boolean outside) {
        int address = outside ? 12 : 16;
        // An ICMP error quotes a packet of the flow as it left algd on the other side: out of an outside interface
        // (quoted destination = external), or out of an inside one (quoted source = external).
        int quoted = 8 + (outside ? 16 : 12);
        return new long[] {
            insn(BPF_LD | BPF_H | BPF_ABS, 0, 0, SKF_AD_PROTOCOL),   // 0  A = ethertype
            insn(BPF_JMP | BPF_JEQ | BPF_K, 0, 23, ETH_P_IP),        // 1  not IPv4: 25
            insn(BPF_LD | BPF_B | BPF_ABS, 0, 0, 9),                 // 2  A = protocol
            insn(BPF_JMP | BPF_JEQ | BPF_K, 0, 7, PROTOCOL_ICMP),    // 3  not ICMP: 11
            insn(BPF_LDX | BPF_B | BPF_MSH, 0, 0, 0),                // 4  X = IP header length
            insn(BPF_LD | BPF_B | BPF_IND, 0, 0, 0),                 // 5  A = ICMP type
            insn(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 3),                // 6  destination unreachable: 9
            insn(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 11),               // 7  time exceeded: 9
            insn(BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 12),               // 8  parameter problem: 9, else 11
            insn(BPF_LD | BPF_W | BPF_IND, 0, 0, quoted),            // 9  A = quoted external address
            insn(BPF_JMP | BPF_JA, 0, 0, 1),                         // 10 to 12
            insn(BPF_LD | BPF_W | BPF_ABS, 0, 0, address),           // 11 A = external address
            insn(BPF_ALU | BPF_MUL | BPF_K, 0, 0, MIX1),             // 12 hash(A), as hash() does
            insn(BPF_ST, 0, 0, 0),
            insn(BPF_ALU | BPF_RSH | BPF_K, 0, 0, 16),
            insn(BPF_MISC | BPF_TAX, 0, 0, 0),
            insn(BPF_LD | BPF_MEM, 0, 0, 0),
            insn(BPF_ALU | BPF_XOR | BPF_X, 0, 0, 0),
            insn(BPF_ALU | BPF_MUL | BPF_K, 0, 0, MIX2),
            insn(BPF_ST, 0, 0, 0),
            insn(BPF_ALU | BPF_RSH | BPF_K, 0, 0, 13),
            insn(BPF_MISC | BPF_TAX, 0, 0, 0),
            insn(BPF_LD | BPF_MEM, 0, 0, 0),
            insn(BPF_ALU | BPF_XOR | BPF_X, 0, 0, 0),
            insn(BPF_RET | BPF_A, 0, 0, 0),                          // 24 the kernel takes it modulo the members
            insn(BPF_RET | BPF_K, 0, 0, 0),                          // 25 worker 0
        };
    }

    static long insn(int code, int jt, int jf, int k) {
        return (long) code << 48 | (long) jt << 40 | (long) jf << 32 | k & 0xffff_ffffL;
    }

    /** {@code struct sock_fprog} (len u16, pad, filter pointer) over the instructions, in {@code arena}. */
    static MemorySegment fprog(long[] program, Arena arena) {
        MemorySegment filter = arena.allocate(8L * program.length, 8);
        for (int i = 0; i < program.length; i++) {
            long insn = program[i];
            long at = 8L * i;
            filter.set(ValueLayout.JAVA_SHORT, at, (short) (insn >>> 48));
            filter.set(ValueLayout.JAVA_BYTE, at + 2, (byte) (insn >>> 40));
            filter.set(ValueLayout.JAVA_BYTE, at + 3, (byte) (insn >>> 32));
            filter.set(ValueLayout.JAVA_INT, at + 4, (int) insn);
        }
        MemorySegment fprog = arena.allocate(16, 8);
        fprog.set(ValueLayout.JAVA_SHORT, 0, (short) program.length);
        fprog.set(ValueLayout.ADDRESS, 8, filter);
        return fprog;
    }
}
