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
    void aPortOutsideTheRangeIsRefusedWithItsValue() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Main.parse(new String[] {"run", "--config", "c.xml", "--netconf-port", "70000"}));
        assertEquals("--netconf-port 70000 is not a port (1..65535)", e.getMessage());
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
