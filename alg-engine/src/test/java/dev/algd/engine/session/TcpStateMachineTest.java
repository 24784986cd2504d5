package dev.algd.engine.session;

import static dev.algd.engine.session.Direction.ORIGINAL;
import static dev.algd.engine.session.Direction.REPLY;
import static dev.algd.engine.session.TcpStateMachine.ACK;
import static dev.algd.engine.session.TcpStateMachine.FIN;
import static dev.algd.engine.session.TcpStateMachine.RST;
import static dev.algd.engine.session.TcpStateMachine.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TcpStateMachineTest {
    private int state;
    private int aux;

    private void start(int flags) {
        state = TcpStateMachine.initialState(flags);
        aux = 0;
        see(ORIGINAL, flags);
    }

    private SessionState see(int direction, int flags) {
        int packed = TcpStateMachine.next(state, aux, flags, direction);
        state = TcpStateMachine.state(packed);
        aux = TcpStateMachine.aux(packed);
        return SessionState.ofOrdinal(state);
    }

    @Test
    void handshakeAndCloseInitiatedByTheClientWalkEveryState() {
        start(SYN);
        assertEquals(SessionState.SS, SessionState.ofOrdinal(state));
        assertEquals(SessionState.SR, see(REPLY, SYN | ACK));
        assertEquals(SessionState.ES, see(ORIGINAL, ACK));
        assertEquals(SessionState.ES, see(REPLY, ACK));
        assertEquals(SessionState.FW, see(ORIGINAL, FIN | ACK));
        assertEquals(SessionState.FW, see(ORIGINAL, FIN | ACK), "a retransmitted FIN changes nothing");
        assertEquals(SessionState.CW, see(REPLY, ACK));
        assertEquals(SessionState.LA, see(REPLY, FIN | ACK));
        assertEquals(SessionState.TW, see(ORIGINAL, ACK));
    }

    @Test
    void closeInitiatedByTheServerWaitsForTheClientsFinalAck() {
        start(SYN);
        see(REPLY, SYN | ACK);
        see(ORIGINAL, ACK);
        assertEquals(SessionState.FW, see(REPLY, FIN | ACK));
        assertEquals(SessionState.FW, see(REPLY, ACK), "the closer's own packets do not move FW");
        assertEquals(SessionState.LA, see(ORIGINAL, FIN | ACK));
        assertEquals(SessionState.LA, see(ORIGINAL, ACK), "the last FIN's sender cannot acknowledge itself");
        assertEquals(SessionState.TW, see(REPLY, ACK));
    }

    @Test
    void simultaneousCloseGoesFromFinWaitToLastAck() {
        start(SYN);
        see(REPLY, SYN | ACK);
        see(ORIGINAL, ACK);
        see(ORIGINAL, FIN | ACK);
        assertEquals(SessionState.LA, see(REPLY, FIN | ACK));
        assertEquals(SessionState.TW, see(ORIGINAL, ACK));
    }

    @Test
    void resetClosesFromAnyState() {
        start(SYN);
        assertEquals(SessionState.CL, see(REPLY, RST | ACK));
        start(SYN);
        see(REPLY, SYN | ACK);
        see(ORIGINAL, ACK);
        assertEquals(SessionState.CL, see(ORIGINAL, RST));
    }

    @Test
    void newSynReopensATimeWaitSession() {
        start(SYN);
        see(REPLY, SYN | ACK);
        see(ORIGINAL, ACK);
        see(ORIGINAL, FIN | ACK);
        see(REPLY, FIN | ACK);
        assertEquals(SessionState.TW, see(ORIGINAL, ACK));
        assertEquals(SessionState.SS, see(ORIGINAL, SYN));
        assertEquals(SessionState.SR, see(REPLY, SYN | ACK));
    }

    @Test
    void midStreamPacketIsPickedUpAsEstablished() {
        start(ACK);
        assertEquals(SessionState.ES, SessionState.ofOrdinal(state));
        start(FIN | ACK);
        assertEquals(SessionState.FW, SessionState.ofOrdinal(state));
    }

    @Test
    void ackFromTheServerBeforeItsSynAckDoesNotEstablish() {
        start(SYN);
        assertEquals(SessionState.SS, see(REPLY, ACK));
        assertEquals(SessionState.SS, see(ORIGINAL, ACK));
        see(REPLY, SYN | ACK);
        assertEquals(SessionState.SR, see(REPLY, ACK), "only the client's ACK completes the handshake");
        assertEquals(SessionState.ES, see(ORIGINAL, ACK));
    }
}
