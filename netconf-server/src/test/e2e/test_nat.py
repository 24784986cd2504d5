"""Traffic through algd: a source NAT rule committed over NETCONF carries real TCP, ICMP is source-NATed,
and algd answers ARP and ping for its own address. Asserts on what the peers saw."""

import re

import pytest

from algd_e2e import (ALGD_INSIDE_ADDRESS, ALGD_OUTSIDE_ADDRESS, CLIENT_ADDRESS, NS, SERVER_ADDRESS,
                      BackgroundProcess, in_ns, run, sessions, text_of, wait_until)

RULE_10 = f"""
<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
  <service xmlns="{NS['nat']}">
    <nat>
      <source>
        <rule>
          <id>10</id>
          <outbound-interface>outside</outbound-interface>
          <source>
            <address>192.0.2.0/24</address>
          </source>
          <translation>
            <address>masquerade</address>
          </translation>
        </rule>
      </source>
    </nat>
  </service>
</config>
"""


def matching(entries, **leaves):
    return [e for e in entries if all(e.get(k) == v for k, v in leaves.items())]


@pytest.mark.startup("interfaces-only.xml")
def test_snat_rule_committed_over_netconf_carries_curl_traffic(topology, algd, nc, http_server):
    nc.edit_config(target="candidate", config=RULE_10)
    nc.commit()

    running = nc.get_config(source="running",
                            filter=("subtree", f'<service xmlns="{NS["nat"]}"/>')).data_ele
    rule = running.find("nat:service/nat:nat/nat:source/nat:rule[nat:id='10']", NS)
    assert rule is not None, "rule 10 is not in the running datastore after commit"
    assert text_of(rule, "nat:outbound-interface") == "outside"
    assert text_of(rule, "nat:source/nat:address") == "192.0.2.0/24"
    assert text_of(rule, "nat:translation/nat:address") == "masquerade"

    page = run(in_ns(topology.client, "curl", "-sS", "--max-time", "10", http_server.url), timeout=20)
    assert http_server.token in page.stdout

    access_log = wait_until(lambda: [line for line in http_server.output().splitlines() if '"GET / ' in line],
                            5, what="the GET in the server's access log")
    assert access_log[0].startswith(ALGD_OUTSIDE_ADDRESS + " "), \
        f"the server saw the request from {access_log[0].split()[0]}, not algd's {ALGD_OUTSIDE_ADDRESS}"
    assert CLIENT_ADDRESS not in http_server.output()

    table = sessions(nc)
    tcp = matching(table, **{"protocol-number": "6", "source-address": CLIENT_ADDRESS,
                             "destination-address": SERVER_ADDRESS, "destination-port": "8080",
                             "translated-address": ALGD_OUTSIDE_ADDRESS, "interface": "inside"})
    assert tcp, f"no TCP session {CLIENT_ADDRESS} -> {SERVER_ADDRESS}:8080 via {ALGD_OUTSIDE_ADDRESS} " \
                f"on 'inside' in the session table: {table}"


def test_ping_through_algd_is_source_natted(topology, algd, nc, tmp_path):
    # The demo startup config: rule 100 masquerades 192.0.2.0/24 behind the outside address.
    capture = BackgroundProcess(
        in_ns(topology.server, "tcpdump", "-i", "eth0", "-n", "-l", "--immediate-mode", "-U", "icmp"),
        tmp_path / "tcpdump.txt")
    try:
        wait_until(lambda: "listening on" in capture.output() or capture.proc.poll() is not None, 10,
                   what="tcpdump to start")
        assert capture.proc.poll() is None, f"tcpdump exited: {capture.output()}"
        ping = run(in_ns(topology.client, "ping", "-c", "3", "-i", "0.2", "-W", "2", SERVER_ADDRESS),
                   timeout=20, check=False)
        assert ping.returncode == 0, f"ping {SERVER_ADDRESS} through algd failed:\n{ping.stdout}{ping.stderr}"
        assert " 0% packet loss" in ping.stdout, ping.stdout
        wait_until(lambda: len(re.findall(r"ICMP echo reply", capture.output())) >= 3, 5,
                   what="three echo replies in the server's capture")
    finally:
        capture.stop()

    seen = capture.output()
    requests = re.findall(r"IP (\S+) > (\S+): ICMP echo request", seen)
    assert requests, f"the server captured no echo request:\n{seen}"
    assert all(src == ALGD_OUTSIDE_ADDRESS and dst.rstrip(":") == SERVER_ADDRESS for src, dst in requests), \
        f"echo requests reached the server un-NATed:\n{seen}"

    table = sessions(nc)
    icmp = matching(table, **{"protocol-number": "1", "source-address": CLIENT_ADDRESS,
                              "destination-address": SERVER_ADDRESS, "translated-address": ALGD_OUTSIDE_ADDRESS})
    assert icmp, f"no ICMP session {CLIENT_ADDRESS} -> {SERVER_ADDRESS} via {ALGD_OUTSIDE_ADDRESS}: {table}"


def test_algd_answers_arp_and_ping_for_its_own_address(topology, algd):
    ping = run(in_ns(topology.client, "ping", "-c", "3", "-i", "0.2", "-W", "2", ALGD_INSIDE_ADDRESS),
               timeout=20, check=False)
    assert ping.returncode == 0, f"ping {ALGD_INSIDE_ADDRESS} failed:\n{ping.stdout}{ping.stderr}"
    assert " 0% packet loss" in ping.stdout, ping.stdout

    # The ARP answer carried the MAC of the router's 'inside' veth: algd answered, on the device it binds.
    neighbour = run(in_ns(topology.client, "ip", "neigh", "show", ALGD_INSIDE_ADDRESS, "dev", "eth0")).stdout
    inside = run(in_ns(topology.router, "cat", "/sys/class/net/inside/address")).stdout.strip()
    assert f"lladdr {inside}" in neighbour, f"client's neighbour entry {neighbour!r}, router inside MAC {inside}"
