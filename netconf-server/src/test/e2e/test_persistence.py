"""The committed configuration survives a kill -9 at any moment: the running state a restart boots from is
always one complete committed configuration (written to a temporary file, fsync'd, renamed), never a mix or a
loss."""

import re
import signal
import threading
import time

from lxml import etree
from ncclient import manager

from algd_e2e import NETCONF_PORT, NS, PASSWORD, USER

SYS = NS["sys"]
COMMITS = 400          # upper bound on commits in the stream
STREAM_SECONDS = 20    # and on its duration


REMOVE_PORT = (f'<config><system xmlns="{SYS}"><alg><ftp><port xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" '
               'nc:operation="delete">{port}</port></ftp></alg></system></config>')


def ftp_port_config(port):
    return f'<config><system xmlns="{SYS}"><alg><ftp><port>{port}</port></ftp></alg></system></config>'


def test_kill_9_during_a_stream_of_commits_leaves_a_committed_configuration(algd):
    confirmed = []      # ports whose commit returned <ok/>
    attempted = []      # ports whose commit was sent
    failures = []       # why the stream ended (expected: the killed daemon's session)
    stop = threading.Event()

    def commit_stream():
        session = manager.connect(host=algd.topology.mgmt_address, port=NETCONF_PORT, username=USER,
                                  password=PASSWORD, hostkey_verify=False, allow_agent=False, look_for_keys=False)
        deadline = time.monotonic() + STREAM_SECONDS
        try:
            for i in range(COMMITS):
                if stop.is_set() or time.monotonic() > deadline:
                    break
                port = 2000 + i
                if i > 0:
                    session.edit_config(target="candidate", config=REMOVE_PORT.format(port=port - 1))
                session.edit_config(target="candidate", config=ftp_port_config(port))
                attempted.append(port)
                session.commit()
                confirmed.append(port)
        except Exception as e:  # noqa: BLE001  (the daemon is killed mid-stream: the session dies with it)
            failures.append(e)

    writer = threading.Thread(target=commit_stream, daemon=True)
    writer.start()
    deadline = time.monotonic() + STREAM_SECONDS
    while len(confirmed) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(confirmed) >= 40, f"only {len(confirmed)} commits in {STREAM_SECONDS}s: {failures}"
    algd.proc.send_signal(signal.SIGKILL)
    algd.proc.wait(timeout=10)
    stop.set()
    writer.join(timeout=30)

    # The file is well-formed and holds exactly one FTP port: the last confirmed commit, or the one in flight.
    saved = etree.parse(str(algd.running_path))
    ports = [int(p.text) for p in saved.iter(f"{{{SYS}}}port")]
    assert len(ports) == 1, f"the saved configuration holds {ports}"
    assert ports[0] >= confirmed[-1] and ports[0] in attempted, \
        f"saved port {ports[0]}, last confirmed {confirmed[-1]}, last attempted {attempted[-1]}"

    restarted = algd.restart()
    with manager.connect(host=restarted.topology.mgmt_address, port=NETCONF_PORT, username=USER,
                         password=PASSWORD, hostkey_verify=False, allow_agent=False, look_for_keys=False) as session:
        running = session.get_config(source="running").data_xml
    assert re.search(rf"<port>{ports[0]}</port>", running), running
