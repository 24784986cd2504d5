"""Configuration over NETCONF: a commit that breaks a rule is refused with an rpc-error that names the leaf
and why, and the running datastore stays as it was."""

import re

import pytest
from lxml import etree
from ncclient.operations import RPCError

from algd_e2e import NS, error_fields, error_text, running_config_xml, text_of

JAVA_TEXT = re.compile(r"Exception|java\.")


def alg_ports(**ports):
    body = "".join(f"<{alg}><port>{port}</port></{alg}>" for alg, port in ports.items())
    return f"""
<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
  <system xmlns="{NS['sys']}"><alg>{body}</alg></system>
</config>
"""


def test_rejected_commit_names_the_leaf_and_keeps_running_config(algd, nc):
    before = running_config_xml(nc)

    # Accepted into the candidate (each port is valid on its own); the rule "a port belongs to one ALG only"
    # spans ftp and sip, so the commit must refuse it.
    nc.edit_config(target="candidate", config=alg_ports(ftp=2121, sip=2121))
    with pytest.raises(RPCError) as refused:
        nc.commit()
    text = error_text(refused.value)
    message = refused.value.message or ""
    assert "2121" in message, f"the error-message does not name the port 2121:\n{text}"
    assert re.search(r"\b(ftp|sip)\b", message), f"the error-message names neither ftp nor sip:\n{text}"
    assert not JAVA_TEXT.search(text), f"the error shows Java internals:\n{text}"

    assert running_config_xml(nc) == before, "running changed after a refused commit"
    nc.discard_changes()
    assert running_config_xml(nc) == before


@pytest.mark.parametrize("port", [70000, 0])
def test_out_of_range_port_is_rejected_naming_port_and_keeps_running_config(algd, nc, port):
    before = running_config_xml(nc)

    # Outside the control-port type (1..65535): refused at edit-config or, at the latest, at commit.
    with pytest.raises(RPCError) as refused:
        nc.edit_config(target="candidate", config=alg_ports(ftp=port))
        nc.commit()
    text = error_text(refused.value)
    assert re.search(r"\bport\b", error_fields(refused.value)), f"the error does not name 'port':\n{text}"

    assert running_config_xml(nc) == before, f"running changed after a refused port {port}"
    nc.discard_changes()
    assert running_config_xml(nc) == before


RULE_20 = f"""
<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
  <service xmlns="{NS['nat']}"><nat><source><rule>
    <id>20</id><outbound-interface>outside</outbound-interface>
    <source><address>192.0.2.128/25</address></source><translation><address>masquerade</address></translation>
  </rule></source></nat></service>
</config>
"""


def test_committed_config_is_saved_to_the_running_state(algd, nc):
    nc.edit_config(target="candidate", config=RULE_20)
    nc.commit()
    saved = algd.running_path.read_text()
    rule = etree.fromstring(saved.encode()).find("nat:service/nat:nat/nat:source/nat:rule[nat:id='20']", NS)
    assert rule is not None and text_of(rule, "nat:source/nat:address") == "192.0.2.128/25", \
        f"rule 20 is not in {algd.running_path}:\n{saved}"

    nc.edit_config(target="candidate", config=alg_ports(ftp=2121, sip=2121))
    with pytest.raises(RPCError):
        nc.commit()
    nc.discard_changes()
    assert algd.running_path.read_text() == saved, "a refused commit changed the saved config"
