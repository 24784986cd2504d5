package dev.algd.engine.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every rule a commit must satisfy beyond YANG types: the one place that decides whether a configuration is
 * acceptable. Commit, validate, startup loading and the tests all call it. It reports every violation, not
 * only the first.
 */
public final class EngineConfigValidator {

    public static final String ALG_PORT_CONFLICT = "alg-port-conflict";
    public static final String ALG_DEFAULT_PORT_IN_USE = "alg-default-port-in-use";
    public static final String ALG_PORT_RANGE = "alg-port-range";
    public static final String ALG_TOO_MANY_PORTS = "alg-too-many-ports";
    public static final String ALG_TOO_MANY_PROGRAMS = "alg-too-many-programs";
    public static final String ALG_TIMEOUT_RANGE = "alg-timeout-range";
    public static final String NAT_UNKNOWN_INTERFACE = "nat-unknown-interface";
    public static final String NAT_MASQUERADE_WITHOUT_ADDRESS = "nat-masquerade-without-address";
    public static final String INTERFACE_DUPLICATE_DEVICE = "interface-duplicate-device";
    public static final String ROUTE_NEXT_HOP_UNREACHABLE = "route-next-hop-unreachable";
    public static final String FIREWALL_UNKNOWN_RULE_SET = "firewall-unknown-rule-set";
    public static final String NAT_ADDRESS_FAMILY_MISMATCH = "nat-address-family-mismatch";
    public static final String FIREWALL_ADDRESS_FAMILY_MISMATCH = "firewall-address-family-mismatch";
    public static final String RULE_PORT_WITHOUT_PORTS = "rule-port-without-ports";
    /** IP protocol number of GRE, which has no ports (RFC 2784). */
    static final int PROTOCOL_GRE = 47;

    public List<Violation> validate(EngineConfig config) {
        List<Violation> violations = new ArrayList<>();
        checkAlgPorts(config, violations);
        checkAlgTimeouts(config, violations);
        checkInterfaces(config, violations);
        checkRoutes(config, violations);
        checkIpv6Routes(config, violations);
        checkSourceNat(config, violations);
        checkDestinationNat(config, violations);
        checkFirewall(config, violations);
        return List.copyOf(violations);
    }

    private static void checkAlgTimeouts(EngineConfig config, List<Violation> out) {
        for (AlgId alg : AlgId.values()) {
            AlgTimeouts timeouts = config.alg(alg).timeouts();
            String base = "/system/alg/" + alg.yangName();
            checkRange(base + "/expectation-timeout", timeouts.expectationSeconds(),
                    AlgTimeouts.MIN_EXPECTATION_SECONDS, AlgTimeouts.MAX_EXPECTATION_SECONDS, out);
            if (alg == AlgId.SIP) {
                checkRange(base + "/invite-timeout", timeouts.inviteSeconds(), AlgTimeouts.MIN_INVITE_SECONDS,
                        AlgTimeouts.MAX_INVITE_SECONDS, out);
                checkRange(base + "/media-inactivity-timeout", timeouts.mediaInactivitySeconds(),
                        AlgTimeouts.MIN_MEDIA_INACTIVITY_SECONDS, AlgTimeouts.MAX_MEDIA_INACTIVITY_SECONDS, out);
            }
        }
    }

    private static void checkRange(String path, long seconds, long min, long max, List<Violation> out) {
        if (seconds < min || seconds > max) {
            out.add(new Violation(path, ALG_TIMEOUT_RANGE,
                    path + ": " + seconds + " seconds is out of range; use " + min + ".." + max + " seconds"));
        }
    }

    private static void checkAlgPorts(EngineConfig config, List<Violation> out) {
        Map<Integer, AlgId> firstOwner = new HashMap<>();
        for (AlgId alg : AlgId.values()) {
            AlgSettings settings = config.alg(alg);
            String base = "/system/alg/" + alg.yangName();
            if (settings.configuredPorts().size() > AlgSettings.MAX_PORTS) {
                out.add(new Violation(base + "/port", ALG_TOO_MANY_PORTS,
                        base + "/port: " + settings.configuredPorts().size() + " ports configured; at most "
                                + AlgSettings.MAX_PORTS + " are allowed per ALG"));
            }
            if (settings.configuredPrograms().size() > AlgSettings.MAX_PROGRAMS) {
                out.add(new Violation(base + "/program", ALG_TOO_MANY_PROGRAMS,
                        base + "/program: " + settings.configuredPrograms().size() + " programs configured; at most "
                                + AlgSettings.MAX_PROGRAMS + " are allowed"));
            }
            for (int port : settings.configuredPorts()) {
                String path = base + "/port[.='" + port + "']";
                if (port < 1 || port > 65535) {
                    out.add(new Violation(path, ALG_PORT_RANGE,
                            path + ": port " + port + " is not a usable control port; use 1..65535"));
                    continue;
                }
                AlgId previous = firstOwner.putIfAbsent(port, alg);
                if (previous != null) {
                    out.add(new Violation(path, ALG_PORT_CONFLICT,
                            path + ": port " + port + " is already a control port of " + previous.yangName()
                                    + "; a port may belong to only one ALG, so remove it from one of them"));
                }
                for (AlgId owner : AlgId.values()) {
                    if (owner == alg || !defaultPortStillActive(config, owner, port)) {
                        continue;
                    }
                    out.add(new Violation(path, ALG_DEFAULT_PORT_IN_USE,
                            path + ": port " + port + " is " + owner.yangName() + "'s control port while "
                                    + owner.yangName() + " is enabled" + (owner.hasConfigurablePorts()
                                            ? " without ports of its own" : "")
                                    + "; remove it from " + alg.yangName() + ", disable " + owner.yangName()
                                    + (owner.hasConfigurablePorts() ? ", or give " + owner.yangName()
                                            + " its own ports" : "")));
                }
            }
        }
    }

    /** Whether {@code port} is one of {@code owner}'s default ports and still in force. */
    private static boolean defaultPortStillActive(EngineConfig config, AlgId owner, int port) {
        AlgSettings settings = config.alg(owner);
        if (!settings.enabled() || !settings.configuredPorts().isEmpty()) {
            return false;
        }
        for (int p : owner.defaultPorts()) {
            if (p == port) {
                return true;
            }
        }
        return false;
    }

    private static void checkInterfaces(EngineConfig config, List<Violation> out) {
        Set<String> devices = new HashSet<>();
        for (InterfaceConfig itf : config.interfaces()) {
            if (!devices.add(itf.device())) {
                String path = "/interfaces/interface[name='" + itf.name() + "']/device";
                out.add(new Violation(path, INTERFACE_DUPLICATE_DEVICE, path + ": device '" + itf.device()
                        + "' is already bound by another interface; each interface needs its own device"));
            }
        }
    }

    private static void checkRoutes(EngineConfig config, List<Violation> out) {
        for (StaticRoute route : config.staticRoutes()) {
            boolean onLink = config.interfaces().stream()
                    .flatMap(i -> i.addresses().stream())
                    .anyMatch(p -> p.contains(route.nextHop()));
            if (!onLink) {
                String path = "/routing/static-route[prefix='" + route.prefix() + "']/next-hop";
                out.add(new Violation(path, ROUTE_NEXT_HOP_UNREACHABLE, path + ": next hop "
                        + Ipv4Addresses.format(route.nextHop())
                        + " is on no interface's subnet; use a neighbour on a connected network"));
            }
        }
    }

    private static void checkIpv6Routes(EngineConfig config, List<Violation> out) {
        for (Ipv6Route route : config.ipv6StaticRoutes()) {
            boolean onLink = config.interfaces().stream()
                    .flatMap(i -> i.ipv6Addresses().stream())
                    .anyMatch(p -> p.contains(route.nextHop()));
            if (!onLink) {
                String path = "/routing/static-route[prefix='" + route.prefix() + "']/next-hop";
                out.add(new Violation(path, ROUTE_NEXT_HOP_UNREACHABLE, path + ": next hop " + route.nextHop()
                        + " is on no interface's IPv6 subnet; use a neighbour on a connected network"));
            }
        }
    }

    /**
     * A NAT rule translates within one family (NAT66, not NAT64): its match addresses and its translation must all
     * be IPv4 or all IPv6.
     */
    private static void checkNatFamily(String base, AddressRange source, AddressRange destination,
            AddressRange translation, List<Violation> out) {
        if (AddressFamily.of(source, destination, translation) != AddressFamily.MIXED) {
            return;
        }
        out.add(new Violation(base, NAT_ADDRESS_FAMILY_MISMATCH, base + ": source " + text(source)
                + ", destination " + text(destination) + " and translation " + text(translation)
                + " mix IPv4 and IPv6; a rule translates within one family, so use IPv4 or IPv6 addresses"
                + " throughout (one rule per family)"));
    }

    private static String text(AddressRange range) {
        return range == null ? "any" : range.toString();
    }

    /**
     * A rule for GRE may not name a port: GRE has none (RFC 2784), so the engine would ignore it and the rule would
     * match more than it says. Each port leaf given is one violation.
     */
    private static void checkPortsOfPortlessProtocol(String base, int protocol, PortRange sourcePort,
            PortRange destinationPort, PortRange translationPort, List<Violation> out) {
        if (protocol != PROTOCOL_GRE) {
            return;
        }
        String[] leaves = {"/source/port", "/destination/port", "/translation/port"};
        PortRange[] ports = {sourcePort, destinationPort, translationPort};
        for (int i = 0; i < leaves.length; i++) {
            if (ports[i] != null) {
                String path = base + leaves[i];
                out.add(new Violation(path, RULE_PORT_WITHOUT_PORTS, path + ": port " + ports[i]
                        + " given for protocol gre, which has no ports; remove the port, or match tcp or udp"));
            }
        }
    }

    private static void checkDestinationNat(EngineConfig config, List<Violation> out) {
        for (DestinationNatRule rule : config.destinationNatRules()) {
            checkNatFamily("/service/nat/destination/rule[id='" + rule.id() + "']", rule.sourceAddress(),
                    rule.destinationAddress(), rule.translationAddress(), out);
            checkPortsOfPortlessProtocol("/service/nat/destination/rule[id='" + rule.id() + "']", rule.protocol(),
                    rule.sourcePort(), rule.destinationPort(), rule.translationPort(), out);
            if (config.interfaceIndex(rule.inboundInterface()) < 0) {
                String path = "/service/nat/destination/rule[id='" + rule.id() + "']/inbound-interface";
                out.add(new Violation(path, NAT_UNKNOWN_INTERFACE, path + ": interface '" + rule.inboundInterface()
                        + "' is not configured under /interfaces; name a configured interface"));
            }
        }
    }

    private static void checkFirewall(EngineConfig config, List<Violation> out) {
        for (FirewallRuleSet ruleSet : config.firewallRuleSets().values()) {
            for (FirewallRule rule : ruleSet.rules()) {
                String path = "/firewall/rule-set[name='" + ruleSet.name() + "']/rule[id='" + rule.id() + "']";
                checkPortsOfPortlessProtocol(path, rule.protocol(), rule.sourcePort(), rule.destinationPort(), null,
                        out);
                if (rule.addressFamily() == AddressFamily.MIXED) {
                    out.add(new Violation(path, FIREWALL_ADDRESS_FAMILY_MISMATCH, path + ": source "
                            + text(rule.sourceAddress()) + " and destination " + text(rule.destinationAddress())
                            + " mix IPv4 and IPv6; a packet has addresses of one family, so the rule could never"
                            + " match: use one family (one rule per family)"));
                }
            }
        }
        for (FirewallAttachment attachment : config.firewallAttachments()) {
            if (!config.firewallRuleSets().containsKey(attachment.ruleSet())) {
                String path = "/interfaces/interface[name='" + attachment.interfaceName() + "']/firewall/"
                        + (attachment.inbound() ? "in" : "out");
                out.add(new Violation(path, FIREWALL_UNKNOWN_RULE_SET, path + ": rule set '" + attachment.ruleSet()
                        + "' does not exist under /firewall; create it or name an existing one"));
            }
        }
    }

    private static void checkSourceNat(EngineConfig config, List<Violation> out) {
        for (SourceNatRule rule : config.sourceNatRules()) {
            String base = "/service/nat/source/rule[id='" + rule.id() + "']";
            checkNatFamily(base, rule.sourceAddress(), rule.destinationAddress(), rule.translationAddress(), out);
            checkPortsOfPortlessProtocol(base, rule.protocol(), rule.sourcePort(), rule.destinationPort(),
                    rule.translationPort(), out);
            AddressFamily family = rule.addressFamily();
            int index = config.interfaceIndex(rule.outboundInterface());
            if (index < 0) {
                out.add(new Violation(base + "/outbound-interface", NAT_UNKNOWN_INTERFACE,
                        base + "/outbound-interface: interface '" + rule.outboundInterface()
                                + "' is not configured under /interfaces; name a configured interface"));
            } else if (rule.isMasquerade() && !rule.exclude() && !rule.disabled()
                    && lacksMasqueradeAddress(config.interfaces().get(index), family)) {
                String kind = family == AddressFamily.IPV6 ? "an IPv6 address" : "an IPv4 address";
                out.add(new Violation(base + "/translation/address", NAT_MASQUERADE_WITHOUT_ADDRESS,
                        base + "/translation/address: masquerade needs " + kind + " on interface '"
                                + rule.outboundInterface() + "', which has none; configure one or translate to an address"));
            }
        }
    }

    /** A masquerade rule of {@code family} has no address of its own family on {@code itf} to translate to. */
    private static boolean lacksMasqueradeAddress(InterfaceConfig itf, AddressFamily family) {
        return switch (family) {
            case IPV6 -> itf.ipv6Addresses().isEmpty();
            case IPV4 -> itf.addresses().isEmpty();
            default -> itf.addresses().isEmpty() && itf.ipv6Addresses().isEmpty();
        };
    }
}
