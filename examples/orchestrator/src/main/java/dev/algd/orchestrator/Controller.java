package dev.algd.orchestrator;

import com.typesafe.config.ConfigFactory;
import io.lighty.core.controller.api.LightyController;
import io.lighty.core.controller.api.LightyModule;
import io.lighty.core.controller.impl.LightyControllerBuilder;
import io.lighty.core.controller.impl.config.ControllerConfiguration;
import io.lighty.core.controller.impl.util.ControllerConfigUtils;
import io.lighty.modules.southbound.netconf.impl.NetconfTopologyPluginBuilder;
import io.lighty.modules.southbound.netconf.impl.config.NetconfConfiguration;
import io.lighty.modules.southbound.netconf.impl.util.NetconfConfigUtils;
import io.lighty.modules.southbound.netconf.impl.util.NetconfUtils;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.opendaylight.mdsal.common.api.LogicalDatastoreType;
import org.opendaylight.mdsal.dom.api.DOMMountPoint;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.inet.types.rev130715.Host;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.inet.types.rev130715.DomainName;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.inet.types.rev130715.IetfInetUtil;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.inet.types.rev130715.PortNumber;
import org.opendaylight.yang.gen.v1.urn.opendaylight.netconf.device.rev241009.ConnectionOper.ConnectionStatus;
import org.opendaylight.yang.gen.v1.urn.opendaylight.netconf.device.rev241009.credentials.credentials.LoginPwUnencryptedBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.netconf.device.rev241009.credentials.credentials.login.pw.unencrypted.LoginPasswordUnencryptedBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.netconf.node.topology.rev240911.NetconfNodeAugment;
import org.opendaylight.yang.gen.v1.urn.opendaylight.netconf.node.topology.rev240911.NetconfNodeAugmentBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.netconf.node.topology.rev240911.netconf.node.augment.NetconfNode;
import org.opendaylight.yang.gen.v1.urn.opendaylight.netconf.node.topology.rev240911.netconf.node.augment.NetconfNodeBuilder;
import org.opendaylight.yang.gen.v1.urn.tbd.params.xml.ns.yang.network.topology.rev131021.NodeId;
import org.opendaylight.yang.gen.v1.urn.tbd.params.xml.ns.yang.network.topology.rev131021.network.topology.topology.Node;
import org.opendaylight.yang.gen.v1.urn.tbd.params.xml.ns.yang.network.topology.rev131021.network.topology.topology.NodeBuilder;
import org.opendaylight.yangtools.yang.common.Uint16;
import org.opendaylight.yangtools.yang.common.Uint32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node lighty.io controller with the NETCONF southbound (ODL's netconf-topology): a device is mounted by
 * writing its node into topology-netconf, exactly as an operator would over RESTCONF.
 */
final class Controller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
    private static final long MODULE_TIMEOUT_SECONDS = 60;
    // 38-47 s were measured on a 2-core machine with a load average near 20.
    private static final long START_TIMEOUT_SECONDS = 150;
    // A device that refuses the login or is down fails the run instead of being retried for minutes.
    private static final Uint32 MAX_CONNECTION_ATTEMPTS = Uint32.valueOf(3);
    private static final Duration MOUNT_POLL = Duration.ofMillis(100);

    private final LightyController controller;
    private final LightyModule southbound;

    private Controller(LightyController controller, LightyModule southbound) {
        this.controller = controller;
        this.southbound = southbound;
    }

    /** Starts the controller (MD-SAL, datastores, Akka on loopback) and its NETCONF southbound. */
    static Controller start() throws Exception {
        ControllerConfiguration config =
            ControllerConfigUtils.getDefaultSingleNodeConfiguration(NetconfConfigUtils.NETCONF_TOPOLOGY_MODELS);
        // The stock single-node Akka config listens on 2550 (and seeds itself there) and Akka management on
        // 0.0.0.0:8558: take free loopback ports, so that several orchestrators, or one beside an OpenDaylight, can
        // run on one host. Java serialization stays allowed, as for the entity-ownership messages in the spike
        // (shared/design/stack.md, pitfall 2).
        int artery = freeLoopbackPort();
        int management = freeLoopbackPort();
        config.getActorSystemConfig().setConfig(ConfigFactory.parseString("""
            akka.remote.artery.canonical.hostname = "127.0.0.1"
            akka.remote.artery.canonical.port = %d
            akka.cluster.seed-nodes = ["akka://opendaylight-cluster-data@127.0.0.1:%d"]
            akka.management.http.hostname = "127.0.0.1"
            akka.management.http.bind-hostname = "127.0.0.1"
            akka.management.http.port = %d
            akka.management.http.bind-port = %d
            akka.actor.allow-java-serialization = on
            """.formatted(artery, artery, management, management))
            .withFallback(config.getActorSystemConfig().getConfig()));
        // The orchestrator keeps nothing between runs: the devices are the source of truth.
        config.getDatastoreProperties().put("config.persistent", "false");

        LightyController controller = new LightyControllerBuilder().from(config).build();
        if (!controller.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the lighty.io controller did not start");
        }
        NetconfConfiguration netconf = NetconfConfigUtils.injectServicesToTopologyConfig(
            NetconfConfigUtils.createDefaultNetconfConfiguration(), controller.getServices());
        LightyModule southbound = NetconfTopologyPluginBuilder.from(netconf, controller.getServices()).build();
        if (!southbound.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            controller.shutdown(MODULE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            throw new IllegalStateException("the NETCONF southbound did not start");
        }
        return new Controller(controller, southbound);
    }

    /** Asks the southbound to connect to every device (one transaction; it mounts them in parallel). */
    void mount(List<Device> devices, String username, String password) throws Exception {
        var tx = controller.getServices().getBindingDataBroker().newWriteOnlyTransaction();
        for (Device device : devices) {
            NetconfNode netconf = new NetconfNodeBuilder()
                .setHost(host(device.host()))
                .setPort(new PortNumber(Uint16.valueOf(device.port())))
                .setTcpOnly(false)
                .setSchemaless(false)
                .setMaxConnectionAttempts(MAX_CONNECTION_ATTEMPTS)
                .setCredentials(new LoginPwUnencryptedBuilder()
                    .setLoginPasswordUnencrypted(new LoginPasswordUnencryptedBuilder()
                        .setUsername(username).setPassword(password).build())
                    .build())
                .build();
            Node node = new NodeBuilder()
                .setNodeId(new NodeId(device.name()))
                .addAugmentation(new NetconfNodeAugmentBuilder().setNetconfNode(netconf).build())
                .build();
            // The southbound does not create topology-netconf itself: the first device creates it.
            tx.mergeParentStructurePut(LogicalDatastoreType.CONFIGURATION, nodePath(device), node);
        }
        tx.commit().get(MODULE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Waits until the device's node is connected and its mount point registered, or fails with the reason the
     * southbound gives (its connected-message).
     */
    DOMMountPoint awaitMount(Device device, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastState = "no operational node yet";
        while (System.nanoTime() < deadline) {
            Optional<NetconfNode> node = operationalNode(device);
            if (node.isPresent()) {
                ConnectionStatus status = node.orElseThrow().getConnectionStatus();
                lastState = status + (node.orElseThrow().getConnectedMessage() == null ? ""
                    : ": " + node.orElseThrow().getConnectedMessage());
                if (status == ConnectionStatus.UnableToConnect) {
                    throw new IllegalStateException("device " + device.name() + " (" + device.host() + ":"
                        + device.port() + ") could not be mounted: " + lastState);
                }
                if (status == ConnectionStatus.Connected) {
                    Optional<DOMMountPoint> mount = controller.getServices().getDOMMountPointService()
                        .getMountPoint(NetconfUtils.createNetConfNodeMountPointYII(new NodeId(device.name())));
                    if (mount.isPresent()) {
                        return mount.orElseThrow();
                    }
                }
            }
            Thread.sleep(MOUNT_POLL.toMillis());
        }
        throw new IllegalStateException("device " + device.name() + " (" + device.host() + ":" + device.port()
            + ") was not mounted within " + timeout.toSeconds() + " s; last state: " + lastState);
    }

    /** Unmounts every device (the southbound closes their sessions) and stops the controller. */
    void unmount(List<Device> devices) throws Exception {
        var tx = controller.getServices().getBindingDataBroker().newWriteOnlyTransaction();
        for (Device device : devices) {
            tx.delete(LogicalDatastoreType.CONFIGURATION, nodePath(device));
        }
        tx.commit().get(MODULE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        southbound.shutdown(MODULE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        controller.shutdown(MODULE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private Optional<NetconfNode> operationalNode(Device device) throws Exception {
        try (var tx = controller.getServices().getBindingDataBroker().newReadOnlyTransaction()) {
            return tx.read(LogicalDatastoreType.OPERATIONAL, nodePath(device))
                .get(MODULE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .map(node -> node.augmentation(NetconfNodeAugment.class))
                .map(NetconfNodeAugment::getNetconfNode);
        }
    }

    @SuppressWarnings("deprecation") // netconf-sb 21.1.0 offers only InstanceIdentifier paths
    private static org.opendaylight.yangtools.yang.binding.InstanceIdentifier<Node> nodePath(Device device) {
        return NetconfUtils.createNetConfNodeMountPointII(new NodeId(device.name()));
    }

    private static Host host(String text) {
        try {
            return new Host(IetfInetUtil.ipAddressFor(text));
        } catch (IllegalArgumentException notALiteral) {
            return new Host(new DomainName(text));
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
