"""A user-space GRE tunnel end (RFC 2784, with the RFC 2890 key) for the end-to-end tests, because their kernel
has no ip_gre: IPv4 packets the kernel routes into a TUN device leave GRE-encapsulated through a raw IP socket
(protocol 47) towards the remote end, and GRE packets from the remote end go into the TUN device without their
GRE header. The outer addresses may be IPv4 or IPv6 (GRE over IPv6, RFC 7676, as `ip -6 tunnel ... mode ip6gre`
sends it): an IPv6 raw socket sends and receives the GRE header and payload without the IPv6 header, and computes
no checksum for protocol 47. What it sends carries the key and checksum asked for; what it receives has its checksum verified
(it covers the GRE header and payload, RFC 2784 §2.5, so NAT of the outer addresses must leave it valid). It prints
its counters after each packet and stops after --seconds.

Usage: gre_endpoint.py --tun DEV --local A --remote B [--key K] [--checksum] --seconds N
(DEV is an existing TUN device, e.g. from `ip tuntap add dev DEV mode tun`)."""

import argparse
import fcntl
import ipaddress
import os
import select
import socket
import struct
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
GRE_CHECKSUM = 0x8000
GRE_ROUTING = 0x4000
GRE_KEY = 0x2000
GRE_SEQUENCE = 0x1000
GRE_VERSION = 0x0007
ETHERTYPE_IPV4 = 0x0800


def ones_complement_sum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def encapsulate(inner, key, with_checksum):
    flags = (GRE_CHECKSUM if with_checksum else 0) | (GRE_KEY if key is not None else 0)
    header = struct.pack("!HH", flags, ETHERTYPE_IPV4)
    if with_checksum:
        header += b"\0\0\0\0"
    if key is not None:
        header += struct.pack("!I", key)
    packet = header + inner
    if with_checksum:
        checksum = ~ones_complement_sum(packet) & 0xFFFF
        packet = packet[:4] + struct.pack("!H", checksum) + packet[6:]
    return packet


def decapsulate(gre, counts):
    """The inner IPv4 packet, or None with the reason counted."""
    if len(gre) < 4:
        counts["malformed"] += 1
        return None
    flags, protocol = struct.unpack("!HH", gre[:4])
    if flags & (GRE_ROUTING | GRE_VERSION) or protocol != ETHERTYPE_IPV4:
        counts["malformed"] += 1
        return None
    at = 4
    if flags & GRE_CHECKSUM:
        if ones_complement_sum(gre) != 0xFFFF:
            counts["bad_checksum"] += 1
            return None
        counts["checksum_verified"] += 1
        at += 4
    if flags & GRE_KEY:
        counts["last_key"] = struct.unpack("!I", gre[at:at + 4])[0]
        at += 4
    if flags & GRE_SEQUENCE:
        at += 4
    return gre[at:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tun", required=True)
    parser.add_argument("--local", required=True)
    parser.add_argument("--remote", required=True)
    parser.add_argument("--key", type=int)
    parser.add_argument("--checksum", action="store_true")
    parser.add_argument("--seconds", type=float, required=True)
    args = parser.parse_args()

    tun = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(tun, TUNSETIFF, struct.pack("16sH", args.tun.encode(), IFF_TUN | IFF_NO_PI))
    is_ipv6 = ipaddress.ip_address(args.local).version == 6
    remote = ipaddress.ip_address(args.remote)
    raw = socket.socket(socket.AF_INET6 if is_ipv6 else socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_GRE)
    raw.bind((args.local, 0))
    counts = {"sent": 0, "received": 0, "from_elsewhere": 0, "malformed": 0, "bad_checksum": 0,
              "checksum_verified": 0, "last_key": -1}
    print("ready", flush=True)
    deadline = time.monotonic() + args.seconds
    while (left := deadline - time.monotonic()) > 0:
        readable, _, _ = select.select([tun, raw], [], [], min(left, 1.0))
        if tun in readable:
            inner = os.read(tun, 65535)
            if inner and inner[0] >> 4 == 4:
                raw.sendto(encapsulate(inner, args.key, args.checksum), (args.remote, 0))
                counts["sent"] += 1
        if raw in readable:
            data, peer = raw.recvfrom(65535)
            if ipaddress.ip_address(peer[0]) != remote:
                counts["from_elsewhere"] += 1
            else:
                # An IPv4 raw socket hands over the IP header too; an IPv6 one only what follows it.
                inner = decapsulate(data if is_ipv6 else data[(data[0] & 0x0F) * 4:], counts)
                if inner:
                    os.write(tun, inner)
                    counts["received"] += 1
        if readable:
            print(" ".join(f"{k}={v}" for k, v in counts.items()), flush=True)


if __name__ == "__main__":
    main()
