package dev.algd.server.config;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.DestinationNatRule;
import dev.algd.engine.config.FirewallAttachment;
import dev.algd.engine.config.FirewallRule;
import dev.algd.engine.config.FirewallRuleSet;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.AlgSettings;
import dev.algd.engine.config.AlgTimeouts;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Addresses;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.Ipv6Address;
import dev.algd.engine.config.Ipv6Prefix;
import dev.algd.engine.config.Ipv6Route;
import dev.algd.engine.config.PortRange;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.config.StaticRoute;
import dev.algd.engine.config.Violation;
import dev.algd.server.model.Nodes.Firewall;
import dev.algd.server.model.Nodes.Interfaces;
import dev.algd.server.model.Nodes.Nat;
import dev.algd.server.model.Nodes.SystemAlg;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;

/**
 * Turns the whole configuration tree (the root of the CONFIGURATION datastore) into one {@link EngineConfig}.
 * Defaults are resolved here; no YANG type escapes. Values the YANG types let through but the engine cannot
 * use (a malformed range, say) become {@link Violation}s, reported together with the validator's.
 */
public final class ConfigTranslator {

    /** The translation and everything that made it unusable; {@code config} is null when violations exist. */
    public record Result(EngineConfig config, List<Violation> violations) {
    }

    public static final String MALFORMED_VALUE = "malformed-value";
    public static final String MISSING_VALUE = "missing-value";

    public Result translate(ContainerNode root) {
        List<Violation> violations = new ArrayList<>();
        Map<AlgId, AlgSettings> algs = translateAlgs(child(root, SystemAlg.SYSTEM).flatMap(s -> child(s, SystemAlg.ALG)));
        List<InterfaceConfig> interfaces = translateInterfaces(child(root, Interfaces.INTERFACES), violations);
        List<StaticRoute> routes = translateRoutes(child(root, Interfaces.ROUTING), violations);
        List<Ipv6Route> ipv6Routes = translateIpv6Routes(child(root, Interfaces.ROUTING), violations);
        Optional<DataContainerNode> nat = child(root, Nat.SERVICE).flatMap(s -> child(s, Nat.NAT));
        List<SourceNatRule> snat = translateSourceNat(nat.flatMap(n -> child(n, Nat.SOURCE)), violations);
        List<DestinationNatRule> dnat = translateDestinationNat(nat.flatMap(n -> child(n, Nat.DESTINATION)),
                violations);
        Map<String, FirewallRuleSet> ruleSets = translateFirewall(child(root, Firewall.FIREWALL), violations);
        List<FirewallAttachment> attachments = translateAttachments(child(root, Interfaces.INTERFACES));
        if (!violations.isEmpty()) {
            return new Result(null, List.copyOf(violations));
        }
        return new Result(new EngineConfig(algs, interfaces, routes, snat, dnat, ruleSets, attachments, ipv6Routes), List.of());
    }

    /*
     * system
     *  +-- alg
     *       +-- ftp | tftp | sip   { disable?, port*, expectation-timeout? }
     *       |                       sip also { invite-timeout?, media-inactivity-timeout? }
     *       +-- rpc                { disable?, program*, expectation-timeout? }
     *       +-- rsh | pptp         { disable?, expectation-timeout? }
     *       +-- icmp               { disable? }
     */
    private static Map<AlgId, AlgSettings> translateAlgs(Optional<DataContainerNode> alg) {
        Map<AlgId, AlgSettings> algs = new EnumMap<>(AlgId.class);
        for (AlgId id : AlgId.values()) {
            Optional<DataContainerNode> node = alg.flatMap(a -> child(a, SystemAlg.alg(id.yangName())));
            boolean disabled = id != AlgId.ICMP && node.map(n -> has(n, SystemAlg.DISABLE)).orElse(false);
            List<Integer> ports = node.map(n -> leafList(n, SystemAlg.PORT, v -> ((Number) v).intValue()))
                    .orElse(List.of());
            List<Long> programs = node.map(n -> leafList(n, SystemAlg.PROGRAM, v -> ((Number) v).longValue()))
                    .orElse(List.of());
            AlgTimeouts timeouts = AlgTimeouts.defaults(id);
            timeouts = timeouts.withExpectationSeconds(seconds(node, "expectation-timeout",
                    timeouts.expectationSeconds()));
            timeouts = timeouts.withInviteSeconds(seconds(node, "invite-timeout", timeouts.inviteSeconds()));
            timeouts = timeouts.withMediaInactivitySeconds(seconds(node, "media-inactivity-timeout",
                    timeouts.mediaInactivitySeconds()));
            algs.put(id, new AlgSettings(id, !disabled, ports, programs, timeouts));
        }
        return algs;
    }

    /** A timeout leaf of an ALG's container, or {@code otherwise} when absent (the YANG default). */
    private static long seconds(Optional<DataContainerNode> alg, String leaf, long otherwise) {
        return alg.flatMap(n -> leaf(n, SystemAlg.alg(leaf))).map(v -> ((Number) v).longValue()).orElse(otherwise);
    }

    /*
     * interfaces
     *  +-- interface* [name]  { device?, address* (ip-prefix: IPv4 and IPv6, each family keeps its order) }
     */
    private static List<InterfaceConfig> translateInterfaces(Optional<DataContainerNode> interfaces,
            List<Violation> violations) {
        List<InterfaceConfig> result = new ArrayList<>();
        for (MapEntryNode entry : entries(interfaces, Interfaces.INTERFACE)) {
            String name = leaf(entry, Interfaces.NAME).map(Object::toString).orElseThrow();
            String device = leaf(entry, Interfaces.DEVICE).map(Object::toString).orElse(name);
            List<Ipv4Prefix> addresses = new ArrayList<>();
            List<Ipv6Prefix> ipv6Addresses = new ArrayList<>();
            for (String text : leafList(entry, Interfaces.ADDRESS, Object::toString)) {
                String path = "/interfaces/interface[name='" + name + "']/address[.='" + text + "']";
                if (isIpv6(text)) {
                    parse(() -> Ipv6Prefix.parse(text), path, violations).ifPresent(ipv6Addresses::add);
                } else {
                    parse(() -> Ipv4Prefix.parse(text), path, violations).ifPresent(addresses::add);
                }
            }
            result.add(new InterfaceConfig(name, device, addresses, ipv6Addresses));
        }
        result.sort((a, b) -> a.name().compareTo(b.name()));
        return result;
    }

    /** The text of an IPv6 address or prefix (IPv4 text never holds a colon). */
    private static boolean isIpv6(String text) {
        return text.indexOf(':') >= 0;
    }

    /*
     * routing
     *  +-- static-route* [prefix]  { next-hop }   (IPv4 prefixes; the IPv6 ones: translateIpv6Routes)
     */
    private static List<StaticRoute> translateRoutes(Optional<DataContainerNode> routing, List<Violation> violations) {
        List<StaticRoute> result = new ArrayList<>();
        for (MapEntryNode entry : entries(routing, Interfaces.STATIC_ROUTE)) {
            String prefix = leaf(entry, Interfaces.PREFIX).map(Object::toString).orElseThrow();
            if (isIpv6(prefix)) {
                continue;
            }
            String path = "/routing/static-route[prefix='" + prefix + "']";
            Optional<Ipv4Prefix> destination = parse(() -> Ipv4Prefix.parse(prefix), path + "/prefix", violations);
            Optional<Integer> nextHop = parse(() -> Ipv4Addresses.parse(leaf(entry, Interfaces.NEXT_HOP)
                    .map(Object::toString).orElseThrow()), path + "/next-hop", violations);
            if (destination.isPresent() && nextHop.isPresent()) {
                result.add(new StaticRoute(destination.get(), nextHop.get()));
            }
        }
        return result;
    }

    /*
     * routing
     *  +-- static-route* [prefix]  { next-hop }   (IPv6 prefixes: the next hop must be IPv6 too)
     */
    private static List<Ipv6Route> translateIpv6Routes(Optional<DataContainerNode> routing,
            List<Violation> violations) {
        List<Ipv6Route> result = new ArrayList<>();
        for (MapEntryNode entry : entries(routing, Interfaces.STATIC_ROUTE)) {
            String prefix = leaf(entry, Interfaces.PREFIX).map(Object::toString).orElseThrow();
            if (!isIpv6(prefix)) {
                continue;
            }
            String path = "/routing/static-route[prefix='" + prefix + "']";
            String nextHopText = leaf(entry, Interfaces.NEXT_HOP).map(Object::toString).orElseThrow();
            Optional<Ipv6Prefix> destination = parse(() -> Ipv6Prefix.parse(prefix), path + "/prefix", violations);
            Optional<Ipv6Address> nextHop = parse(() -> Ipv6Address.parse(nextHopText), path + "/next-hop",
                    violations);
            if (destination.isPresent() && nextHop.isPresent()) {
                result.add(new Ipv6Route(destination.get(), nextHop.get()));
            }
        }
        return result;
    }

    /*
     * service/nat/source
     *  +-- rule* [id]  { description?, disable?, outbound-interface, protocol?, exclude?,
     *                    source { address?, port? }, destination { address?, port? },
     *                    translation { address? (masquerade | range), port? } }
     */
    private static List<SourceNatRule> translateSourceNat(Optional<DataContainerNode> source,
            List<Violation> violations) {
        List<SourceNatRule> result = new ArrayList<>();
        for (MapEntryNode entry : entries(source, Nat.RULE)) {
            long id = leaf(entry, Nat.ID).map(v -> ((Number) v).longValue()).orElseThrow();
            String base = "/service/nat/source/rule[id='" + id + "']";
            Optional<DataContainerNode> match = child(entry, Nat.SOURCE);
            Optional<DataContainerNode> destination = child(entry, Nat.DESTINATION);
            Optional<DataContainerNode> translation = child(entry, Nat.TRANSLATION);
            String translationAddress = translation.flatMap(t -> leaf(t, Nat.ADDRESS)).map(Object::toString)
                    .orElse("masquerade");
            int before = violations.size();
            SourceNatRule rule = new SourceNatRule(
                    id,
                    leaf(entry, Nat.DESCRIPTION).map(Object::toString).orElse(""),
                    has(entry, Nat.DISABLE),
                    leaf(entry, Nat.OUTBOUND_INTERFACE).map(Object::toString).orElse(""),
                    protocolNumber(leaf(entry, Nat.PROTOCOL).orElse("all")),
                    addressRange(match, base + "/source/address", violations),
                    portRange(match, base + "/source/port", violations),
                    addressRange(destination, base + "/destination/address", violations),
                    portRange(destination, base + "/destination/port", violations),
                    has(entry, Nat.EXCLUDE),
                    "masquerade".equals(translationAddress) ? null
                            : parse(() -> AddressRange.parse(translationAddress), base + "/translation/address",
                                    violations).orElse(null),
                    portRange(translation, base + "/translation/port", violations));
            if (violations.size() == before) {
                result.add(rule);
            }
        }
        return result;
    }

    /*
     * service/nat/destination
     *  +-- rule* [id]  { description?, disable?, inbound-interface, protocol?, exclude?,
     *                    source { address?, port? }, destination { address?, port? },
     *                    translation { address?, port? } }
     */
    private static List<DestinationNatRule> translateDestinationNat(Optional<DataContainerNode> destination,
            List<Violation> violations) {
        List<DestinationNatRule> result = new ArrayList<>();
        for (MapEntryNode entry : entries(destination, Nat.RULE)) {
            long id = leaf(entry, Nat.ID).map(v -> ((Number) v).longValue()).orElseThrow();
            String base = "/service/nat/destination/rule[id='" + id + "']";
            Optional<DataContainerNode> match = child(entry, Nat.SOURCE);
            Optional<DataContainerNode> target = child(entry, Nat.DESTINATION);
            Optional<DataContainerNode> translation = child(entry, Nat.TRANSLATION);
            boolean exclude = has(entry, Nat.EXCLUDE);
            int before = violations.size();
            AddressRange to = addressRange(translation, base + "/translation/address", violations);
            if (to == null && !exclude && violations.size() == before) {
                violations.add(new Violation(base + "/translation/address", MISSING_VALUE, base
                        + "/translation/address: a destination rule needs a translation address unless it is exclude"));
            }
            DestinationNatRule rule = new DestinationNatRule(
                    id,
                    leaf(entry, Nat.DESCRIPTION).map(Object::toString).orElse(""),
                    has(entry, Nat.DISABLE),
                    leaf(entry, Nat.INBOUND_INTERFACE).map(Object::toString).orElse(""),
                    protocolNumber(leaf(entry, Nat.PROTOCOL).orElse("all")),
                    addressRange(match, base + "/source/address", violations),
                    portRange(match, base + "/source/port", violations),
                    addressRange(target, base + "/destination/address", violations),
                    portRange(target, base + "/destination/port", violations),
                    exclude,
                    to,
                    portRange(translation, base + "/translation/port", violations));
            if (violations.size() == before) {
                result.add(rule);
            }
        }
        return result;
    }

    /*
     * firewall
     *  +-- rule-set* [name]  { default-action?, rule* [id] { action, protocol?, source {address?, port?},
     *                                                        destination {address?, port?}, state* } }
     */
    private static Map<String, FirewallRuleSet> translateFirewall(Optional<DataContainerNode> firewall,
            List<Violation> violations) {
        Map<String, FirewallRuleSet> result = new HashMap<>();
        for (MapEntryNode set : entries(firewall, Firewall.RULE_SET)) {
            String name = leaf(set, Firewall.NAME).map(Object::toString).orElseThrow();
            boolean defaultAccept = "accept".equals(leaf(set, Firewall.DEFAULT_ACTION).map(Object::toString)
                    .orElse("drop"));
            List<FirewallRule> rules = new ArrayList<>();
            for (MapEntryNode entry : entries(Optional.of(set), Firewall.RULE)) {
                long id = leaf(entry, Firewall.ID).map(v -> ((Number) v).longValue()).orElseThrow();
                String base = "/firewall/rule-set[name='" + name + "']/rule[id='" + id + "']";
                Optional<DataContainerNode> source = child(entry, Firewall.SOURCE);
                Optional<DataContainerNode> destination = child(entry, Firewall.DESTINATION);
                var states = EnumSet.noneOf(FirewallRule.ConnectionState.class);
                leafList(entry, Firewall.STATE, Object::toString)
                        .forEach(s -> states.add(FirewallRule.ConnectionState.valueOf(s.toUpperCase())));
                rules.add(new FirewallRule(id,
                        "accept".equals(leaf(entry, Firewall.ACTION).map(Object::toString).orElse("drop")),
                        protocolNumber(leaf(entry, Firewall.PROTOCOL).orElse("all")),
                        addressRange(source, Firewall.ADDRESS, base + "/source/address", violations),
                        portRange(source, Firewall.PORT, base + "/source/port", violations),
                        addressRange(destination, Firewall.ADDRESS, base + "/destination/address", violations),
                        portRange(destination, Firewall.PORT, base + "/destination/port", violations),
                        states));
            }
            result.put(name, new FirewallRuleSet(name, defaultAccept, rules));
        }
        return result;
    }

    /* interfaces/interface* [name]/firewall { in?, out? }   (augmented by algd-firewall) */
    private static List<FirewallAttachment> translateAttachments(Optional<DataContainerNode> interfaces) {
        List<FirewallAttachment> result = new ArrayList<>();
        for (MapEntryNode entry : entries(interfaces, Interfaces.INTERFACE)) {
            String name = leaf(entry, Interfaces.NAME).map(Object::toString).orElseThrow();
            Optional<DataContainerNode> firewall = child(entry, Firewall.FIREWALL);
            firewall.flatMap(f -> leaf(f, Firewall.IN))
                    .ifPresent(set -> result.add(new FirewallAttachment(name, true, set.toString())));
            firewall.flatMap(f -> leaf(f, Firewall.OUT))
                    .ifPresent(set -> result.add(new FirewallAttachment(name, false, set.toString())));
        }
        return result;
    }

    private static int protocolNumber(Object value) {
        return switch (value.toString()) {
            case "all" -> SourceNatRule.ANY_PROTOCOL;
            case "tcp" -> 6;
            case "udp" -> 17;
            case "icmp" -> 1;
            case "ipv6-icmp" -> 58;
            case "gre" -> 47;
            default -> Integer.parseInt(value.toString());
        };
    }

    private static AddressRange addressRange(Optional<DataContainerNode> container, String path,
            List<Violation> violations) {
        return addressRange(container, Nat.ADDRESS, path, violations);
    }

    private static AddressRange addressRange(Optional<DataContainerNode> container, QName leaf, String path,
            List<Violation> violations) {
        return container.flatMap(c -> leaf(c, leaf)).map(Object::toString)
                .flatMap(text -> parse(() -> AddressRange.parse(text), path, violations)).orElse(null);
    }

    private static PortRange portRange(Optional<DataContainerNode> container, String path,
            List<Violation> violations) {
        return portRange(container, Nat.PORT, path, violations);
    }

    private static PortRange portRange(Optional<DataContainerNode> container, QName leaf, String path,
            List<Violation> violations) {
        return container.flatMap(c -> leaf(c, leaf)).map(Object::toString)
                .flatMap(text -> parse(() -> PortRange.parse(text), path, violations)).orElse(null);
    }

    private interface Parser<T> {
        T parse();
    }

    private static <T> Optional<T> parse(Parser<T> parser, String path, List<Violation> violations) {
        try {
            return Optional.of(parser.parse());
        } catch (IllegalArgumentException e) {
            violations.add(new Violation(path, MALFORMED_VALUE, path + ": " + e.getMessage()));
            return Optional.empty();
        }
    }

    private static Optional<DataContainerNode> child(DataContainerNode parent, QName name) {
        NormalizedNode node = parent.childByArg(new NodeIdentifier(name));
        return node instanceof DataContainerNode container ? Optional.of(container) : Optional.empty();
    }

    private static boolean has(DataContainerNode parent, QName name) {
        return parent.childByArg(new NodeIdentifier(name)) != null;
    }

    private static Optional<Object> leaf(DataContainerNode parent, QName name) {
        return parent.childByArg(new NodeIdentifier(name)) instanceof LeafNode<?> leaf
                ? Optional.of(leaf.body()) : Optional.empty();
    }

    private static <T> List<T> leafList(DataContainerNode parent, QName name, Function<Object, T> convert) {
        if (!(parent.childByArg(new NodeIdentifier(name)) instanceof LeafSetNode<?> set)) {
            return List.of();
        }
        List<T> values = new ArrayList<>();
        set.body().forEach(entry -> values.add(convert.apply(entry.body())));
        return values;
    }

    private static Collection<MapEntryNode> entries(Optional<DataContainerNode> parent, QName list) {
        return parent.map(p -> p.childByArg(new NodeIdentifier(list)))
                .filter(MapNode.class::isInstance)
                .map(n -> ((MapNode) n).body())
                .orElse(List.of());
    }
}
