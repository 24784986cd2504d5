package dev.algd.server.netconf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.server.model.AlgdModel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** with-defaults, XPath filters and the unknown-node check over algd's real models, on XML as OpenDaylight writes it. */
class RetrievalOptionsTest {
    private static final String NAT = "urn:algd:yang:algd-nat";
    private static final String SYS = "urn:algd:yang:algd-system";
    private static final String DATA = """
            <data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
              <service xmlns="urn:algd:yang:algd-nat"><nat><source>
                <rule><id>100</id><description>inside</description><outbound-interface>outside</outbound-interface></rule>
                <rule><id>200</id><protocol>all</protocol></rule>
              </source></nat></service>
              <system xmlns="urn:algd:yang:algd-system"><alg><ftp><port>2121</port></ftp></alg></system>
            </data>""";

    private static DataSchema schema;

    @BeforeAll
    static void loadModel() {
        schema = new DataSchema(AlgdModel.load().modelContext());
    }

    private static Element parse(String xml) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                .getDocumentElement();
    }

    private static Element rule(Element data, String id) {
        var rules = data.getElementsByTagNameNS(NAT, "rule");
        for (int i = 0; i < rules.getLength(); i++) {
            Element rule = (Element) rules.item(i);
            if (id.equals(rule.getElementsByTagNameNS(NAT, "id").item(0).getTextContent())) {
                return rule;
            }
        }
        return null;
    }

    private static String leaf(Element parent, String name) {
        var found = parent.getElementsByTagNameNS(NAT, name);
        return found.getLength() == 0 ? null : found.item(0).getTextContent();
    }

    @Test
    void reportAllAddsTheYangDefaultOnlyWhereTheLeafIsUnset() throws Exception {
        Element data = parse(DATA);
        new WithDefaults(schema).apply(data, WithDefaults.Mode.REPORT_ALL, true);
        assertEquals("all", leaf(rule(data, "100"), "protocol"));
        assertEquals(1, rule(data, "200").getElementsByTagNameNS(NAT, "protocol").getLength());
    }

    @Test
    void trimRemovesALeafSetToItsDefaultAndTaggedMarksIt() throws Exception {
        Element trimmed = parse(DATA);
        new WithDefaults(schema).apply(trimmed, WithDefaults.Mode.TRIM, true);
        assertNull(leaf(rule(trimmed, "200"), "protocol"));
        assertEquals("inside", leaf(rule(trimmed, "100"), "description"));

        Element tagged = parse(DATA);
        new WithDefaults(schema).apply(tagged, WithDefaults.Mode.REPORT_ALL_TAGGED, true);
        Element protocol = (Element) rule(tagged, "100").getElementsByTagNameNS(NAT, "protocol").item(0);
        assertEquals("true", protocol.getAttributeNS(WithDefaults.TAG_NAMESPACE, "default"));
    }

    @Test
    void xpathKeepsTheSelectedLeafItsAncestorsAndTheirKeys() throws Exception {
        Element filter = parse("<filter xmlns='urn:ietf:params:xml:ns:netconf:base:1.0' xmlns:n='" + NAT
                + "' type='xpath' select=\"/n:service/n:nat/n:source/n:rule[n:id='100']/n:description\"/>");
        Element data = parse(DATA);
        XPathFilter.of(filter).apply(data, schema);
        Element rule = rule(data, "100");
        assertEquals("inside", leaf(rule, "description"));
        assertNull(leaf(rule, "outbound-interface"));
        assertNull(rule(data, "200"));
        assertEquals(0, data.getElementsByTagNameNS(SYS, "system").getLength());
        assertEquals(1, rule.getElementsByTagNameNS(NAT, "id").getLength(), "the key is copied once");
    }

    @Test
    void xpathSelectingAKeyDoesNotDuplicateIt() throws Exception {
        Element filter = parse("<filter xmlns:n='" + NAT + "' type='xpath' select='//n:rule/n:id'/>");
        Element data = parse(DATA);
        XPathFilter.of(filter).apply(data, schema);
        assertEquals(1, rule(data, "200").getElementsByTagNameNS(NAT, "id").getLength());
        assertNull(leaf(rule(data, "200"), "protocol"));
    }

    @Test
    void badXpathFiltersAreRefusedWithAReason() throws Exception {
        var undeclared = assertThrows(XPathFilter.BadFilter.class,
                () -> XPathFilter.of(parse("<filter type='xpath' select='/x:service'/>")));
        assertTrue(undeclared.getMessage().contains("prefix 'x' is not declared"), undeclared.getMessage());
        assertThrows(XPathFilter.BadFilter.class,
                () -> XPathFilter.of(parse("<filter xmlns:n='" + NAT + "' type='xpath' select='/n:service['/>")));
        assertThrows(XPathFilter.BadFilter.class, () -> XPathFilter.of(parse("<filter type='xpath'/>")));
        Element count = parse("<filter xmlns:n='" + NAT + "' type='xpath' select='count(//n:rule)'/>");
        assertThrows(XPathFilter.BadFilter.class, () -> XPathFilter.of(count).apply(parse(DATA), schema));
    }

    @Test
    void unknownElementsAreNamedWithTheirParentsPath() throws Exception {
        Element config = parse("<config><service xmlns='" + NAT + "'><nat><source><rule><id>7</id><colour/></rule>"
                + "</source></nat></service></config>");
        var unknown = new UnknownNodes(schema).find(WithDefaults.children(config));
        assertEquals("unknown-element", unknown.tag());
        assertEquals("colour", unknown.badElement());
        assertEquals("/algd-nat:service/algd-nat:nat/algd-nat:source/algd-nat:rule[algd-nat:id='7']",
                unknown.parentPath());
        var namespace = new UnknownNodes(schema).find(WithDefaults.children(parse(
                "<config><system xmlns='urn:example:x'/></config>")));
        assertEquals("unknown-namespace", namespace.tag());
        assertNull(new UnknownNodes(schema).find(WithDefaults.children(parse(DATA))));
    }
}
