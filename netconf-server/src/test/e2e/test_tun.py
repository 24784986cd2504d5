"""algd as a routed hop of its host on TUN devices (--tun): the router namespace's kernel forwards between the
veths and hands the client's traffic to algd through the TUN device "tin"; algd source-NATs it to 198.51.100.3 and
writes it into "tout", from where the kernel routes it to the server. Replies to 198.51.100.3 are routed into
"tout" and come back out of "tin" translated. IPv6 takes the same way with NAT66 to 2001:db8:2::3. Asserts on what
the server saw."""

import hashlib
import os
import re

import pytest

from algd_e2e import (ALGD, CLIENT_ADDRESS, CLIENT_ADDRESS6, DEMO_STARTUP, SERVER_ADDRESS, SERVER_ADDRESS6,
                      BackgroundProcess, in_ns, run, sessions, wait_until)
from test_offloads import offloads_on  # noqa: F401  (a fixture)

TUN_NAT_ADDRESS = "198.51.100.3"
TUN_NAT_ADDRESS6 = "2001:db8:2::3"
TUN_INSIDE_ADDRESS6 = "2001:db8:1::fe"
NARROW_MTU = 1280


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
    # IPv6 the same way: the kernel is the peers' gateway, algd's NAT66 address is routed into "tout" and
    # proxy-NDP-answered on "outside" (at once: the default proxy_delay holds the answer up to 0.8 s).
    for device in ("inside", "outside"):   # the topology leaves IPv6 off on algd's veths
        sysctl(f"net.ipv6.conf.{device}.disable_ipv6=0")
    ip("addr", "add", "2001:db8:1::1/64", "dev", "inside", "nodad")
    ip("addr", "add", "2001:db8:2::1/64", "dev", "outside", "nodad")
    sysctl("net.ipv6.conf.all.forwarding=1")
    sysctl("net.ipv6.conf.all.proxy_ndp=1")
    sysctl("net.ipv6.conf.outside.proxy_ndp=1")
    sysctl("net.ipv6.neigh.outside.proxy_delay=0")
    ip("-6", "rule", "add", "iif", "inside", "lookup", "100", "pref", "100")
    ip("-6", "route", "add", "default", "dev", "tin", "table", "100")
    ip("-6", "route", "add", f"{TUN_NAT_ADDRESS6}/128", "dev", "tout")
    ip("-6", "neigh", "add", "proxy", TUN_NAT_ADDRESS6, "dev", "outside")
    return topology


@pytest.fixture
def narrow_tout(tun_router):
    """algd's outside TUN device at MTU 1280, set before algd starts (it reads the MTU when it opens the port)."""
    run(["ip", "-n", tun_router.router, "link", "set", "dev", "tout", "mtu", str(NARROW_MTU)])
    return tun_router


@pytest.fixture
def http_server6(topology, tmp_path):
    """python3's http.server on [2001:db8:2::2]:8080 in the server namespace, serving a 4 MiB random file."""
    root = tmp_path / "www6"
    root.mkdir()
    payload = os.urandom(4 << 20)
    (root / "big.bin").write_bytes(payload)
    server = BackgroundProcess(
        in_ns(topology.server, "/usr/bin/python3", "-u", "-m", "http.server", "8080", "--bind", SERVER_ADDRESS6,
              "--directory", str(root)),
        tmp_path / "http6.log")
    server.payload = payload
    server.url = f"http://[{SERVER_ADDRESS6}]:8080/"
    try:
        wait_until(lambda: run(in_ns(topology.server, "ss", "-Hltn", "sport = :8080")).stdout.strip()
                   or server.proc.poll() is not None, 10, what="the IPv6 HTTP server to listen")
        assert server.proc.poll() is None, f"http.server exited: {server.output()}"
        yield server
    finally:
        server.stop()


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


@pytest.mark.startup("tun.xml")
@pytest.mark.algd_args("--tun", "tin,tout")
def test_gso_packets_cross_a_tun_attached_algd_whole_and_intact(offloads_on, tun_router, algd, http_server, tmp_path):
    # With TSO on at the server, the kernel hands 64 KiB GSO packets with partial checksums into "tout" (algd offered
    # TUNSETOFFLOAD), and algd writes them into "tin" translated, still GSO.
    topology = tun_router
    payload = os.urandom(16 << 20)
    (tmp_path / "www" / "big.bin").write_bytes(payload)
    received = tmp_path / "received.bin"

    run(in_ns(topology.client, "curl", "-sS", "--max-time", "60", "-o", str(received), http_server.url + "big.bin"),
        timeout=90)

    assert hashlib.sha256(received.read_bytes()).digest() == hashlib.sha256(payload).digest()
    into_tout = int(run(in_ns(topology.router, "cat", "/sys/class/net/tout/statistics/tx_packets")).stdout)
    assert into_tout < (16 << 20) // 1448, \
        f"{into_tout} packets into tout for 16 MiB: the host segmented them instead of handing GSO packets to algd"


@pytest.mark.startup("tun.xml")
@pytest.mark.algd_args("--tun", "tin,tout")
def test_ping6_through_a_tun_attached_algd_is_nat66_translated(tun_router, algd, nc, tmp_path):
    topology = tun_router
    capture = BackgroundProcess(
        in_ns(topology.server, "tcpdump", "-i", "eth0", "-n", "-l", "--immediate-mode", "-U", "icmp6"),
        tmp_path / "tcpdump.txt")
    try:
        wait_until(lambda: "listening on" in capture.output() or capture.proc.poll() is not None, 10,
                   what="tcpdump to start")
        assert capture.proc.poll() is None, f"tcpdump exited: {capture.output()}"
        ping = run(in_ns(topology.client, "ping", "-6", "-n", "-c", "3", "-i", "0.2", "-W", "2", SERVER_ADDRESS6),
                   timeout=20, check=False)
        assert ping.returncode == 0 and " 0% packet loss" in ping.stdout, \
            f"ping -6 {SERVER_ADDRESS6} through algd on TUN failed:\n{ping.stdout}{ping.stderr}"
        requests = wait_until(lambda: [line for line in capture.output().splitlines() if "echo request" in line],
                              5, what="the echo requests in the server's capture")
    finally:
        capture.stop()
    assert all(f"{TUN_NAT_ADDRESS6} > {SERVER_ADDRESS6}" in line for line in requests), \
        f"the server saw requests not from algd's {TUN_NAT_ADDRESS6}:\n" + "\n".join(requests)
    assert CLIENT_ADDRESS6 not in capture.output()
    echo = [e for e in sessions(nc) if e.get("protocol-number") == "58" and e.get("source-address") == CLIENT_ADDRESS6
            and e.get("translated-address") == TUN_NAT_ADDRESS6 and e.get("interface") == "inside"]
    assert echo, f"no ICMPv6 echo session from {CLIENT_ADDRESS6} via {TUN_NAT_ADDRESS6} in {sessions(nc)}"


@pytest.mark.startup("tun.xml")
@pytest.mark.algd_args("--tun", "tin,tout")
def test_tcp_transfer_over_ipv6_through_a_tun_attached_algd_arrives_intact_from_the_nat66_address(
        tun_router, algd, http_server6, tmp_path):
    topology = tun_router
    received = tmp_path / "received6.bin"
    run(in_ns(topology.client, "curl", "-6", "-sS", "--max-time", "60", "-o", str(received),
              http_server6.url + "big.bin"), timeout=90)

    assert hashlib.sha256(received.read_bytes()).digest() == hashlib.sha256(http_server6.payload).digest()
    requests = [line for line in http_server6.output().splitlines() if '"GET /big.bin ' in line]
    assert requests and requests[0].startswith(TUN_NAT_ADDRESS6 + " "), \
        f"the server saw {requests[:1]}, not algd's NAT66 address {TUN_NAT_ADDRESS6}"


@pytest.mark.startup("tun.xml")
@pytest.mark.algd_args("--tun", "tin,tout")
def test_ipv6_packet_over_a_1280_tun_mtu_gets_packet_too_big_and_the_sender_learns_it(narrow_tout, algd):
    topology = narrow_tout

    def ping6(size):
        return run(in_ns(topology.client, "ping", "-6", "-n", "-c", "1", "-W", "2", "-M", "do", "-s", str(size),
                         SERVER_ADDRESS6), timeout=15, check=False)

    fits = ping6(NARROW_MTU - 48)
    assert fits.returncode == 0, f"a 1280-byte IPv6 ping should cross algd:\n{fits.stdout}{fits.stderr}"

    too_big = ping6(1400)
    assert too_big.returncode != 0
    assert re.search(rf"From {re.escape(TUN_INSIDE_ADDRESS6)} .*[Pp]acket too big: mtu=1280", too_big.stdout), \
        f"no packet-too-big from algd's inside address {TUN_INSIDE_ADDRESS6}:\n{too_big.stdout}{too_big.stderr}"

    # The client's kernel keeps the path MTU for the server: the route says so.
    cached = run(in_ns(topology.client, "ip", "-6", "route", "get", SERVER_ADDRESS6)).stdout
    assert "mtu 1280" in cached, cached


def test_an_ethernet_device_named_as_tun_is_refused_with_the_reason(topology, tmp_path, algd_built):
    # "inside" is a veth: TUNSETIFF on an existing non-TUN device fails, and algd says so and exits.
    config = tmp_path / "startup.xml"
    config.write_text(DEMO_STARTUP.read_text())
    result = run(in_ns(topology.router, "env", "ALGD_NO_BUILD=1", str(ALGD), "run", "--config", str(config),
                       "--netconf-address", topology.mgmt_address, "--tun", "inside"), timeout=90, check=False)
    assert result.returncode != 0
    assert "attaching TUN device 'inside': a device of that name exists and is not a TUN device" in \
        result.stdout + result.stderr, result.stdout + result.stderr
