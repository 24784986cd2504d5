"""Bad input gets an RFC 6241 rpc-error and the session lives on: a framed message that is not well-formed XML
(malformed-message), unknown elements and namespaces in edit-config data and in filters (unknown-element /
unknown-namespace with error-path); and nc:operation remove / delete of a leaf given without a value."""

import re
import time

import pytest
from lxml import etree
from ncclient.operations import RPCError

from algd_e2e import NS, netconf_channel

BASE = "urn:ietf:params:xml:ns:netconf:base:1.0"
HELLO = (f'<?xml version="1.0" encoding="UTF-8"?><hello xmlns="{BASE}"><capabilities>'
         '<capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>]]>]]>')
IO_SECONDS = 30


class RawNetconf:
    """A NETCONF 1.1 session over paramiko that sends bytes as given, so a test can send what ncclient cannot."""

    def __init__(self, address):
        self.client, self.channel = netconf_channel(address, IO_SECONDS)
        self.buffer = b""
        self._read_until(b"]]>]]>")  # the server's hello
        self.channel.sendall(HELLO.encode())

    def _read_until(self, marker):
        deadline = time.monotonic() + IO_SECONDS
        while marker not in self.buffer:
            assert time.monotonic() < deadline, f"no {marker!r} from the server; got {self.buffer[-300:]!r}"
            data = self.channel.recv(65536)
            assert data, f"the server closed the session; got {self.buffer[-300:]!r}"
            self.buffer += data
        message, self.buffer = self.buffer.split(marker, 1)
        return message

    def exchange(self, payload):
        """Sends payload in one chunk (RFC 6242 framing) and returns the reply's XML text."""
        body = payload.encode()
        self.channel.sendall(b"\n#%d\n" % len(body) + body + b"\n##\n")
        framed = self._read_until(b"\n##\n")
        return b"".join(re.split(rb"\n#\d+\n", framed)).decode()

    def close(self):
        self.client.close()


@pytest.fixture
def raw(algd):
    session = RawNetconf(algd.topology.mgmt_address)
    try:
        yield session
    finally:
        session.close()


def test_malformed_xml_gets_malformed_message_and_the_session_goes_on(raw):
    reply = raw.exchange(f'<rpc message-id="1" xmlns="{BASE}"><get-config><source><running/></get-config></rpc>')
    error = etree.fromstring(reply.encode()).find(f"{{{BASE}}}rpc-error")
    assert error is not None, reply
    assert error.findtext(f"{{{BASE}}}error-type") == "rpc"
    assert error.findtext(f"{{{BASE}}}error-tag") == "malformed-message"
    assert "Exception" not in reply
    reply = raw.exchange(f'<rpc message-id="2" xmlns="{BASE}"><get-config><source><running/></source>'
                         '</get-config></rpc>')
    assert 'message-id="2"' in reply and "<data" in reply and "interfaces" in reply, reply


def bad_element(error):
    """The bad-element of the error-info (ncclient gives error-info as an XML document string)."""
    return error.info and etree.fromstring(error.info.encode()).findtext(f"{{{BASE}}}bad-element")


def test_an_unknown_element_in_edit_config_is_named_with_its_parent_path(nc):
    before = nc.get_config(source="candidate").data_xml
    with pytest.raises(RPCError) as refused:
        nc.edit_config(target="candidate", config=f"""<config><system xmlns="{NS['sys']}"><alg><ftp>
            <prot>2121</prot></ftp></alg></system></config>""")
    assert refused.value.tag == "unknown-element"
    assert bad_element(refused.value) == "prot"
    assert refused.value.path.strip() == "/algd-sys:system/algd-sys:alg/algd-sys:ftp", refused.value.path
    assert nc.get_config(source="candidate").data_xml == before


def test_an_unknown_element_inside_a_list_entry_names_the_entry_by_key(nc):
    with pytest.raises(RPCError) as refused:
        nc.edit_config(target="running", config=f"""<config><service xmlns="{NS['nat']}"><nat><source><rule>
            <id>100</id><colour>blue</colour></rule></source></nat></service></config>""")
    assert refused.value.tag == "unknown-element"
    assert "rule[algd-nat:id='100']" in refused.value.path, refused.value.path


def test_an_unknown_namespace_in_edit_config_is_named(nc):
    with pytest.raises(RPCError) as refused:
        nc.edit_config(target="candidate", config='<config><system xmlns="urn:example:nothing"/></config>')
    assert refused.value.tag == "unknown-namespace"
    assert "urn:example:nothing" in refused.value.info and bad_element(refused.value) == "system"


def test_an_unknown_element_in_a_subtree_filter_is_named_and_the_session_goes_on(nc):
    with pytest.raises(RPCError) as refused:
        nc.get(filter=("subtree", f'<system xmlns="{NS["sys"]}"><algs/></system>'))
    assert refused.value.tag == "unknown-element" and bad_element(refused.value) == "algs"
    with pytest.raises(RPCError) as refused:
        nc.get_config(source="running", filter=("subtree", '<system xmlns="urn:example:nothing"/>'))
    assert refused.value.tag == "unknown-namespace"
    assert "<data" in nc.get_config(source="running").data_xml


RULE_100 = "nat:service/nat:nat/nat:source/nat:rule[nat:id='100']"


def rule_100(nc):
    return etree.fromstring(nc.get_config(source="running").data_xml.encode()).find(RULE_100, NS)


@pytest.mark.parametrize("operation", ["delete", "remove"])
def test_a_leaf_given_without_a_value_is_deleted_or_removed(nc, operation):
    nc.edit_config(target="running", config=f"""<config><service xmlns="{NS['nat']}"><nat><source><rule>
        <id>100</id><protocol>tcp</protocol></rule></source></nat></service></config>""")
    assert rule_100(nc).findtext("nat:protocol", namespaces=NS) == "tcp"
    for leaf in ("protocol", "description"):  # an enumeration/uint8 union, and a string
        nc.edit_config(target="running", config=f"""<config xmlns:nc="{BASE}"><service xmlns="{NS['nat']}"><nat>
            <source><rule><id>100</id><{leaf} nc:operation="{operation}"/></rule></source></nat></service>
            </config>""")
        assert rule_100(nc).find(f"nat:{leaf}", NS) is None, f"{operation} of {leaf} left it in place"


def test_delete_of_a_leaf_that_is_not_set_is_data_missing_and_remove_is_not_an_error(nc):
    absent = f"""<config xmlns:nc="{BASE}"><service xmlns="{NS['nat']}"><nat><source><rule><id>100</id>
        <protocol nc:operation="{{op}}"/></rule></source></nat></service></config>"""
    with pytest.raises(RPCError) as missing:
        nc.edit_config(target="running", config=absent.format(op="delete"))
    assert missing.value.tag == "data-missing"
    nc.edit_config(target="running", config=absent.format(op="remove"))
    assert rule_100(nc) is not None
