package dev.algd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void defaultsListenOn830AndKeepTheHostKeyBesideTheConfig() {
        Main.Options options = Main.parse(new String[] {"run", "--config", "/etc/algd/startup.xml"});
        assertEquals(830, options.port());
        assertEquals("0.0.0.0", options.address());
        assertEquals(Path.of("/etc/algd/ssh_host_key"), options.hostKey());
    }

    @Test
    void runningStateLivesUnderRunUnlessGiven() {
        assertEquals(Path.of("/run/algd/running.xml"),
                Main.parse(new String[] {"run", "--config", "c.xml"}).runningState());
        assertEquals(Path.of("/tmp/r.xml"),
                Main.parse(new String[] {"run", "--config", "c.xml", "--running-state", "/tmp/r.xml"}).runningState());
    }

    @Test
    void aPortOutsideTheRangeIsRefusedWithItsValue() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Main.parse(new String[] {"run", "--config", "c.xml", "--netconf-port", "70000"}));
        assertEquals("--netconf-port 70000 is not a port (1..65535)", e.getMessage());
    }

    @Test
    void oneWorkerUnlessToldAutoIsAtMostTwoAndTunKeepsOne() {
        assertEquals(1, Main.parse(new String[] {"run", "--config", "c.xml"}).workers());
        assertEquals(3, Main.parse(new String[] {"run", "--config", "c.xml", "--workers", "3"}).workers());
        assertEquals(Math.min(Runtime.getRuntime().availableProcessors(), 2),
                Main.parse(new String[] {"run", "--config", "c.xml", "--workers", "auto"}).workers());
        assertEquals(1, Main.parse(new String[] {"run", "--config", "c.xml", "--workers", "auto", "--tun", "t0"})
                .workers());
        var e = assertThrows(IllegalArgumentException.class,
                () -> Main.parse(new String[] {"run", "--config", "c.xml", "--workers", "2", "--tun", "t0"}));
        assertEquals("--workers 2 with --tun: a TUN device has one queue, so it works with one worker only (for now)",
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Main.parse(new String[] {"run", "--config", "c.xml", "--workers", "0"}));
    }

    @Test
    void runWithoutConfigIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"run"}));
    }

    @Test
    void sessionLimitsHaveDefaultsAndAreChecked() {
        Main.Options options = Main.parse(new String[] {"run", "--config", "c.xml"});
        assertEquals(3600, options.idleTimeoutSeconds());
        assertEquals(32, options.maxSessions());
        var e = assertThrows(IllegalArgumentException.class,
                () -> Main.parse(new String[] {"run", "--config", "c.xml", "--max-sessions", "0"}));
        assertEquals("--max-sessions 0 is not a session count (1..10000)", e.getMessage());
    }

    @Test
    void tunDevicesAccumulateFromRepeatedAndCommaSeparatedFlags() {
        assertEquals(Set.of(), Main.parse(new String[] {"run", "--config", "c.xml"}).tunDevices());
        Main.Options options = Main.parse(new String[] {"run", "--config", "c.xml", "--tun", "tin,tout", "--tun", "t2"});
        assertEquals(Set.of("tin", "tout", "t2"), options.tunDevices());
        var e = assertThrows(IllegalArgumentException.class,
                () -> Main.parse(new String[] {"run", "--config", "c.xml", "--tun", "tin,"}));
        assertEquals("--tun tin, names an empty device", e.getMessage());
    }

    @Test
    void sessionLimitsDefaultToTheEnginesAndCanBeSet() {
        Main.Options defaults = Main.parse(new String[] {"run", "--config", "c.xml"});
        assertEquals(dev.algd.engine.EngineLimits.defaults(), defaults.limits());
        Main.Options set = Main.parse(new String[] {"run", "--config", "c.xml", "--session-table-size", "4096",
                "--sessions-per-source", "100"});
        assertEquals(new dev.algd.engine.EngineLimits(4096, 100), set.limits());
        assertThrows(IllegalArgumentException.class,
                () -> Main.parse(new String[] {"run", "--config", "c.xml", "--sessions-per-source", "0"}));
    }
}
