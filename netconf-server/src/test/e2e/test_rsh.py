"""RSH through algd with real peers: rsh-redone's in.rshd in the server namespace (started per connection by
socat, as it has no standalone mode) and netkit rsh (Debian rsh-client) in the client namespace, through the
guide's SNAT rule 22 ("Recommended additional RSH configuration": tcp to port 514, translation port 513-1023).
netkit rsh sends the port of its stderr channel first; in.rshd connects back to it from a reserved port. That
connection reaches the client only through the RSH ALG's expectation, so stderr arrives only with the ALG.

in.rshd authenticates with PAM's pam_rhosts against ~root/.rhosts, and exits unless the client's address has a
name (getnameinfo with NI_NAMEREQD: the namespaces have no DNS). The test never touches the system's files: the
server runs in a private mount namespace where files under the test's tmp dir are bind-mounted over /etc/hosts
(the system's entries plus names for the NAT and client addresses) and over /root (a .rhosts that trusts root
from the address the server sees, the NAT address)."""

import pytest
from lxml import etree

from algd_e2e import (ALGD_OUTSIDE_ADDRESS, CLIENT_ADDRESS, E2E_DIR, NS, SERVER_ADDRESS, BackgroundProcess,
                      alg_counters, in_ns, run, sessions, wait_until)

SYS = NS["sys"]
NAT = NS["nat"]
RSHD = "/usr/sbin/in.rshd"
RSH = "/usr/bin/netkit-rsh"
COMMAND = "echo out; echo err >&2"

RULE_22 = f"""<config><service xmlns="{NAT}"><nat><source><rule>
  <id>22</id><description>rsh</description><outbound-interface>outside</outbound-interface>
  <protocol>tcp</protocol><destination><port>514</port></destination>
  <translation><address>{ALGD_OUTSIDE_ADDRESS}</address><port>513-1023</port></translation>
</rule></source></nat></service></config>"""


def start_rshd(topology, tmp_path, namespace, peer_address, peer_name):
    """socat on port 514 starting in.rshd per connection in namespace, trusting root from peer_address."""
    home = tmp_path / f"rsh-root-home-{namespace}"
    home.mkdir(mode=0o700)
    rhosts = home / ".rhosts"
    rhosts.write_text(f"{peer_address} root\n")
    rhosts.chmod(0o600)
    hosts = tmp_path / f"rsh-hosts-{namespace}"
    with open("/etc/hosts") as system_hosts:
        hosts.write_text(system_hosts.read() + f"\n{peer_address} {peer_name}\n")
    # nofork: in.rshd gets the TCP socket itself (it reads the client's address and port from it).
    script = (f"mount --make-rprivate / && mount --bind {home} /root && mount --bind {hosts} /etc/hosts && "
              f"exec socat TCP-LISTEN:514,reuseaddr,fork EXEC:{RSHD},nofork")
    server = BackgroundProcess(in_ns(namespace, "unshare", "-m", "sh", "-c", script), tmp_path / f"rshd-{namespace}.log")
    server.namespace = namespace
    wait_until(lambda: run(in_ns(namespace, "ss", "-Hltn", "sport = :514")).stdout.strip()
               or server.proc.poll() is not None, 10, what="socat to listen on 514")
    assert server.proc.poll() is None, f"socat exited: {server.output()}"
    return server


def stop_rshd(server):
    server.stop()
    # An in.rshd still connecting back (the ALG disabled) is a process this test started: end it by PID.
    for pid in run(["ip", "netns", "pids", server.namespace], check=False).stdout.split():
        if "in.rshd" in run(["ps", "-o", "comm=", "-p", pid], check=False).stdout:
            run(["kill", "-KILL", pid], check=False)


@pytest.fixture
def rsh_server(topology, tmp_path):
    # The server sees the client as the NAT address.
    server = start_rshd(topology, tmp_path, topology.server, ALGD_OUTSIDE_ADDRESS, "algd-nat")
    try:
        yield server
    finally:
        stop_rshd(server)


def add_rule_22(nc):
    nc.edit_config(target="candidate", config=RULE_22)
    nc.commit()


def rsh(topology, seconds=20):
    return run(in_ns(topology.client, "timeout", str(seconds), RSH, SERVER_ADDRESS, COMMAND),
               timeout=seconds + 10, check=False)


def control_sessions(nc):
    return [s for s in sessions(nc) if s["destination-port"] == "514" and s["protocol-number"] == "6"]


def rsh_through_the_alg(nc, topology, rsh_server):
    """Runs rsh with the ALG enabled and checks both channels. Skips when the daemon gives the rsh control
    session no ALG at all: RshAlg is not in Main.ALGS (its registration is committed apart from this test)."""
    result = rsh(topology)
    control = control_sessions(nc)
    if result.returncode != 0 and control and not control[0].get("alg"):
        pytest.skip("algd gave the rsh control session no ALG: RshAlg is not registered in Main.ALGS")
    assert result.returncode == 0, f"rsh failed ({result.returncode}): {result.stderr}\nrshd: {rsh_server.output()}"
    assert result.stdout == "out\n", result.stdout
    assert result.stderr == "err\n", result.stderr
    return control


def test_stdout_and_stderr_arrive_on_their_channels_and_stderr_is_a_child(algd, nc, rsh_server):
    add_rule_22(nc)
    control = rsh_through_the_alg(nc, algd.topology, rsh_server)
    assert control and control[0].get("alg") == "rsh", control
    assert control[0]["translated-address"] == ALGD_OUTSIDE_ADDRESS, control[0]
    assert 513 <= int(control[0]["translated-port"]) <= 1023, control[0]
    table = sessions(nc)
    children = [s for s in table if s["parent"] == control[0]["id"]]
    assert children, f"no stderr session linked to the control session {control[0]['id']}: {table}"
    stderr = children[0]
    assert stderr["source-address"] == SERVER_ADDRESS, stderr
    assert int(stderr["source-port"]) < 1024, f"in.rshd connects from a reserved port: {stderr}"
    assert stderr["destination-address"] == ALGD_OUTSIDE_ADDRESS, stderr
    assert stderr["translated-destination-address"] == CLIENT_ADDRESS, stderr
    counters = alg_counters(nc, "rsh")
    # One first string: its stderr channel and the IDENT query are expected; in.rshd of rsh-redone connects to
    # stderr only. The stderr port is free, so it is kept and nothing is rewritten.
    assert counters["inspected"] >= 1, counters
    assert counters["expectations-created"] == 2, counters
    assert counters["expectations-used"] == len(children) == 1, (counters, children)
    assert counters["parse-errors"] == 0 and counters["drops"] == 0, counters


def test_stderr_channel_fails_when_the_alg_is_disabled(algd, nc, rsh_server):
    add_rule_22(nc)
    rsh_through_the_alg(nc, algd.topology, rsh_server)
    # netkit rsh may bind the same reserved port again; a TIME_WAIT session of the first run would then carry the
    # second connection with the ALG it was created with (the guide: existing sessions keep their ALG). Clear them.
    nc.dispatch(etree.fromstring(f'<clear-sessions xmlns="{NS["st"]}"><port>514</port></clear-sessions>'))
    nc.edit_config(target="candidate",
                   config=f'<config><system xmlns="{SYS}"><alg><rsh><disable/></rsh></alg></system></config>')
    nc.commit()
    result = rsh(algd.topology, seconds=15)
    assert result.returncode != 0, f"rsh worked without the ALG: the test proves nothing: {result}"
    print(f"without the ALG: rsh exited {result.returncode}, stdout {result.stdout!r}, stderr {result.stderr!r}")
    assert "err" not in result.stderr.split("\n"), result.stderr
    newest = max(control_sessions(nc), key=lambda s: int(s["id"]))
    assert not newest.get("alg"), newest


def test_inside_server_behind_dnat_connects_back_from_the_public_address(algd, nc, topology, tmp_path):
    # in.rshd is inside (192.0.2.2, the client namespace); the outside host reaches it as 198.51.100.1:514. Its
    # stderr connection must leave from 198.51.100.1 with its reserved port kept (netkit rsh refuses another): the
    # ALG's child translation does that and links it to the control session. (Without the ALG the demo's
    # masquerade rule 100 happens to do the same here, as it keeps a free source port: this test proves the child
    # and its translation, not that DNAT needs the ALG.)
    nc.edit_config(target="candidate", config=f"""<config>
      <service xmlns="{NAT}"><nat><destination><rule>
        <id>10</id><inbound-interface>outside</inbound-interface><protocol>tcp</protocol>
        <destination><address>{ALGD_OUTSIDE_ADDRESS}</address><port>514</port></destination>
        <translation><address>{CLIENT_ADDRESS}</address></translation>
      </rule></destination></nat></service></config>""")
    nc.commit()
    server = start_rshd(topology, tmp_path, topology.client, SERVER_ADDRESS, "rsh-outside")
    try:
        result = run(in_ns(topology.server, "timeout", "20", RSH, ALGD_OUTSIDE_ADDRESS, COMMAND), timeout=30,
                     check=False)
        control = [s for s in sessions(nc) if s.get("translated-destination-address") == CLIENT_ADDRESS
                   and s["destination-port"] == "514"]
        if result.returncode != 0 and control and not control[0].get("alg"):
            pytest.skip("algd gave the rsh control session no ALG: RshAlg is not registered in Main.ALGS")
        assert result.returncode == 0, f"rsh through DNAT failed ({result.returncode}): {result.stderr}"
        assert result.stdout == "out\n", result.stdout
        assert result.stderr == "err\n", result.stderr
        assert control and control[0].get("alg") == "rsh", control
        table = sessions(nc)
        children = [s for s in table if s["parent"] == control[0]["id"]]
        assert children, f"no stderr session linked to the control session {control[0]['id']}: {table}"
        assert children[0]["source-address"] == CLIENT_ADDRESS, children[0]
        assert children[0]["translated-address"] == ALGD_OUTSIDE_ADDRESS, children[0]
        assert children[0]["translated-port"] == children[0]["source-port"], children[0]
    finally:
        stop_rshd(server)


def test_ident_query_of_the_server_names_the_clients_own_port_so_the_user_is_found(algd, nc, topology, tmp_path):
    # The server asks the client's IDENT server (oidentd, a real RFC 1413 server, in the client namespace) about
    # the control connection as it sees it: the NAT address and a port from 600-700 (rule 22 with a range that
    # netkit rsh's own reserved port 1023.. cannot fall in, so the port is always translated). oidentd finds the
    # connection only under the client's own port: the ALG must translate the query, and the reply back.
    nc.edit_config(target="candidate", config=RULE_22.replace("<port>513-1023</port>", "<port>600-700</port>"))
    nc.commit()
    # oidentd looks up the querier's name before it answers; the namespaces have no DNS, so it would wait for the
    # resolver's timeout. A private /etc/hosts naming the server makes the lookup instant (as in start_rshd).
    hosts = tmp_path / "oidentd-hosts"
    with open("/etc/hosts") as system_hosts:
        hosts.write_text(system_hosts.read() + f"\n{SERVER_ADDRESS} rsh-server\n")
    identd = BackgroundProcess(in_ns(topology.client, "unshare", "-m", "sh", "-c",
                                     f"mount --make-rprivate / && mount --bind {hosts} /etc/hosts && "
                                     f"exec oidentd -i -S -p 113 -a {CLIENT_ADDRESS}"), tmp_path / "oidentd.log")
    querier = BackgroundProcess(in_ns(topology.server, "/usr/bin/python3", "-u", str(E2E_DIR / "ident_rshd.py"),
                                      SERVER_ADDRESS), tmp_path / "ident_rshd.log")
    try:
        wait_until(lambda: run(in_ns(topology.client, "ss", "-Hltn", "sport = :113")).stdout.strip()
                   or identd.proc.poll() is not None, 10, what="oidentd to listen on 113")
        wait_until(lambda: run(in_ns(topology.server, "ss", "-Hltn", "sport = :514")).stdout.strip()
                   or querier.proc.poll() is not None, 10, what="the IDENT-asking rsh server to listen on 514")
        result = rsh(topology)
        assert result.returncode == 0, (f"rsh failed ({result.returncode}): {result.stderr}\n"
                                        f"server: {querier.output()}\noidentd: {identd.output()}")
        asked, _, answer = result.stdout.strip().partition(": ")
        port_as_seen = int(asked.split()[1].split(",")[0])
        assert 600 <= port_as_seen <= 700, result.stdout
        fields = [field.strip() for field in answer.split(":")]
        assert fields[1:] == ["USERID", "UNIX", "root"], f"the IDENT server did not find the user: {answer!r}"
        assert [int(port) for port in fields[0].split(",")] == [port_as_seen, 514], \
            f"the reply must name the ports as the server sees them: {answer!r}"
        control = [s for s in control_sessions(nc) if s.get("translated-port") == str(port_as_seen)]
        assert control and control[0].get("alg") == "rsh", control
        ident = [s for s in sessions(nc) if s["parent"] == control[0]["id"]
                 and s.get("translated-destination-port", s["destination-port"]) == "113"]
        assert ident and ident[0]["translated-destination-address"] == CLIENT_ADDRESS, sessions(nc)
        print(f"IDENT through algd: {answer!r}")
    finally:
        querier.stop()
        identd.stop()
