package dev.algd.engine.alg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.AlgSettings;
import dev.algd.engine.config.EngineConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlgRegistryTest {
    private static final int TCP = 6;
    private static final int UDP = 17;

    private static Alg[] implementing(AlgId... ids) {
        Alg[] algs = new Alg[AlgId.values().length];
        for (AlgId id : ids) {
            algs[id.ordinal()] = new Alg() {
                @Override
                public AlgId id() {
                    return id;
                }

                @Override
                public AlgPolicy policy() {
                    return new AlgPolicy(1, 10);
                }

                @Override
                public AlgOutcome inspect(AlgPacket packet) {
                    return AlgOutcome.PASS;
                }
            };
        }
        return algs;
    }

    private static EngineConfig config(AlgSettings... settings) {
        Map<AlgId, AlgSettings> algs = new java.util.EnumMap<>(AlgId.class);
        for (AlgSettings s : settings) {
            algs.put(s.alg(), s);
        }
        return new EngineConfig(algs, List.of(), List.of(), List.of());
    }

    @Test
    void enabledAlgsMapTheirDefaultPortsOnTheirTransports() {
        AlgRegistry registry = AlgRegistry.build(config(), implementing(AlgId.FTP, AlgId.TFTP, AlgId.SIP));
        assertEquals(AlgId.FTP.ordinal(), registry.algFor(TCP, 21));
        assertEquals(AlgRegistry.NO_ALG, registry.algFor(UDP, 21), "FTP runs on TCP only");
        assertEquals(AlgId.TFTP.ordinal(), registry.algFor(UDP, 69));
        assertEquals(AlgId.SIP.ordinal(), registry.algFor(TCP, 5060));
        assertEquals(AlgId.SIP.ordinal(), registry.algFor(UDP, 5060));
        assertEquals(AlgRegistry.NO_ALG, registry.algFor(1, 21), "ICMP has no ports");
    }

    @Test
    void algWithoutImplementationMapsNothing() {
        AlgRegistry registry = AlgRegistry.build(config(), implementing(AlgId.FTP));
        assertEquals(AlgRegistry.NO_ALG, registry.algFor(TCP, 5060));
    }

    @Test
    void disabledAlgMapsNothing() {
        AlgRegistry registry = AlgRegistry.build(config(new AlgSettings(AlgId.FTP, false, List.of(), List.of())),
                implementing(AlgId.FTP));
        assertEquals(AlgRegistry.NO_ALG, registry.algFor(TCP, 21));
    }

    @Test
    void configuredPortsReplaceTheDefault() {
        AlgRegistry registry = AlgRegistry.build(
                config(new AlgSettings(AlgId.FTP, true, List.of(2121, 2122), List.of())), implementing(AlgId.FTP));
        assertEquals(AlgRegistry.NO_ALG, registry.algFor(TCP, 21));
        assertEquals(AlgId.FTP.ordinal(), registry.algFor(TCP, 2121));
        assertEquals(AlgId.FTP.ordinal(), registry.algFor(TCP, 2122));
    }
}
