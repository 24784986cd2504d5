"""Each ncclient example of examples/ncclient run against a live algd, one per configuration command of the
vendor guide ("ALG Commands", the RSH source NAT rule) and algd's timeouts: the change is read back from
alg-state (what the engine applies) or running, and each cross-ALG rule refuses with its error-app-tag."""

import subprocess

import pytest

from algd_e2e import NS, PASSWORD, REPO, USER, alg_state_entry, running_config_xml

EXAMPLES = REPO / "examples" / "ncclient"
SYS = NS["sys"]
ALGS = ("ftp", "tftp", "sip", "rpc", "rsh", "pptp", "icmp")


def example(algd, script, *words):
    return subprocess.run(["/usr/bin/python3", str(EXAMPLES / script), "--host", algd.topology.mgmt_address,
                           "--user", USER, "--password", PASSWORD, *words], capture_output=True, text=True,
                          timeout=60)


def ok(result):
    assert result.returncode == 0, f"exit {result.returncode}: {result.stdout} {result.stderr}"
    return result


def refused(result, app_tag):
    assert result.returncode == 1, f"not refused: {result.stdout} {result.stderr}"
    assert f"refused [{app_tag}]" in result.stderr, result.stderr
    return result


def state(nc, alg):
    entry = alg_state_entry(nc, alg)
    return {
        "enabled": entry.findtext(f"{{{SYS}}}enabled") == "true",
        "ports": sorted(int(p.text) for p in entry.findall(f"{{{SYS}}}effective-port")),
        "programs": sorted(int(p.text) for p in entry.findall(f"{{{SYS}}}effective-program")),
        "timeouts": {leaf: entry.findtext(f"{{{SYS}}}{leaf}")
                     for leaf in ("expectation-timeout", "invite-timeout", "media-inactivity-timeout")},
    }


def test_ftp_port_2121_replaces_21_and_deleting_it_brings_21_back(algd, nc):
    assert state(nc, "ftp")["ports"] == [21]
    ok(example(algd, "alg-port.py", "ftp", "2121"))
    assert state(nc, "ftp")["ports"] == [2121]
    ok(example(algd, "alg-port.py", "--delete", "ftp", "2121"))
    assert state(nc, "ftp")["ports"] == [21]


def test_each_alg_is_disabled_and_enabled_again(algd, nc):
    for alg in ALGS:
        ok(example(algd, "alg-disable.py", alg))
        # The guide: 'icmp disable' is deprecated and changes nothing.
        assert state(nc, alg)["enabled"] is (alg == "icmp"), alg
        ok(example(algd, "alg-disable.py", "--delete", alg))
        assert state(nc, alg)["enabled"] is True, alg


def test_rpc_program_is_added_to_the_defaults_and_removed(algd, nc):
    defaults = [100000, 100003, 100005, 100021, 100227]
    ok(example(algd, "rpc-program.py", "100024", "100099"))
    assert state(nc, "rpc")["programs"] == sorted(defaults + [100024, 100099])
    ok(example(algd, "rpc-program.py", "--delete", "100024", "100099"))
    assert state(nc, "rpc")["programs"] == defaults


def test_sip_and_tftp_ports(algd, nc):
    ok(example(algd, "alg-port.py", "sip", "5070", "5080"))
    assert state(nc, "sip")["ports"] == [5070, 5080]
    ok(example(algd, "alg-port.py", "tftp", "6969"))
    assert state(nc, "tftp")["ports"] == [6969]
    ok(example(algd, "alg-port.py", "--delete", "sip", "5070", "5080"))
    assert state(nc, "sip")["ports"] == [5060]


def rule_22(nc):
    return nc.get_config(source="running").data_ele.find(".//nat:source/nat:rule[nat:id='22']", NS)


def test_rsh_source_nat_rule_22_keeps_reserved_translation_ports(algd, nc):
    ok(example(algd, "rsh-nat-rule.py", "--interface", "outside", "--address", "198.51.100.1"))
    rule = rule_22(nc)
    assert rule is not None, "rule 22 is not in running"
    assert rule.findtext("nat:translation/nat:port", namespaces=NS) == "513-1023"
    assert rule.findtext("nat:destination/nat:port", namespaces=NS) == "514"
    assert rule.findtext("nat:outbound-interface", namespaces=NS) == "outside"
    assert state(nc, "rsh")["enabled"] and state(nc, "rsh")["ports"] == [514]
    ok(example(algd, "rsh-nat-rule.py", "--delete"))
    assert rule_22(nc) is None


def test_timeouts_show_their_defaults_take_a_configured_value_and_refuse_out_of_range(algd, nc):
    assert state(nc, "ftp")["timeouts"]["expectation-timeout"] == "120"
    assert state(nc, "tftp")["timeouts"]["expectation-timeout"] == "10"
    assert state(nc, "sip")["timeouts"] == {"expectation-timeout": "10", "invite-timeout": "32",
                                            "media-inactivity-timeout": "120"}
    ok(example(algd, "alg-timeout.py", "ftp", "expectation-timeout", "30"))
    ok(example(algd, "alg-timeout.py", "sip", "invite-timeout", "60"))
    assert state(nc, "ftp")["timeouts"]["expectation-timeout"] == "30"
    assert state(nc, "sip")["timeouts"]["invite-timeout"] == "60"
    before = running_config_xml(nc)
    # The YANG range refuses these at edit-config, before the engine's validator (its alg-timeout-range covers
    # configurations built otherwise); the error names the leaf and the range.
    for alg, leaf, seconds, bounds in (("rsh", "expectation-timeout", "0", "1..86400"),
                                       ("sip", "media-inactivity-timeout", "5", "10..2550"),
                                       ("sip", "invite-timeout", "90000", "1..84600")):
        result = refused(example(algd, "alg-timeout.py", alg, leaf, seconds), "yang-type")
        assert f"/system/alg/{alg}/{leaf}" in result.stderr and bounds in result.stderr, result.stderr
    assert running_config_xml(nc) == before
    ok(example(algd, "alg-timeout.py", "--delete", "ftp", "expectation-timeout"))
    assert state(nc, "ftp")["timeouts"]["expectation-timeout"] == "120"


@pytest.mark.parametrize("alg, port, owner", [("tftp", "21", "ftp"), ("sip", "69", "tftp"), ("ftp", "5060", "sip"),
                                              ("tftp", "111", "rpc"), ("sip", "514", "rsh")])
def test_default_port_of_another_enabled_alg_is_refused_until_it_is_disabled(algd, nc, alg, port, owner):
    before = running_config_xml(nc)
    result = refused(example(algd, "alg-port.py", alg, port), "alg-default-port-in-use")
    assert owner in result.stderr and port in result.stderr, result.stderr
    assert running_config_xml(nc) == before
    ok(example(algd, "alg-disable.py", owner))
    ok(example(algd, "alg-port.py", alg, port))
    assert int(port) in state(nc, alg)["ports"]


def test_port_of_another_alg_is_refused(algd, nc):
    ok(example(algd, "alg-port.py", "ftp", "2121"))
    before = running_config_xml(nc)
    result = refused(example(algd, "alg-port.py", "tftp", "2121"), "alg-port-conflict")
    assert "ftp" in result.stderr, result.stderr
    assert running_config_xml(nc) == before
    assert state(nc, "tftp")["ports"] == [69]


def test_show_alg_state_prints_every_alg_with_its_counters(algd):
    result = ok(example(algd, "show-alg-state.py"))
    for alg in ALGS:
        assert f"{alg}: enabled" in result.stdout, result.stdout
    assert "expectations-created" in result.stdout and "expectation-timeout" in result.stdout, result.stdout
