"""Fixtures for algd's end-to-end tests: a namespace topology, the daemon in its router namespace, and
an ncclient session to it.

Rules every test here keeps: traffic stays inside the namespaces a test creates (and loopback), with
addresses from 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24 only; each test creates and removes its
own namespaces, also when it fails; processes are ended by the PID the test started; every wait is
bounded. Run as root with Debian's /usr/bin/python3 (Debian's python3-ncclient is importable only there).
"""

import fcntl
import os
import random
import shlex
import shutil
import signal
import string
import subprocess
import threading
import time
from dataclasses import dataclass

import pytest
import ncclient.transport.ssh

# Debian's ncclient 0.6.13 sends queued RPCs only when its select() wakes, every TICK seconds: without
# this, every RPC costs about 100 ms on the client side (shared/design/stack.md).
ncclient.transport.ssh.TICK = 0.001
from ncclient import manager  # noqa: E402  (after the TICK fix)

from algd_e2e import (ALGD, CONFIGS, DEMO_STARTUP, NETCONF_PORT, PASSWORD, READY_TIMEOUT_SECONDS, REPO,  # noqa: E402
                      SERVER_ADDRESS, STOP_TIMEOUT_SECONDS, TOPOLOGY, USER, BackgroundProcess, in_ns, run,
                      stop_process, wait_until)


def pytest_configure(config):
    # A SIGTERM (e.g. from run-tests' timeout) becomes KeyboardInterrupt, so that pytest still runs the
    # fixtures' finalizers and removes the namespaces and processes. A pytest-xdist worker may run this outside
    # the main thread, where Python refuses signal handlers; its controller gets the SIGTERM and ends it.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)


def pytest_sessionstart(session):
    if os.geteuid() != 0:
        pytest.exit("algd's end-to-end tests create network namespaces: run them as root", returncode=4)


@dataclass
class Topology:
    prefix: str
    mgmt_base: int

    @property
    def client(self):
        return f"{self.prefix}-client"

    @property
    def router(self):
        return f"{self.prefix}-router"

    @property
    def server(self):
        return f"{self.prefix}-server"

    @property
    def mgmt_address(self):
        """algd's NETCONF address, reached from the root namespace."""
        return f"203.0.113.{self.mgmt_base + 2}"


def _used_ipv4_addresses():
    out = run(["ip", "-4", "-o", "addr", "show"]).stdout
    return {field.split("/")[0] for line in out.splitlines() for field in line.split() if "/" in field}


def _free_mgmt_bases():
    """Management /30s of 203.0.113.0/24 not in use in the root namespace. 203.0.113.0/30 (base 0) is the
    demo's and never used here, so a test run and a demo can run at once."""
    used = _used_ipv4_addresses()
    return [base for base in range(4, 256, 4)
            if f"203.0.113.{base + 1}" not in used and f"203.0.113.{base + 2}" not in used]


TOPOLOGY_LOCK = "/tmp/algd-e2e-topology.lock"


@pytest.fixture
def topology():
    """A fresh client/router/server topology (examples/demo/topology.sh) with a unique prefix, removed after
    the test whatever its outcome."""
    last_error = None
    # Tests run in parallel (pytest-xdist): looking for a free /30 and taking it happen under one lock, as Linux
    # lets two host devices carry the same address and each daemon would then see the other's NETCONF clients.
    with open(TOPOLOGY_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for _ in range(3):  # a run outside this lock may take the same /30 between our look and our "up"
            prefix = "algdt" + "".join(random.choices(string.ascii_lowercase + string.digits, k=5))
            bases = _free_mgmt_bases()
            assert bases, "no free management /30 in 203.0.113.0/24"
            topo = Topology(prefix, random.choice(bases))
            result = run([TOPOLOGY, "up", topo.prefix, topo.mgmt_base], timeout=60, check=False)
            if result.returncode == 0:
                break
            last_error = result.stderr  # "up" has removed whatever it made
        else:
            raise AssertionError(f"topology up failed three times: {last_error}")
    try:
        yield topo
    finally:
        run([TOPOLOGY, "down", topo.prefix], timeout=60)


READY_SECONDS = []  # start of "algd run" to the first successful NETCONF hello, one per daemon started


def pytest_terminal_summary(terminalreporter):
    if READY_SECONDS:
        ready = sorted(READY_SECONDS)
        terminalreporter.write_line(
            f"algd NETCONF ready after start: median {ready[len(ready) // 2]:.1f}s, min {ready[0]:.1f}s, "
            f"max {ready[-1]:.1f}s over {len(ready)} starts")


@pytest.fixture(scope="session")
def algd_built():
    """Builds the daemon once, in the root namespace (the router namespace has no way to Maven Central). Under
    pytest-xdist every worker runs this: the lock makes the first build and the others find it up to date."""
    lock_path = REPO / "netconf-server" / "target" / ".e2e-build.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        run([ALGD, "build"], timeout=900)


def _netconf_connect(address, timeout=30, port=NETCONF_PORT):
    return manager.connect(host=address, port=port, username=USER, password=PASSWORD,
                           hostkey_verify=False, allow_agent=False, look_for_keys=False, timeout=timeout)


class Daemon:
    """algd running in a topology's router namespace."""

    def __init__(self, proc, log_path, config_path, running_path, topo, port=NETCONF_PORT):
        self.proc = proc
        self.log_path = log_path
        self.config_path = config_path  # startup: rewritten by copy-config / delete-config only
        self.running_path = running_path  # rewritten by every commit
        self.topology = topo
        self.port = port
        self.ready_seconds = None

    @property
    def pid(self):
        return self.proc.pid

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except OSError as e:
            return f"(no log: {e})"

    def is_listening(self):
        return "algd: NETCONF over SSH listening on" in self.log()

    def connect(self, timeout=30):
        """A new ncclient NETCONF session to this daemon (close it, or use it as a context manager)."""
        return _netconf_connect(self.topology.mgmt_address, timeout=timeout, port=self.port)

    def try_hello(self):
        """True if a NETCONF session opens (a real <hello>: a bare TCP probe makes the server log errors)."""
        try:
            with self.connect(timeout=10) as session:
                return bool(session.session_id)
        except Exception:  # noqa: BLE001  (not ready yet: any failure means "try again")
            return False


def _start_daemon(topology, config, running, users, log_path, extra_args=(), port=NETCONF_PORT):
    """Starts netconf-server/bin/algd in the router namespace on config and waits for a NETCONF hello. ALGD_E2E_ARGS
    adds daemon options to every test (e.g. ALGD_E2E_ARGS="--workers 2" runs the suite on two workers)."""
    with open(log_path, "ab") as log_file:
        started = time.monotonic()
        # "ip netns exec", env and "algd run" all exec, so proc.pid is the JVM's PID. ALGD_NO_BUILD: every
        # test runs the jar algd_built checked, even if someone edits a source meanwhile.
        proc = subprocess.Popen(
            in_ns(topology.router, "env", "ALGD_NO_BUILD=1", str(ALGD), "run", "--config", str(config),
                  "--running-state", str(running),
                  "--netconf-address", topology.mgmt_address, "--netconf-port", str(port),
                  "--users", str(users), *shlex.split(os.environ.get("ALGD_E2E_ARGS", "")), *extra_args),
            stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT)
    daemon = Daemon(proc, log_path, config, running, topology, port)
    try:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"algd exited with {proc.returncode} during start-up; log:\n{daemon.log()}")
            if daemon.is_listening() and daemon.try_hello():
                break
            if time.monotonic() >= deadline:
                raise AssertionError(f"no NETCONF hello from algd within {READY_TIMEOUT_SECONDS}s; log:\n"
                                     f"{daemon.log()}")
            time.sleep(0.25)
    except BaseException:
        stop_process(proc, STOP_TIMEOUT_SECONDS)
        raise
    daemon.ready_seconds = time.monotonic() - started
    READY_SECONDS.append(daemon.ready_seconds)
    print(f"algd ready for NETCONF {daemon.ready_seconds:.1f}s after start (pid {proc.pid})")
    return daemon


@pytest.fixture
def algd(request, topology, tmp_path, algd_built):
    """Starts netconf-server/bin/algd in the router namespace on a copy of a startup config (the
    @pytest.mark.startup file from configs/, else examples/demo/startup.xml) and waits for a NETCONF hello.
    Ends it by PID afterwards, and any daemon the test started again with algd.restart(). Its running state is
    tmp_path/running.xml (algd.running_path). The daemon log is attached to a failing test's report."""
    marker = request.node.get_closest_marker("startup")
    source = CONFIGS / marker.args[0] if marker else DEMO_STARTUP
    config = tmp_path / "startup.xml"
    shutil.copyfile(source, config)  # copy-config to startup rewrites it
    running = tmp_path / "running.xml"
    users = tmp_path / "users"
    users.write_text(f"{USER}:{PASSWORD}\n")
    users.chmod(0o600)
    log_path = tmp_path / "algd.log"
    args_marker = request.node.get_closest_marker("algd_args")
    extra_args = [str(a) for a in args_marker.args] if args_marker else []
    daemons = [_start_daemon(topology, config, running, users, log_path, extra_args)]

    def restart():
        """Starts a new daemon on the same config file, once the previous one has ended."""
        assert daemons[-1].proc.poll() is not None, "restart() while the previous algd still runs"
        daemons.append(_start_daemon(topology, config, running, users, log_path, extra_args))
        return daemons[-1]

    daemons[0].restart = restart
    try:
        yield daemons[0]
    finally:
        for daemon in daemons:
            if daemon.proc.poll() is None and not stop_process(daemon.proc, STOP_TIMEOUT_SECONDS):
                print(f"algd (pid {daemon.proc.pid}) ignored SIGTERM for {STOP_TIMEOUT_SECONDS}s and was killed;"
                      f" log:\n{daemon.log()}")


# A configuration with no interfaces: a daemon that only serves NETCONF, beside the test's algd in one namespace.
NO_INTERFACES = ('<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">'
                 '<system xmlns="urn:algd:yang:algd-system"><alg/></system></config>\n')


@pytest.fixture
def second_algd(algd, tmp_path):
    """A second algd in the test's router namespace, NETCONF on port 831 of the same address, with no interfaces
    (the first daemon owns them): another device for a controller to manage. Ended by PID afterwards."""
    directory = tmp_path / "second-algd"
    directory.mkdir()
    config = directory / "startup.xml"
    config.write_text(NO_INTERFACES)
    users = directory / "users"
    users.write_text(f"{USER}:{PASSWORD}\n")
    users.chmod(0o600)
    daemon = _start_daemon(algd.topology, config, directory / "running.xml", users, directory / "algd.log",
                           port=NETCONF_PORT + 1)
    try:
        yield daemon
    finally:
        if not stop_process(daemon.proc, STOP_TIMEOUT_SECONDS):
            print(f"the second algd (pid {daemon.proc.pid}) ignored SIGTERM and was killed; log:\n{daemon.log()}")


@pytest.fixture
def nc(algd):
    """An ncclient NETCONF session to the test's algd."""
    session = _netconf_connect(algd.topology.mgmt_address)
    try:
        yield session
    finally:
        if session.connected:
            try:
                session.close_session()
            except Exception:  # noqa: BLE001  (the daemon may already be gone; the session is closed anyway)
                pass


@pytest.fixture
def sessions(algd):
    """Opens further NETCONF sessions to the test's algd on demand (sessions()); closes those still open."""
    opened = []

    def open_session():
        session = _netconf_connect(algd.topology.mgmt_address)
        opened.append(session)
        return session

    try:
        yield open_session
    finally:
        for session in opened:
            if session.connected:
                try:
                    session.close_session()
                except Exception:  # noqa: BLE001  (already gone)
                    pass


@pytest.fixture
def http_server(topology, tmp_path):
    """python3's http.server on 198.51.100.2:8080 in the server namespace, serving index.html with a
    token unique to the test. Its access log (stderr) is in .output()."""
    root = tmp_path / "www"
    root.mkdir()
    token = "algd-e2e-" + "".join(random.choices(string.ascii_lowercase + string.digits, k=12))
    (root / "index.html").write_text(f"<!doctype html><title>algd e2e</title><p>{token}</p>\n")
    server = BackgroundProcess(
        in_ns(topology.server, "/usr/bin/python3", "-u", "-m", "http.server", "8080",
              "--bind", SERVER_ADDRESS, "--directory", str(root)),
        tmp_path / "http.log")
    server.token = token
    server.url = f"http://{SERVER_ADDRESS}:8080/"
    try:
        wait_until(lambda: run(in_ns(topology.server, "ss", "-Hltn", "sport = :8080")).stdout.strip()
                   or server.proc.poll() is not None, 10, what="the HTTP server to listen")
        assert server.proc.poll() is None, f"http.server exited: {server.output()}"
        yield server
    finally:
        server.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attaches the daemon's log to the report of a test that failed while algd was running."""
    outcome = yield
    report = outcome.get_result()
    daemon = getattr(item, "funcargs", {}).get("algd")
    if report.failed and isinstance(daemon, Daemon):
        report.sections.append((f"algd log ({report.when})", daemon.log()))
