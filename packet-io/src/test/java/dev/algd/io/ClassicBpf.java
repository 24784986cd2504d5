package dev.algd.io;

/**
 * A classic BPF interpreter for the instructions {@link Steering#program} uses, run over an IP packet the way the
 * kernel's fanout hook does (offsets from the IP header; {@code SKF_AD_PROTOCOL} is the frame's ethertype). A load
 * past the end ends the program with 0, as in the kernel.
 */
final class ClassicBpf {
    private ClassicBpf() {
    }

    static int run(long[] program, byte[] packet, int ethertype) {
        int a = 0;
        int x = 0;
        int[] memory = new int[16];
        int pc = 0;
        while (true) {
            long insn = program[pc++];
            int code = (int) (insn >>> 48) & 0xffff;
            int jt = (int) (insn >>> 40) & 0xff;
            int jf = (int) (insn >>> 32) & 0xff;
            int k = (int) insn;
            switch (code) {
                case Steering.BPF_LD | Steering.BPF_H | Steering.BPF_ABS -> {
                    if (k == Steering.SKF_AD_PROTOCOL) {
                        a = ethertype;
                    } else {
                        if (k + 2 > packet.length) {
                            return 0;
                        }
                        a = (packet[k] & 0xff) << 8 | packet[k + 1] & 0xff;
                    }
                }
                case Steering.BPF_LD | Steering.BPF_B | Steering.BPF_ABS -> {
                    if (k + 1 > packet.length) {
                        return 0;
                    }
                    a = packet[k] & 0xff;
                }
                case Steering.BPF_LD | Steering.BPF_W | Steering.BPF_ABS -> {
                    if (k + 4 > packet.length) {
                        return 0;
                    }
                    a = word(packet, k);
                }
                case Steering.BPF_LD | Steering.BPF_B | Steering.BPF_IND -> {
                    if (x + k + 1 > packet.length) {
                        return 0;
                    }
                    a = packet[x + k] & 0xff;
                }
                case Steering.BPF_LD | Steering.BPF_W | Steering.BPF_IND -> {
                    if (x + k + 4 > packet.length) {
                        return 0;
                    }
                    a = word(packet, x + k);
                }
                case Steering.BPF_LDX | Steering.BPF_B | Steering.BPF_MSH -> {
                    if (k + 1 > packet.length) {
                        return 0;
                    }
                    x = (packet[k] & 0x0f) << 2;
                }
                case Steering.BPF_LD | Steering.BPF_MEM -> a = memory[k];
                case Steering.BPF_ST -> memory[k] = a;
                case Steering.BPF_MISC | Steering.BPF_TAX -> x = a;
                case Steering.BPF_ALU | Steering.BPF_MUL | Steering.BPF_K -> a *= k;
                case Steering.BPF_ALU | Steering.BPF_RSH | Steering.BPF_K -> a >>>= k;
                case Steering.BPF_ALU | Steering.BPF_XOR | Steering.BPF_X -> a ^= x;
                case Steering.BPF_JMP | Steering.BPF_JA -> pc += k;
                case Steering.BPF_JMP | Steering.BPF_JEQ | Steering.BPF_K -> pc += a == k ? jt : jf;
                case Steering.BPF_RET | Steering.BPF_A -> {
                    return a;
                }
                case Steering.BPF_RET | Steering.BPF_K -> {
                    return k;
                }
                default -> throw new AssertionError("instruction 0x" + Integer.toHexString(code) + " at " + (pc - 1));
            }
        }
    }

    private static int word(byte[] packet, int at) {
        return (packet[at] & 0xff) << 24 | (packet[at + 1] & 0xff) << 16 | (packet[at + 2] & 0xff) << 8
                | packet[at + 3] & 0xff;
    }
}
