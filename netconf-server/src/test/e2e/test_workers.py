"""algd with two workers (--workers 2): the kernel steers each flow by its external address (PACKET_FANOUT_CBPF)
to one worker, which holds its session, its replies and its FTP children. The server namespace gets a second
address that steers to the other worker than 198.51.100.2, so both workers carry FTP (active and passive) and a
TCP transfer through source NAT, and the session table merges both workers' sessions, children under parents."""

import ipaddress
import os

import pytest

from algd_e2e import (ALGD_OUTSIDE_ADDRESS, NS, SERVER_ADDRESS, BackgroundProcess, alg_counters, in_ns, run, sessions,
                      wait_until)
from test_data_plane_state import data_plane, reason_counts
from test_ftp import start_vsftpd

pytestmark = pytest.mark.algd_args("--workers", "2")

WORKERS = 2


def worker_of_address(address):
    """Steering.hash in Python: which worker the kernel's fanout program gives this external address."""
    h = (int(ipaddress.IPv4Address(address)) * 0x9E3779B1) & 0xFFFFFFFF
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    return h % WORKERS


def worker_of_session(session):
    return (int(session["id"]) >> 56) & 63


@pytest.fixture
def two_servers(topology):
    """SERVER_ADDRESS and a second address of the server namespace that steers to the other worker."""
    wanted = 1 - worker_of_address(SERVER_ADDRESS)
    second = next(f"198.51.100.{n}" for n in range(10, 250) if worker_of_address(f"198.51.100.{n}") == wanted)
    run(in_ns(topology.server, "ip", "addr", "add", f"{second}/24", "dev", "eth0"))
    return [SERVER_ADDRESS, second]


@pytest.fixture
def ftp_server(topology, tmp_path, two_servers):
    server = start_vsftpd(topology, tmp_path, 21, address="0.0.0.0")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def bulk_server(topology, tmp_path, two_servers):
    """http.server on every server address, port 8080, serving 8 MiB of random bytes."""
    root = tmp_path / "bulk"
    root.mkdir()
    payload = os.urandom(8 << 20)
    (root / "bulk.bin").write_bytes(payload)
    server = BackgroundProcess(in_ns(topology.server, "/usr/bin/python3", "-u", "-m", "http.server", "8080",
                                     "--bind", "0.0.0.0", "--directory", str(root)), tmp_path / "bulk.log")
    server.payload = payload
    try:
        wait_until(lambda: run(in_ns(topology.server, "ss", "-Hltn", "sport = :8080")).stdout.strip()
                   or server.proc.poll() is not None, 10, what="the HTTP server to listen")
        assert server.proc.poll() is None, server.output()
        yield server
    finally:
        server.stop()


def curl(topology, url, *options):
    return run(in_ns(topology.client, "curl", "-s", "-S", "--max-time", "20", *options, url), timeout=40,
               check=False)


def test_ftp_active_and_passive_through_snat_on_both_workers(algd, nc, two_servers, ftp_server):
    topology = algd.topology
    for server in two_servers:
        url = f"ftp://{server}/data.txt"
        for mode in (("--ftp-pasv", "--disable-epsv"), ("--ftp-port", "-", "--disable-eprt")):
            result = curl(topology, url, *mode)
            assert result.returncode == 0, f"{url} {mode}: {result.stderr}\n{ftp_server.protocol_log()}"
            assert result.stdout == ftp_server.content, f"{url} {mode}: the file arrived changed"
    assert f"PORT {ALGD_OUTSIDE_ADDRESS.replace('.', ',')}" in ftp_server.protocol_log()

    table = sessions(nc)
    controls = [s for s in table if s["destination-port"] == "21" and s["protocol-number"] == "6"]
    assert {s["destination-address"] for s in controls} == set(two_servers), table
    assert {worker_of_session(s) for s in controls} == {0, 1}, f"one worker held every control session: {controls}"
    for control in controls:
        assert control.get("alg") == "ftp", control
        assert worker_of_session(control) == worker_of_address(control["destination-address"]), control
        children = [s for s in table if s["parent"] == control["id"]]
        # curl opens a control connection per transfer: each has its one data connection as its child.
        assert len(children) == 1, f"children of {control['id']}: {children}\n{table}"
        assert worker_of_session(children[0]) == worker_of_session(control), (control, children)
    assert len(controls) == 4, controls
    active = [s for s in table if s["source-port"] == "20" and s["parent"] != "0"]
    assert {s["source-address"] for s in active} == set(two_servers), active
    counters = alg_counters(nc, "ftp")   # merged over both workers
    assert counters["expectations-created"] == 4 == counters["expectations-used"], counters
    assert counters["drops"] == 0, counters
    state = data_plane(nc)
    assert state.findtext("if:workers", namespaces=NS) == "2"
    assert "expectations-posted" in reason_counts(state, "if:worker-link", key="name"), "no worker-link counters"


def test_tcp_transfers_through_snat_on_both_workers(algd, nc, two_servers, bulk_server, tmp_path):
    topology = algd.topology
    for server in two_servers:
        target = tmp_path / f"bulk-{server}.bin"
        result = run(in_ns(topology.client, "curl", "-s", "-S", "--max-time", "30", "-o", str(target),
                           f"http://{server}:8080/bulk.bin"), timeout=60, check=False)
        assert result.returncode == 0, result.stderr
        assert target.read_bytes() == bulk_server.payload, f"8 MiB from {server} arrived changed"
    transfers = [s for s in sessions(nc) if s["destination-port"] == "8080"]
    assert {s["destination-address"] for s in transfers} == set(two_servers), transfers
    assert {worker_of_session(s) for s in transfers} == {0, 1}, transfers
    gets = [line for line in bulk_server.output().splitlines() if '"GET /bulk.bin' in line]
    assert len(gets) == 2 and all(line.startswith(ALGD_OUTSIDE_ADDRESS + " ") for line in gets), gets
