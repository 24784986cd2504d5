"""FTP through algd with real peers: vsftpd in the server namespace, curl and lftp in the client namespace.
vsftpd refuses a PORT/EPRT whose address is not the control connection's peer ("500 Illegal PORT"), so an
active transfer works only when the FTP ALG rewrote the command and opened the expectation for the data
connection back; passive transfers need the ALG only for DNAT."""

import random
import re
import string

import pytest

from algd_e2e import (ALG_STATE_FILTER, ALGD_OUTSIDE_ADDRESS, CLIENT_ADDRESS, NS, PASSWORD, REPO, SERVER_ADDRESS, USER,
                      BackgroundProcess, alg_counters, alg_state_entry, in_ns, run, sessions, wait_until)

SYS = NS["sys"]


def vsftpd_config(root, port, log, address=SERVER_ADDRESS):
    # test-peers.md: foreground, no seccomp sandbox, no network isolation (it would leave the namespace's view),
    # data from port 20 in active mode, a small passive range, bound to the server address only.
    # An IPv6 address: vsftpd listens with listen_ipv6 instead (the two listen modes exclude each other).
    listen = ["listen=NO", "listen_ipv6=YES", f"listen_address6={address}"] if ":" in address \
        else ["listen=YES", "listen_ipv6=NO", f"listen_address={address}"]
    return "\n".join(listen + [
        "background=NO", "seccomp_sandbox=NO", "isolate=NO", "isolate_network=NO",
        f"listen_port={port}", "connect_from_port_20=YES",
        f"ftp_data_port={port - 1}" if port != 21 else "ftp_data_port=20",
        "pasv_enable=YES", "pasv_min_port=40000", "pasv_max_port=40100",
        "anonymous_enable=YES", "local_enable=NO", "write_enable=NO", f"anon_root={root}",
        "no_anon_password=YES", "hide_ids=YES", "xferlog_enable=YES", f"vsftpd_log_file={log}",
        "log_ftp_protocol=YES", "secure_chroot_dir=/var/run/vsftpd/empty", "pam_service_name=ftp", "",
    ])


def start_vsftpd(topology, tmp_path, port, namespace=None, address=SERVER_ADDRESS):
    root = tmp_path / f"ftproot{port}"
    root.mkdir()
    root.chmod(0o555)
    content = "".join(random.choices(string.ascii_letters + string.digits, k=20000)) + "\n"
    (root / "data.txt").write_text(content)
    (root / "data.txt").chmod(0o644)
    config = tmp_path / f"vsftpd{port}.conf"
    protocol_log = tmp_path / f"vsftpd{port}-protocol.log"
    config.write_text(vsftpd_config(root, port, protocol_log, address))
    run(["mkdir", "-p", "/var/run/vsftpd/empty"])
    namespace = namespace or topology.server
    server = BackgroundProcess(in_ns(namespace, "/usr/sbin/vsftpd", str(config)), tmp_path / f"vsftpd{port}.log")
    server.content = content
    server.port = port
    # vsftpd cannot log to a pipe ("500 OOPS" at connect): its protocol log goes to a file.
    server.protocol_log = lambda: protocol_log.read_text(errors="replace") if protocol_log.exists() else ""
    wait_until(lambda: run(in_ns(namespace, "ss", "-Hltn", f"sport = :{port}")).stdout.strip()
               or server.proc.poll() is not None, 10, what="vsftpd to listen")
    assert server.proc.poll() is None, f"vsftpd exited: {server.output()}"
    return server


@pytest.fixture
def ftp_server(topology, tmp_path):
    server = start_vsftpd(topology, tmp_path, 21)
    try:
        yield server
    finally:
        server.stop()


def curl_ftp(topology, server, *options):
    url = f"ftp://{SERVER_ADDRESS}:{server.port}/data.txt"
    return run(in_ns(topology.client, "curl", "-s", "-S", "--max-time", "15", *options, url), timeout=30, check=False)


def assert_transferred(result, server):
    assert result.returncode == 0, \
        f"curl failed ({result.returncode}): {result.stderr}\nvsftpd:\n{server.output()}{server.protocol_log()}"
    assert result.stdout == server.content, "the file arrived changed or incomplete"


def test_passive_pasv_through_snat(algd, nc, ftp_server):
    assert_transferred(curl_ftp(algd.topology, ftp_server, "--ftp-pasv", "--disable-epsv"), ftp_server)
    counters = alg_counters(nc, "ftp")
    # One download, one data connection: one expectation, used by it. The server's 227 names its own address,
    # which a source-NATed client reaches as it is, so nothing is rewritten.
    assert counters["inspected"] >= 1, counters
    assert counters["expectations-created"] == 1 and counters["expectations-used"] == 1, counters
    assert counters["translated"] == 0 and counters["parse-errors"] == 0 and counters["drops"] == 0, counters


def test_passive_epsv_through_snat(algd, ftp_server):
    assert_transferred(curl_ftp(algd.topology, ftp_server, "--ftp-pasv"), ftp_server)


def test_active_port_is_rewritten_and_the_data_connection_is_a_child(algd, nc, ftp_server):
    assert_transferred(curl_ftp(algd.topology, ftp_server, "--ftp-port", "-", "--disable-eprt"), ftp_server)
    assert f"PORT {ALGD_OUTSIDE_ADDRESS.replace('.', ',')}" in ftp_server.protocol_log(), \
        f"vsftpd did not see a PORT with the NAT address:\n{ftp_server.protocol_log()}"
    table = sessions(nc)
    control = [s for s in table if s["destination-port"] == "21" and s["protocol-number"] == "6"]
    assert control and control[0].get("alg") == "ftp", table
    children = [s for s in table if s["parent"] == control[0]["id"]]
    assert children, f"no data session linked to the control session {control[0]['id']}: {table}"
    assert children[0]["source-address"] == SERVER_ADDRESS and children[0]["source-port"] == "20", children[0]
    counters = alg_counters(nc, "ftp")
    assert counters["translated"] >= 1, counters
    assert counters["expectations-created"] == len(children) == counters["expectations-used"], (counters, children)
    assert counters["expectations-expired"] == 0 and counters["drops"] == 0, counters


def test_active_eprt_is_rewritten(algd, ftp_server):
    assert_transferred(curl_ftp(algd.topology, ftp_server, "--ftp-port", "-"), ftp_server)


def test_active_port_behind_a_rule_with_a_port_range_gets_its_data_port_from_the_range(algd, nc, ftp_server):
    # As the guide's RSH rule 22 with "translation port 513-1023": FTP's data port comes from the rule's range too
    # (Vyatta; alg-behaviour.md §5 vector 7), the one after the control connection's.
    nc.edit_config(target="candidate", config=f"""<config>
      <service xmlns="{NS['nat']}"><nat><source><rule>
        <id>5</id><outbound-interface>outside</outbound-interface><protocol>tcp</protocol>
        <destination><port>21</port></destination>
        <translation><address>{ALGD_OUTSIDE_ADDRESS}</address><port>41000-41009</port></translation>
      </rule></source></nat></service></config>""")
    nc.commit()
    assert_transferred(curl_ftp(algd.topology, ftp_server, "--ftp-port", "-", "--disable-eprt"), ftp_server)
    ports = [int(p1) * 256 + int(p2) for p1, p2 in
             re.findall(ALGD_OUTSIDE_ADDRESS.replace(".", ",") + r",(\d+),(\d+)", ftp_server.protocol_log())]
    control = [s for s in sessions(nc) if s["destination-port"] == "21" and s["protocol-number"] == "6"]
    assert len(ports) == 1 and control, (ports, control, ftp_server.protocol_log())
    control_port = int(control[0]["translated-port"])
    assert 41000 <= control_port <= 41009, control[0]
    assert ports[0] == (control_port + 1 if control_port < 41009 else 41000), (ports, control[0])


def assert_lftp_gets_in_both_modes(topology, server, host, tmp_path):
    """lftp fetches the server's file in passive and then active mode from the client namespace; host is the URL's
    host part ([address] for IPv6)."""
    for passive in ("true", "false"):
        target = tmp_path / f"lftp-{passive}.txt"
        result = run(in_ns(topology.client, "lftp", "-e",
                           f"set ftp:passive-mode {passive}; set net:max-retries 1; set net:timeout 10; "
                           f"get data.txt -o {target}; bye", f"ftp://{host}"), timeout=60, check=False)
        assert result.returncode == 0, f"lftp passive={passive}: {result.stderr}\n{server.protocol_log()}"
        assert target.read_text() == server.content


def test_lftp_active_and_passive(algd, ftp_server, tmp_path):
    assert_lftp_gets_in_both_modes(algd.topology, ftp_server, SERVER_ADDRESS, tmp_path)


def test_active_mode_fails_when_the_alg_is_disabled(algd, nc, ftp_server):
    nc.edit_config(target="candidate",
                   config=f'<config><system xmlns="{SYS}"><alg><ftp><disable/></ftp></alg></system></config>')
    nc.commit()
    result = curl_ftp(algd.topology, ftp_server, "--ftp-port", "-", "--disable-eprt")
    assert result.returncode != 0, "active FTP worked without the ALG: the test proves nothing"
    assert_transferred(curl_ftp(algd.topology, ftp_server, "--ftp-pasv", "--disable-epsv"), ftp_server)


def test_ftp_on_a_configured_port(algd, nc, topology, tmp_path):
    server = start_vsftpd(topology, tmp_path, 2121)
    try:
        nc.edit_config(target="candidate",
                       config=f'<config><system xmlns="{SYS}"><alg><ftp><port>2121</port></ftp></alg></system></config>')
        nc.commit()
        assert_transferred(curl_ftp(topology, server, "--ftp-port", "-", "--disable-eprt"), server)
    finally:
        server.stop()


def test_passive_227_from_an_inside_server_is_rewritten_through_dnat(algd, nc, topology, tmp_path):
    # The server is inside (192.0.2.2, the client namespace); the outside host reaches it as 198.51.100.1:21.
    nc.edit_config(target="candidate", config=f"""<config>
      <service xmlns="{NS['nat']}"><nat><destination><rule>
        <id>10</id><inbound-interface>outside</inbound-interface><protocol>tcp</protocol>
        <destination><address>{ALGD_OUTSIDE_ADDRESS}</address><port>21</port></destination>
        <translation><address>{CLIENT_ADDRESS}</address></translation>
      </rule></destination></nat></service></config>""")
    nc.commit()
    server = start_vsftpd(topology, tmp_path, 21, namespace=topology.client, address=CLIENT_ADDRESS)
    try:
        url = f"ftp://{ALGD_OUTSIDE_ADDRESS}/data.txt"
        result = run(in_ns(topology.server, "curl", "-s", "-S", "--max-time", "15", "--ftp-pasv", "--disable-epsv",
                           url), timeout=30, check=False)
        assert result.returncode == 0, f"curl through DNAT failed: {result.stderr}\n{server.protocol_log()}"
        assert result.stdout == server.content
        # vsftpd answered 227 with its own address; the client must have been sent the outside address.
        assert "227 Entering Passive Mode (192,0,2,2" in server.protocol_log(), server.protocol_log()
        table = sessions(nc)
        control = [s for s in table if s.get("translated-destination-address") == CLIENT_ADDRESS
                   and s["destination-port"] == "21"]
        assert control and control[0].get("alg") == "ftp", table
        children = [s for s in table if s["parent"] == control[0]["id"]]
        assert children, table
        counters = alg_counters(nc, "ftp")
        assert counters["translated"] >= 1, counters
        assert counters["expectations-created"] == len(children) == counters["expectations-used"], counters
    finally:
        server.stop()


UNUSED_PASV = f"""
import socket, sys, time
control = socket.create_connection(("{SERVER_ADDRESS}", 21), timeout=10)
replies = control.makefile("rb")
def ask(line):
    if line:
        control.sendall(line.encode() + b"\\r\\n")
    while True:
        reply = replies.readline().decode()
        if reply[3:4] == " ":
            return reply
print(ask(""), ask("USER anonymous"), ask("PASV"), end="", flush=True)
time.sleep(float(sys.argv[1]))
print(ask("QUIT"), end="")
"""


def test_configured_expectation_timeout_makes_an_unused_passive_expectation_expire(algd, nc, ftp_server):
    nc.edit_config(target="candidate", config=f'<config><system xmlns="{SYS}"><alg><ftp>'
                   '<expectation-timeout>2</expectation-timeout></ftp></alg></system></config>')
    nc.commit()
    assert alg_state_entry(nc, "ftp").findtext(f"{{{SYS}}}expectation-timeout") == "2"
    # A client that asks for passive mode and never opens the data connection: the expectation waits 2 s, not 120.
    result = run(in_ns(algd.topology.client, "/usr/bin/python3", "-c", UNUSED_PASV, "5"), timeout=30, check=False)
    assert result.returncode == 0 and "227 " in result.stdout, f"{result.stdout} {result.stderr}"
    wait_until(lambda: alg_counters(nc, "ftp")["expectations-expired"] == 1, 5, what="the expectation to expire")
    counters = alg_counters(nc, "ftp")
    assert counters["expectations-created"] == 1 and counters["expectations-used"] == 0, counters
    framework = nc.get(filter=ALG_STATE_FILTER).data_ele.find("sys:alg-state/sys:framework-counters", NS)
    assert framework.findtext(f"{{{SYS}}}expectations-active") == "0"


def pending_expectations(nc):
    """alg-state's expectation list, each as {leaf: text}."""
    data = nc.get(filter=("subtree", f'<alg-state xmlns="{SYS}"><expectation/></alg-state>')).data_ele
    return [{leaf.tag.split("}", 1)[-1]: (leaf.text or "").strip() for leaf in entry}
            for entry in data.findall("sys:alg-state/sys:expectation", NS)]


def test_a_pending_passive_expectation_is_listed_with_its_parent_until_it_expires(algd, nc, ftp_server, tmp_path):
    nc.edit_config(target="candidate", config=f'<config><system xmlns="{SYS}"><alg><ftp>'
                   '<expectation-timeout>3</expectation-timeout></ftp></alg></system></config>')
    nc.commit()
    assert pending_expectations(nc) == []
    client = BackgroundProcess(in_ns(algd.topology.client, "/usr/bin/python3", "-c", UNUSED_PASV, "8"),
                               tmp_path / "pasv-client.log")
    try:
        reply = wait_until(lambda: re.search(r"227 .*\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)", client.output()),
                           10, what="the 227 reply")
        data_port = int(reply.group(5)) * 256 + int(reply.group(6))
        [pending] = wait_until(lambda: pending_expectations(nc), 5, what="the expectation in alg-state")
        [control] = [s for s in sessions(nc) if s["destination-port"] == "21"]
        assert pending["alg"] == "ftp" and pending["protocol"] == "tcp", pending
        assert pending["parent-session-id"] == control["id"], (pending, control)
        assert pending["source-address"] == CLIENT_ADDRESS and "source-port" not in pending, pending
        assert (pending["destination-address"], pending["destination-port"]) == (SERVER_ADDRESS, str(data_port))
        assert 0 < int(pending["timeout"]) <= 3 and pending["one-shot"] == "true", pending
        shown = run(["/usr/bin/python3", REPO / "netconf-server" / "bin" / "algd-cli", "--host",
                     algd.topology.mgmt_address, "--user", USER, "--password", PASSWORD, "show", "alg-state"]).stdout
        assert re.search(rf"^ftp +{control['id']} +tcp +{CLIENT_ADDRESS}:any +{SERVER_ADDRESS}:{data_port} +- ",
                         shown, re.MULTILINE), shown
        # Unused, it times out while its parent lives on: it leaves the list at once, and the sweep counts it.
        wait_until(lambda: pending_expectations(nc) == [], 6, what="the expectation to leave alg-state")
        assert client.proc.poll() is None, "the control connection ended before the expectation expired"
        wait_until(lambda: alg_counters(nc, "ftp")["expectations-expired"] == 1, 5, what="the expiry to be counted")
    finally:
        client.stop()


# ftplib as the client: curl and lftp only send PORT with an address of their own host.
BOUNCE_CLIENT = """
import ftplib, socket, sys
ftp = ftplib.FTP(sys.argv[1], timeout=4)
ftp.login()
try:
    print("answered:", ftp.sendcmd("PORT 192,0,2,99,39,16"))
except (socket.timeout, TimeoutError):
    print("no answer")
"""


def test_ftp_bounce_is_refused_counted_and_logged(algd, nc, ftp_server):
    # PORT naming a host other than the client (RFC 2577 §3): the ALG drops the segment, so vsftpd never sees it
    # and the client gets no answer; alg-state counts the drop and algd's log says why.
    before = alg_counters(nc, "ftp")
    result = run(in_ns(algd.topology.client, "/usr/bin/python3", "-c", BOUNCE_CLIENT, SERVER_ADDRESS), timeout=30,
                 check=False)
    assert "no answer" in result.stdout, f"the bounce PORT was answered: {result}\n{ftp_server.protocol_log()}"
    assert "192,0,2,99" not in ftp_server.protocol_log()
    assert alg_counters(nc, "ftp")["drops"] > before["drops"]
    wait_until(lambda: "bounce-refused +" in algd.log(), 15, what="the ALG error log line")
    line = next(line for line in algd.log().splitlines() if "ALG ftp:" in line)
    assert "drops +" in line, line
