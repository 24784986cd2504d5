#!/usr/bin/python3
"""set system alg ftp|tftp|sip|rpc|rsh|pptp|icmp disable   (guide, "ALG Commands")
delete system alg ... disable                             (with --delete: the ALG is enabled again)

Disabling affects new flows only: existing sessions keep the ALG they were created with. 'icmp disable' is
accepted and changes nothing (the guide: deprecated).

  alg-disable.py --password secret ftp
  alg-disable.py --password secret --delete ftp
"""
import sys

from algd_example import DELETE, SYS, arguments, connect, finish


def main():
    args = arguments(__doc__, lambda p: p.add_argument(
        "alg", choices=["ftp", "tftp", "sip", "rpc", "rsh", "pptp", "icmp"]))
    operation = DELETE if args.delete else ""
    config = f'<config><system xmlns="{SYS}"><alg><{args.alg}><disable{operation}/></{args.alg}></alg></system></config>'
    with connect(args) as session:
        return finish(session, config, args.alg)


if __name__ == "__main__":
    sys.exit(main())
