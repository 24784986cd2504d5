package dev.algd.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.AlgTimeouts;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.Ipv4Addresses;
import dev.algd.engine.config.PortRange;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.server.model.AlgdModel;
import dev.algd.server.model.Nodes.SystemAlg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTranslatorTest {
    private static AlgdModel model;

    @TempDir
    Path temp;

    @BeforeAll
    static void loadModel() {
        model = AlgdModel.load();
    }

    private ConfigTranslator.Result translate(String body) throws Exception {
        Path file = temp.resolve("c.xml");
        Files.writeString(file, "<config xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">" + body + "</config>");
        return new ConfigTranslator().translate(new ConfigFile(file, model.modelContext()).load());
    }

    @Test
    void demoStartupBecomesInterfacesAndAMasqueradeRule() throws Exception {
        var root = new ConfigFile(Path.of("../examples/demo/startup.xml"), model.modelContext()).load();
        EngineConfig config = new ConfigTranslator().translate(root).config();
        assertEquals(List.of("inside", "outside"), config.interfaces().stream().map(i -> i.name()).toList());
        assertEquals("198.51.100.1/24", config.interfaces().get(1).addresses().getFirst().toString());
        SourceNatRule rule = config.sourceNatRules().getFirst();
        assertEquals(100, rule.id());
        assertEquals("outside", rule.outboundInterface());
        assertTrue(rule.isMasquerade());
        assertTrue(rule.sourceAddress().contains(Ipv4Addresses.parse("192.0.2.77")));
        assertTrue(config.alg(AlgId.FTP).enabled());
        assertEquals(List.of(21), config.alg(AlgId.FTP).effectivePorts());
    }

    @Test
    void configuredPortsReplaceTheDefaultAndDisableIsRead() throws Exception {
        EngineConfig config = translate("""
                <system xmlns="urn:algd:yang:algd-system"><alg>
                  <ftp><port>2121</port><port>2122</port></ftp>
                  <sip><disable/></sip>
                  <rpc><program>100099</program></rpc>
                </alg></system>""").config();
        assertEquals(List.of(2121, 2122), config.alg(AlgId.FTP).effectivePorts());
        assertTrue(!config.alg(AlgId.SIP).enabled());
        assertTrue(config.alg(AlgId.RPC).effectivePrograms().containsAll(List.of(100000L, 100099L)));
    }

    @Test
    void configuredTimeoutsAreReadAndAbsentOnesGetTheirDefaults() throws Exception {
        EngineConfig config = translate("""
                <system xmlns="urn:algd:yang:algd-system"><alg>
                  <ftp><expectation-timeout>30</expectation-timeout></ftp>
                  <sip><invite-timeout>60</invite-timeout></sip>
                </alg></system>""").config();
        assertEquals(30, config.alg(AlgId.FTP).timeouts().expectationSeconds());
        assertEquals(new AlgTimeouts(AlgTimeouts.DEFAULT_EXPECTATION_SECONDS, 60,
                AlgTimeouts.DEFAULT_MEDIA_INACTIVITY_SECONDS), config.alg(AlgId.SIP).timeouts());
        assertEquals(AlgTimeouts.defaults(AlgId.TFTP), config.alg(AlgId.TFTP).timeouts());
    }

    @Test
    void yangDefaultsOfTheTimeoutsAreTheEnginesDefaults() {
        for (AlgId alg : List.of(AlgId.FTP, AlgId.TFTP, AlgId.SIP, AlgId.RPC, AlgId.RSH, AlgId.PPTP)) {
            assertEquals(String.valueOf(AlgTimeouts.defaults(alg).expectationSeconds()),
                    yangDefault(alg, "expectation-timeout"), alg.yangName());
        }
        assertEquals(String.valueOf(AlgTimeouts.DEFAULT_INVITE_SECONDS), yangDefault(AlgId.SIP, "invite-timeout"));
        assertEquals(String.valueOf(AlgTimeouts.DEFAULT_MEDIA_INACTIVITY_SECONDS),
                yangDefault(AlgId.SIP, "media-inactivity-timeout"));
    }

    private static String yangDefault(AlgId alg, String leaf) {
        var node = model.modelContext().findDataTreeChild(SystemAlg.SYSTEM, SystemAlg.ALG, SystemAlg.alg(alg.yangName()),
                SystemAlg.alg(leaf)).orElseThrow();
        return String.valueOf(((org.opendaylight.yangtools.yang.model.api.LeafSchemaNode) node).getType()
                .getDefaultValue().orElseThrow());
    }

    @Test
    void rshRuleOfTheGuideKeepsItsTranslationPortRange() throws Exception {
        EngineConfig config = translate("""
                <interfaces xmlns="urn:algd:yang:algd-interfaces"><interface><name>dp0s5</name>
                  <address>192.66.66.1/24</address></interface></interfaces>
                <service xmlns="urn:algd:yang:algd-nat"><nat><source><rule>
                  <id>22</id><description>rsh</description><outbound-interface>dp0s5</outbound-interface>
                  <protocol>tcp</protocol><destination><port>514</port></destination>
                  <translation><address>192.66.66.6</address><port>513-1023</port></translation>
                </rule></source></nat></service>""").config();
        SourceNatRule rule = config.sourceNatRules().getFirst();
        assertEquals(6, rule.protocol());
        assertEquals(new PortRange(514, 514), rule.destinationPort());
        assertEquals(new PortRange(513, 1023), rule.translationPort());
        assertEquals("192.66.66.6", rule.translationAddress().toString());
    }

    @Test
    void greByNameIsProtocol47InNatAndFirewallRules() throws Exception {
        EngineConfig config = translate("""
                <interfaces xmlns="urn:algd:yang:algd-interfaces"><interface><name>dp0s5</name>
                  <address>192.66.66.1/24</address></interface></interfaces>
                <service xmlns="urn:algd:yang:algd-nat"><nat><source><rule>
                  <id>30</id><outbound-interface>dp0s5</outbound-interface><protocol>gre</protocol>
                </rule></source></nat></service>
                <firewall xmlns="urn:algd:yang:algd-firewall"><rule-set><name>tunnels</name>
                  <rule><id>10</id><action>accept</action><protocol>gre</protocol></rule>
                </rule-set></firewall>""").config();
        assertEquals(47, config.sourceNatRules().getFirst().protocol());
        assertEquals(47, config.firewallRuleSets().get("tunnels").rules().getFirst().protocol());
    }

    @Test
    void aBackwardsPortRangeIsReportedAtItsPath() throws Exception {
        var result = translate("""
                <service xmlns="urn:algd:yang:algd-nat"><nat><source><rule>
                  <id>5</id><outbound-interface>x</outbound-interface>
                  <translation><port>2000-1000</port></translation>
                </rule></source></nat></service>""");
        assertNull(result.config());
        assertEquals("/service/nat/source/rule[id='5']/translation/port", result.violations().getFirst().path());
    }

    @Test
    void savedConfigurationLoadsBackToTheSameTree() throws Exception {
        var file = new ConfigFile(Path.of("../examples/demo/startup.xml"), model.modelContext());
        var root = file.load();
        var copy = new ConfigFile(temp.resolve("saved.xml"), model.modelContext());
        copy.save(root);
        assertEquals(root, copy.load());
        try (var leftovers = Files.list(temp)) {
            assertEquals(1, leftovers.count(), "the temporary file of an atomic save must not remain");
        }
    }

    @Test
    void destinationRuleAndAFirewallAttachedToAnInterfaceAreTranslated() throws Exception {
        EngineConfig config = translate("""
                <interfaces xmlns="urn:algd:yang:algd-interfaces"><interface><name>outside</name>
                  <address>198.51.100.1/24</address>
                  <firewall xmlns="urn:algd:yang:algd-firewall"><in>only-ftp</in></firewall>
                </interface></interfaces>
                <firewall xmlns="urn:algd:yang:algd-firewall"><rule-set><name>only-ftp</name>
                  <rule><id>10</id><action>accept</action><protocol>tcp</protocol>
                    <destination><port>21</port></destination><state>new</state></rule>
                </rule-set></firewall>
                <service xmlns="urn:algd:yang:algd-nat"><nat><destination><rule>
                  <id>5</id><inbound-interface>outside</inbound-interface><protocol>tcp</protocol>
                  <destination><port>21</port></destination>
                  <translation><address>192.0.2.10</address></translation>
                </rule></destination></nat></service>""").config();
        var dnat = config.destinationNatRules().getFirst();
        assertEquals("outside", dnat.inboundInterface());
        assertEquals("192.0.2.10", dnat.translationAddress().toString());
        var set = config.firewallRuleSets().get("only-ftp");
        assertTrue(!set.defaultAccept());
        assertEquals(new PortRange(21, 21), set.rules().getFirst().destinationPort());
        assertEquals(java.util.Set.of(dev.algd.engine.config.FirewallRule.ConnectionState.NEW),
                set.rules().getFirst().states());
        assertEquals(List.of(new dev.algd.engine.config.FirewallAttachment("outside", true, "only-ftp")),
                config.firewallAttachments());
    }

    @Test
    void destinationRuleWithoutTranslationAddressIsRefused() throws Exception {
        var result = translate("""
                <service xmlns="urn:algd:yang:algd-nat"><nat><destination><rule>
                  <id>5</id><inbound-interface>outside</inbound-interface>
                </rule></destination></nat></service>""");
        assertEquals(ConfigTranslator.MISSING_VALUE, result.violations().getFirst().appTag());
    }

    @Test
    void ipv6AddressesRoutesAndANat66RuleAreTranslated() throws Exception {
        EngineConfig config = translate("""
                <interfaces xmlns="urn:algd:yang:algd-interfaces">
                  <interface><name>outside</name><address>198.51.100.1/24</address>
                    <address>2001:db8:2::1/64</address><address>2001:db8:2::2/64</address></interface></interfaces>
                <routing xmlns="urn:algd:yang:algd-interfaces">
                  <static-route><prefix>0.0.0.0/0</prefix><next-hop>198.51.100.254</next-hop></static-route>
                  <static-route><prefix>::/0</prefix><next-hop>2001:db8:2::fe</next-hop></static-route>
                </routing>
                <service xmlns="urn:algd:yang:algd-nat"><nat><source><rule>
                  <id>20</id><outbound-interface>outside</outbound-interface><protocol>ipv6-icmp</protocol>
                  <source><address>2001:db8:1::/64</address></source>
                </rule></source></nat></service>""").config();

        var outside = config.interfaces().getFirst();
        assertEquals(List.of("198.51.100.1/24"), outside.addresses().stream().map(Object::toString).toList());
        assertEquals(List.of("2001:db8:2::1/64", "2001:db8:2::2/64"),
                outside.ipv6Addresses().stream().map(Object::toString).toList());
        assertEquals(1, config.staticRoutes().size());
        assertEquals("::/0", config.ipv6StaticRoutes().getFirst().prefix().toString());
        assertEquals("2001:db8:2::fe", config.ipv6StaticRoutes().getFirst().nextHop().toString());
        SourceNatRule rule = config.sourceNatRules().getFirst();
        assertEquals(58, rule.protocol());
        assertEquals("2001:db8:1::/64", rule.sourceAddress().toString());
        assertTrue(rule.isMasquerade());
    }

    @Test
    void ipv6RouteWithAnIpv4NextHopIsReportedAtItsPath() throws Exception {
        var result = translate("""
                <routing xmlns="urn:algd:yang:algd-interfaces">
                  <static-route><prefix>2001:db8:7::/48</prefix><next-hop>198.51.100.254</next-hop></static-route>
                </routing>""");

        assertNull(result.config());
        assertEquals("/routing/static-route[prefix='2001:db8:7::/48']/next-hop",
                result.violations().getFirst().path());
    }
}
