#!/usr/bin/python3
"""Management-path benchmark of algd (not part of the test suite): NETCONF session setup, commit latency for a
one-leaf change (alone, and inside locks of running and candidate), and <get> of a session table with many sessions:
its time through ncclient and over bare SSH, and the memory it takes (algd's live heap after a full GC, taken in the
middle of a get, against the same before it; RSS across several gets). Builds its own namespaces
(examples/demo/topology.sh, prefix 'algdb' or --prefix, management 203.0.113.248/30 or --mgmt-base), starts algd,
measures, and removes everything it made.

  sudo netconf-server/bench/netconf-bench.py [--commits 200] [--sessions 100000] [--setups 20] [--gets 3]

Traffic stays inside the namespaces it creates; every loop is bounded in count and time.
"""
import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ncclient.transport.ssh

ncclient.transport.ssh.TICK = 0.001
from ncclient import manager  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
TOPOLOGY = REPO / "examples" / "demo" / "topology.sh"
ALGD = REPO / "netconf-server" / "bin" / "algd"
PREFIX = "algdb"
SYS = "urn:algd:yang:algd-system"
ST = "urn:algd:yang:algd-session-table"

FLOOD = r"""
import socket, sys, time
count, deadline = int(sys.argv[1]), time.monotonic() + float(sys.argv[2])
sent = 0
# One destination port per source: masquerade gives each flow its own outside port per destination, so sources
# sending to one port would share (and run out of) one port space.
for source, destination_port in (("192.0.2.2", 9), ("192.0.2.3", 10), ("192.0.2.4", 11)):
    for port in range(10000, 60000):
        if sent >= count or time.monotonic() > deadline:
            break
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((source, port))
        s.sendto(b"x", ("198.51.100.2", destination_port))
        s.close()
        sent += 1
print(sent)
"""
# ConfigCommitter's log line for each commit: the total and each phase, in microseconds; the file is written on
# its own thread alongside (serialise, write+fsync, rename), and "persist" is what the commit waited for it at the end.
COMMIT_LINE = re.compile(r"commit applied in (\d+) µs \(translate\+validate (\d+), data plane (\d+)\+(\d+),"
                         r" datastore (\d+), notify (\d+), persist (\d+)"
                         r"(?:; alongside: serialise (\d+), write\+fsync (\d+), rename (\d+))?\)")
PHASES = ("translate+validate", "data plane prepare", "data plane apply", "datastore", "notify", "persist",
          "file: serialise", "file: write+fsync", "file: rename")
# A loaded data path drops some datagrams: this many more flows are sent than sessions are wanted.
FLOWS_PER_SESSION = 1.2


def raw_get(host, user, password, filter_body, pause_after_bytes=None, on_pause=None):
    """<get> over a bare SSH channel (paramiko, base:1.1 chunked framing), timed to the last byte of the reply with
    no XML parsing: the server's share of the round trip, apart from what ncclient spends parsing. With
    pause_after_bytes, stops reading once that much arrived and calls on_pause() (the server, its SSH window full,
    holds whatever the reply in progress holds), then reads the rest."""
    import paramiko
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(host, 830, user, password, allow_agent=False, look_for_keys=False, timeout=60)
    try:
        channel = client.get_transport().open_session()
        channel.invoke_subsystem("netconf")
        channel.sendall(b'<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>'
                        b'urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>]]>]]>')
        received = b""
        deadline = time.monotonic() + 60
        while b"]]>]]>" not in received and time.monotonic() < deadline:
            received += channel.recv(65536)
        rpc = (f'<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get><filter type="subtree">'
               f'{filter_body}</filter></get></rpc>').encode()
        started = time.perf_counter()
        channel.sendall(f"\n#{len(rpc)}\n".encode() + rpc + b"\n##\n")
        total, tail, rows = 0, b"", 0
        while time.monotonic() < deadline + 120:
            chunk = channel.recv(1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if pause_after_bytes is not None and total >= pause_after_bytes:
                pause_after_bytes = None
                on_pause()
            # About: a chunk header may split a <session> tag.
            rows += (tail + chunk).count(b"<session>") - tail.count(b"<session>")
            tail = (tail + chunk)[-16:]
            if tail.endswith(b"\n##\n"):
                break
        return time.perf_counter() - started, total, rows
    finally:
        client.close()


def sh(*cmd, **kw):
    return subprocess.run([str(c) for c in cmd], check=True, capture_output=True, text=True, **kw)


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def live_heap_kib(pid):
    """algd's heap in use after a full GC (jcmd GC.run, then GC.heap_info): what it holds, not what it has freed."""
    jcmd = Path(f"/proc/{pid}/exe").resolve().parent / "jcmd"
    sh(jcmd, pid, "GC.run", timeout=60)
    info = sh(jcmd, pid, "GC.heap_info", timeout=60).stdout
    return int(re.search(r"heap\s+total (?:reserved )?\d+K, (?:committed \d+K, )?used (\d+)K", info).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--setups", type=int, default=20)
    parser.add_argument("--mgmt-base", type=int, default=248,
                        help="management /30 in 203.0.113.0/24 (e2e tests running meanwhile may hold the default)")
    parser.add_argument("--prefix", default=PREFIX, help="namespace prefix (another bench running meanwhile)")
    parser.add_argument("--gets", type=int, default=3, help="further bare-SSH gets, RSS after each")
    args = parser.parse_args()
    prefix = args.prefix
    mgmt = f"203.0.113.{args.mgmt_base + 2}"
    sh(ALGD, "build", timeout=900)
    work = Path(tempfile.mkdtemp(prefix="algd-bench-"))
    (work / "startup.xml").write_text((REPO / "examples" / "demo" / "startup.xml").read_text())
    (work / "users").write_text("bench:bench\n")
    sh(TOPOLOGY, "up", prefix, args.mgmt_base, timeout=60)
    daemon = None
    try:
        for address in ("192.0.2.3/24", "192.0.2.4/24"):
            sh("ip", "-n", f"{prefix}-client", "addr", "add", address, "dev", "eth0")
        log = open(work / "algd.log", "wb")
        daemon = subprocess.Popen(["ip", "netns", "exec", f"{prefix}-router", "env", "ALGD_NO_BUILD=1", str(ALGD),
                                   "run", "--config", str(work / "startup.xml"), "--running-state", str(work / "running.xml"),
                                   "--users", str(work / "users"),
                                   "--netconf-address", mgmt], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while b"listening on" not in (work / "algd.log").read_bytes():
            if time.monotonic() > deadline or daemon.poll() is not None:
                sys.exit("algd did not start:\n" + (work / "algd.log").read_text())
            time.sleep(0.2)
        def connect():
            return manager.connect(host=mgmt, port=830, username="bench", password="bench", hostkey_verify=False,
                                   allow_agent=False, look_for_keys=False, timeout=60)

        # Session setup: SSH (key exchange, password) and the hello exchange, closed again each time.
        setups = []
        for _ in range(args.setups):
            started = time.perf_counter()
            session = connect()
            setups.append((time.perf_counter() - started) * 1000)
            session.close_session()
        nc = connect()

        round_trips = []
        for i in range(args.commits):
            port = 3000 + i % 2
            started = time.perf_counter()
            nc.edit_config(target="candidate", config=f'<config><system xmlns="{SYS}"><alg><ftp><port>{port}'
                           f'</port></ftp></alg></system></config>')
            nc.commit()
            round_trips.append((time.perf_counter() - started) * 1000)
            nc.edit_config(target="candidate", config=f'<config><system xmlns="{SYS}"><alg><ftp><port '
                           f'xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" nc:operation="delete">{port}'
                           f'</port></ftp></alg></system></config>')
            nc.commit()
        commit_lines = COMMIT_LINE.findall((work / "algd.log").read_text(errors="replace"))[-2 * args.commits:]
        server = [int(line[0]) / 1000 for line in commit_lines]
        phases = {name: [int(line[1 + i]) / 1000 for line in commit_lines if line[1 + i]]
                  for i, name in enumerate(PHASES)}

        # What a careful script does: lock candidate and running, edit, commit, unlock both.
        locked = []
        for i in range(args.commits // 2):
            started = time.perf_counter()
            with nc.locked("running"), nc.locked("candidate"):
                nc.edit_config(target="candidate", config=f'<config><system xmlns="{SYS}"><alg><ftp><port>'
                               f'{3000 + i % 2}</port></ftp></alg></system></config>')
                nc.commit()
            locked.append((time.perf_counter() - started) * 1000)

        rss_before = rss_kib(daemon.pid)
        flood = subprocess.run(["ip", "netns", "exec", f"{prefix}-client", "/usr/bin/python3", "-c", FLOOD,
                                str(int(args.sessions * FLOWS_PER_SESSION)), "25"], capture_output=True, text=True,
                               timeout=60)
        sent = int(flood.stdout.strip() or 0)
        rss_flows = rss_kib(daemon.pid)
        started = time.perf_counter()
        reply = nc.get(filter=("subtree", f'<session-table xmlns="{ST}"/>'))
        get_seconds = time.perf_counter() - started
        xml = reply.data_xml
        listed = xml.count("<session>")
        summary_total = reply.data_ele.findtext(f".//{{{ST}}}summary/{{{ST}}}total")
        rss_after = rss_kib(daemon.pid)
        raw_seconds, raw_bytes, raw_rows = raw_get(mgmt, "bench", "bench", f'<session-table xmlns="{ST}"/>')
        rss_raw = rss_kib(daemon.pid)
        # Memory a get holds: the live heap half-way through one, against the same just before it.
        live_before = live_heap_kib(daemon.pid)
        live_during = []
        _, paused_bytes, _ = raw_get(mgmt, "bench", "bench", f'<session-table xmlns="{ST}"/>', raw_bytes // 2,
                                     lambda: live_during.append(live_heap_kib(daemon.pid)))
        assert live_during and paused_bytes == raw_bytes, (live_during, paused_bytes, raw_bytes)
        rss_gets, raw_times = [], [raw_seconds]
        for _ in range(args.gets):
            raw_times.append(raw_get(mgmt, "bench", "bench", f'<session-table xmlns="{ST}"/>')[0])
            rss_gets.append(rss_kib(daemon.pid))
        nc.close_session()

        def quantiles(values):
            values = sorted(values)
            return (f"median {statistics.median(values):.2f} ms, p95 {values[int(len(values) * 0.95) - 1]:.2f} ms,"
                    f" max {values[-1]:.2f} ms")

        print(f"commit, one-leaf change, server side (translate+validate+apply+persist): {quantiles(server)}"
              f" over {len(server)} commits")
        print("  median of each phase: " + ", ".join(
            f"{name} {statistics.median(values):.2f} ms" for name, values in phases.items() if values))
        print(f"  algd's log: {work / 'algd.log'}")
        print(f"edit-config + commit, ncclient round trip: {quantiles(round_trips)} over {len(round_trips)}")
        print(f"lock running + lock candidate + edit-config + commit + unlock both, ncclient: {quantiles(locked)}"
              f" over {len(locked)}")
        print(f"NETCONF session setup (SSH, password, hello), ncclient: {quantiles(setups)} over {len(setups)}")
        print(f"<get> session-table: {listed} sessions listed (summary total {summary_total}; {sent} UDP flows sent)"
              f" in {get_seconds:.2f} s, {len(xml) / 1e6:.1f} MB of XML")
        print(f"<get> session-table over bare SSH, to the last byte, no parsing: ~{raw_rows} sessions in"
              f" {raw_seconds:.2f} s, {raw_bytes / 1e6:.1f} MB framed; median of {len(raw_times)} such gets"
              f" {statistics.median(raw_times):.2f} s")
        print(f"algd RSS: {rss_before / 1024:.0f} MiB before the flows, {rss_flows / 1024:.0f} MiB after them,"
              f" {rss_after / 1024:.0f} MiB after the get, {rss_raw / 1024:.0f} MiB after the second, then"
              f" {', '.join(f'{r / 1024:.0f}' for r in rss_gets)} MiB after {args.gets} more")
        print(f"algd live heap (after a full GC): {live_before / 1024:.1f} MiB before a get, {live_during[0] / 1024:.1f}"
              f" MiB half-way through one ({(live_during[0] - live_before) / 1024:+.1f} MiB)")
    finally:
        if daemon is not None and daemon.poll() is None:
            daemon.terminate()
            try:
                daemon.wait(timeout=20)
            except subprocess.TimeoutExpired:
                daemon.kill()
        subprocess.run([str(TOPOLOGY), "down", prefix], capture_output=True)


if __name__ == "__main__":
    main()
