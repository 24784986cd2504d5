"""Who may open a NETCONF session, and for how long: public keys from --authorized-keys, idle sessions closed
after --idle-timeout, at most --max-sessions at once."""

import subprocess
import time

import pytest
from ncclient import manager
from ncclient.transport.errors import AuthenticationError, SSHError

from algd_e2e import NETCONF_PORT, USER, wait_until

KEYS_DIR = "/tmp/algd-e2e-authorized-keys"


@pytest.fixture(scope="module")
def client_key(tmp_path_factory):
    """An ed25519 key pair made for this module, and a directory granting it to the test user."""
    directory = tmp_path_factory.mktemp("ssh")
    key = directory / "id_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    granted = directory / "authorized"
    granted.mkdir()
    (granted / USER).write_text((directory / "id_ed25519.pub").read_text())
    return key, granted


def connect_with_key(algd, key, user=USER):
    return manager.connect(host=algd.topology.mgmt_address, port=NETCONF_PORT, username=user,
                           key_filename=str(key), hostkey_verify=False, allow_agent=False, look_for_keys=False,
                           timeout=20)


@pytest.fixture
def keyed_algd(request, client_key):
    # The algd fixture reads its extra arguments from this marker; the keys directory exists by now.
    request.node.add_marker(pytest.mark.algd_args("--authorized-keys", str(client_key[1])))
    return request.getfixturevalue("algd")


def test_public_key_of_the_user_opens_a_session(keyed_algd, client_key):
    with connect_with_key(keyed_algd, client_key[0]) as session:
        assert "<data" in session.get_config(source="running").data_xml


def test_public_key_is_not_accepted_for_another_user(keyed_algd, client_key):
    with pytest.raises((AuthenticationError, SSHError)):
        connect_with_key(keyed_algd, client_key[0], user="someone-else")


@pytest.mark.algd_args("--idle-timeout", "3")
def test_idle_session_is_closed(nc):
    wait_until(lambda: not nc.connected, 15, what="the idle session to be closed")


@pytest.mark.algd_args("--max-sessions", "2")
def test_sessions_beyond_the_cap_are_refused(sessions):
    first, second = sessions(), sessions()
    with pytest.raises(Exception):  # noqa: B017  (ncclient reports the dropped connection as SSHError or EOF)
        sessions()
    assert first.connected and second.connected
