#!/usr/bin/env bash
# algd's data path against the Linux kernel, measured in the same run on the same topology.
#
#   kernel-vs-algd.sh [--runs N] [--seconds S] [--routers LIST] [--figures LIST] [--algd NAME=JAVA_OPTS]...
#                     [--workers N|auto]
#       (root; N >= 3 runs per figure, S seconds per load run; LIST is comma-separated; each --algd adds an algd
#       router NAME run with ALGD_JAVA_OPTS=JAVA_OPTS, e.g. --algd v2= --algd v3=-Dalgd.packet.rx-ring=v3;
#       --workers is algd's, default 1)
#
# Builds the three-namespace topology of examples/demo/topology.sh under a random prefix, then measures three
# routers in the middle namespace, one after another:
#   kernel      the kernel forwarding (ip_forward=1, addresses on inside/outside)
#   kernel-nat  the same plus an nftables masquerade of 192.0.2.0/24 out of "outside"
#   algd        algd run on examples/demo/startup.xml (SNAT masquerade), the kernel out of the path
# and for each: TCP throughput with GSO/TSO on (iperf3), TCP with MTU-size frames (offloads off everywhere),
# 64-byte UDP packets per second (trafgen), new TCP connections per second (connrate.py), the ping RTT on the
# idle path and while iperf3 loads the path. Each figure is the median of N runs. The table ends with each algd
# router / kernel-nat. --routers (kernel,kernel-nat,algd) and --figures (tcp_gso,tcp_mtu,udp64,conn,rtt_idle,rtt)
# measure a subset.
# Everything runs on this machine's cores: generator, router and sink compete, so only ratios of one run
# carry over (shared/design/packet-io.md). Not part of CI. Every load is bounded in time and count; the
# script ends only the processes it started, by PID, and removes the topology on exit.
set -euo pipefail
BENCH_DIR="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
ROOT="$(readlink -f "$BENCH_DIR/../..")"
TOPOLOGY="$ROOT/examples/demo/topology.sh"
ALGD="$ROOT/netconf-server/bin/algd"
CONNRATE="$BENCH_DIR/connrate.py"

RUNS=3
SECONDS_PER_RUN=5
ROUTERS=kernel,kernel-nat,algd
FIGURES=tcp_gso,tcp_mtu,udp64,conn,rtt_idle,rtt
algd_variants=()
WORKERS=1
while (($#)); do
    case "$1" in
        --runs) RUNS=$2; shift 2 ;;
        --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
        --routers) ROUTERS=$2; shift 2 ;;
        --figures) FIGURES=$2; shift 2 ;;
        --algd) [[ "$2" =~ ^[a-z0-9][a-z0-9-]*= ]] || { echo "bench: --algd takes NAME=JAVA_OPTS" >&2; exit 2; }
            algd_variants+=("$2"); shift 2 ;;
        --workers) WORKERS=$2; shift 2 ;;
        *) sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
    esac
done
((${#algd_variants[@]})) || algd_variants=("algd=")
wanted() { [[ ",$2," == *",$1,"* ]]; }
for figure in ${FIGURES//,/ }; do
    wanted "$figure" tcp_gso,tcp_mtu,udp64,conn,rtt_idle,rtt || { echo "bench: unknown figure $figure" >&2; exit 2; }
done
[[ "$RUNS" =~ ^[0-9]+$ ]] && ((RUNS >= 3 && RUNS <= 15)) || { echo "bench: --runs must be 3..15" >&2; exit 2; }
[[ "$SECONDS_PER_RUN" =~ ^[0-9]+$ ]] && ((SECONDS_PER_RUN >= 2 && SECONDS_PER_RUN <= 60)) ||
    { echo "bench: --seconds must be 2..60" >&2; exit 2; }
[[ "$WORKERS" == auto || "$WORKERS" =~ ^[0-9]+$ ]] || { echo "bench: --workers must be a number or auto" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "bench: must run as root (namespaces, nftables)" >&2; exit 1; }

CLIENT_ADDR=192.0.2.2
SERVER_ADDR=198.51.100.2
IPERF_PORT=5201
CONN_PORT=8000
UDP_SINK_PORT=9
UDP_MAX_FRAMES=50000000      # trafgen's count bound; the time bound is SECONDS_PER_RUN + 2
CONN_MAX=500000
PING_COUNT=200               # at 10 ms intervals: 2 s of probes inside each loaded run, and on the idle path
LOAD_GRACE=15                # extra seconds a load tool may take before `timeout` ends it

"$ROOT/netconf-server/bin/install-deps" --bench >/dev/null
"$ALGD" build

# Random suffixes from $RANDOM: `tr </dev/urandom | head` dies of SIGPIPE, which pipefail turns into an exit.
random_hex() { printf '%04x%04x%04x' $RANDOM $RANDOM $RANDOM; }
suffix=$(random_hex)
prefix="algdb${suffix:0:5}"
client="$prefix-client"
router="$prefix-router"
server="$prefix-server"
work=$(mktemp -d /tmp/algd-bench.XXXXXX)
pids=()
algd_pid=""

# A free management /30 of 203.0.113.0/24 (not the demo's base 0), as the e2e fixtures choose one.
mgmt_base=""
used=$(ip -4 -o addr show | awk '{print $4}' | cut -d/ -f1)
for base in $(seq 4 4 252); do
    if ! grep -qx "203.0.113.$((base + 1))" <<<"$used" && ! grep -qx "203.0.113.$((base + 2))" <<<"$used"; then
        mgmt_base=$base
        break
    fi
done
[[ -n "$mgmt_base" ]] || { echo "bench: no free management /30 in 203.0.113.0/24" >&2; exit 1; }
mgmt_addr="203.0.113.$((mgmt_base + 2))"

stop_pid() {
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local pid
    [[ -z "$algd_pid" ]] || stop_pid "$algd_pid"
    for pid in "${pids[@]}"; do stop_pid "$pid"; done
    "$TOPOLOGY" down "$prefix" >/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$TOPOLOGY" up "$prefix" "$mgmt_base" >/dev/null
log() { echo "bench: $*" >&2; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# The server: the return route for plain forwarding, a drop for the UDP sink (no ICMP back), the listeners.
ip -n "$server" route add 192.0.2.0/24 via 198.51.100.1 dev eth0
in_ns "$server" nft -f - <<EOF
table inet bench_sink {
    chain pre { type filter hook prerouting priority -300; udp dport $UDP_SINK_PORT drop; }
}
EOF
# Background jobs start with `ip netns exec` itself, not the in_ns function: a backgrounded function is a subshell,
# and $! would be its PID, not the server's.
ip netns exec "$server" iperf3 -s -p "$IPERF_PORT" -B "$SERVER_ADDR" >"$work/iperf3-server.log" 2>&1 &
pids+=($!)
ip netns exec "$server" /usr/bin/python3 "$CONNRATE" serve "$SERVER_ADDR" "$CONN_PORT" >"$work/connrate-server.log" 2>&1 &
pids+=($!)

# Offloads on the four data-path veth ends: "on" is the veth default (checksum, TSO, GSO on; GRO off).
offloads() {
    local state=$1
    in_ns "$client" ethtool -K eth0 tx "$state" tso "$state" gso "$state" gro off >/dev/null
    in_ns "$server" ethtool -K eth0 tx "$state" tso "$state" gso "$state" gro off >/dev/null
    in_ns "$router" ethtool -K inside tx "$state" tso "$state" gso "$state" gro off >/dev/null
    in_ns "$router" ethtool -K outside tx "$state" tso "$state" gso "$state" gro off >/dev/null
}

reachable() {
    local i
    for ((i = 0; i < 60; i++)); do
        in_ns "$client" ping -c 1 -W 1 -q "$SERVER_ADDR" >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    return 1
}

kernel_router() {
    local nat=$1
    ip -n "$router" addr add 192.0.2.1/24 dev inside
    ip -n "$router" addr add 198.51.100.1/24 dev outside
    in_ns "$router" sysctl -q -w net.ipv4.ip_forward=1
    if [[ "$nat" == nat ]]; then
        in_ns "$router" nft -f - <<'EOF'
table ip bench_nat {
    chain post { type nat hook postrouting priority 100; oifname "outside" ip saddr 192.0.2.0/24 masquerade; }
}
EOF
    fi
}

kernel_router_off() {
    in_ns "$router" nft delete table ip bench_nat 2>/dev/null || true
    in_ns "$router" sysctl -q -w net.ipv4.ip_forward=0
    ip -n "$router" addr flush dev inside
    ip -n "$router" addr flush dev outside
    ip -n "$client" neigh flush dev eth0
    ip -n "$server" neigh flush dev eth0
}

algd_router() {
    local java_opts=$1
    cp "$ROOT/examples/demo/startup.xml" "$work/startup.xml"
    printf 'bench:%s%s\n' "$(random_hex)" "$(random_hex)" >"$work/users"
    chmod 600 "$work/users"
    ip netns exec "$router" env ALGD_NO_BUILD=1 ALGD_JAVA_OPTS="$java_opts" "$ALGD" run --config "$work/startup.xml" \
        --netconf-address "$mgmt_addr" \
        --netconf-port 830 --users "$work/users" --workers "$WORKERS" >"$work/algd.log" 2>&1 &
    algd_pid=$!
    local i
    for ((i = 0; i < 900; i++)); do
        grep -q "algd: NETCONF over SSH listening on" "$work/algd.log" && return 0
        kill -0 "$algd_pid" 2>/dev/null || { cat "$work/algd.log" >&2; log "algd exited during start-up"; exit 1; }
        sleep 0.1
    done
    cat "$work/algd.log" >&2
    log "algd not ready within 90 s"
    exit 1
}

algd_router_off() {
    stop_pid "$algd_pid"
    algd_pid=""
}

# One iperf3 run from the client; prints the receiver's Gbit/s (0 if the transfer failed).
tcp_gbits() {
    local out
    out=$(timeout $((SECONDS_PER_RUN + LOAD_GRACE)) ip netns exec "$client" iperf3 -c "$SERVER_ADDR" \
        -p "$IPERF_PORT" -t "$SECONDS_PER_RUN" --connect-timeout 3000 -J 2>/dev/null || true)
    /usr/bin/python3 -c '
import json, sys
try:
    print("%.2f" % (json.loads(sys.stdin.read())["end"]["sum_received"]["bits_per_second"] / 1e9))
except Exception:
    print("0")' <<<"$out"
}

# trafgen sends 60-byte frames (64 on the wire) of one UDP flow to the sink; prints the k packets/s the server's
# eth0 received over the middle SECONDS_PER_RUN - 2 seconds of the run.
udp_kpps() {
    local router_mac client_mac conf before after window=$((SECONDS_PER_RUN - 2)) gen
    ((window >= 1)) || window=1
    router_mac=$(ip -n "$router" -o link show dev inside | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
    client_mac=$(ip -n "$client" -o link show dev eth0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
    conf="$work/udp64.trafgen"
    cat >"$conf" <<EOF
{
  eth(da=$router_mac, sa=$client_mac, type=0x0800),
  ipv4(saddr=$CLIENT_ADDR, daddr=$SERVER_ADDR, ttl=64),
  udp(sp=40000, dp=$UDP_SINK_PORT),
  fill(0x00, 18)
}
EOF
    timeout $((SECONDS_PER_RUN + 2)) ip netns exec "$client" trafgen --dev eth0 --conf "$conf" --cpus 1 \
        -n "$UDP_MAX_FRAMES" -q >/dev/null 2>&1 &
    gen=$!
    sleep 1
    before=$(in_ns "$server" cat /sys/class/net/eth0/statistics/rx_packets)
    sleep "$window"
    after=$(in_ns "$server" cat /sys/class/net/eth0/statistics/rx_packets)
    wait "$gen" 2>/dev/null || true
    echo $(((after - before) / window / 1000))
}

conn_per_second() {
    local out
    out=$(timeout $((SECONDS_PER_RUN + LOAD_GRACE)) ip netns exec "$client" /usr/bin/python3 "$CONNRATE" connect \
        "$SERVER_ADDR" "$CONN_PORT" "$SECONDS_PER_RUN" "$CONN_MAX" || echo "0 1 0")
    awk '{ printf "%d\n", $1 / $2 }' <<<"$out"
}

# The mean ping RTT in ms, 200 probes 10 ms apart, on the idle path: what the router's own wake-up costs.
idle_rtt_ms() {
    local out
    out=$(timeout 20 ip netns exec "$client" ping -q -c "$PING_COUNT" -i 0.01 -W 1 "$SERVER_ADDR" 2>/dev/null || true)
    sed -n 's/^rtt [^=]*= [0-9.]*\/\([0-9.]*\)\/.*/\1/p' <<<"$out" | grep . || echo "nan"
}

# The mean ping RTT in ms, 200 probes 10 ms apart, while iperf3 (MTU-size frames) loads the path.
loaded_rtt_ms() {
    local load out
    timeout $((SECONDS_PER_RUN + LOAD_GRACE)) ip netns exec "$client" iperf3 -c "$SERVER_ADDR" -p "$IPERF_PORT" \
        -t "$SECONDS_PER_RUN" --connect-timeout 3000 >/dev/null 2>&1 &
    load=$!
    sleep 1
    out=$(timeout 20 ip netns exec "$client" ping -q -c "$PING_COUNT" -i 0.01 -W 1 "$SERVER_ADDR" 2>/dev/null || true)
    wait "$load" 2>/dev/null || true
    sed -n 's/^rtt [^=]*= [0-9.]*\/\([0-9.]*\)\/.*/\1/p' <<<"$out" | grep . || echo "nan"
}

median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

declare -A result
measure() {
    local router_name=$1 metric=$2 fn=$3 i values=()
    for ((i = 0; i < RUNS; i++)); do
        values+=("$($fn)")
    done
    result[$router_name,$metric]=$(printf '%s\n' "${values[@]}" | median)
    log "$router_name $metric: ${values[*]} -> median ${result[$router_name,$metric]}"
}

measure_all() {
    local name=$1
    reachable || { log "$name: no ping from client to server"; exit 1; }
    offloads on
    ! wanted tcp_gso "$FIGURES" || measure "$name" tcp_gso tcp_gbits
    offloads off
    ! wanted tcp_mtu "$FIGURES" || measure "$name" tcp_mtu tcp_gbits
    ! wanted udp64 "$FIGURES" || measure "$name" udp64 udp_kpps
    ! wanted conn "$FIGURES" || measure "$name" conn conn_per_second
    ! wanted rtt_idle "$FIGURES" || measure "$name" rtt_idle idle_rtt_ms
    ! wanted rtt "$FIGURES" || measure "$name" rtt loaded_rtt_ms
}

log "prefix $prefix, $RUNS runs of ${SECONDS_PER_RUN}s per figure; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
columns=()
if wanted kernel "$ROUTERS"; then
    kernel_router plain
    measure_all kernel
    kernel_router_off
    columns+=(kernel)
fi
if wanted kernel-nat "$ROUTERS"; then
    kernel_router nat
    measure_all kernel-nat
    kernel_router_off
    columns+=(kernel-nat)
fi
algd_names=()
if wanted algd "$ROUTERS"; then
    for variant in "${algd_variants[@]}"; do
        name=${variant%%=*}
        algd_router "${variant#*=}"
        measure_all "$name"
        algd_router_off
        algd_names+=("$name")
        columns+=("$name")
    done
fi

ratio() {
    awk -v a="$1" -v k="$2" 'BEGIN { if (k + 0 > 0 && a != "nan" && a != "") printf "%.2fx", a / k; else print "-" }'
}
echo
echo "algd vs Linux kernel, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -r), median of $RUNS runs of ${SECONDS_PER_RUN}s"
echo "generator, router and sink share the CPUs; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# One client and one server address: algd's workers steer by the external (server) address, so every flow of
# this topology lands on one worker whatever --workers says; more workers show only with more server addresses.
echo "algd --workers $WORKERS (flows to one server address all run on one worker)"
printf '%-34s' "figure"
for column in "${columns[@]}"; do printf ' %12s' "$column"; done
for name in "${algd_names[@]}"; do printf ' %16s' "$name/kernel-nat"; done
echo
row() {
    local metric=$1 label=$2 column name
    wanted "$metric" "$FIGURES" || return 0
    printf '%-34s' "$label"
    for column in "${columns[@]}"; do printf ' %12s' "${result[$column,$metric]:--}"; done
    for name in "${algd_names[@]}"; do
        printf ' %16s' "$(ratio "${result[$name,$metric]:-}" "${result[kernel-nat,$metric]:-}")"
    done
    echo
}
row tcp_gso "TCP, GSO/TSO on (Gbit/s)"
row tcp_mtu "TCP, MTU frames (Gbit/s)"
row udp64 "UDP 64 B (k packets/s)"
row conn "new TCP connections/s"
row rtt_idle "ping RTT idle (ms, lower=better)"
row rtt "ping RTT under load (ms, lower=better)"
