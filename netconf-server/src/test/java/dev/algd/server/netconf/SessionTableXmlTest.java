package dev.algd.server.netconf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.algd.engine.SessionView;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.Ipv4Addresses;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class SessionTableXmlTest {
    private static SessionView session(String interfaceName) {
        return new SessionView(7L << 20 | 3, 6, Ipv4Addresses.parse("192.0.2.10"), 40000,
                Ipv4Addresses.parse("198.51.100.7"), 21, Ipv4Addresses.parse("203.0.113.1"), 1024, "ES", 7440,
                interfaceName, 0, AlgId.FTP, Set.of("snat", "alg"), 5, 300, 4, 200,
                Ipv4Addresses.parse("198.51.100.7"), 21);
    }

    /** One streamed row inside its table, parsed back. */
    private static Element parsedRow(SessionView session) throws Exception {
        StringBuilder out = new StringBuilder();
        SessionTableXml.openTable(out);
        SessionTableXml.session(out, session);
        out.append("</session-table>");
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Element table = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        return (Element) table.getElementsByTagNameNS(SessionTableXml.NAMESPACE, "session").item(0);
    }

    private static String leaf(Element row, String name) {
        return row.getElementsByTagNameNS(SessionTableXml.NAMESPACE, name).item(0).getTextContent();
    }

    @Test
    void aStreamedRowCarriesEachLeafAsTheModelTypesIt() throws Exception {
        Element row = parsedRow(session("inside"));
        assertEquals(Long.toString(7L << 20 | 3), leaf(row, "id"));
        assertEquals("tcp [6]", leaf(row, "protocol"));
        assertEquals("192.0.2.10", leaf(row, "source-address"));
        assertEquals("203.0.113.1", leaf(row, "translated-address"));
        assertEquals("1024", leaf(row, "translated-port"));
        assertEquals("inside", leaf(row, "interface"));
        assertEquals("ftp", leaf(row, "alg"));
        assertEquals("300", leaf(row, "bytes-original"));
        assertEquals(2, row.getElementsByTagNameNS(SessionTableXml.NAMESPACE, "feature").getLength());
    }

    @Test
    void markupInAValueIsEscapedAndReadsBackAsWritten() throws Exception {
        assertEquals("a&b<c>d", leaf(parsedRow(session("a&b<c>d")), "interface"));
    }
}
