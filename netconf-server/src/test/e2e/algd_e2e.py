"""Constants and helpers shared by algd's end-to-end tests and their fixtures (conftest.py)."""

import signal
import subprocess
import time
from pathlib import Path

import paramiko
from ncclient.xml_ import to_xml

E2E_DIR = Path(__file__).resolve().parent
REPO = E2E_DIR.parents[3]
ALGD = REPO / "netconf-server" / "bin" / "algd"
TOPOLOGY = REPO / "examples" / "demo" / "topology.sh"
DEMO_STARTUP = REPO / "examples" / "demo" / "startup.xml"
CONFIGS = E2E_DIR / "configs"

USER = "e2e"
PASSWORD = "e2e-password"
NETCONF_PORT = 830
READY_TIMEOUT_SECONDS = 90
STOP_TIMEOUT_SECONDS = 20

CLIENT_ADDRESS = "192.0.2.2"
ALGD_INSIDE_ADDRESS = "192.0.2.1"
ALGD_OUTSIDE_ADDRESS = "198.51.100.1"
SERVER_ADDRESS = "198.51.100.2"
CLIENT_ADDRESS6 = "2001:db8:1::2"
ALGD_INSIDE_ADDRESS6 = "2001:db8:1::1"
ALGD_OUTSIDE_ADDRESS6 = "2001:db8:2::1"
SERVER_ADDRESS6 = "2001:db8:2::2"

NS = {
    "nc": "urn:ietf:params:xml:ns:netconf:base:1.0",
    "sys": "urn:algd:yang:algd-system",
    "if": "urn:algd:yang:algd-interfaces",
    "nat": "urn:algd:yang:algd-nat",
    "st": "urn:algd:yang:algd-session-table",
}


def run(cmd, timeout=30, check=True):
    """Runs cmd (a list), bounded by timeout, and returns the CompletedProcess with text output."""
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=timeout,
                            stdin=subprocess.DEVNULL)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, cmd))} exited {result.returncode}\n"
                             f"stdout: {result.stdout}\nstderr: {result.stderr}")
    return result


def in_ns(namespace, *cmd):
    return ["ip", "netns", "exec", namespace, *cmd]


def wait_until(predicate, timeout, interval=0.1, what="condition"):
    """Calls predicate until it returns a true value (returned) or timeout seconds pass (AssertionError)."""
    deadline = time.monotonic() + timeout
    for _ in range(int(timeout / interval) + 1):
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            break
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def stop_process(proc, grace):
    """Ends a process this test started, by its PID: SIGTERM, then SIGKILL after grace seconds.
    Returns True if it stopped on SIGTERM."""
    if proc.poll() is not None:
        return True
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
        return True
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
        return False





class BackgroundProcess:
    """A helper process (HTTP server, tcpdump) started by a test, with its output in a file."""

    def __init__(self, cmd, log_path):
        self.log_path = log_path
        with open(log_path, "wb") as log_file:
            self.proc = subprocess.Popen([str(c) for c in cmd], stdin=subprocess.DEVNULL, stdout=log_file,
                                         stderr=subprocess.STDOUT)

    def output(self):
        return self.log_path.read_text(errors="replace")

    def stop(self, grace=5):
        stop_process(self.proc, grace)

def netconf_channel(address, timeout):
    """A paramiko SSH client logged in to algd and its netconf subsystem channel, for a test that frames NETCONF
    itself (what ncclient cannot send or pipeline). The caller closes the client."""
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(address, port=NETCONF_PORT, username=USER, password=PASSWORD, allow_agent=False,
                   look_for_keys=False, timeout=timeout)
    channel = client.get_transport().open_session()
    channel.settimeout(timeout)
    channel.invoke_subsystem("netconf")
    return client, channel


def text_of(element, path):
    """Stripped text of the first match of path (NS prefixes) under element, or None."""
    found = element.find(path, NS)
    return None if found is None or found.text is None else found.text.strip()


SESSION_TABLE_FILTER = ("subtree", f'<session-table xmlns="{NS["st"]}"/>')


def sessions(nc):
    """The session table from <get> with a subtree filter, as a list of {leaf: text} dicts."""
    data = nc.get(filter=SESSION_TABLE_FILTER).data_ele
    result = []
    for entry in data.findall("st:session-table/st:session", NS):
        leaves = {}
        for child in entry:
            name = child.tag.split("}", 1)[-1]
            if len(child):  # the counters container
                for leaf in child:
                    leaves[leaf.tag.split("}", 1)[-1]] = (leaf.text or "").strip()
            elif name == "feature":
                leaves.setdefault("feature", []).append((child.text or "").strip())
            else:
                leaves[name] = (child.text or "").strip()
        result.append(leaves)
    return result


def canonical_sessions(element):
    """Each session of a session-table element as its sorted leaves, (name, text), without the timeout and the
    counters that move between two reads. Sorted: the codec writes a list entry's leaves in no fixed order."""
    timeout = f"{{{NS['st']}}}timeout"
    result = []
    for session in element.iter(f"{{{NS['st']}}}session"):
        leaves = tuple(sorted((leaf.tag, (leaf.text or "").strip()) for leaf in session.iter()
                              if len(leaf) == 0 and leaf.getparent() is session and leaf.tag != timeout))
        result.append(leaves)
    return sorted(result)


ALG_STATE_FILTER = ("subtree", f'<alg-state xmlns="{NS["sys"]}"/>')


def alg_state_entry(nc, alg):
    """The alg-state/alg entry of one ALG, from <get> with a subtree filter, as an lxml element."""
    data = nc.get(filter=ALG_STATE_FILTER).data_ele
    for entry in data.findall("sys:alg-state/sys:alg", NS):
        if text_of(entry, "sys:name") == alg:
            return entry
    raise AssertionError(f"no alg-state entry for {alg}")


def alg_counters(nc, alg):
    """One ALG's alg-state counters, {leaf: int}: inspected, translated, expectations-created..."""
    counters = alg_state_entry(nc, alg).find("sys:counters", NS)
    assert counters is not None, f"alg-state of {alg} has no counters"
    return {leaf.tag.split("}", 1)[-1]: int(leaf.text) for leaf in counters}


def alg_states(nc):
    """/alg-state from <get>: {alg name: {enabled, implemented, ports, programs}}, what the engine applies now."""
    from lxml import etree
    sys_ns = NS["sys"]
    data = etree.fromstring(nc.get(filter=("subtree", f'<alg-state xmlns="{sys_ns}"/>')).data_xml.encode())
    return {
        entry.findtext(f"{{{sys_ns}}}name"): {
            "enabled": entry.findtext(f"{{{sys_ns}}}enabled") == "true",
            "implemented": entry.findtext(f"{{{sys_ns}}}implemented") == "true",
            "ports": [int(p.text) for p in entry.findall(f"{{{sys_ns}}}effective-port")],
            "programs": sorted(int(p.text) for p in entry.findall(f"{{{sys_ns}}}effective-program")),
        }
        for entry in data.iter(f"{{{sys_ns}}}alg")
    }


def running_config_xml(nc):
    """The whole running datastore as canonical XML, for before/after comparisons."""
    from lxml import etree
    return etree.tostring(nc.get_config(source="running").data_ele, method="c14n")


def error_text(error):
    """Everything an RPCError carries (every rpc-error's message, path, info, and the raw XML)."""
    errors = error.errlist or [error]
    parts = []
    for e in errors:
        parts += [e.type, e.tag, e.app_tag, e.path, e.message, e.info]
    parts.append(to_xml(error.xml))
    return "\n".join(p for p in parts if p)


def error_fields(error):
    """The rpc-errors' messages, paths and infos only (no tags: 'operation-not-supported' contains 'port')."""
    errors = error.errlist or [error]
    parts = []
    for e in errors:
        parts += [e.path, e.message, e.info]
    return "\n".join(p for p in parts if p)
