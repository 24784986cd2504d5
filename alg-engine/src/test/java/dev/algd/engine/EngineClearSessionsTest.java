package dev.algd.engine;

import static dev.algd.engine.EngineHarness.INSIDE;
import static dev.algd.engine.EngineHarness.INSIDE_HOST;
import static dev.algd.engine.EngineHarness.SERVER;
import static dev.algd.engine.EngineHarness.masquerade;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.algd.engine.testing.TestPackets;
import org.junit.jupiter.api.Test;

class EngineClearSessionsTest {

    private static EngineHarness threeSessions() {
        EngineHarness h = new EngineHarness(masquerade(10));
        h.send(TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).flags(SYN).build(), INSIDE);
        h.send(TestPackets.tcp().from(INSIDE_HOST, 40001).to(SERVER, 8080).flags(SYN).build(), INSIDE);
        h.send(TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).build(), INSIDE);
        assertEquals(3, h.engine.sessions(h.now).size());
        return h;
    }

    @Test
    void clearingByPortRemovesOnlyTheMatchingSession() {
        EngineHarness h = threeSessions();
        assertEquals(1, h.engine.clearSessions(new SessionFilter(null, null, null, 8080, null), h.now));
        assertEquals(2, h.engine.sessions(h.now).size());
        assertEquals(0, h.engine.sessions(h.now).stream().filter(s -> s.destinationPort() == 8080).count());
    }

    @Test
    void clearingByProtocolAndByIdRemoveWhatTheyName() {
        EngineHarness h = threeSessions();
        assertEquals(1, h.engine.clearSessions(new SessionFilter(null, 17, null, null, null), h.now));
        long id = h.engine.sessions(h.now).getFirst().id();
        assertEquals(1, h.engine.clearSessions(new SessionFilter(id, null, null, null, null), h.now));
        assertEquals(1, h.engine.sessions(h.now).size());
    }

    @Test
    void clearedFlowStartsANewSessionOnItsNextPacket() {
        EngineHarness h = threeSessions();
        assertEquals(3, h.engine.clearSessions(SessionFilter.ALL, h.now));
        h.send(TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).flags(SYN).build(), INSIDE);
        assertEquals(1, h.engine.sessions(h.now).size());
    }
}
