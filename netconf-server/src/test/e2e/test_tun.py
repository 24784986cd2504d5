"""algd as a routed hop of its host on TUN devices (--tun): the router namespace's kernel forwards between the
veths and hands the client's traffic to algd through the TUN device "tin"; algd source-NATs it to 198.51.100.3 and
writes it into "tout", from where the kernel routes it to the server. Replies to 198.51.100.3 are routed into
"tout" and come back out of "tin" translated. Asserts on what the server saw."""

import pytest

from algd_e2e import ALGD, CLIENT_ADDRESS, DEMO_STARTUP, SERVER_ADDRESS, in_ns, run

TUN_NAT_ADDRESS = "198.51.100.3"


@pytest.fixture
def tun_router(topology):
    """The router namespace as a host that routes through algd: kernel addresses on the veths, forwarding on,
    persistent TUN devices "tin" and "tout" (algd attaches to them), everything that arrives from the client
    routed into "tin", and algd's NAT address routed into "tout" and proxy-ARPed on "outside". Listed before
    `algd` in a test's arguments so that the devices exist when algd starts."""
    router = topology.router

    def ip(*args):
        run(["ip", "-n", router, *args])

    def sysctl(setting):
        run(in_ns(router, "sysctl", "-q", "-w", setting))

    ip("addr", "add", "192.0.2.1/24", "dev", "inside")
    ip("addr", "add", "198.51.100.1/24", "dev", "outside")
    for device in ("tin", "tout"):
        ip("tuntap", "add", "dev", device, "mode", "tun")
        ip("link", "set", "dev", device, "up")
    # De-NATed replies come out of "tin" with the server's source address, whose route is "outside".
    for scope in ("all", "default", "tin", "tout"):
        sysctl(f"net.ipv4.conf.{scope}.rp_filter=0")
    sysctl("net.ipv4.ip_forward=1")
    ip("rule", "add", "iif", "inside", "lookup", "100", "pref", "100")
    ip("route", "add", "default", "dev", "tin", "table", "100")
    ip("route", "add", f"{TUN_NAT_ADDRESS}/32", "dev", "tout")
    ip("neigh", "add", "proxy", TUN_NAT_ADDRESS, "dev", "outside")
    return topology


def tun_port_lines(daemon):
    return [line for line in daemon.log().splitlines() if "opened TUN port on" in line]


@pytest.mark.startup("tun.xml")
@pytest.mark.algd_args("--tun", "tin,tout")
def test_http_through_a_tun_attached_algd_is_source_natted(tun_router, algd, http_server):
    topology = tun_router
    assert len(tun_port_lines(algd)) == 2, algd.log()

    page = run(in_ns(topology.client, "curl", "-sS", "--max-time", "10", http_server.url), timeout=20)
    assert http_server.token in page.stdout

    requests = [line for line in http_server.output().splitlines() if '"GET / ' in line]
    assert requests and requests[0].startswith(TUN_NAT_ADDRESS + " "), \
        f"the server saw {requests[:1]}, not algd's TUN NAT address {TUN_NAT_ADDRESS}"
    assert CLIENT_ADDRESS not in http_server.output()

    ping = run(in_ns(topology.client, "ping", "-n", "-c", "2", "-W", "2", SERVER_ADDRESS), timeout=15, check=False)
    assert ping.returncode == 0, ping.stdout + ping.stderr


def test_an_ethernet_device_named_as_tun_is_refused_with_the_reason(topology, tmp_path, algd_built):
    # "inside" is a veth: TUNSETIFF on an existing non-TUN device fails, and algd says so and exits.
    config = tmp_path / "startup.xml"
    config.write_text(DEMO_STARTUP.read_text())
    result = run(in_ns(topology.router, "env", "ALGD_NO_BUILD=1", str(ALGD), "run", "--config", str(config),
                       "--netconf-address", topology.mgmt_address, "--tun", "inside"), timeout=90, check=False)
    assert result.returncode != 0
    assert "attaching TUN device 'inside': a device of that name exists and is not a TUN device" in \
        result.stdout + result.stderr, result.stdout + result.stderr
