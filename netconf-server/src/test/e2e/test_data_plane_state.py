"""The data path's counters as operational state (algd-interfaces data-plane): per interface packet I/O, the
frames packet I/O dropped and the engine's verdicts with every drop reason, read live over NETCONF. Packets algd
does not serve are counted under their reason and the worker goes on forwarding."""

from algd_e2e import NS, PASSWORD, REPO, SERVER_ADDRESS, USER, in_ns, run, wait_until

IF = NS["if"]
DATA_PLANE_FILTER = ("subtree", f'<data-plane xmlns="{IF}"/>')

# Raw IP datagrams of protocol 132 (SCTP), which algd does not forward: bounded count, to the test's own server.
SEND_SCTP = """
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 132)
for _ in range(int(sys.argv[2])):
    s.sendto(b"\\0" * 16, (sys.argv[1], 0))
"""


def data_plane(nc):
    state = nc.get(filter=DATA_PLANE_FILTER).data_ele.find("if:data-plane", NS)
    assert state is not None, "no data-plane state in the reply"
    return state


def reason_counts(state, path, key="reason"):
    """A list of {key, count} entries as {key: count}."""
    return {entry.findtext(f"{{{IF}}}{key}"): int(entry.findtext(f"{{{IF}}}count"))
            for entry in state.findall(path, NS)}


def interface_counter(state, name, counter):
    for entry in state.findall("if:interface", NS):
        if entry.findtext(f"{{{IF}}}name") == name:
            return int(entry.findtext(f"{{{IF}}}{counter}"))
    raise AssertionError(f"no data-plane entry for interface {name}")


def engine_counter(state, counter):
    return int(state.findtext(f"if:engine/if:{counter}", namespaces=NS))


def test_every_drop_reason_is_listed_and_packets_of_an_unsupported_protocol_are_counted_under_theirs(algd, nc):
    before = data_plane(nc)
    drops = reason_counts(before, "if:engine/if:drop")
    assert {"truncated", "bad-header-checksum", "unsupported-protocol", "no-route", "ttl-exceeded"} <= drops.keys()
    assert {"runt", "tx-ring-full", "exceeds-mtu", "engine-verdict"} <= reason_counts(before, "if:frame-drop").keys()
    assert before.findtext("if:workers", namespaces=NS) == "1"

    run(in_ns(algd.topology.client, "/usr/bin/python3", "-c", SEND_SCTP, SERVER_ADDRESS, "5"))

    def dropped_five():
        state = data_plane(nc)
        counted = reason_counts(state, "if:engine/if:drop")["unsupported-protocol"]
        return [state] if counted == drops["unsupported-protocol"] + 5 else None
    [after] = wait_until(dropped_five, 5, what="five unsupported-protocol drops")
    assert engine_counter(after, "packets-dropped") >= engine_counter(before, "packets-dropped") + 5
    assert engine_counter(after, "packets-received") >= engine_counter(before, "packets-received") + 5
    assert interface_counter(after, "inside", "rx-frames") >= interface_counter(before, "inside", "rx-frames") + 5
    assert reason_counts(after, "if:frame-drop")["engine-verdict"] >= \
        reason_counts(before, "if:frame-drop")["engine-verdict"] + 5

    shown = run(["/usr/bin/python3", REPO / "netconf-server" / "bin" / "algd-cli", "--host", algd.topology.mgmt_address,
                 "--user", USER, "--password", PASSWORD, "show", "data-plane"]).stdout
    counted = reason_counts(data_plane(nc), "if:engine/if:drop")["unsupported-protocol"]
    assert f"unsupported-protocol {counted}" in shown and "\ninside " in shown, shown


def test_forwarded_pings_move_the_engine_and_both_interfaces_counters(algd, nc):
    before = data_plane(nc)
    ping = run(in_ns(algd.topology.client, "ping", "-c", "3", "-i", "0.2", "-W", "2", SERVER_ADDRESS), timeout=20,
               check=False)
    assert ping.returncode == 0, ping.stdout
    after = data_plane(nc)
    assert engine_counter(after, "packets-forwarded") >= engine_counter(before, "packets-forwarded") + 6
    assert engine_counter(after, "sessions-created") >= engine_counter(before, "sessions-created") + 1
    for name in ("inside", "outside"):
        assert interface_counter(after, name, "tx-frames") >= interface_counter(before, name, "tx-frames") + 3, name
        assert interface_counter(after, name, "tx-bytes") > interface_counter(before, name, "tx-bytes"), name
