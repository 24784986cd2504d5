"""GRE through algd: a GRE tunnel from the client to the server crosses algd, which source-NATs it (demo startup,
rule 100 masquerades 192.0.2.0/24 behind 198.51.100.1), so the server's tunnel end has algd's address as its
remote. A ping through the tunnel answers, the server's end verified every GRE checksum (RFC 2784 §2.5: it does
not cover the outer addresses NAT changed) and saw the key untouched, and the session table shows the GRE session
with its translated source. The same over IPv6 (GRE over IPv6, RFC 7676): the tunnel ends talk across algd's
NAT66 (rule 200 masquerades 2001:db8:1::/64 behind 2001:db8:2::1) and the session table shows protocol gre for the
IPv6 session. Then a GRE rule naming a port is refused at commit with its error-app-tag.

The kernel of the test machines has no ip_gre, so each tunnel end is gre_endpoint.py on a TUN device (a raw IP
socket of protocol 47, the same bytes Linux's `ip tunnel add ... mode gre key K csum` sends)."""

import re
import sys
from pathlib import Path

import pytest
from ncclient.operations import RPCError

from algd_e2e import (ALGD_OUTSIDE_ADDRESS, ALGD_OUTSIDE_ADDRESS6, CLIENT_ADDRESS, CLIENT_ADDRESS6, NS,
                      SERVER_ADDRESS, SERVER_ADDRESS6, BackgroundProcess, error_text, in_ns, run,
                      running_config_xml, sessions, wait_until)

ENDPOINT = Path(__file__).resolve().parent / "gre_endpoint.py"
CLIENT_INNER = "203.0.113.253"
SERVER_INNER = "203.0.113.254"
KEY = 4242
TUNNEL_SECONDS = 60


def tunnel_end(namespace, local, remote, inner, peer_inner, tmp_path):
    """A GRE tunnel end in `namespace` on TUN device gre1 with `inner`/30, started and addressed."""
    run(["ip", "-n", namespace, "tuntap", "add", "dev", "gre1", "mode", "tun"])
    end = BackgroundProcess(in_ns(namespace, sys.executable, ENDPOINT, "--tun", "gre1", "--local", local,
                                  "--remote", remote, "--key", KEY, "--checksum", "--seconds", TUNNEL_SECONDS),
                            tmp_path / f"gre-{namespace}.txt")
    wait_until(lambda: "ready" in end.output() or end.proc.poll() is not None, 10, what="the GRE end to start")
    assert end.proc.poll() is None, f"the GRE end in {namespace} exited: {end.output()}"
    run(["ip", "-n", namespace, "addr", "add", f"{inner}/30", "dev", "gre1"])
    run(["ip", "-n", namespace, "link", "set", "gre1", "up"])
    return end


def counters(end):
    """The GRE end's last counter line as a dict of ints."""
    lines = [line for line in end.output().splitlines() if line.startswith("sent=")]
    return {k: int(v) for k, v in (pair.split("=") for pair in lines[-1].split())} if lines else {}


def settled_counters(end, packets=3, seconds=2):
    """The GRE end's counters once they show `packets` received, or as they are after `seconds`."""
    try:
        return wait_until(lambda: (c := counters(end)).get("received", 0) >= packets and c, seconds,
                          what=f"the GRE end to count {packets} packets")
    except AssertionError:
        return counters(end)


def ping_through_a_tunnel_across_algd(topology, nc, tmp_path, client, server, algd_outside):
    """Tunnel ends on the client (to the server) and the server (to algd's outside address: it knows the client only
    by it, so the tunnel works only if algd translates it); a ping through the tunnel must answer, every GRE
    checksum verify, the key arrive untouched, and the session table show one GRE session, translated."""
    client_end = tunnel_end(topology.client, client, server, CLIENT_INNER, SERVER_INNER, tmp_path)
    server_end = tunnel_end(topology.server, server, algd_outside, SERVER_INNER, CLIENT_INNER, tmp_path)
    try:
        ping = run(in_ns(topology.client, "ping", "-c", "3", "-i", "0.2", "-W", "2", SERVER_INNER), timeout=20,
                   check=False)
        assert ping.returncode == 0, \
            f"ping through the tunnel failed:\n{ping.stdout}{ping.stderr}\nclient end: {client_end.output()}" \
            f"\nserver end: {server_end.output()}"
        assert " 0% packet loss" in ping.stdout, ping.stdout

        # Each end prints its counters just after handing a packet to its TUN device, so the last line may come
        # a moment after ping has seen the reply it carried.
        server_counts = settled_counters(server_end)
        assert server_counts["received"] >= 3, f"the server's end decapsulated too little: {server_counts}"
        assert server_counts["checksum_verified"] == server_counts["received"] \
            and server_counts["bad_checksum"] == 0, f"GRE checksums broken on the way through algd: {server_counts}"
        assert server_counts["last_key"] == KEY, f"the key changed on the way: {server_counts}"
        assert server_counts["from_elsewhere"] == 0, \
            f"GRE reached the server from another source than algd: {server_counts}"
        client_counts = settled_counters(client_end)
        assert client_counts["received"] >= 3 and client_counts["bad_checksum"] == 0, \
            f"the replies' way back: {client_counts}"

        table = sessions(nc)
        gre = [s for s in table if s.get("protocol-number") == "47"]
        assert len(gre) == 1, f"expected one GRE session, found: {table}"
        session = gre[0]
        assert session.get("protocol") == "gre [47]", session
        assert session.get("source-address") == client, session
        assert session.get("destination-address") == server, session
        assert session.get("translated-address") == algd_outside, session
        assert session.get("state") == "ES", session
        assert int(session.get("packets-reply", "0")) >= 3, session
    finally:
        client_end.stop()
        server_end.stop()


def test_ping_through_a_gre_tunnel_across_source_nat(topology, algd, nc, tmp_path):
    ping_through_a_tunnel_across_algd(topology, nc, tmp_path, CLIENT_ADDRESS, SERVER_ADDRESS, ALGD_OUTSIDE_ADDRESS)


def test_ping_through_a_gre_tunnel_over_ipv6_across_nat66(topology, algd, nc, tmp_path):
    ping_through_a_tunnel_across_algd(topology, nc, tmp_path, CLIENT_ADDRESS6, SERVER_ADDRESS6,
                                      ALGD_OUTSIDE_ADDRESS6)


GRE_RULE_WITH_PORT = f"""
<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
  <service xmlns="{NS['nat']}">
    <nat>
      <source>
        <rule>
          <id>40</id>
          <outbound-interface>outside</outbound-interface>
          <protocol>gre</protocol>
          <destination><port>1723</port></destination>
          <translation><address>masquerade</address></translation>
        </rule>
      </source>
    </nat>
  </service>
</config>
"""


def test_gre_rule_with_a_port_is_refused_with_its_app_tag(algd, nc):
    before = running_config_xml(nc)
    nc.edit_config(target="candidate", config=GRE_RULE_WITH_PORT)
    with pytest.raises(RPCError) as refused:
        nc.commit()
    errors = refused.value.errlist or [refused.value]
    text = error_text(refused.value)
    assert [e.app_tag for e in errors] == ["rule-port-without-ports"], text
    path = re.sub(r"algd-nat:", "", errors[0].path or "")
    assert path.endswith("/source/rule[id='40']/destination/port"), text
    assert "gre" in errors[0].message and "1723" in errors[0].message, text
    assert running_config_xml(nc) == before
    nc.discard_changes()
