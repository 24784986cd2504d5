"""Every configuration command of the vendor guide ("ALG Commands", the RSH NAT example), sent by
netconf-server/bin/algd-cli over NETCONF, read back, and checked against what the engine applies (alg-state)."""

import re
import subprocess

from algd_e2e import PASSWORD, REPO, USER, alg_states, in_ns, run

CLI = REPO / "netconf-server" / "bin" / "algd-cli"


def cli(algd, *words):
    return subprocess.run(["/usr/bin/python3", str(CLI), "--host", algd.topology.mgmt_address, "--user", USER,
                           "--password", PASSWORD, *words], capture_output=True, text=True, timeout=60)


def alg_state(nc, alg):
    return alg_states(nc)[alg]


def test_configured_ftp_port_replaces_the_default_and_deleting_it_restores_21(algd, nc):
    assert alg_state(nc, "ftp")["ports"] == [21]
    assert cli(algd, "set", "system", "alg", "ftp", "port", "2121").returncode == 0
    assert alg_state(nc, "ftp")["ports"] == [2121]
    assert "<port>2121</port>" in nc.get_config(source="running").data_xml
    assert cli(algd, "delete", "system", "alg", "ftp", "port", "2121").returncode == 0
    assert alg_state(nc, "ftp")["ports"] == [21]


def test_disable_and_reenable_each_alg(algd, nc):
    for alg in ("ftp", "tftp", "sip", "rpc", "rsh", "pptp"):
        assert cli(algd, "set", "system", "alg", alg, "disable").returncode == 0
        assert alg_state(nc, alg)["enabled"] is False, f"{alg} still enabled after 'set ... disable'"
        assert cli(algd, "delete", "system", "alg", alg, "disable").returncode == 0
        assert alg_state(nc, alg)["enabled"] is True, f"{alg} still disabled after 'delete ... disable'"


def test_alg_state_says_which_algs_this_algd_implements(nc):
    implemented = {alg: alg_state(nc, alg)["implemented"] for alg in ("ftp", "tftp", "rpc", "rsh", "sip", "pptp")}
    assert implemented == {"ftp": True, "tftp": True, "rpc": True, "rsh": True, "sip": False, "pptp": False}


def test_icmp_disable_is_accepted_and_changes_nothing(algd, nc):
    assert cli(algd, "set", "system", "alg", "icmp", "disable").returncode == 0
    assert alg_state(nc, "icmp")["enabled"] is True


def test_rpc_program_is_added_to_the_defaults(algd, nc):
    defaults = [100000, 100003, 100005, 100021, 100227]
    assert alg_state(nc, "rpc")["programs"] == defaults
    assert cli(algd, "set", "system", "alg", "rpc", "program", "100099").returncode == 0
    assert alg_state(nc, "rpc")["programs"] == sorted(defaults + [100099])
    assert cli(algd, "delete", "system", "alg", "rpc", "program", "100099").returncode == 0
    assert alg_state(nc, "rpc")["programs"] == defaults


def test_sip_and_tftp_ports(algd, nc):
    for port in ("5070", "5080"):
        assert cli(algd, "set", "system", "alg", "sip", "port", port).returncode == 0
    assert sorted(alg_state(nc, "sip")["ports"]) == [5070, 5080]
    assert cli(algd, "set", "system", "alg", "tftp", "port", "6969").returncode == 0
    assert alg_state(nc, "tftp")["ports"] == [6969]


def test_cross_alg_port_rules_are_refused_and_running_kept(algd, nc):
    before = nc.get_config(source="running").data_xml
    refused = cli(algd, "set", "system", "alg", "tftp", "port", "21")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "ftp" in refused.stderr and "21" in refused.stderr, refused.stderr
    assert nc.get_config(source="running").data_xml == before

    assert cli(algd, "set", "system", "alg", "ftp", "port", "4242").returncode == 0
    refused = cli(algd, "set", "system", "alg", "sip", "port", "4242")
    assert refused.returncode == 1 and "4242" in refused.stderr, refused.stderr
    assert alg_state(nc, "sip")["ports"] == [5060]


def test_rsh_source_nat_rule_of_the_guide(algd, nc):
    # The guide's rule 22, with the topology's outside interface in place of dp0s5: six 'set' lines, one commit.
    words = []
    for field in (["description", "rsh"], ["destination", "port", "514"], ["outbound-interface", "outside"],
                  ["protocol", "tcp"], ["translation", "address", "198.51.100.1"],
                  ["translation", "port", "513-1023"]):
        words += ["set", "service", "nat", "source", "rule", "22", *field, ";"]
    result = cli(algd, *words)
    assert result.returncode == 0, result.stderr
    config = nc.get_config(source="running").data_xml
    rule = re.search(r"<rule>\s*<id>22</id>.*?</rule>", config, re.S)
    assert rule, config
    for fragment in ("<description>rsh</description>", "<port>514</port>", "<protocol>tcp</protocol>",
                     "<address>198.51.100.1</address>", "<port>513-1023</port>",
                     "<outbound-interface>outside</outbound-interface>"):
        assert fragment in rule.group(0), f"{fragment} missing from rule 22:\n{rule.group(0)}"


def test_rule_committed_without_its_mandatory_interface_is_refused_by_name(algd, nc):
    before = nc.get_config(source="running").data_xml
    refused = cli(algd, "set", "service", "nat", "source", "rule", "23", "description", "no interface yet")
    assert refused.returncode == 1
    assert "outbound-interface" in refused.stderr and "23" in refused.stderr, refused.stderr
    assert "Exception" not in refused.stderr and "urn:" not in refused.stderr, refused.stderr
    assert nc.get_config(source="running").data_xml == before


def test_show_session_table_prints_the_guides_layout(algd, http_server):
    result = run(in_ns(algd.topology.client, "curl", "-s", "--max-time", "10", http_server.url), check=False)
    assert http_server.token in result.stdout
    shown = cli(algd, "show", "session-table")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("TCP state codes: SS - SYN SENT")
    assert any(line.startswith("CONN ID") for line in lines)
    session = [i for i, line in enumerate(lines) if ":8080" in line]
    assert session, shown.stdout
    assert "192.0.2.2:" in lines[session[0]]
    assert re.match(r"tcp \[6\] (ES|FW|CW|LA|TW|CL)\s+\d+\s+inside\s+0$", lines[session[0] + 1]), lines[session[0] + 1]
