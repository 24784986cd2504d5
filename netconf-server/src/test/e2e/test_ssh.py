"""NETCONF from a stock OpenSSH client (RFC 6242 subsystem "netconf", base:1.0 end-of-message framing),
and the daemon's own lifecycle."""

import signal
import subprocess

from algd_e2e import NETCONF_PORT, PASSWORD, STOP_TIMEOUT_SECONDS, USER

EOM = "]]>]]>"
BASE = "urn:ietf:params:xml:ns:netconf:base:1.0"
SESSION = (
    f'<?xml version="1.0" encoding="UTF-8"?><hello xmlns="{BASE}"><capabilities>'
    f'<capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>{EOM}\n'
    f'<rpc message-id="1" xmlns="{BASE}"><get-config><source><running/></source></get-config></rpc>{EOM}\n'
    f'<rpc message-id="2" xmlns="{BASE}"><close-session/></rpc>{EOM}\n'
)


def test_ssh_subsystem_netconf_from_openssh(algd, tmp_path):
    out_path = tmp_path / "ssh.out"
    err_path = tmp_path / "ssh.err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        ssh = subprocess.Popen(
            ["sshpass", "-p", PASSWORD, "ssh", "-p", str(NETCONF_PORT),
             "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
             "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no",
             "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR",
             f"{USER}@{algd.topology.mgmt_address}", "-s", "netconf"],
            stdin=subprocess.PIPE, stdout=out, stderr=err)
        try:
            # stdin stays open: the server ends the session after <close-session>, and ssh exits then.
            ssh.stdin.write(SESSION.encode())
            ssh.stdin.flush()
            ssh.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        finally:
            if ssh.poll() is None:
                ssh.kill()
                ssh.wait(timeout=10)
            ssh.stdin.close()
    reply = out_path.read_text(errors="replace")
    detail = f"ssh exited {ssh.returncode}\nstdout:\n{reply}\nstderr:\n{err_path.read_text(errors='replace')}"
    messages = [m.strip() for m in reply.split(EOM) if m.strip()]
    assert messages and "<hello" in messages[0], f"no server <hello>:\n{detail}"
    assert "urn:ietf:params:netconf:base:1.0" in messages[0], f"the hello lacks base:1.0:\n{detail}"
    get_config = [m for m in messages if 'message-id="1"' in m]
    assert get_config and "<data" in get_config[0], f"no <data> reply to get-config:\n{detail}"
    assert "urn:algd:yang:algd-interfaces" in get_config[0], f"the running config lacks the interfaces:\n{detail}"
    close = [m for m in messages if 'message-id="2"' in m]
    assert close and "<ok/>" in close[0], f"close-session was not answered <ok/>:\n{detail}"


def test_algd_stops_on_sigterm(algd):
    algd.proc.send_signal(signal.SIGTERM)
    try:
        code = algd.proc.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"algd did not exit within {STOP_TIMEOUT_SECONDS}s of SIGTERM") from None
    # 143 = 128 + SIGTERM: the JVM's exit status after its shutdown hooks ran.
    assert code in (0, 143), f"algd exited with {code} after SIGTERM"
