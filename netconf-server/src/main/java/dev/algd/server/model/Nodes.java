package dev.algd.server.model;

import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.common.Revision;
import org.opendaylight.yangtools.yang.common.XMLNamespace;

/** Qualified names of the nodes the daemon reads and writes, one nested class per module. */
public final class Nodes {
    private static final Revision REVISION = Revision.of("2026-11-25");

    private Nodes() {
    }

    private static QNameModule module(String namespace) {
        return QNameModule.of(XMLNamespace.of(namespace), REVISION);
    }

    /** algd-system: {@code /system/alg}. */
    public static final class SystemAlg {
        public static final QNameModule MODULE = module("urn:algd:yang:algd-system");
        public static final QName SYSTEM = QName.create(MODULE, "system");
        public static final QName ALG = QName.create(MODULE, "alg");
        public static final QName DISABLE = QName.create(MODULE, "disable");
        public static final QName PORT = QName.create(MODULE, "port");
        public static final QName PROGRAM = QName.create(MODULE, "program");

        private SystemAlg() {
        }

        public static QName alg(String name) {
            return QName.create(MODULE, name);
        }
    }

    /** algd-interfaces: {@code /interfaces/interface}, {@code /routing/static-route}. */
    public static final class Interfaces {
        public static final QNameModule MODULE = module("urn:algd:yang:algd-interfaces");
        public static final QName INTERFACES = QName.create(MODULE, "interfaces");
        public static final QName INTERFACE = QName.create(MODULE, "interface");
        public static final QName NAME = QName.create(MODULE, "name");
        public static final QName DEVICE = QName.create(MODULE, "device");
        public static final QName ADDRESS = QName.create(MODULE, "address");
        public static final QName ROUTING = QName.create(MODULE, "routing");
        public static final QName STATIC_ROUTE = QName.create(MODULE, "static-route");
        public static final QName PREFIX = QName.create(MODULE, "prefix");
        public static final QName NEXT_HOP = QName.create(MODULE, "next-hop");
        public static final QName DATA_PLANE = QName.create(MODULE, "data-plane");

        /** A node of this module by name (the data-plane counters). */
        public static QName node(String name) {
            return QName.create(MODULE, name);
        }

        private Interfaces() {
        }
    }

    /** algd-nat: {@code /service/nat/source/rule}. */
    public static final class Nat {
        public static final QNameModule MODULE = module("urn:algd:yang:algd-nat");
        public static final QName SERVICE = QName.create(MODULE, "service");
        public static final QName NAT = QName.create(MODULE, "nat");
        public static final QName SOURCE = QName.create(MODULE, "source");
        public static final QName DESTINATION = QName.create(MODULE, "destination");
        public static final QName RULE = QName.create(MODULE, "rule");
        public static final QName ID = QName.create(MODULE, "id");
        public static final QName DESCRIPTION = QName.create(MODULE, "description");
        public static final QName DISABLE = QName.create(MODULE, "disable");
        public static final QName OUTBOUND_INTERFACE = QName.create(MODULE, "outbound-interface");
        public static final QName PROTOCOL = QName.create(MODULE, "protocol");
        public static final QName ADDRESS = QName.create(MODULE, "address");
        public static final QName PORT = QName.create(MODULE, "port");
        public static final QName EXCLUDE = QName.create(MODULE, "exclude");
        public static final QName TRANSLATION = QName.create(MODULE, "translation");
        public static final QName INBOUND_INTERFACE = QName.create(MODULE, "inbound-interface");

        private Nat() {
        }
    }

    /** algd-firewall: {@code /firewall/rule-set}, and {@code firewall {in, out}} on each interface. */
    public static final class Firewall {
        public static final QNameModule MODULE = module("urn:algd:yang:algd-firewall");
        public static final QName FIREWALL = QName.create(MODULE, "firewall");
        public static final QName RULE_SET = QName.create(MODULE, "rule-set");
        public static final QName NAME = QName.create(MODULE, "name");
        public static final QName DEFAULT_ACTION = QName.create(MODULE, "default-action");
        public static final QName RULE = QName.create(MODULE, "rule");
        public static final QName ID = QName.create(MODULE, "id");
        public static final QName ACTION = QName.create(MODULE, "action");
        public static final QName PROTOCOL = QName.create(MODULE, "protocol");
        public static final QName SOURCE = QName.create(MODULE, "source");
        public static final QName DESTINATION = QName.create(MODULE, "destination");
        public static final QName ADDRESS = QName.create(MODULE, "address");
        public static final QName PORT = QName.create(MODULE, "port");
        public static final QName STATE = QName.create(MODULE, "state");
        public static final QName IN = QName.create(MODULE, "in");
        public static final QName OUT = QName.create(MODULE, "out");

        private Firewall() {
        }
    }

    /** algd-session-table: {@code /session-table/session}. */
    public static final class SessionTable {
        public static final QNameModule MODULE = module("urn:algd:yang:algd-session-table");
        public static final QName SESSION_TABLE = QName.create(MODULE, "session-table");
        public static final QName SESSION = QName.create(MODULE, "session");
        public static final QName ID = QName.create(MODULE, "id");

        private SessionTable() {
        }

        public static QName leaf(String name) {
            return QName.create(MODULE, name);
        }
    }
}
