"""The lab itself, without algd: proves that what the other tests see comes from algd, not from the
router's kernel (which has no address on the data-path veths and does not forward)."""

from algd_e2e import ALGD_INSIDE_ADDRESS, SERVER_ADDRESS, in_ns, run


def test_router_kernel_neither_answers_nor_forwards_without_algd(topology):
    addresses = run(in_ns(topology.router, "ip", "-o", "addr", "show")).stdout
    assert not [line for line in addresses.splitlines() if " inside " in line or " outside " in line], \
        f"the router's data-path veths carry kernel addresses:\n{addresses}"
    for device in ("inside", "outside"):
        features = run(in_ns(topology.router, "ethtool", "-k", device)).stdout
        for feature in ("tx-checksumming", "tcp-segmentation-offload", "generic-segmentation-offload",
                        "generic-receive-offload"):
            assert f"{feature}: off" in features, f"{feature} is on for {device}"

    for target in (ALGD_INSIDE_ADDRESS, SERVER_ADDRESS):
        ping = run(in_ns(topology.client, "ping", "-c", "1", "-W", "1", target), timeout=10, check=False)
        assert ping.returncode != 0, f"{target} answered with no algd running:\n{ping.stdout}"
