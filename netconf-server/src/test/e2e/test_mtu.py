"""The egress MTU: a hop of MTU 1280 behind algd. A DF packet that does not fit comes back to its sender as
ICMP fragmentation needed with the MTU (RFC 1191), so the sender's path MTU discovery works through algd;
packets that fit still cross with source NAT."""

import re

import pytest

from algd_e2e import SERVER_ADDRESS, in_ns, run

NARROW_MTU = 1280


@pytest.fixture
def narrow_outside(topology):
    """The router's outside link at MTU 1280 on both ends, set before algd starts (it reads the device MTU when it
    opens its port). Listed before `algd` in a test's arguments so that it runs first."""
    run(["ip", "-n", topology.router, "link", "set", "dev", "outside", "mtu", str(NARROW_MTU)])
    run(["ip", "-n", topology.server, "link", "set", "dev", "eth0", "mtu", str(NARROW_MTU)])
    return topology


def ping(topology, size, fragment_policy):
    return run(in_ns(topology.client, "ping", "-n", "-c", "1", "-W", "2", "-M", fragment_policy, "-s", str(size),
                     SERVER_ADDRESS), timeout=15, check=False)


def test_df_packet_over_the_hop_mtu_gets_fragmentation_needed_and_the_sender_learns_it(narrow_outside, algd):
    topology = narrow_outside
    fits = ping(topology, NARROW_MTU - 28, "do")
    assert fits.returncode == 0, f"a 1280-byte ping should cross algd:\n{fits.stdout}{fits.stderr}"

    too_big = ping(topology, 1400, "do")
    assert too_big.returncode != 0
    assert re.search(r"From 192\.0\.2\.1 .*Frag needed and DF set \(mtu = 1280\)", too_big.stdout), \
        f"no fragmentation-needed from algd's inside address:\n{too_big.stdout}{too_big.stderr}"

    # The client's kernel has taken the MTU into its route cache: the next try fails locally, before sending.
    again = ping(topology, 1400, "do")
    assert again.returncode != 0
    assert "message too long, mtu=1280" in again.stdout + again.stderr, again.stdout + again.stderr
    cached = run(in_ns(topology.client, "ip", "route", "get", SERVER_ADDRESS)).stdout
    assert "mtu 1280" in cached, cached


def test_packet_without_df_over_the_hop_mtu_is_dropped_not_answered(narrow_outside, algd):
    topology = narrow_outside
    # With -M dont the client sends one 1428-byte datagram without DF; algd does not fragment, so it is dropped
    # and nothing comes back: no reply, no ICMP error, and the client learns no MTU.
    result = ping(topology, 1400, "dont")
    assert result.returncode != 0
    assert "Frag needed" not in result.stdout, result.stdout
    assert "mtu 1280" not in run(in_ns(topology.client, "ip", "route", "get", SERVER_ADDRESS)).stdout
