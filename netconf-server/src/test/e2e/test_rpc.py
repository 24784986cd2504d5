"""SunRPC through algd with real peers: rpcbind and a small ONC RPC service (program 100024, version 1, on UDP
and TCP, registered with the portmapper's SET call) in the server namespace, rpcinfo in the client namespace.

Only one rpcbind can run on a machine (it owns /run/rpcbind.sock and /run/rpcbind.lock), so the fixture skips when
one already runs and stops the one it started by its PID. 100024 is not one of the guide's default programs: the
tests configure it with `system alg rpc program 100024`. A firewall on the outside interface lets only port 111 and
RELATED flows out, so a call to the service's own port passes only as a child of the portmapper session.
rpcinfo (libtirpc 1.3.3) asks rpcbind with version 4 GETADDR over the transport it calls (UDP for -u, TCP in record
marking for -t), so these tests prove GETADDR; portmap v2 GETPORT is proven by RpcAlgTest."""


from pathlib import Path

import pytest

from algd_e2e import (ALGD_OUTSIDE_ADDRESS, NS, SERVER_ADDRESS, BackgroundProcess, alg_counters, in_ns, run,
                      sessions, wait_until)

SYS = NS["sys"]
FW = "urn:algd:yang:algd-firewall"
IF = NS["if"]
PROGRAM = 100024
VERSION = 1

# A minimal ONC RPC server (RFC 5531): answers every CALL of PROGRAM with an accepted, successful, empty reply (what
# NULL, procedure 0, returns), on a UDP and a TCP port, both registered with the local portmapper (PMAPPROC_SET).
SERVICE = r'''
import socket, struct, sys, threading
PROGRAM, VERSION = int(sys.argv[1]), int(sys.argv[2])

def answer(call):
    if len(call) < 24:
        return None
    xid, kind, rpcvers, program = struct.unpack(">IIII", call[:16])
    if kind != 0 or rpcvers != 2:
        return None
    accept = 0 if program == PROGRAM else 1  # SUCCESS or PROG_UNAVAIL
    return struct.pack(">IIIIII", xid, 1, 0, 0, 0, accept)

def serve_udp(sock):
    while True:
        call, peer = sock.recvfrom(65536)
        reply = answer(call)
        if reply:
            sock.sendto(reply, peer)

def read_exact(conn, n):
    data = b""
    while len(data) < n:
        more = conn.recv(n - len(data))
        if not more:
            raise EOFError
        data += more
    return data

def serve_connection(conn):
    try:
        while True:
            record = b""
            while True:
                mark, = struct.unpack(">I", read_exact(conn, 4))
                record += read_exact(conn, mark & 0x7fffffff)
                if mark & 0x80000000:
                    break
            reply = answer(record)
            if reply:
                conn.sendall(struct.pack(">I", 0x80000000 | len(reply)) + reply)
    except (EOFError, OSError):
        conn.close()

def serve_tcp(sock):
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=serve_connection, args=(conn,), daemon=True).start()

def register(protocol, port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(5)
    call = struct.pack(">14I", 1, 0, 2, 100000, 2, 1, 0, 0, 0, 0, PROGRAM, VERSION, protocol, port)
    sock.sendto(call, ("127.0.0.1", 111))
    reply = sock.recv(100)
    assert struct.unpack(">I", reply[24:28])[0] == 1, "PMAPPROC_SET refused"

udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("0.0.0.0", 0))
tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
tcp.bind(("0.0.0.0", 0))
tcp.listen(16)
register(17, udp.getsockname()[1])
register(6, tcp.getsockname()[1])
threading.Thread(target=serve_udp, args=(udp,), daemon=True).start()
print(f"ready udp {udp.getsockname()[1]} tcp {tcp.getsockname()[1]}", flush=True)
serve_tcp(tcp)
'''


# What rpcbind 1.2.6 leaves behind after SIGTERM: its socket, its lock and its warm-start state.
RPCBIND_FILES = [Path("/run/rpcbind.sock"), Path("/run/rpcbind.lock"), Path("/run/rpcbind/portmap.xdr"),
                 Path("/run/rpcbind/rpcbind.xdr")]


def running_rpcbind():
    """PIDs of any rpcbind on this machine, in any namespace (pgrep reads /proc; nothing is signalled)."""
    result = run(["pgrep", "-x", "rpcbind"], check=False)
    return result.stdout.split()


@pytest.fixture
def rpc_service(topology, tmp_path):
    """rpcbind (foreground; -i also accepts registrations from non-loopback callers, harmless in the test's own
    namespace) and the service on 198.51.100.2 in the server namespace; both stopped by PID afterwards, and the files
    rpcbind created removed."""
    others = running_rpcbind()
    if others:
        pytest.skip(f"an rpcbind already runs on this machine (pid {' '.join(others)}); only one can run, and this "
                    "test does not touch one it did not start")
    absent = [path for path in RPCBIND_FILES if not path.exists()]
    rpcbind = BackgroundProcess(in_ns(topology.server, "rpcbind", "-f", "-i"), tmp_path / "rpcbind.log")
    service = None
    try:
        wait_until(lambda: run(in_ns(topology.server, "ss", "-Hlun", "sport = :111")).stdout.strip()
                   or rpcbind.proc.poll() is not None, 10, what="rpcbind to listen")
        assert rpcbind.proc.poll() is None, f"rpcbind exited: {rpcbind.output()}"
        service = BackgroundProcess(in_ns(topology.server, "/usr/bin/python3", "-u", "-c", SERVICE, str(PROGRAM),
                                          str(VERSION)), tmp_path / "service.log")
        line = wait_until(lambda: "ready" in service.output() and service.output()
                          or service.proc.poll() is not None and f"exited: {service.output()}", 10,
                          what="the RPC service to register")
        assert "ready" in line, f"the RPC service did not start: {line}"
        words = line.split()
        service.udp_port = int(words[words.index("udp") + 1])
        service.tcp_port = int(words[words.index("tcp") + 1])
        service.rpcbind = rpcbind
        yield service
    finally:
        if service is not None:
            service.stop()
        rpcbind.stop()
        for path in absent:  # only what this rpcbind created
            path.unlink(missing_ok=True)


def rpcinfo(topology, *args, seconds=15):
    return run(in_ns(topology.client, "timeout", str(seconds), "rpcinfo", *args), timeout=seconds + 10,
               check=False)


def commit(nc, config):
    nc.edit_config(target="candidate", config=f"<config>{config}</config>")
    nc.commit()


PORTMAP_ONLY_FIREWALL = f"""
<firewall xmlns="{FW}">
  <rule-set>
    <name>portmap-only</name>
    <default-action>drop</default-action>
    <rule><id>10</id><action>accept</action><state>related</state></rule>
    <rule><id>20</id><action>accept</action><protocol>udp</protocol><destination><port>111</port></destination></rule>
    <rule><id>30</id><action>accept</action><protocol>tcp</protocol><destination><port>111</port></destination></rule>
  </rule-set>
</firewall>
<interfaces xmlns="{IF}">
  <interface><name>outside</name><firewall xmlns="{FW}"><out>portmap-only</out></firewall></interface>
</interfaces>"""

STATD_PROGRAM = f'<system xmlns="{SYS}"><alg><rpc><program>{PROGRAM}</program></rpc></alg></system>'


def direct_call(topology, port, seconds=3):
    """A NULL call over UDP straight to the service's port, without asking the portmapper: True if answered."""
    probe = (f"import socket,struct; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout({seconds}); "
             f"s.sendto(struct.pack('>10I',7,0,2,{PROGRAM},{VERSION},0,0,0,0,0), ('{SERVER_ADDRESS}', {port})); "
             "print(len(s.recv(100)))")
    return run(in_ns(topology.client, "/usr/bin/python3", "-c", probe), timeout=seconds + 10,
               check=False).returncode == 0


def test_rpcinfo_lists_the_servers_programs_through_snat(algd, nc, rpc_service):
    result = rpcinfo(algd.topology, "-p", SERVER_ADDRESS)
    assert result.returncode == 0, f"rpcinfo -p failed: {result.stdout} {result.stderr}"
    assert f"{PROGRAM}" in result.stdout and "portmapper" in result.stdout, result.stdout
    assert f"{rpc_service.udp_port}" in result.stdout and f"{rpc_service.tcp_port}" in result.stdout, result.stdout
    control = [s for s in sessions(nc) if s["destination-port"] == "111"]
    assert control, "no session to the portmapper"
    assert all(s["alg"] == "rpc" and s["translated-address"] == ALGD_OUTSIDE_ADDRESS for s in control), control


def test_call_to_a_configured_program_passes_a_portmap_only_firewall_as_a_child(algd, nc, rpc_service):
    commit(nc, PORTMAP_ONLY_FIREWALL + STATD_PROGRAM)
    topology = algd.topology
    assert not direct_call(topology, rpc_service.udp_port), "the firewall let a call to the service's port through"

    for flag, protocol, port in (("-u", "17", rpc_service.udp_port), ("-t", "6", rpc_service.tcp_port)):
        result = rpcinfo(topology, flag, SERVER_ADDRESS, str(PROGRAM), str(VERSION))
        assert result.returncode == 0 and "ready and waiting" in result.stdout, \
            f"rpcinfo {flag} failed: {result.stdout} {result.stderr}"
        table = sessions(nc)
        children = [s for s in table if s["protocol-number"] == protocol and s["destination-port"] == str(port)]
        assert len(children) == 1, f"no single session to the service's port {port}: {table}"
        child = children[0]
        parents = [s for s in table if s["id"] == child["parent"]]
        assert parents and parents[0]["destination-port"] == "111" and parents[0]["alg"] == "rpc", \
            f"the call's session is not a child of a portmapper session: {child}\n{table}"
        assert child["alg"] == "rpc" and child["translated-address"] == ALGD_OUTSIDE_ADDRESS, child
    counters = alg_counters(nc, "rpc")
    # Two calls, each after one portmapper query answered with the service's port: two children, each through an
    # expectation; replies carry the server's own port, so nothing is rewritten.
    assert counters["expectations-used"] == 2, counters
    assert counters["expectations-created"] == 2, counters
    assert counters["translated"] == 0 and counters["parse-errors"] == 0 and counters["drops"] == 0, counters


def test_call_fails_when_the_program_is_not_configured(algd, nc, rpc_service):
    commit(nc, PORTMAP_ONLY_FIREWALL)
    result = rpcinfo(algd.topology, "-u", SERVER_ADDRESS, str(PROGRAM), str(VERSION), seconds=8)
    assert "ready and waiting" not in result.stdout, "the call passed for a program not in the list"


def test_call_fails_when_the_alg_is_disabled(algd, nc, rpc_service):
    commit(nc, PORTMAP_ONLY_FIREWALL + f'<system xmlns="{SYS}"><alg><rpc><disable/><program>{PROGRAM}</program>'
               '</rpc></alg></system>')
    result = rpcinfo(algd.topology, "-u", SERVER_ADDRESS, str(PROGRAM), str(VERSION), seconds=8)
    assert "ready and waiting" not in result.stdout, "the call passed without the ALG: the test proves nothing"
    # The portmapper itself still answers: only the call to the service's port is refused.
    assert rpcinfo(algd.topology, "-p", SERVER_ADDRESS).returncode == 0


# A portmap v2 GETPORT (RFC 1833 §3.2, PMAPPROC_GETPORT = 3) over UDP to the real rpcbind, then a NULL call to the
# port it names: the exchange a v2 client makes, with no rpcbind v3/v4 GETADDR in between.
GETPORT_THEN_CALL = f"""
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(struct.pack(">14I", 0x4701, 0, 2, 100000, 2, 3, 0, 0, 0, 0, {PROGRAM}, {VERSION}, 17, 0),
         ("{SERVER_ADDRESS}", 111))
reply = s.recv(100)
port, = struct.unpack(">I", reply[24:28])
print(port, flush=True)
s.sendto(struct.pack(">10I", 0x4702, 0, 2, {PROGRAM}, {VERSION}, 0, 0, 0, 0, 0), ("{SERVER_ADDRESS}", port))
print(len(s.recv(100)))
"""


def test_portmap_v2_getport_from_a_real_rpcbind_lets_the_call_through_as_a_child(algd, nc, rpc_service):
    commit(nc, PORTMAP_ONLY_FIREWALL + STATD_PROGRAM)
    result = run(in_ns(algd.topology.client, "/usr/bin/python3", "-c", GETPORT_THEN_CALL), timeout=20, check=False)
    assert result.returncode == 0, f"GETPORT or the call failed: {result.stdout} {result.stderr}"
    assert result.stdout.split()[0] == str(rpc_service.udp_port), result.stdout
    child = [s for s in sessions(nc) if s["destination-port"] == str(rpc_service.udp_port)]
    assert len(child) == 1 and child[0]["parent"] != "0" and child[0]["alg"] == "rpc", child
    counters = alg_counters(nc, "rpc")
    assert counters["expectations-created"] == 1 == counters["expectations-used"], counters
