"""RFC 6241 datastore behaviour across sessions: one shared candidate, global locks that exclude other
sessions (lock-denied / in-use naming the holder), locks released when their session ends."""

import pytest
from ncclient.operations import RPCError

from algd_e2e import NS

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
