#!/usr/bin/env bash
# The demo and test network of algd, in three network namespaces:
#
#   PREFIX-client                 PREFIX-router (algd runs here)              PREFIX-server
#   eth0 192.0.2.2/24  <-veth->  inside   (no IP: algd owns 192.0.2.1, 2001:db8:1::1)
#        2001:db8:1::2/64
#   default via 192.0.2.1        outside  (no IP: algd owns 198.51.100.1, 2001:db8:2::1)  <-veth->  eth0 198.51.100.2/24
#   default via 2001:db8:1::1                                                               2001:db8:2::2/64
#                                mgmt0 203.0.113.(B+2)/30  <-veth->  PREFIX-m 203.0.113.(B+1)/30 (root namespace)
#
# usage: topology.sh up|down PREFIX [MGMT_BASE]
#   MGMT_BASE (default 0, a multiple of 4 below 256) picks the management /30: the host reaches NETCONF at
#   203.0.113.(MGMT_BASE+2). PREFIX must leave "PREFIX-m" within 15 characters (a device name).
# "up" creates everything or, if a step fails, removes what it made; "down" removes it all and may be run
# any number of times. Neither touches anything it did not create.
set -euo pipefail

usage() {
    echo "usage: $0 up|down PREFIX [MGMT_BASE]" >&2
    exit 2
}

[[ $# -ge 2 && $# -le 3 ]] || usage
action=$1
prefix=$2
mgmt_base=${3:-0}
[[ "$prefix" =~ ^[a-z][a-z0-9-]*$ ]] || { echo "topology: PREFIX must be lower-case letters, digits, '-'" >&2; exit 2; }
host_dev="$prefix-m"
((${#host_dev} <= 15)) || { echo "topology: '$host_dev' is longer than 15 characters; use a shorter PREFIX" >&2; exit 2; }
[[ "$mgmt_base" =~ ^[0-9]+$ ]] && ((mgmt_base % 4 == 0 && mgmt_base <= 252)) ||
    { echo "topology: MGMT_BASE must be a multiple of 4 from 0 to 252" >&2; exit 2; }

client="$prefix-client"
router="$prefix-router"
server="$prefix-server"
host_addr="203.0.113.$((mgmt_base + 1))/30"
mgmt_addr="203.0.113.$((mgmt_base + 2))/30"

ns_exists() {
    ip netns list | awk '{print $1}' | grep -qx -- "$1"
}

# Veth pairs offload by default (TSO/GSO/GRO, partial checksums). algd reads and writes frames with
# AF_PACKET, so with offloads on it would see TCP frames far above the MTU and frames whose L4 checksum is
# not computed yet (shared/design/packet-io.md, pitfalls 1 and 2). This lab turns them off on every end so
# that tests see MTU-size, fully checksummed frames, as from a physical wire.
offloads_off() {
    local ns=$1 dev=$2
    if [[ -n "$ns" ]]; then
        ip netns exec "$ns" ethtool -K "$dev" tx off tso off gso off gro off >/dev/null
    else
        ethtool -K "$dev" tx off tso off gso off gro off >/dev/null
    fi
}

# IPv6 on a peer without the chatter a fresh interface makes: addr_gen_mode 1 (no link-local address), no
# router solicitations or router advertisements taken, no duplicate address detection.
ipv6_quiet() {
    local ns=$1 dev=$2 key
    for key in addr_gen_mode=1 accept_ra=0 router_solicitations=0 dad_transmits=0 disable_ipv6=0; do
        ip netns exec "$ns" sysctl -q -w "net.ipv6.conf.$dev.$key"
    done
}

down() {
    local ns pids status=0
    # The host end first: deleting it takes its peer mgmt0 with it at once. Deleting a namespace destroys
    # the devices in it (and their peers) only later, in the kernel's own time, so the host end could
    # vanish between a check and a delete; a failed delete is an error only if the device is still there.
    if ip link show dev "$host_dev" >/dev/null 2>&1; then
        if ! ip link delete dev "$host_dev" 2>/dev/null && ip link show dev "$host_dev" >/dev/null 2>&1; then
            echo "topology: cannot delete $host_dev" >&2
            status=1
        fi
    fi
    for ns in "$client" "$router" "$server"; do
        if ns_exists "$ns"; then
            pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
            [[ -z "$pids" ]] || echo "topology: warning: processes still in $ns: $pids(not ours to end)" >&2
            ip netns delete "$ns" || status=1
        fi
    done
    return "$status"
}

up() {
    local ns
    for ns in "$client" "$router" "$server"; do
        if ns_exists "$ns"; then
            echo "topology: namespace $ns exists already; run '$0 down $prefix' first" >&2
            exit 1
        fi
    done
    if ip link show dev "$host_dev" >/dev/null 2>&1; then
        echo "topology: device $host_dev exists already; run '$0 down $prefix' first" >&2
        exit 1
    fi
    if ip -4 -o addr show | grep -q " ${host_addr%/*}/"; then
        echo "topology: ${host_addr%/*} is in use in the root namespace; choose another MGMT_BASE" >&2
        exit 1
    fi
    complete=0
    # An EXIT trap, not ERR: set -e exits from inside helper functions, where an ERR trap is not inherited.
    trap 'if ((complete == 0)); then echo "topology: setting up $prefix failed; removing it" >&2; down; fi' EXIT

    for ns in "$client" "$router" "$server"; do
        ip netns add "$ns"
        ip -n "$ns" link set dev lo up
    done

    # Each pair is created with its ends directly in their namespaces, so the names cannot clash with
    # devices in the root namespace or in another copy of this topology.
    ip link add inside netns "$router" type veth peer name eth0 netns "$client"
    ip link add outside netns "$router" type veth peer name eth0 netns "$server"
    ip link add "$host_dev" type veth peer name mgmt0 netns "$router"

    # Router: algd owns the data-path addresses and answers ARP itself, so the kernel must stay out:
    # no IPv4 on inside/outside, no IPv6 (no link-local, router solicitations or MLD), no forwarding.
    ip netns exec "$router" sysctl -q -w net.ipv4.ip_forward=0
    for dev in inside outside; do
        ip netns exec "$router" sysctl -q -w "net.ipv6.conf.$dev.disable_ipv6=1"
        offloads_off "$router" "$dev"
        ip -n "$router" link set dev "$dev" up
    done
    ip netns exec "$router" sysctl -q -w net.ipv6.conf.mgmt0.disable_ipv6=1
    ip -n "$router" addr add "$mgmt_addr" dev mgmt0
    offloads_off "$router" mgmt0
    ip -n "$router" link set dev mgmt0 up

    # The peers: IPv4 and IPv6 (2001:db8::/32), IPv6 kept quiet so that what algd sees is mostly what a test
    # sends: no link-local address, no router solicitations or autoconfiguration, no duplicate address detection.
    ipv6_quiet "$client" eth0
    ip -n "$client" addr add 192.0.2.2/24 dev eth0
    offloads_off "$client" eth0
    ip -n "$client" link set dev eth0 up
    ip -n "$client" addr add 2001:db8:1::2/64 dev eth0 nodad
    ip -n "$client" route add default via 192.0.2.1 dev eth0
    ip -n "$client" -6 route add default via 2001:db8:1::1 dev eth0

    # No default route: algd's NAT addresses 198.51.100.1 and 2001:db8:2::1 are on-link for the server.
    ipv6_quiet "$server" eth0
    ip -n "$server" addr add 198.51.100.2/24 dev eth0
    offloads_off "$server" eth0
    ip -n "$server" link set dev eth0 up
    ip -n "$server" addr add 2001:db8:2::2/64 dev eth0 nodad

    sysctl -q -w "net.ipv6.conf.$host_dev.disable_ipv6=1"
    ip addr add "$host_addr" dev "$host_dev"
    offloads_off "" "$host_dev"
    ip link set dev "$host_dev" up
    complete=1
    echo "topology: $prefix up: NETCONF address ${mgmt_addr%/*}, host end $host_dev ${host_addr%/*}"
}

[[ $(id -u) -eq 0 ]] || { echo "topology: must run as root" >&2; exit 1; }
case "$action" in
    up) up ;;
    down) down ;;
    *) usage ;;
esac
