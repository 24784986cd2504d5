"""get and get-config options: RFC 6243 with-defaults (basic-mode explicit; report-all, report-all-tagged and
trim), with defaults taken from algd's YANG models (a NAT rule's protocol defaults to 'all'), and XPath filters
(:xpath) on configuration and state, with the filter element's prefixes."""

import pytest
from lxml import etree
from ncclient.operations import RPCError

from algd_e2e import NS

WD = "urn:ietf:params:xml:ns:netconf:default:1.0"
RULE_100 = f"nat:service/nat:nat/nat:source/nat:rule[nat:id='100']"  # the demo startup's rule, protocol not set
NAT_FILTER = ("subtree", f'<service xmlns="{NS["nat"]}"/>')


def rule_100(xml):
    rule = etree.fromstring(xml.encode()).find(RULE_100, NS)
    assert rule is not None, xml
    return rule


def test_hello_advertises_with_defaults_explicit_and_the_modes_it_also_supports(nc):
    [capability] = [c for c in nc.server_capabilities if "with-defaults:1.0" in c]
    assert "basic-mode=explicit" in capability
    assert set(capability.split("also-supported=")[1].split("&")[0].split(",")) == \
        {"report-all", "report-all-tagged", "trim"}


@pytest.mark.parametrize("read", ["get", "get-config"])
def test_report_all_adds_the_yang_default_that_explicit_leaves_out(nc, read):
    def fetch(mode):
        if read == "get":
            return nc.get(filter=NAT_FILTER, with_defaults=mode).data_xml
        return nc.get_config(source="running", filter=NAT_FILTER, with_defaults=mode).data_xml

    assert rule_100(fetch("explicit")).find("nat:protocol", NS) is None
    assert rule_100(nc.get_config(source="running").data_xml).find("nat:protocol", NS) is None
    assert rule_100(fetch("report-all")).findtext("nat:protocol", namespaces=NS) == "all"
    tagged = rule_100(fetch("report-all-tagged")).find("nat:protocol", NS)
    assert tagged.text == "all" and tagged.get(f"{{{WD}}}default") == "true"


def test_trim_leaves_out_a_leaf_set_to_its_default_and_explicit_keeps_it(nc):
    nc.edit_config(target="running", config=f"""<config><service xmlns="{NS['nat']}"><nat><source><rule>
        <id>100</id><protocol>all</protocol></rule></source></nat></service></config>""")
    explicit = nc.get_config(source="running", with_defaults="explicit").data_xml
    assert rule_100(explicit).findtext("nat:protocol", namespaces=NS) == "all"
    assert rule_100(nc.get_config(source="running", with_defaults="trim").data_xml).find("nat:protocol", NS) is None


def test_report_all_on_startup_and_on_a_state_free_get_config(nc):
    data = nc.get_config(source="startup", with_defaults="report-all").data_xml
    assert rule_100(data).findtext("nat:protocol", namespaces=NS) == "all"
    assert "session-table" not in data and "alg-state" not in data


def test_an_unknown_with_defaults_mode_is_refused(nc):
    from ncclient.xml_ import to_ele
    with pytest.raises(RPCError) as refused:
        nc.dispatch(to_ele('<get-config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><source><running/></source><with-defaults '
                           'xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults">everything</with-defaults>'
                           '</get-config>'))
    assert refused.value.tag == "invalid-value"
    assert "everything" in refused.value.message


SYS_NS = {"sys": NS["sys"]}
NAT_NS = {"nat": NS["nat"]}


def test_xpath_filter_on_config_returns_the_selected_leaf_with_its_ancestors_and_list_keys(nc):
    select = "/nat:service/nat:nat/nat:source/nat:rule[nat:id='100']/nat:description"
    data = nc.get_config(source="running", filter=("xpath", (NAT_NS, select))).data_xml
    rule = rule_100(data)
    assert rule.findtext("nat:id", namespaces=NS) == "100", "the list key of the ancestor entry is missing"
    assert rule.findtext("nat:description", namespaces=NS)
    assert rule.find("nat:outbound-interface", NS) is None, "an unselected sibling came back"
    assert "<interfaces" not in data and "<system" not in data


def test_xpath_filter_on_state_with_get(nc):
    select = "/sys:alg-state/sys:alg[sys:name='ftp']/sys:effective-port"
    data = etree.fromstring(nc.get(filter=("xpath", (SYS_NS, select))).data_xml.encode())
    algs = data.findall("sys:alg-state/sys:alg", NS)
    assert [a.findtext("sys:name", namespaces=NS) for a in algs] == ["ftp"]
    assert [p.text for p in algs[0].findall("sys:effective-port", NS)] == ["21"]
    assert algs[0].find("sys:enabled", NS) is None
    assert data.find("nat:service", NS) is None and data.find("st:session-table", NS) is None


def test_xpath_union_and_descendant_search(nc):
    select = "//nat:outbound-interface | /sys:system"
    data = nc.get_config(source="running", filter=("xpath", ({**NAT_NS, **SYS_NS}, select))).data_xml
    assert rule_100(data).findtext("nat:outbound-interface", namespaces=NS) == "outside"
    assert "<system" in data and "<interfaces" not in data


@pytest.mark.parametrize("select, reason", [
    ("/nat:service/nat:nat[", "is not an XPath 1.0 expression"),
    ("/undeclared:service", "prefix 'undeclared' is not declared"),
    ("count(/nat:service)", "does not give a node-set"),
])
def test_a_bad_xpath_filter_is_refused_and_the_session_goes_on(nc, select, reason):
    with pytest.raises(RPCError) as refused:
        nc.get_config(source="running", filter=("xpath", (NAT_NS, select)))
    assert refused.value.tag == "invalid-value"
    assert reason in refused.value.message and "Exception" not in refused.value.message, refused.value.message
    assert "<data" in nc.get_config(source="running").data_xml
