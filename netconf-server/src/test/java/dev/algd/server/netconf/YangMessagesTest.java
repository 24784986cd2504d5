package dev.algd.server.netconf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class YangMessagesTest {
    // As mdsal 15 / yangtools 14 word it when a candidate rule lacks outbound-interface (seen over NETCONF).
    private static final String MISSING = "Node (urn:algd:yang:algd-nat?revision=2026-11-25)rule[{(urn:algd:yang:"
            + "algd-nat?revision=2026-11-25)id=22}] is missing mandatory descendant /(urn:algd:yang:algd-nat?"
            + "revision=2026-11-25)outbound-interface";

    @Test
    void missingMandatoryLeafIsNamedWithoutNamespaces() {
        assertEquals("rule[id='22'] is missing its mandatory outbound-interface; set it, or delete the rule",
                YangMessages.missingMandatory(MISSING));
    }

    @Test
    void otherFailuresAreNotMistakenForAMissingLeaf() {
        assertNull(YangMessages.missingMandatory("Invalid range: 70000"));
    }

    @Test
    void cleanStripsQualifiedNames() {
        assertEquals("rule[id='22']", YangMessages.clean("(urn:algd:yang:algd-nat?revision=2026-11-25)rule[{"
                + "(urn:algd:yang:algd-nat?revision=2026-11-25)id=22}]"));
    }
}
