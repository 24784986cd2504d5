"""The startup datastore (RFC 6241 :startup), as on a router: a commit changes running and the running state a
daemon restart comes back with; only copy-config to startup (algd-cli save) changes what a clean boot of the
host loads (--config); delete-config empties startup."""

import signal
import subprocess

import pytest
from lxml import etree
from ncclient.operations import RPCError

from algd_e2e import NS, PASSWORD, REPO, STOP_TIMEOUT_SECONDS, USER, stop_process

CLI = REPO / "netconf-server" / "bin" / "algd-cli"
FTP_2121 = f"""<config><system xmlns="{NS['sys']}"><alg><ftp><port>2121</port></ftp></alg></system></config>"""
TFTP_6969 = f"""<config><system xmlns="{NS['sys']}"><alg><tftp><port>6969</port></tftp></alg></system></config>"""


def ports_in(xml):
    return sorted(int(p.text) for p in etree.fromstring(xml.encode()).iter(f"{{{NS['sys']}}}port"))


def connect(daemon):
    from conftest import _netconf_connect
    return _netconf_connect(daemon.topology.mgmt_address)


def test_copy_config_saves_running_as_startup_and_get_config_reads_it(algd, sessions):
    a, b = sessions(), sessions()
    a.edit_config(target="running", config=FTP_2121)
    assert 2121 not in ports_in(b.get_config(source="startup").data_xml), "a commit changed startup"
    assert 2121 not in ports_in(algd.config_path.read_text())

    a.copy_config(source="running", target="startup")
    assert ports_in(b.get_config(source="startup").data_xml) == [2121]
    assert ports_in(algd.config_path.read_text()) == [2121], "startup was not written to --config"
    filtered = b.get_config(source="startup", filter=("subtree", f'<system xmlns="{NS["sys"]}"/>')).data_xml
    assert "2121" in filtered and "<interfaces" not in filtered, "a subtree filter on startup was not applied"


def test_restart_keeps_running_and_a_clean_boot_starts_from_startup(algd):
    with connect(algd) as nc:
        nc.edit_config(target="running", config=FTP_2121)
        nc.copy_config(source="running", target="startup")
        nc.edit_config(target="running", config=TFTP_6969)  # committed, never saved
    algd.proc.send_signal(signal.SIGKILL)
    algd.proc.wait(timeout=10)

    restarted = algd.restart()  # the daemon restarts: its running state is still there
    with connect(restarted) as nc:
        assert ports_in(nc.get_config(source="running").data_xml) == [2121, 6969]
    assert stop_process(restarted.proc, STOP_TIMEOUT_SECONDS)

    algd.running_path.unlink()  # what a host reboot does to /run
    booted = algd.restart()
    with connect(booted) as nc:
        assert ports_in(nc.get_config(source="running").data_xml) == [2121], "a clean boot did not load startup"
    assert "booted from startup" in booted.log()


def test_delete_config_empties_startup_and_only_startup(algd, nc):
    before = nc.get_config(source="running").data_xml
    nc.delete_config(target="startup")
    assert len(etree.fromstring(nc.get_config(source="startup").data_xml.encode())) == 0, "startup is not empty"
    assert nc.get_config(source="running").data_xml == before, "delete-config of startup changed running"
    for target in ("running", "candidate"):
        with pytest.raises(RPCError) as refused:
            nc.delete_config(target=target)
        assert refused.value.tag == "operation-not-supported"
        assert "running cannot be deleted" in refused.value.message


def test_copy_config_other_than_into_startup_is_refused_by_name(nc):
    with pytest.raises(RPCError) as refused:
        nc.copy_config(source="startup", target="running")
    assert refused.value.tag == "operation-not-supported"
    assert "<startup> to <running>" in refused.value.message


def test_a_locked_startup_cannot_be_overwritten_by_another_session(sessions):
    a, b = sessions(), sessions()
    a.lock("startup")
    for change in (lambda: b.copy_config(source="running", target="startup"),
                   lambda: b.delete_config(target="startup")):
        with pytest.raises(RPCError) as in_use:
            change()
        assert in_use.value.tag == "in-use"
        assert f"<session-id>{a.session_id}</session-id>" in in_use.value.info
    a.copy_config(source="running", target="startup")  # the holder may
    a.unlock("startup")
    b.copy_config(source="running", target="startup")


def test_algd_cli_save_copies_running_to_startup(algd, nc):
    nc.edit_config(target="running", config=TFTP_6969)
    saved = subprocess.run(["/usr/bin/python3", str(CLI), "--host", algd.topology.mgmt_address, "--user", USER,
                            "--password", PASSWORD, "save"], capture_output=True, text=True, timeout=60)
    assert saved.returncode == 0, saved.stderr
    assert ports_in(nc.get_config(source="startup").data_xml) == [6969]
