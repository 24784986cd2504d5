"""IPv6 through algd: ping6 and HTTP over IPv6 from the client to the server through NAT66 (the demo startup's
rule 200 masquerades 2001:db8:1::/64 behind the outside address), neighbour discovery answered by algd, and the
IPv6 sessions in the session table. Asserts on what the peers saw."""

import random
import string

from algd_e2e import (ALGD_INSIDE_ADDRESS6, ALGD_OUTSIDE_ADDRESS6, CLIENT_ADDRESS6, SERVER_ADDRESS6,
                      BackgroundProcess, in_ns, run, sessions, wait_until)


def matching(entries, **leaves):
    return [e for e in entries if all(e.get(k) == v for k, v in leaves.items())]


def test_ping6_to_algds_own_address_is_answered(topology, algd):
    ping = run(in_ns(topology.client, "ping", "-6", "-c", "2", "-i", "0.2", "-W", "2", ALGD_INSIDE_ADDRESS6),
               timeout=20, check=False)
    assert ping.returncode == 0, f"ping -6 {ALGD_INSIDE_ADDRESS6} failed:\n{ping.stdout}{ping.stderr}"
    neighbours = run(in_ns(topology.client, "ip", "-6", "neigh", "show", ALGD_INSIDE_ADDRESS6)).stdout
    assert "lladdr" in neighbours, f"the client did not learn algd's address by neighbour discovery: {neighbours}"


def test_ping6_through_algd_is_nat66_translated(topology, algd, nc, tmp_path):
    capture = BackgroundProcess(
        in_ns(topology.server, "tcpdump", "-i", "eth0", "-n", "-l", "--immediate-mode", "-U", "icmp6"),
        tmp_path / "tcpdump.txt")
    try:
        wait_until(lambda: "listening on" in capture.output() or capture.proc.poll() is not None, 10,
                   what="tcpdump to start")
        assert capture.proc.poll() is None, f"tcpdump exited: {capture.output()}"
        ping = run(in_ns(topology.client, "ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", SERVER_ADDRESS6),
                   timeout=20, check=False)
        assert ping.returncode == 0, f"ping -6 {SERVER_ADDRESS6} through algd failed:\n{ping.stdout}{ping.stderr}"
        assert " 0% packet loss" in ping.stdout, ping.stdout
        requests = wait_until(lambda: [line for line in capture.output().splitlines() if "echo request" in line],
                              5, what="the echo requests in the server's capture")
    finally:
        capture.stop()
    assert all(f"{ALGD_OUTSIDE_ADDRESS6} > {SERVER_ADDRESS6}" in line for line in requests), \
        f"the server saw requests not from algd's {ALGD_OUTSIDE_ADDRESS6}:\n" + "\n".join(requests)
    assert CLIENT_ADDRESS6 not in capture.output()

    echo = matching(sessions(nc), **{"protocol-number": "58", "source-address": CLIENT_ADDRESS6,
                                     "destination-address": SERVER_ADDRESS6,
                                     "translated-address": ALGD_OUTSIDE_ADDRESS6})
    assert echo, f"no ICMPv6 echo session {CLIENT_ADDRESS6} -> {SERVER_ADDRESS6} in {sessions(nc)}"


def test_http_over_ipv6_through_nat66_reaches_the_server_from_the_outside_address(topology, algd, nc, tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    token = "algd-e2e-v6-" + "".join(random.choices(string.ascii_lowercase + string.digits, k=12))
    (root / "index.html").write_text(f"<p>{token}</p>\n")
    server = BackgroundProcess(
        in_ns(topology.server, "/usr/bin/python3", "-u", "-m", "http.server", "8080",
              "--bind", SERVER_ADDRESS6, "--directory", str(root)),
        tmp_path / "http.log")
    try:
        wait_until(lambda: run(in_ns(topology.server, "ss", "-Hltn", "sport = :8080")).stdout.strip()
                   or server.proc.poll() is not None, 10, what="the HTTP server to listen")
        assert server.proc.poll() is None, f"http.server exited: {server.output()}"

        page = run(in_ns(topology.client, "curl", "-6", "-sS", "--max-time", "10",
                         f"http://[{SERVER_ADDRESS6}]:8080/"), timeout=20, check=False)
        assert page.returncode == 0, f"curl over IPv6 through algd failed: {page.stderr}"
        assert token in page.stdout

        access_log = wait_until(lambda: [line for line in server.output().splitlines() if '"GET / ' in line],
                                5, what="the GET in the server's access log")
        assert access_log[0].startswith(ALGD_OUTSIDE_ADDRESS6 + " "), \
            f"the server saw the request from {access_log[0].split()[0]}, not algd's {ALGD_OUTSIDE_ADDRESS6}"
        assert CLIENT_ADDRESS6 not in server.output()
    finally:
        server.stop()

    table = sessions(nc)
    tcp = matching(table, **{"protocol-number": "6", "source-address": CLIENT_ADDRESS6,
                             "destination-address": SERVER_ADDRESS6, "destination-port": "8080",
                             "translated-address": ALGD_OUTSIDE_ADDRESS6, "interface": "inside"})
    assert tcp, f"no TCP session {CLIENT_ADDRESS6} -> [{SERVER_ADDRESS6}]:8080 via {ALGD_OUTSIDE_ADDRESS6} " \
                f"in the session table: {table}"
    assert "snat" in tcp[0].get("feature", []), tcp[0]
