"""FTP and TFTP over IPv6 through algd's NAT66 (the demo startup's rule 200 masquerades 2001:db8:1::/64 behind
2001:db8:2::1), with real peers: vsftpd listening on IPv6 and tftpd-hpa in the server namespace, curl, lftp and
tftp-hpa in the client namespace. vsftpd refuses an EPRT whose address is not the control connection's peer, so
an active transfer works only when the FTP ALG rewrote the EPRT and opened the expectation for the data connection
back; the TFTP server answers from a new port that only the TFTP ALG's expectation lets through."""

import pytest
from lxml import etree

from algd_e2e import ALGD_OUTSIDE_ADDRESS6, CLIENT_ADDRESS6, NS, SERVER_ADDRESS6, alg_counters, in_ns, run
from algd_e2e import sessions as session_table
from test_ftp import assert_lftp_gets_in_both_modes, assert_transferred, start_vsftpd
from test_notifications import NOTIF, NOTIFICATION_WAIT_SECONDS, session_events
from test_tftp import start_tftpd


@pytest.fixture
def ftp_server6(topology, tmp_path):
    server = start_vsftpd(topology, tmp_path, 21, address=SERVER_ADDRESS6)
    try:
        yield server
    finally:
        server.stop()


def curl_ftp6(topology, *options):
    return run(in_ns(topology.client, "curl", "-6", "-s", "-S", "--max-time", "15", *options,
                     f"ftp://[{SERVER_ADDRESS6}]/data.txt"), timeout=30, check=False)


def ftp_control_and_children(nc):
    table = session_table(nc)
    control = [s for s in table if s["protocol-number"] == "6" and s["destination-port"] == "21"
               and s["source-address"] == CLIENT_ADDRESS6]
    assert len(control) == 1, f"no single IPv6 FTP control session in {table}"
    assert control[0].get("alg") == "ftp" and control[0]["translated-address"] == ALGD_OUTSIDE_ADDRESS6, control
    return control[0], [s for s in table if s["parent"] == control[0]["id"]]


def test_active_eprt_over_ipv6_is_rewritten_and_the_data_connection_is_a_child(algd, nc, ftp_server6):
    assert_transferred(curl_ftp6(algd.topology, "--ftp-port", "-"), ftp_server6)
    log = ftp_server6.protocol_log()
    assert f"EPRT |2|{ALGD_OUTSIDE_ADDRESS6}|" in log, f"vsftpd did not see an EPRT with the NAT66 address:\n{log}"
    assert CLIENT_ADDRESS6 not in log
    control, children = ftp_control_and_children(nc)
    assert len(children) == 1, f"no data session linked to the control session {control['id']}"
    child = children[0]
    assert child["source-address"] == SERVER_ADDRESS6 and child["source-port"] == "20", child
    assert child["destination-address"] == ALGD_OUTSIDE_ADDRESS6, child
    assert child["translated-destination-address"] == CLIENT_ADDRESS6, child
    assert child["alg"] == "ftp", child
    counters = alg_counters(nc, "ftp")
    assert counters["translated"] >= 1 and counters["drops"] == 0, counters
    assert counters["expectations-created"] == 1 == counters["expectations-used"], counters


def test_passive_epsv_over_ipv6_through_nat66_is_a_child(algd, nc, ftp_server6):
    assert_transferred(curl_ftp6(algd.topology, "--ftp-pasv"), ftp_server6)
    assert "229 Entering Extended Passive Mode" in ftp_server6.protocol_log()
    control, children = ftp_control_and_children(nc)
    assert len(children) == 1, f"no data session linked to the control session {control['id']}"
    child = children[0]
    assert child["source-address"] == CLIENT_ADDRESS6 and child["destination-address"] == SERVER_ADDRESS6, child
    assert child["translated-address"] == ALGD_OUTSIDE_ADDRESS6, child
    counters = alg_counters(nc, "ftp")
    assert counters["inspected"] >= 1 and counters["parse-errors"] == 0, counters
    assert counters["expectations-created"] == 1 == counters["expectations-used"], counters


def test_active_eprt_over_ipv6_fails_when_the_ftp_alg_is_disabled(algd, nc, ftp_server6):
    nc.edit_config(target="candidate",
                   config=f'<config><system xmlns="{NS["sys"]}"><alg><ftp><disable/></ftp></alg></system></config>')
    nc.commit()
    result = curl_ftp6(algd.topology, "--ftp-port", "-")
    assert result.returncode != 0, "active FTP over IPv6 worked without the ALG: the test proves nothing"
    assert f"EPRT |2|{CLIENT_ADDRESS6}|" in ftp_server6.protocol_log(), "the EPRT reached vsftpd untranslated"


def test_ipv6_ftp_sessions_raise_created_notifications_with_their_parent(algd, sessions, ftp_server6):
    watcher = sessions()
    st = NS["st"]
    watcher.create_subscription(filter=etree.fromstring(
        f'<filter xmlns="{NOTIF}" type="subtree"><session-created xmlns="{st}"/></filter>'))
    assert_transferred(curl_ftp6(algd.topology, "--ftp-port", "-"), ftp_server6)
    created = session_events(watcher, lambda e: len(e) >= 2, NOTIFICATION_WAIT_SECONDS)
    control = [e for e in created if e["destination-port"] == "21"]
    assert control, f"no session-created for the IPv6 FTP control session: {created}"
    assert control[0]["source-address"] == CLIENT_ADDRESS6, control[0]
    assert control[0]["translated-address"] == ALGD_OUTSIDE_ADDRESS6 and control[0]["parent"] == "0", control[0]
    children = [e for e in created if e["parent"] == control[0]["id"]]
    assert children and children[0]["source-address"] == SERVER_ADDRESS6, created
    assert children[0]["alg"] == "ftp" and children[0]["source-port"] == "20", children[0]


def test_lftp_over_ipv6_active_and_passive(algd, nc, ftp_server6, tmp_path):
    assert_lftp_gets_in_both_modes(algd.topology, ftp_server6, f"[{SERVER_ADDRESS6}]", tmp_path)
    assert alg_counters(nc, "ftp")["expectations-used"] == 2


def test_tftp_get_over_ipv6_through_nat66_creates_a_child_session(algd, nc, topology, tmp_path):
    server = start_tftpd(topology, tmp_path, SERVER_ADDRESS6)
    try:
        target = tmp_path / "fetched6.txt"
        result = run(in_ns(topology.client, "timeout", "20", "tftp", "-6", "-m", "binary", SERVER_ADDRESS6,
                           "-c", "get", "hello.txt", str(target)), timeout=30, check=False)
        assert result.returncode == 0, f"tftp -6 failed: {result.stdout} {result.stderr}\ntftpd: {server.output()}"
        assert target.read_text() == server.content, "the file arrived changed or incomplete"
    finally:
        server.stop()
    table = session_table(nc)
    control = [s for s in table if s["protocol-number"] == "17" and s["destination-port"] == "69"
               and s["source-address"] == CLIENT_ADDRESS6]
    assert len(control) == 1 and control[0]["alg"] == "tftp", table
    assert control[0]["translated-address"] == ALGD_OUTSIDE_ADDRESS6, control
    children = [s for s in table if s["parent"] == control[0]["id"]]
    assert len(children) == 1, f"no child session of the TFTP control session {control[0]['id']}: {table}"
    child = children[0]
    # The server's reply from its new port (TID) to the NAT66 address, mapped back to the inside client.
    assert child["source-address"] == SERVER_ADDRESS6 and child["source-port"] != "69", child
    assert child["destination-address"] == ALGD_OUTSIDE_ADDRESS6, child
    assert child["translated-destination-address"] == CLIENT_ADDRESS6, child
    assert child["alg"] == "tftp", child
    counters = alg_counters(nc, "tftp")
    assert counters["expectations-created"] == 1 == counters["expectations-used"], counters
