"""A <get> of the whole session table is streamed to the client a few chunks at a time: a table of thousands of
sessions arrives whole through ncclient, in both framings over bare SSH (base:1.1 chunks, base:1.0 end-of-message
mark), with the same rows as the renderings that build a tree (OpenDaylight's codec, the XPath path), and a request
sent while the table is on its way is answered after it."""

import re
import time

import pytest
from lxml import etree

from algd_e2e import (BackgroundProcess, CLIENT_ADDRESS, NS, SERVER_ADDRESS, canonical_sessions, in_ns,
                      netconf_channel, run)

ST = NS["st"]
BASE = NS["nc"]
FLOWS = 3000
TABLE_FILTER = ("subtree", f'<session-table xmlns="{ST}"/>')
IO_SECONDS = 60

# One UDP flow per source port; bounded in count and time.
FLOOD = r"""
import socket, sys, time
count, deadline = int(sys.argv[3]), time.monotonic() + 20
for port in range(20000, 20000 + count):
    if time.monotonic() > deadline:
        break
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((sys.argv[1], port))
    s.sendto(b"x", (sys.argv[2], 9))
    s.close()
    if port % 50 == 0:
        time.sleep(0.01)
"""
# Answers each datagram once, so the sessions are established (60 s idle timeout, not 30) and no ICMP error
# comes back; ends by itself.
ECHO = r"""
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 9))
s.settimeout(1)
deadline = time.monotonic() + 90
while time.monotonic() < deadline:
    try:
        data, peer = s.recvfrom(64)
    except socket.timeout:
        continue
    s.sendto(data, peer)
"""


def streamed_table(nc):
    return nc.get(filter=TABLE_FILTER).data_ele.find(f"{{{ST}}}session-table")


@pytest.fixture
def many_sessions(algd, nc, tmp_path):
    """Up to FLOWS established UDP sessions, once the table has stopped changing; their number."""
    echo = BackgroundProcess(in_ns(algd.topology.server, "/usr/bin/python3", "-c", ECHO, SERVER_ADDRESS),
                             tmp_path / "echo.log")
    try:
        time.sleep(0.5)
        assert echo.proc.poll() is None, echo.output()
        # A loaded host drops some of the datagrams; a flow sent again is the same session, so passes fill the gaps.
        for _ in range(3):
            run(in_ns(algd.topology.client, "/usr/bin/python3", "-c", FLOOD, CLIENT_ADDRESS, SERVER_ADDRESS, FLOWS))
            count = settled_count(nc)
            if count >= FLOWS * 9 // 10:
                break
        assert count >= 1000, f"only {count} of {FLOWS} UDP flows became sessions"
        yield count
    finally:
        echo.stop()


def settled_count(nc):
    """The number of sessions once two reads half a second apart agree."""
    counts = []
    deadline = time.monotonic() + 20
    while len(counts) < 2 or counts[-1] != counts[-2]:
        assert time.monotonic() < deadline, f"the session table did not settle: {counts}"
        time.sleep(0.5)
        counts.append(len(streamed_table(nc).findall(f"{{{ST}}}session")))
    return counts[-1]


def test_a_table_of_thousands_streams_through_ncclient_with_the_rows_the_tree_renderings_give(nc, many_sessions):
    streamed = streamed_table(nc)
    # <session-table><session/></session-table> goes through OpenDaylight's subtree filter and YANG codec; an
    # XPath filter gets the table rendered into the reply's DOM and filtered there.
    codec = nc.get(filter=("subtree", f'<session-table xmlns="{ST}"><session/></session-table>')).data_ele \
        .find(f"{{{ST}}}session-table")
    xpath = nc.get(filter=("xpath", ({"st": ST}, "/st:session-table"))).data_ele.find(f"{{{ST}}}session-table")
    rows = canonical_sessions(streamed)
    assert len(rows) == many_sessions
    assert streamed.findtext(f"{{{ST}}}summary/{{{ST}}}total") == str(len(rows))
    differences = set(rows) ^ set(canonical_sessions(codec))
    assert rows == canonical_sessions(codec), "\n".join(map(str, list(differences)[:10]))
    assert rows == canonical_sessions(xpath)
    unfiltered = nc.get().data_ele
    assert canonical_sessions(unfiltered.find(f"{{{ST}}}session-table")) == rows
    assert unfiltered.find(f"{{{NS['sys']}}}alg-state") is not None, "the rest of <data> is still there"


class RawSession:
    """NETCONF over paramiko, framing decoded here, so a test can pipeline requests and pick the base version."""

    def __init__(self, address, base):
        self.client, self.channel = netconf_channel(address, IO_SECONDS)
        self.buffer = b""
        self.chunked = base == "1.1"
        self._until(b"]]>]]>")
        self.channel.sendall(f'<hello xmlns="{BASE}"><capabilities><capability>urn:ietf:params:netconf:base:{base}'
                             '</capability></capabilities></hello>]]>]]>'.encode())

    def _fill(self, size):
        deadline = time.monotonic() + IO_SECONDS
        while len(self.buffer) < size:
            assert time.monotonic() < deadline, f"the reply stopped after {self.buffer[-200:]!r}"
            data = self.channel.recv(1 << 20)
            assert data, f"the server closed the session; got {self.buffer[-200:]!r}"
            self.buffer += data

    def _until(self, marker):
        while marker not in self.buffer:
            self._fill(len(self.buffer) + 1)
        message, self.buffer = self.buffer.split(marker, 1)
        return message

    def send(self, rpc):
        body = rpc.encode()
        self.channel.sendall(b"\n#%d\n" % len(body) + body + b"\n##\n" if self.chunked else body + b"]]>]]>")

    def receive(self):
        """The next message as an element, its framing checked (RFC 6242 §4.2: chunk sizes, end of chunks)."""
        if not self.chunked:
            return etree.fromstring(self._until(b"]]>]]>"), etree.XMLParser(huge_tree=True))
        parts = []
        while True:
            self._fill(4)
            if self.buffer.startswith(b"\n##\n"):
                self.buffer = self.buffer[4:]
                return etree.fromstring(b"".join(parts), etree.XMLParser(huge_tree=True))
            header = re.match(rb"\n#([1-9][0-9]{0,9})\n", self.buffer[:13])
            if header is None:
                self._fill(13)
                header = re.match(rb"\n#([1-9][0-9]{0,9})\n", self.buffer[:13])
            assert header, f"not a chunk header: {self.buffer[:20]!r}"
            size = int(header.group(1))
            self._fill(header.end() + size)
            parts.append(self.buffer[header.end():header.end() + size])
            self.buffer = self.buffer[header.end() + size:]

    def close(self):
        self.client.close()


def get_rpc(message_id):
    return (f'<rpc message-id="{message_id}" xmlns="{BASE}"><get><filter type="subtree">'
            f'<session-table xmlns="{ST}"/></filter></get></rpc>')


@pytest.mark.parametrize("base", ["1.1", "1.0"])
def test_both_framings_carry_the_whole_table_and_a_pipelined_request_is_answered_after_it(algd, many_sessions,
                                                                                          base):
    session = RawSession(algd.topology.mgmt_address, base)
    try:
        # Three requests in one go: the second reply is sent while the first table is still being written.
        session.send(get_rpc(1))
        session.send(f'<rpc message-id="2" xmlns="{BASE}"><get-config><source><running/></source></get-config>'
                     '</rpc>')
        session.send(get_rpc(3))
        first, second, third = session.receive(), session.receive(), session.receive()
        assert [m.get("message-id") for m in (first, second, third)] == ["1", "2", "3"]
        for reply in (first, third):
            table = reply.find(f"{{{BASE}}}data/{{{ST}}}session-table")
            assert len(table.findall(f"{{{ST}}}session")) == many_sessions
            assert table.findtext(f"{{{ST}}}summary/{{{ST}}}total") == str(many_sessions)
        assert second.find(f"{{{BASE}}}data/{{{NS['if']}}}interfaces") is not None
    finally:
        session.close()
