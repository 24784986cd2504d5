package dev.algd.engine.session;

/**
 * TCP connection tracking from the flags seen in each direction, close to Linux nf_conntrack_proto_tcp's table
 * but without sequence-window checks. States are {@link SessionState} ordinals; {@code aux} remembers which side
 * closed first and which side sent the last FIN, so the final ACK can be recognised.
 * <pre>
 *   SS --SYN(+ACK) reply--> SR --ACK original--> ES --FIN x--> FW --FIN y--> LA --ACK x--> TW
 *                                                               \--ACK y--> CW --FIN y--/
 *   any --RST--> CL        TW/CL --SYN original--> SS (RFC 793 §3.5: a new SYN may reopen TIME-WAIT)
 * </pre>
 */
final class TcpStateMachine {
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int ACK = 0x10;

    /** aux bit: the first FIN came from the reply side. */
    static final int AUX_CLOSER_REPLY = 1;
    /** aux bit: the most recent FIN came from the reply side. */
    static final int AUX_LAST_FIN_REPLY = 2;

    private static final int SS = SessionState.SS.ordinal();
    private static final int SR = SessionState.SR.ordinal();
    private static final int ES = SessionState.ES.ordinal();
    private static final int FW = SessionState.FW.ordinal();
    private static final int CW = SessionState.CW.ordinal();
    private static final int LA = SessionState.LA.ordinal();
    private static final int TW = SessionState.TW.ordinal();
    private static final int CL = SessionState.CL.ordinal();

    private TcpStateMachine() {
    }

    /**
     * The state of a session created by a packet with {@code flags}: SS for a bare SYN, otherwise ES — a flow
     * picked up in the middle (after a restart, as Linux does with nf_conntrack_tcp_loose=1). The creating packet
     * is then fed to {@link #next}, which moves a mid-stream FIN or RST on.
     */
    static int initialState(int flags) {
        return (flags & (SYN | ACK | RST)) == SYN ? SS : ES;
    }

    /** The packed {@code aux << 8 | state} after a packet with {@code flags} travelling in {@code direction}. */
    static int next(int state, int aux, int flags, int direction) {
        boolean syn = (flags & SYN) != 0;
        boolean ack = (flags & ACK) != 0;
        boolean fin = (flags & FIN) != 0;
        boolean fromReply = direction == Direction.REPLY;
        if ((flags & RST) != 0) {
            return pack(CL, aux);
        }
        if (syn && !ack && !fromReply && (state == TW || state == CL)) {
            return pack(SS, 0);
        }
        if (state == SS) {
            return pack(fromReply && syn ? SR : SS, aux);
        }
        if (state == SR) {
            if (fromReply || !ack || syn) {
                return pack(SR, aux);
            }
            state = ES;
        }
        if (state == ES) {
            return fin ? pack(FW, fromReply ? AUX_CLOSER_REPLY : 0) : pack(ES, aux);
        }
        boolean fromCloser = fromReply == ((aux & AUX_CLOSER_REPLY) != 0);
        if (state == FW && !fromCloser) {
            if (fin) {
                return pack(LA, lastFin(aux, fromReply));
            }
            return pack(ack ? CW : FW, aux);
        }
        if (state == CW && !fromCloser && fin) {
            return pack(LA, lastFin(aux, fromReply));
        }
        if (state == LA && fromReply != ((aux & AUX_LAST_FIN_REPLY) != 0) && ack && !fin) {
            return pack(TW, aux);
        }
        return pack(state, aux);
    }

    static int state(int packed) {
        return packed & 0xff;
    }

    static int aux(int packed) {
        return packed >>> 8;
    }

    private static int lastFin(int aux, boolean fromReply) {
        return fromReply ? aux | AUX_LAST_FIN_REPLY : aux & ~AUX_LAST_FIN_REPLY;
    }

    private static int pack(int state, int aux) {
        return aux << 8 | state;
    }
}
