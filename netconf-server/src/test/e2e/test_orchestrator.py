"""An OpenDaylight controller manages algd: examples/orchestrator (lighty.io with its NETCONF southbound) mounts
the daemon over NETCONF/SSH, reads its session table and alg-state through the mount, and changes an ALG's port
through the mount. What the orchestrator prints is checked against algd's own answers over ncclient."""

import json
import signal
import subprocess

import pytest
from ncclient.operations import RPCError

from algd_e2e import (ALGD_OUTSIDE_ADDRESS, CLIENT_ADDRESS, NETCONF_PORT, NS, PASSWORD, REPO, SERVER_ADDRESS, USER,
                      BackgroundProcess, alg_states, in_ns, run, sessions, wait_until)

ORCHESTRATOR = REPO / "examples" / "orchestrator" / "run.sh"
# The controller (Akka, datastores, the NETCONF southbound) took 38-47 s to start on a 2-core machine with a load
# average near 20 (lighty.io's controller alone took 4 s in the stack spike on an idle one); mounting took 7-11 s
# more there (the device's YANG comes over get-schema).
ORCHESTRATOR_TIMEOUT_SECONDS = 300
# The leaves that identify a session; timeouts, states and counters move between two reads.
# Opens a TCP connection and keeps it, idle, for at most 300 s (argv: address, port).
HOLD_TCP_CONNECTION = ("import socket, sys, time; c = socket.create_connection((sys.argv[1], int(sys.argv[2])), 10);"
                       " time.sleep(300)")
SESSION_IDENTITY = ("id", "protocol-number", "source-address", "source-port", "destination-address",
                    "destination-port", "translated-address", "translated-port")


@pytest.fixture(scope="session")
def orchestrator_built():
    """Builds the orchestrator once (its own Maven project: lighty.io 21.1.0, about 100 MB of jars)."""
    run([ORCHESTRATOR, "build"], timeout=900)


def orchestrate(tmp_path, devices, *args):
    """Runs the orchestrator on devices ({name: "host:port"}); returns (exit status, its JSON by device name, log)."""
    password_file = tmp_path / "orchestrator-password"
    password_file.write_text(PASSWORD + "\n")
    password_file.chmod(0o600)
    cmd = [str(ORCHESTRATOR), "--user", USER, "--password-file", str(password_file), *map(str, args)]
    for name, address in devices.items():
        cmd += ["--device", f"{name}={address}"]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, log = proc.communicate(timeout=ORCHESTRATOR_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)  # run.sh passes it to the JVM and removes its work directory
        out, log = proc.communicate(timeout=60)
        raise AssertionError(f"the orchestrator did not finish within {ORCHESTRATOR_TIMEOUT_SECONDS}s; log:\n{log}")
    try:
        result = json.loads(out)
    except json.JSONDecodeError as e:
        raise AssertionError(f"the orchestrator printed no JSON ({e}), exit {proc.returncode}; log:\n{log}") from e
    return proc.returncode, {device["name"]: device for device in result["devices"]}, log


def mounted_rows(device):
    """The session rows the orchestrator read through the mount, as {leaf: text} like algd_e2e.sessions()."""
    table = device["session-table"]["algd-session-table:session-table"]
    return [{leaf: str(row[leaf]) for leaf in SESSION_IDENTITY if leaf in row} for row in table.get("session", [])]


def mounted_alg_states(alg_state):
    """alg-state as read through the mount (RFC 7951 JSON), in the shape of algd_e2e.alg_states()."""
    return {
        alg["name"]: {
            "enabled": alg.get("enabled"),
            "implemented": alg.get("implemented"),
            "ports": [int(p) for p in alg.get("effective-port", [])],
            "programs": sorted(int(p) for p in alg.get("effective-program", [])),
        }
        for alg in alg_state["algd-system:alg-state"]["alg"]
    }


def identity(session):
    return {leaf: session[leaf] for leaf in SESSION_IDENTITY if leaf in session}


def test_controller_reads_the_session_table_and_alg_state_algd_serves(algd, nc, http_server, tmp_path,
                                                                     orchestrator_built):
    # A ping and an idle TCP connection that last the whole run keep an ICMP and a TCP session alive whatever
    # the sessions' idle timeouts (a finished HTTP exchange would leave TIME-WAIT, gone after 120 s).
    pinger = BackgroundProcess(in_ns(algd.topology.client, "ping", "-i", "0.5", "-c", "600", "-w", "300",
                                     SERVER_ADDRESS), tmp_path / "ping.log")
    holder = BackgroundProcess(in_ns(algd.topology.client, "/usr/bin/python3", "-c", HOLD_TCP_CONNECTION,
                                     SERVER_ADDRESS, "8080"), tmp_path / "holder.log")
    try:
        wait_until(lambda: {"1", "6"} <= {s["protocol-number"] for s in sessions(nc)}, 10,
                   what="the ping's and the TCP connection's sessions")
        before = {s["id"]: identity(s) for s in sessions(nc)}
        # A second device where nothing listens: the controller must report it and still manage the first.
        status, devices, log = orchestrate(tmp_path, {"r1": algd.topology.mgmt_address,
                                                      "gone": f"{algd.topology.mgmt_address}:{NETCONF_PORT + 1}"})
        after = {s["id"]: identity(s) for s in sessions(nc)}
    finally:
        holder.stop()
        pinger.stop()

    assert status == 1, f"an unreachable device must fail the run; log:\n{log}"
    assert "error" in devices["gone"] and "session-table" not in devices["gone"], devices["gone"]
    r1 = devices["r1"]
    assert "error" not in r1, f"{r1['error']}\nlog:\n{log}"

    rows = {row["id"]: row for row in mounted_rows(r1)}
    lasting = {sid: s for sid, s in before.items() if after.get(sid) == s}
    assert any(s["protocol-number"] == "1" and s["source-address"] == CLIENT_ADDRESS for s in lasting.values())
    assert any(s["destination-port"] == "8080" and s["translated-address"] == ALGD_OUTSIDE_ADDRESS
               for s in lasting.values())
    for sid, session in lasting.items():
        assert rows.get(sid) == session, f"session {sid}: algd has {session}, the mount read {rows.get(sid)}"
    invented = set(rows) - set(before) - set(after)
    assert not invented, f"the mount read sessions algd never listed: {invented}"
    summary = r1["session-table"]["algd-session-table:session-table"]["summary"]
    assert summary["total"] == len(rows)
    assert mounted_alg_states(r1["alg-state"]) == alg_states(nc)


def test_controller_changes_an_alg_port_on_every_device_through_the_mount(algd, second_algd, nc, tmp_path,
                                                                         orchestrator_built):
    # Two algd instances, each its own NETCONF device: the architecture's "several instances, one controller".
    with second_algd.connect() as nc2:
        for session in (nc, nc2):
            assert alg_states(session)["ftp"]["ports"] == [21]

        status, devices, log = orchestrate(tmp_path, {
            "r1": algd.topology.mgmt_address,
            "r2": f"{algd.topology.mgmt_address}:{second_algd.port}",
        }, "--set-ports", "ftp=2121")

        assert status == 0, log
        for name, session in (("r1", nc), ("r2", nc2)):
            device = devices[name]
            assert mounted_alg_states(device["alg-state"])["ftp"]["ports"] == [21], name
            assert mounted_alg_states(device["alg-state-after"])["ftp"]["ports"] == [2121], name
            # The device's own answer: the port is committed to running and applied by the engine.
            assert alg_states(session)["ftp"]["ports"] == [2121], name
            ftp = session.get_config(source="running",
                                     filter=("subtree", f'<system xmlns="{NS["sys"]}"><alg><ftp/></alg></system>'))
            assert [p.text for p in ftp.data_ele.iter(f'{{{NS["sys"]}}}port')] == ["2121"], name
            # The southbound locked the datastores for its edit and released them when done.
            for datastore in ("candidate", "running"):
                try:
                    session.lock(datastore)
                except RPCError as e:
                    raise AssertionError(f"{name}: {datastore} still locked after the orchestrator: {e}") from e
                session.unlock(datastore)
