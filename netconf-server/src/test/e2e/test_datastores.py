"""RFC 6241 datastore behaviour across sessions: one shared candidate, global locks that exclude other
sessions (lock-denied / in-use naming the holder), locks released when their session ends."""

import time

import pytest
from ncclient.operations import RPCError

from algd_e2e import NS, wait_until

FTP_2121 = f"""<config><system xmlns="{NS['sys']}"><alg><ftp><port>2121</port></ftp></alg></system></config>"""
TFTP_6969 = f"""<config><system xmlns="{NS['sys']}"><alg><tftp><port>6969</port></tftp></alg></system></config>"""


def session_id_in(error):
    return error.info and "<session-id>" in error.info and error.info.split("<session-id>")[1].split("<")[0]


def test_candidate_is_shared_by_all_sessions(sessions):
    a, b = sessions(), sessions()
    a.edit_config(target="candidate", config=FTP_2121)
    assert "2121" in b.get_config(source="candidate").data_xml, "session B does not see A's candidate edit"
    b.discard_changes()
    assert "2121" not in a.get_config(source="candidate").data_xml


def test_lock_excludes_other_sessions_and_names_the_holder(sessions):
    a, b = sessions(), sessions()
    a.lock("candidate")
    with pytest.raises(RPCError) as denied:
        b.lock("candidate")
    assert denied.value.tag == "lock-denied"
    assert session_id_in(denied.value) == str(a.session_id)

    with pytest.raises(RPCError) as in_use:
        b.edit_config(target="candidate", config=FTP_2121)
    assert in_use.value.tag == "in-use"
    assert "2121" not in a.get_config(source="candidate").data_xml, "a refused edit reached the candidate"

    a.edit_config(target="candidate", config=FTP_2121)  # the holder may edit
    a.discard_changes()
    a.unlock("candidate")
    b.lock("candidate")  # free again: unlocked, and no uncommitted changes of another session
    b.unlock("candidate")


def test_lock_is_released_and_uncommitted_edits_discarded_when_its_session_ends(sessions):
    a, b = sessions(), sessions()
    a.lock("candidate")
    a.edit_config(target="candidate", config=FTP_2121)
    a.close_session()
    b.lock("candidate")
    assert "2121" not in b.get_config(source="candidate").data_xml, "the ended session's edits are still there"
    b.unlock("candidate")


def test_candidate_with_another_sessions_changes_cannot_be_locked(sessions):
    a, b = sessions(), sessions()
    a.edit_config(target="candidate", config=FTP_2121)
    with pytest.raises(RPCError) as denied:
        b.lock("candidate")
    assert denied.value.tag == "lock-denied"
    assert session_id_in(denied.value) == str(a.session_id)
    a.discard_changes()


def test_commit_is_refused_while_another_session_locks_running(sessions):
    a, b = sessions(), sessions()
    before = b.get_config(source="running").data_xml
    a.lock("running")
    b.edit_config(target="candidate", config=TFTP_6969)
    with pytest.raises(RPCError) as in_use:
        b.commit()
    assert in_use.value.tag == "in-use"
    assert b.get_config(source="running").data_xml == before
    a.unlock("running")
    b.commit()
    assert "6969" in a.get_config(source="running").data_xml


def test_unlock_of_a_lock_not_held_fails(sessions):
    a = sessions()
    with pytest.raises(RPCError) as failed:
        a.unlock("running")
    assert failed.value.tag == "operation-failed"


def test_hello_advertises_only_what_algd_implements(nc):
    capabilities = {c.split("?")[0] for c in nc.server_capabilities if c.startswith("urn:ietf:params:netconf:")}
    assert capabilities == {
        "urn:ietf:params:netconf:base:1.0",
        "urn:ietf:params:netconf:base:1.1",
        "urn:ietf:params:netconf:capability:candidate:1.0",
        "urn:ietf:params:netconf:capability:confirmed-commit:1.1",
        "urn:ietf:params:netconf:capability:interleave:1.0",
        "urn:ietf:params:netconf:capability:notification:1.0",
        "urn:ietf:params:netconf:capability:validate:1.0",
        "urn:ietf:params:netconf:capability:writable-running:1.0",
    }, f"unexpected NETCONF capabilities: {sorted(capabilities)}"
    modules = {c.split("module=")[1].split("&")[0] for c in nc.server_capabilities if "module=" in c}
    assert {"algd-system", "algd-nat", "algd-interfaces", "algd-firewall", "algd-session-table"} <= modules


def test_edit_of_running_is_validated_and_applied_like_a_commit(nc):
    nc.edit_config(target="running", config=FTP_2121)
    assert "2121" in nc.get_config(source="running").data_xml
    before = nc.get_config(source="running").data_xml
    with pytest.raises(RPCError) as refused:
        nc.edit_config(target="running", config=FTP_2121.replace("ftp", "sip"))
    assert refused.value.tag == "invalid-value"
    assert refused.value.path and "sip" in refused.value.path
    assert nc.get_config(source="running").data_xml == before


def test_get_returns_running_configuration_and_state_together(nc):
    data = nc.get().data_xml
    assert "<interfaces" in data and "inside" in data, "running configuration is missing from <get>"
    assert "<session-table" in data, "the session table is missing from <get>"


def commit_confirmed(session, timeout=None, persist=None):
    """ncclient 0.6.13's commit(confirmed=True, timeout=...) sends the RFC 6241 elements."""
    return session.commit(confirmed=True, timeout=str(timeout) if timeout else None, persist=persist)


def test_confirmed_commit_rolls_back_by_itself_at_timeout(sessions):
    a = sessions()
    a.edit_config(target="candidate", config=FTP_2121)
    commit_confirmed(a, timeout=2)
    assert "2121" in a.get_config(source="running").data_xml
    time.sleep(4)
    assert "2121" not in a.get_config(source="running").data_xml, "running was not rolled back at timeout"


def test_confirming_commit_keeps_the_change(sessions):
    a = sessions()
    a.edit_config(target="candidate", config=FTP_2121)
    commit_confirmed(a, timeout=3)
    a.commit()
    time.sleep(4)
    assert "2121" in a.get_config(source="running").data_xml, "a confirmed change was rolled back"


def test_cancel_commit_rolls_back_at_once(sessions):
    a = sessions()
    a.edit_config(target="candidate", config=FTP_2121)
    commit_confirmed(a, timeout=60)
    a.cancel_commit()
    assert "2121" not in a.get_config(source="running").data_xml


def test_persist_id_lets_another_session_confirm(sessions):
    a, b = sessions(), sessions()
    a.edit_config(target="candidate", config=FTP_2121)
    commit_confirmed(a, timeout=3, persist="change-42")
    a.close_session()  # with persist, the commit outlives its session
    with pytest.raises(RPCError):
        b.commit()  # without the persist-id another session may not confirm
    b.commit(persist_id="change-42")
    time.sleep(4)
    assert "2121" in b.get_config(source="running").data_xml


def test_confirmed_commit_without_persist_rolls_back_when_its_session_ends(sessions):
    a, b = sessions(), sessions()
    a.edit_config(target="candidate", config=FTP_2121)
    commit_confirmed(a, timeout=60)
    a.close_session()
    wait_until(lambda: "2121" not in b.get_config(source="running").data_xml, 10,
               what="the rollback after the session ended")


def test_unknown_operation_is_not_supported_and_reveals_nothing(algd, nc):
    from lxml import etree
    for rpc in ('<frobnicate xmlns="urn:example:unknown"/>',
                '<kill-session xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><session-id>99</session-id>'
                '</kill-session>'):
        with pytest.raises(RPCError) as refused:
            nc.dispatch(etree.fromstring(rpc))
        assert refused.value.tag == "operation-not-supported", refused.value.xml
        text = refused.value.xml if isinstance(refused.value.xml, str) else etree.tostring(refused.value.xml).decode()
        for leak in (algd.topology.mgmt_address.rsplit(".", 1)[0], "NetconfServerSession", "java.", "Exception"):
            assert leak not in text, f"the error reveals {leak!r}:\n{text}"
    assert "<data" in nc.get_config(source="running").data_xml, "the session did not survive"


def test_get_schema_returns_every_algd_module(nc):
    for module in ("algd-system", "algd-interfaces", "algd-nat", "algd-firewall", "algd-session-table"):
        text = nc.get_schema(module).data
        assert f"module {module} " in text and "revision 2026-11-25" in text, f"{module}: {text[:200]}"
