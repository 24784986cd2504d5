package dev.algd.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.algd.engine.alg.Alg;
import dev.algd.engine.alg.ftp.FtpAlg;
import dev.algd.engine.alg.rpc.RpcAlg;
import dev.algd.engine.alg.rsh.RshAlg;
import dev.algd.engine.alg.tftp.TftpAlg;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlgTimeoutsTest {
    @Test
    void defaultExpectationTimeoutIsTheOneEachAlgWasWrittenWith() {
        for (Alg alg : List.of(new FtpAlg(), new TftpAlg(), new RshAlg(), new RpcAlg())) {
            assertEquals(alg.policy().expectationTimeoutSeconds(),
                    AlgTimeouts.defaults(alg.id()).expectationSeconds(), alg.id().yangName());
        }
    }

    @Test
    void timeoutsOutsideTheirRangesAreRefusedWithTheirPaths() {
        AlgSettings ftp = new AlgSettings(AlgId.FTP, true, List.of(), List.of(),
                AlgTimeouts.defaults(AlgId.FTP).withExpectationSeconds(0));
        AlgSettings sip = new AlgSettings(AlgId.SIP, true, List.of(), List.of(),
                AlgTimeouts.defaults(AlgId.SIP).withInviteSeconds(90_000).withMediaInactivitySeconds(5));
        EngineConfig config = new EngineConfig(java.util.Map.of(AlgId.FTP, ftp, AlgId.SIP, sip), List.of(),
                List.of(), List.of());

        List<Violation> violations = new EngineConfigValidator().validate(config);

        assertEquals(List.of("/system/alg/ftp/expectation-timeout", "/system/alg/sip/invite-timeout",
                "/system/alg/sip/media-inactivity-timeout"), violations.stream().map(Violation::path).toList());
        violations.forEach(v -> assertEquals(EngineConfigValidator.ALG_TIMEOUT_RANGE, v.appTag()));
        assertEquals("/system/alg/ftp/expectation-timeout: 0 seconds is out of range; use 1..86400 seconds",
                violations.get(0).message());
    }

    @Test
    void defaultTimeoutsAreValid() {
        assertEquals(List.of(), new EngineConfigValidator().validate(EngineConfig.empty()));
    }
}
