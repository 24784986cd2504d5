package dev.algd.server.netconf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.algd.engine.alg.ExpectationView;
import dev.algd.engine.config.AlgId;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveStateBrokerTest {
    private static ExpectationView expectation(long parent, int port, long timeout) {
        return new ExpectationView(AlgId.FTP, parent, 6, false, "192.0.2.2", ExpectationView.ANY, "198.51.100.2",
                port, null, ExpectationView.ANY, null, ExpectationView.ANY, timeout, true);
    }

    @Test
    void anExpectationPostedToAnotherWorkerIsListedOnceWithTheTimeoutLeftSoonest() {
        // Worker 0 (the parent's) and worker 1 (the child's) hold the same expectation, read a moment apart.
        List<ExpectationView> worker0 = List.of(expectation(7, 40000, 3), expectation(7, 40001, 9));
        List<ExpectationView> worker1 = List.of(expectation(7, 40000, 2), expectation(8, 40000, 5));

        assertEquals(List.of(expectation(7, 40000, 2), expectation(7, 40001, 9), expectation(8, 40000, 5)),
                LiveStateBroker.union(worker0, worker1));
    }
}
