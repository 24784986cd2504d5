"""TFTP through algd with real peers: tftpd-hpa in the server namespace, tftp-hpa in the client namespace.
The server answers from a new port (its TID); only the TFTP ALG's expectation lets that reply through SNAT."""

import random
import string

import pytest

from algd_e2e import (ALGD_OUTSIDE_ADDRESS, CLIENT_ADDRESS, NS, SERVER_ADDRESS, BackgroundProcess, alg_counters,
                      in_ns, run, sessions, wait_until)

SYS = NS["sys"]


def start_tftpd(topology, tmp_path, address=SERVER_ADDRESS):
    """in.tftpd (tftpd-hpa) on address:69 in the server namespace, serving one file with random content."""
    root = tmp_path / "tftpboot"
    root.mkdir()
    root.chmod(0o755)
    content = "".join(random.choices(string.ascii_letters + string.digits, k=3000)) + "\n"
    (root / "hello.txt").write_text(content)
    (root / "hello.txt").chmod(0o644)
    listen = f"[{address}]:69" if ":" in address else f"{address}:69"
    server = BackgroundProcess(
        in_ns(topology.server, "/usr/sbin/in.tftpd", "--foreground", "--verbose", "--user", "root",
              "--address", listen, "--secure", str(root)),
        tmp_path / "tftpd.log")
    server.content = content
    try:
        wait_until(lambda: run(in_ns(topology.server, "ss", "-Hlun", "sport = :69")).stdout.strip()
                   or server.proc.poll() is not None, 10, what="tftpd to listen")
        assert server.proc.poll() is None, f"in.tftpd exited: {server.output()}"
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture
def tftp_server(topology, tmp_path):
    server = start_tftpd(topology, tmp_path)
    try:
        yield server
    finally:
        server.stop()


def tftp_get(topology, tmp_path, seconds):
    target = tmp_path / "fetched.txt"
    result = run(in_ns(topology.client, "timeout", str(seconds), "tftp", "-m", "binary", SERVER_ADDRESS,
                       "-c", "get", "hello.txt", str(target)), timeout=seconds + 10, check=False)
    return result, (target.read_text() if target.exists() else None)


def test_tftp_get_through_snat_creates_a_child_session(algd, nc, tftp_server, tmp_path):
    result, fetched = tftp_get(algd.topology, tmp_path, 20)
    assert result.returncode == 0, f"tftp failed: {result.stdout} {result.stderr}\ntftpd: {tftp_server.output()}"
    assert fetched == tftp_server.content, "the file arrived changed or incomplete"

    table = sessions(nc)
    control = [s for s in table if s["protocol-number"] == "17" and s["destination-port"] == "69"]
    assert len(control) == 1, table
    assert control[0]["translated-address"] == ALGD_OUTSIDE_ADDRESS
    assert control[0]["alg"] == "tftp"
    children = [s for s in table if s["parent"] == control[0]["id"]]
    assert children, f"no child session of the TFTP control session {control[0]['id']}: {table}"
    child = children[0]
    # The server's reply from its new port (TID) to the NAT address, mapped back to the inside client.
    assert child["source-address"] == SERVER_ADDRESS and child["source-port"] != "69", child
    assert child["destination-address"] == ALGD_OUTSIDE_ADDRESS, child
    assert child["destination-port"] == control[0]["translated-port"], child
    assert child["translated-destination-address"] == CLIENT_ADDRESS, child
    assert child["interface"] == "outside" and child["alg"] == "tftp", child
    counters = alg_counters(nc, "tftp")
    # One RRQ (tftp-hpa does not retransmit when answered at once), one reply flow from the server's TID.
    assert counters["inspected"] >= 1, counters
    assert counters["expectations-created"] == 1 == counters["expectations-used"], counters
    assert counters["translated"] == 0 and counters["parse-errors"] == 0 and counters["drops"] == 0, counters


def test_curl_fetches_over_tftp_through_snat_and_the_reply_flow_is_a_child(algd, nc, tftp_server, tmp_path):
    target = tmp_path / "curl-fetched.txt"
    result = run(in_ns(algd.topology.client, "curl", "-sS", "--max-time", "15", "-o", str(target),
                       f"tftp://{SERVER_ADDRESS}/hello.txt"), timeout=30, check=False)
    assert result.returncode == 0, f"curl tftp:// failed: {result.stderr}\ntftpd: {tftp_server.output()}"
    assert target.read_text() == tftp_server.content, "the file arrived changed or incomplete"
    table = sessions(nc)
    control = [s for s in table if s["protocol-number"] == "17" and s["destination-port"] == "69"]
    assert len(control) == 1 and control[0]["alg"] == "tftp", table
    children = [s for s in table if s["parent"] == control[0]["id"]]
    assert children and children[0]["translated-destination-address"] == CLIENT_ADDRESS, table
    assert alg_counters(nc, "tftp")["expectations-used"] == 1


def test_tftp_fails_when_the_alg_is_disabled(algd, nc, tftp_server, tmp_path):
    nc.edit_config(target="candidate",
                   config=f'<config><system xmlns="{SYS}"><alg><tftp><disable/></tftp></alg></system></config>')
    nc.commit()
    result, fetched = tftp_get(algd.topology, tmp_path, 8)
    assert fetched != tftp_server.content, "the transfer worked without the ALG: the test proves nothing"


def test_tftp_upload_through_dnat_reaches_the_inside_server(algd, nc, topology, tmp_path):
    # tftpd-hpa with --create is inside (192.0.2.2, the client namespace); the outside host reaches it as
    # 198.51.100.1:69. Its replies come from a new port (its TID): only the ALG's expectation lets them out, from
    # the public address the client wrote to.
    nc.edit_config(target="candidate", config=f"""<config>
      <service xmlns="{NS['nat']}"><nat><destination><rule>
        <id>10</id><inbound-interface>outside</inbound-interface><protocol>udp</protocol>
        <destination><address>{ALGD_OUTSIDE_ADDRESS}</address><port>69</port></destination>
        <translation><address>{CLIENT_ADDRESS}</address></translation>
      </rule></destination></nat></service></config>""")
    nc.commit()
    root = tmp_path / "incoming"
    root.mkdir()
    root.chmod(0o777)
    server = BackgroundProcess(
        in_ns(topology.client, "/usr/sbin/in.tftpd", "--foreground", "--verbose", "--user", "root", "--create",
              "--address", f"{CLIENT_ADDRESS}:69", "--secure", str(root)),
        tmp_path / "tftpd-inside.log")
    try:
        wait_until(lambda: run(in_ns(topology.client, "ss", "-Hlun", "sport = :69")).stdout.strip()
                   or server.proc.poll() is not None, 10, what="tftpd to listen")
        assert server.proc.poll() is None, f"in.tftpd exited: {server.output()}"
        content = "".join(random.choices(string.ascii_letters + string.digits, k=3000)) + "\n"
        upload = tmp_path / "upload.txt"
        upload.write_text(content)
        result = run(in_ns(topology.server, "timeout", "20", "tftp", "-m", "binary", ALGD_OUTSIDE_ADDRESS,
                           "-c", "put", str(upload), "upload.txt"), timeout=30, check=False)
        assert result.returncode == 0, f"tftp put failed: {result.stdout} {result.stderr}\ntftpd: {server.output()}"
        assert (root / "upload.txt").read_text() == content, "the file arrived changed or incomplete"
        table = sessions(nc)
        control = [s for s in table if s["protocol-number"] == "17" and s["destination-port"] == "69"]
        assert len(control) == 1 and control[0].get("translated-destination-address") == CLIENT_ADDRESS, control
        # Without the ALG the demo's masquerade rule would carry the server's replies too, as a session of its own;
        # with it, the transfer is the control session's child, leaving from the address the client wrote to.
        children = [s for s in table if s["parent"] == control[0]["id"]]
        assert len(children) == 1 and children[0]["source-address"] == CLIENT_ADDRESS, table
        assert children[0]["alg"] == "tftp" and children[0]["source-port"] != "69", children[0]
        counters = alg_counters(nc, "tftp")
        assert counters["expectations-created"] == 1 == counters["expectations-used"], counters
    finally:
        server.stop()
