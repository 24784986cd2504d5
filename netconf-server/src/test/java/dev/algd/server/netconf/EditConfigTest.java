package dev.algd.server.netconf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class EditConfigTest {
    @Test
    void valueIsFoundInBothShapesOfYangtoolsTypeErrors() {
        // Both messages as yangtools 14.0.20 words them (seen from edit-config with ports 70000 and 0).
        assertEquals("70000", EditConfig.offendingValue("Invalid range: 70000, expected: [[0..65535]]."));
        assertEquals("0", EditConfig.offendingValue("Value '0'  is not in required ranges [[1..65535]]"));
    }

    @Test
    void messageWithoutValueGivesNone() {
        assertNull(EditConfig.offendingValue("something went wrong"));
    }
}
