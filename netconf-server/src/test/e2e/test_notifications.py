"""RFC 5277 notifications: create-subscription on the NETCONF stream, subtree filters, and the RFC 6470
netconf-config-change that every commit raises (who, which datastore, which nodes, which operation)."""

import time

import pytest
from lxml import etree
from ncclient.operations import RPCError

from algd_e2e import NS

NCN = "urn:ietf:params:xml:ns:yang:ietf-netconf-notifications"
NOTIF = "urn:ietf:params:xml:ns:netconf:notification:1.0"
FTP_PORTS = f"""<config><system xmlns="{NS['sys']}"><alg><ftp>{{}}</ftp></alg></system></config>"""
DELETE_2121 = FTP_PORTS.format('<port xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" '
                               'nc:operation="delete">2121</port>')
NOTIFICATION_WAIT_SECONDS = 10


def config_change(session, timeout=NOTIFICATION_WAIT_SECONDS):
    """The next netconf-config-change the session received, as a dict, or None after timeout seconds."""
    notification = session.take_notification(block=True, timeout=timeout)
    if notification is None:
        return None
    root = etree.fromstring(notification.notification_xml.encode())
    change = root.find(f"{{{NCN}}}netconf-config-change")
    assert change is not None, notification.notification_xml
    assert root.find(f"{{{NOTIF}}}eventTime") is not None, notification.notification_xml
    by = change.find(f"{{{NCN}}}changed-by")
    return {
        "server": by.find(f"{{{NCN}}}server") is not None,
        "username": by.findtext(f"{{{NCN}}}username"),
        "session-id": by.findtext(f"{{{NCN}}}session-id"),
        "datastore": change.findtext(f"{{{NCN}}}datastore"),
        "edits": [(edit.findtext(f"{{{NCN}}}target"), edit.findtext(f"{{{NCN}}}operation"),
                   edit.find(f"{{{NCN}}}target").nsmap)
                  for edit in change.findall(f"{{{NCN}}}edit")],
    }


def test_hello_advertises_notification_and_interleave(nc):
    assert "urn:ietf:params:netconf:capability:notification:1.0" in nc.server_capabilities
    assert "urn:ietf:params:netconf:capability:interleave:1.0" in nc.server_capabilities
    modules = {c.split("module=")[1].split("&")[0] for c in nc.server_capabilities if "module=" in c}
    assert {"ietf-netconf-notifications", "notifications", "ietf-netconf"} <= modules, modules
    assert "module ietf-netconf-notifications" in nc.get_schema("ietf-netconf-notifications").data


def test_every_commit_raises_a_config_change_naming_the_session_and_each_edit(sessions):
    watcher, editor = sessions(), sessions()
    watcher.create_subscription()
    editor.edit_config(target="candidate", config=FTP_PORTS.format("<port>2121</port>"))
    editor.commit()
    change = config_change(watcher)
    assert change, "no netconf-config-change after a commit"
    # The user name is what OpenDaylight's session monitoring knows: "unknown" over SSH (NETCONF.md).
    assert not change["server"] and change["username"], change
    assert change["session-id"] == str(editor.session_id), change
    assert change["datastore"] == "running"
    assert [(target, op) for target, op, _ in change["edits"]] == [
        ("/algd-sys:system/algd-sys:alg/algd-sys:ftp", "create")], change
    assert change["edits"][0][2].get("algd-sys") == NS["sys"], "the target's prefix is not declared"

    editor.edit_config(target="running", config=FTP_PORTS.format("<port>2122</port>"))
    change = config_change(watcher)
    assert [(t, op) for t, op, _ in change["edits"]] == [
        ("/algd-sys:system/algd-sys:alg/algd-sys:ftp/algd-sys:port[.='2122']", "create")], change

    editor.edit_config(target="running", config=DELETE_2121)
    change = config_change(watcher)
    assert [(t, op) for t, op, _ in change["edits"]] == [
        ("/algd-sys:system/algd-sys:alg/algd-sys:ftp/algd-sys:port[.='2121']", "delete")], change

    # :interleave: the subscribed session still runs operations, and hears about its own commit.
    watcher.edit_config(target="candidate", config=FTP_PORTS.format("<port>2121</port>"))
    watcher.commit()
    change = config_change(watcher)
    assert change["session-id"] == str(watcher.session_id), change
    assert config_change(watcher, timeout=1) is None, "one commit raised more than one notification"


def test_a_refused_commit_raises_no_config_change(sessions):
    watcher, editor = sessions(), sessions()
    watcher.create_subscription()
    editor.edit_config(target="candidate", config=FTP_PORTS.format("<port>69</port>").replace(
        "<ftp>", "<tftp><port>69</port></tftp><ftp>"))
    with pytest.raises(RPCError):
        editor.commit()
    assert config_change(watcher, timeout=2) is None, "a refused commit was reported as a change"


def test_confirmed_commit_rollback_at_timeout_is_a_change_by_the_server(sessions):
    watcher, editor = sessions(), sessions()
    watcher.create_subscription()
    editor.edit_config(target="candidate", config=FTP_PORTS.format("<port>2121</port>"))
    editor.commit(confirmed=True, timeout="2")
    applied = config_change(watcher)
    assert applied["session-id"] == str(editor.session_id) and applied["edits"][0][1] == "create", applied
    rolled_back = config_change(watcher)
    assert rolled_back, "no netconf-config-change when the confirmed commit timed out"
    assert rolled_back["server"] and rolled_back["session-id"] is None, rolled_back
    assert [(t, op) for t, op, _ in rolled_back["edits"]] == [
        ("/algd-sys:system/algd-sys:alg/algd-sys:ftp", "delete")], rolled_back


def test_cancel_commit_is_a_change_by_the_cancelling_session(sessions):
    watcher, editor = sessions(), sessions()
    watcher.create_subscription()
    editor.edit_config(target="candidate", config=FTP_PORTS.format("<port>2121</port>"))
    editor.commit(confirmed=True, timeout="60")
    assert config_change(watcher)
    editor.cancel_commit()
    cancelled = config_change(watcher)
    assert cancelled["session-id"] == str(editor.session_id), cancelled
    assert cancelled["edits"][0][1] == "delete", cancelled


def test_subtree_filter_selects_the_notifications_a_subscriber_gets(sessions):
    running_only, startup_only, editor = sessions(), sessions(), sessions()
    running_only.create_subscription(
        filter=("subtree", f'<netconf-config-change xmlns="{NCN}"><datastore>running</datastore>'
                           '</netconf-config-change>'))
    startup_only.create_subscription(
        filter=("subtree", f'<netconf-config-change xmlns="{NCN}"><datastore>startup</datastore>'
                           '</netconf-config-change>'))
    editor.edit_config(target="running", config=FTP_PORTS.format("<port>2121</port>"))
    assert config_change(running_only), "a matching subtree filter let nothing through"
    assert startup_only.take_notification(block=True, timeout=2) is None, \
        "a subtree filter matching nothing let a notification through"


def test_create_subscription_refuses_what_it_cannot_do_and_the_session_survives(nc):
    started = "2026-01-01T00:00:00Z"
    with pytest.raises(RPCError) as replay:
        nc.create_subscription(start_time=started)
    assert replay.value.tag == "operation-not-supported" and "replay" in replay.value.message, replay.value.xml
    with pytest.raises(RPCError) as stream:
        nc.create_subscription(stream_name="SYSLOG")
    assert stream.value.tag == "invalid-value" and "SYSLOG" in stream.value.message
    nc.create_subscription(stream_name="NETCONF")
    with pytest.raises(RPCError) as second:
        nc.create_subscription()
    assert second.value.tag == "operation-failed" and "already" in second.value.message
    time.sleep(0.1)
    assert "<data" in nc.get_config(source="running").data_xml


ST = NS["st"]


def session_events(session, wanted, timeout):
    """session-created/-closed notifications (as dicts of their leaves) until wanted(events) or timeout."""
    events = []
    deadline = time.monotonic() + timeout
    while not wanted(events) and time.monotonic() < deadline:
        notification = session.take_notification(block=True, timeout=max(0.1, deadline - time.monotonic()))
        if notification is None:
            break
        root = etree.fromstring(notification.notification_xml.encode())
        for event in root:
            if event.tag in (f"{{{ST}}}session-created", f"{{{ST}}}session-closed"):
                leaves = {child.tag.split("}")[1]: child.text for child in event}
                leaves["event"] = event.tag.split("}")[1]
                events.append(leaves)
    return events


def test_an_ftp_transfer_raises_created_and_closed_for_its_control_session_and_data_child(
        algd, sessions, topology, tmp_path):
    from test_ftp import assert_transferred, curl_ftp, start_vsftpd
    watcher, operator = sessions(), sessions()
    both = etree.fromstring(f'<filter xmlns="{NOTIF}" type="subtree"><session-created xmlns="{ST}"/><session-closed xmlns="{ST}"/>'
                            '</filter>')
    watcher.create_subscription(filter=both)
    server = start_vsftpd(topology, tmp_path, 21)
    try:
        assert_transferred(curl_ftp(topology, server, "--ftp-port", "-", "--disable-eprt"), server)
    finally:
        server.stop()
    created = session_events(watcher, lambda e: len(e) >= 2, NOTIFICATION_WAIT_SECONDS)
    control = [e for e in created if e["event"] == "session-created" and e["destination-port"] == "21"]
    assert control, f"no session-created for the FTP control session: {created}"
    control = control[0]
    assert control["alg"] == "ftp" and control["parent"] == "0" and control["protocol-number"] == "6", control
    assert control["source-address"] == "192.0.2.2" and control["destination-address"] == "198.51.100.2", control
    assert control["translated-address"] == "198.51.100.1", control
    children = [e for e in created if e["event"] == "session-created" and e["parent"] == control["id"]]
    assert children, f"no session-created for the data connection with parent {control['id']}: {created}"
    assert children[0]["source-address"] == "198.51.100.2" and children[0]["source-port"] == "20", children[0]
    assert children[0]["alg"] == "ftp"

    # Closed FTP connections wait out their TCP time-wait; clear-sessions ends them at once.
    operator.dispatch(etree.fromstring(f'<clear-sessions xmlns="{ST}"><alg>ftp</alg></clear-sessions>'))
    closed = session_events(watcher, lambda e: {control["id"], children[0]["id"]} <= {x["id"] for x in e},
                            NOTIFICATION_WAIT_SECONDS)
    by_id = {e["id"]: e for e in closed if e["event"] == "session-closed"}
    assert control["id"] in by_id and children[0]["id"] in by_id, f"missing session-closed: {closed}"
    assert by_id[children[0]["id"]]["parent"] == control["id"]
    assert {by_id[control["id"]]["reason"], by_id[children[0]["id"]]["reason"]} == {"cleared"}, closed
