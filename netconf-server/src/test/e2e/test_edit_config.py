"""edit-config beyond the happy path: an edit is all or nothing on candidate and running (:rollback-on-error);
continue-on-error is refused."""

import pytest
from ncclient.operations import RPCError

from algd_e2e import NS

NC = "urn:ietf:params:xml:ns:netconf:base:1.0"
# The first top-level element is valid and OpenDaylight applies it before it reaches the second, whose delete
# of a rule that does not exist fails with data-missing.
HALF_VALID_EDIT = f"""<config xmlns:nc="{NC}">
  <system xmlns="{NS['sys']}"><alg><tftp><port>6969</port></tftp></alg></system>
  <service xmlns="{NS['nat']}"><nat><source><rule nc:operation="delete"><id>999</id></rule></source></nat></service>
</config>"""
FTP_2121 = f"""<config><system xmlns="{NS['sys']}"><alg><ftp><port>2121</port></ftp></alg></system></config>"""


@pytest.mark.parametrize("error_option", [None, "rollback-on-error"])
def test_a_failed_edit_of_the_candidate_leaves_it_as_it_was(sessions, error_option):
    a, b = sessions(), sessions()
    a.edit_config(target="candidate", config=FTP_2121)  # an earlier edit the failed one must not lose
    before = b.get_config(source="candidate").data_xml
    with pytest.raises(RPCError) as failed:
        a.edit_config(target="candidate", config=HALF_VALID_EDIT, error_option=error_option)
    assert failed.value.tag == "data-missing"
    after = b.get_config(source="candidate").data_xml
    assert "6969" not in after, "the valid half of a failed edit stayed in the candidate"
    assert after == before
    a.discard_changes()


def test_a_failed_edit_of_running_changes_nothing(nc):
    before = nc.get_config(source="running").data_xml
    with pytest.raises(RPCError) as failed:
        nc.edit_config(target="running", config=HALF_VALID_EDIT, error_option="rollback-on-error")
    assert failed.value.tag == "data-missing"
    assert nc.get_config(source="running").data_xml == before


def test_continue_on_error_is_refused_and_nothing_changes(nc):
    before = nc.get_config(source="candidate").data_xml
    with pytest.raises(RPCError) as refused:
        nc.edit_config(target="candidate", config=FTP_2121, error_option="continue-on-error")
    assert refused.value.tag == "operation-not-supported"
    assert "continue-on-error" in refused.value.message
    assert nc.get_config(source="candidate").data_xml == before
