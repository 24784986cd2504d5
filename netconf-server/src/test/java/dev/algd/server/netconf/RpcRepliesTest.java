package dev.algd.server.netconf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class RpcRepliesTest {
    @Test
    void errorPathGetsTheModulePrefixOnEveryNodeAndKey() throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Element path = factory.newDocumentBuilder().newDocument().createElementNS("x", "error-path");
        RpcReplies.qualify("/service/nat/source/rule[id='22']/outbound-interface", path);
        assertEquals("/algd-nat:service/algd-nat:nat/algd-nat:source/algd-nat:rule[algd-nat:id='22']"
                + "/algd-nat:outbound-interface", path.getTextContent());
        assertEquals("urn:algd:yang:algd-nat", path.getAttributeNS("http://www.w3.org/2000/xmlns/", "algd-nat"));
    }

    @Test
    void leafListPredicateStaysUnprefixed() throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Element path = factory.newDocumentBuilder().newDocument().createElementNS("x", "error-path");
        RpcReplies.qualify("/system/alg/tftp/port[.='21']", path);
        assertEquals("/algd-sys:system/algd-sys:alg/algd-sys:tftp/algd-sys:port[.='21']", path.getTextContent());
    }

    @Test
    void firewallAugmentOfAnInterfaceSwitchesToItsOwnModule() throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Element path = factory.newDocumentBuilder().newDocument().createElementNS("x", "error-path");
        RpcReplies.qualify("/interfaces/interface[name='outside']/firewall/in", path);
        assertEquals("/algd-if:interfaces/algd-if:interface[algd-if:name='outside']/algd-fw:firewall/algd-fw:in",
                path.getTextContent());
    }
}
