"""Offloads on, as on any Linux host with virtual devices: the peers send TSO/GSO frames of up to 64 KiB with
partial checksums, and algd's packet sockets (vnet headers) take them whole, source-NAT them and send them on as
GSO with the pseudo-header sum of the translated addresses. Without vnet headers no such frame would pass
(shared/design/packet-io.md, pitfalls 1 and 2)."""

import hashlib
import os

import pytest

from algd_e2e import in_ns, run

SIZE_BYTES = 32 << 20


@pytest.fixture
def offloads_on(topology):
    """TSO, GSO and checksum offload on the peers' and the router's data-path veths (topology.sh turns them off);
    GRO on the router's ports, so that merged frames arrive there too."""
    for namespace, device in ((topology.client, "eth0"), (topology.server, "eth0"),
                              (topology.router, "inside"), (topology.router, "outside")):
        run(in_ns(namespace, "ethtool", "-K", device, "tx", "on", "tso", "on", "gso", "on", "gro", "on"))
    return topology


def test_a_download_crosses_algd_intact_with_offloads_on(offloads_on, algd, http_server, tmp_path):
    topology = offloads_on
    payload = os.urandom(SIZE_BYTES)
    (tmp_path / "www" / "big.bin").write_bytes(payload)
    received = tmp_path / "received.bin"

    run(in_ns(topology.client, "curl", "-sS", "--max-time", "60", "-o", str(received), http_server.url + "big.bin"),
        timeout=90)

    assert received.stat().st_size == SIZE_BYTES
    assert hashlib.sha256(received.read_bytes()).digest() == hashlib.sha256(payload).digest(), \
        "every byte arrived intact (a wrong checksum would have stalled TCP, a wrong GSO split corrupted it)"
    errors = run(in_ns(topology.client, "nstat", "-az", "TcpInCsumErrors")).stdout
    counts = [line.split()[1] for line in errors.splitlines() if line.startswith("TcpInCsumErrors")]
    assert counts == ["0"], f"the client counted TCP checksum errors:\n{errors}"
