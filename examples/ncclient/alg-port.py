#!/usr/bin/python3
"""set system alg ftp|tftp|sip port <port-number>   (guide, "ALG Commands")
delete system alg ftp|tftp|sip port <port-number>   (with --delete)

Configured ports replace the ALG's default control port (21, 69, 5060); deleting the last one brings the default
back. Several ports may be given at once. A port another enabled ALG owns by default is refused
(error-app-tag alg-default-port-in-use), as is a port of another ALG (alg-port-conflict).

  alg-port.py --password secret ftp 2121
  alg-port.py --password secret --delete ftp 2121
"""
import sys

from algd_example import DELETE, SYS, arguments, connect, finish


def main():
    args = arguments(__doc__, lambda p: (p.add_argument("alg", choices=["ftp", "tftp", "sip"]),
                                         p.add_argument("ports", nargs="+", type=int)))
    operation = DELETE if args.delete else ""
    ports = "".join(f"<port{operation}>{port}</port>" for port in args.ports)
    config = f'<config><system xmlns="{SYS}"><alg><{args.alg}>{ports}</{args.alg}></alg></system></config>'
    with connect(args) as session:
        return finish(session, config, args.alg)


if __name__ == "__main__":
    sys.exit(main())
