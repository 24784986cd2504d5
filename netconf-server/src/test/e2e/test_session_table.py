"""The session table's summary and the clear-sessions rpc, over NETCONF."""

import pytest
from lxml import etree
from ncclient.operations import RPCError

from algd_e2e import (CLIENT_ADDRESS, CLIENT_ADDRESS6, NS, SERVER_ADDRESS, SERVER_ADDRESS6, canonical_sessions, in_ns,
                      run, sessions, wait_until)

ST = NS["st"]
WALKED = "session table walked for "


def clear(nc, **criteria):
    body = "".join(f"<{name}>{value}</{name}>" for name, value in criteria.items())
    reply = nc.dispatch(etree.fromstring(f'<clear-sessions xmlns="{ST}">{body}</clear-sessions>'))
    return int(etree.fromstring(reply.xml.encode()).find(f".//{{{ST}}}cleared").text)


def test_summary_counts_the_live_sessions(algd, nc, http_server):
    run(in_ns(algd.topology.client, "curl", "-s", "--max-time", "10", http_server.url))
    run(in_ns(algd.topology.client, "ping", "-c", "1", "-W", "2", "198.51.100.2"))
    data = etree.fromstring(nc.get(filter=("subtree", f'<session-table xmlns="{ST}"><summary/></session-table>'))
                            .data_xml.encode())
    total = int(data.findtext(f".//{{{ST}}}summary/{{{ST}}}total"))
    by_protocol = {e.findtext(f"{{{ST}}}protocol"): int(e.findtext(f"{{{ST}}}count"))
                   for e in data.iter(f"{{{ST}}}by-protocol")}
    assert total == len(sessions(nc)) and total >= 2
    assert by_protocol.get("tcp [6]", 0) >= 1 and by_protocol.get("icmp [1]", 0) >= 1, by_protocol


def test_clear_sessions_removes_only_what_it_names(algd, nc, http_server):
    run(in_ns(algd.topology.client, "curl", "-s", "--max-time", "10", http_server.url))
    run(in_ns(algd.topology.client, "ping", "-c", "1", "-W", "2", "198.51.100.2"))
    assert any(s["destination-port"] == "8080" for s in sessions(nc))
    assert clear(nc, port=8080) == 1
    remaining = sessions(nc)
    assert not any(s["destination-port"] == "8080" for s in remaining), remaining
    assert any(s["protocol-number"] == "1" for s in remaining), "the ICMP session went too"
    assert clear(nc, address=CLIENT_ADDRESS) == len(remaining)
    assert sessions(nc) == []


def test_clear_sessions_by_an_ipv6_address_leaves_the_ipv4_sessions(algd, nc):
    for ping in (("ping", "-c", "1", "-W", "2", SERVER_ADDRESS), ("ping", "-6", "-c", "1", "-W", "2", SERVER_ADDRESS6)):
        assert run(in_ns(algd.topology.client, *ping), check=False).returncode == 0, ping
    assert {s["source-address"] for s in sessions(nc)} >= {CLIENT_ADDRESS, CLIENT_ADDRESS6}
    assert clear(nc, address=SERVER_ADDRESS6) == 1
    remaining = sessions(nc)
    assert CLIENT_ADDRESS6 not in {s["source-address"] for s in remaining}, remaining
    assert any(s["source-address"] == CLIENT_ADDRESS and s["destination-address"] == SERVER_ADDRESS
               for s in remaining), f"the IPv4 echo session went too: {remaining}"


def test_clear_sessions_with_an_unknown_alg_is_refused(nc):
    with pytest.raises(RPCError) as refused:
        clear(nc, alg="gopher")
    assert refused.value.tag == "invalid-value"


def test_whole_table_rendered_directly_equals_what_the_yang_codec_renders(algd, nc, http_server):
    run(in_ns(algd.topology.client, "curl", "-s", "--max-time", "10", http_server.url))
    run(in_ns(algd.topology.client, "ping", "-c", "1", "-W", "2", "198.51.100.2"))
    # <session-table/> takes algd's direct rendering; <session-table><session/></session-table> selects the same
    # list through OpenDaylight's subtree filter and codec; a <get> without a filter takes the direct rendering too.
    direct = nc.get(filter=("subtree", f'<session-table xmlns="{ST}"/>')).data_ele.find(f"{{{ST}}}session-table")
    codec = nc.get(filter=("subtree", f'<session-table xmlns="{ST}"><session/></session-table>')).data_ele \
        .find(f"{{{ST}}}session-table")
    unfiltered = nc.get().data_ele
    assert len(unfiltered.findall(f"{{{ST}}}session-table")) == 1, "the table is rendered once"
    assert unfiltered.find(f"{{{NS['sys']}}}alg-state") is not None and \
        unfiltered.find(f"{{{NS['if']}}}interfaces") is not None, "state and running config are still there"
    assert len(canonical_sessions(direct)) >= 2
    differences = set(canonical_sessions(direct)) ^ set(canonical_sessions(codec))
    assert canonical_sessions(direct) == canonical_sessions(codec), "\n".join(map(str, differences))
    assert canonical_sessions(unfiltered.find(f"{{{ST}}}session-table")) == canonical_sessions(direct)
    total = direct.findtext(f"{{{ST}}}summary/{{{ST}}}total")
    assert total == str(len(canonical_sessions(direct))), total


def test_one_session_by_key_is_read_without_walking_the_table(algd, nc, http_server):
    # Issue 4: "Get with a subtree filter for one session must not walk the whole table". Every read of the whole
    # table logs one "session table walked for <reader>" line when its walk ends (SessionTableWalk).
    def walks():
        return [line for line in algd.log().splitlines() if WALKED in line]

    run(in_ns(algd.topology.client, "curl", "-s", "--max-time", "10", http_server.url))
    first = sessions(nc)[0]
    wait_until(lambda: len(walks()) >= 1, 10, what="the streamed read's walk in the log")
    before = len(walks())
    one = nc.get(filter=("subtree", f'<session-table xmlns="{ST}"><session><id>{first["id"]}</id></session>'
                                    '</session-table>')).data_ele.findall(f".//{{{ST}}}session")
    assert [s.findtext(f"{{{ST}}}id") for s in one] == [first["id"]]
    # A read that does walk, after it: its line is the only new one.
    nc.get(filter=("subtree", f'<session-table xmlns="{ST}"><session/></session-table>'))
    wait_until(lambda: len(walks()) > before, 10, what="the codec's walk in the log")
    assert len(walks()) == before + 1 and "for the YANG codec" in walks()[-1], walks()[before - 1:]


def test_one_session_by_key_and_other_filters_are_still_answered(algd, nc, http_server):
    run(in_ns(algd.topology.client, "curl", "-s", "--max-time", "10", http_server.url))
    first = sessions(nc)[0]
    one = nc.get(filter=("subtree", f'<session-table xmlns="{ST}"><session><id>{first["id"]}</id></session>'
                                    '</session-table>')).data_ele.findall(f".//{{{ST}}}session")
    assert [s.findtext(f"{{{ST}}}id") for s in one] == [first["id"]]
    both = nc.get(filter=f'<filter type="subtree"><session-table xmlns="{ST}"/><alg-state xmlns="{NS["sys"]}"/>'
                         '</filter>').data_ele
    assert both.find(f"{{{ST}}}session-table/{{{ST}}}session") is not None
    assert both.find(f"{{{NS['sys']}}}alg-state/{{{NS['sys']}}}alg") is not None
    assert both.find(f"{{{NS['if']}}}interfaces") is None, "the filter selects only what it names"
