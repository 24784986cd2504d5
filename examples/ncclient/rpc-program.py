#!/usr/bin/python3
"""set system alg rpc program <number>      (guide, "ALG Commands")
delete system alg rpc program <number>   (with --delete)

The programs are added to the defaults 100000 (portmap), 100003 (nfs), 100005 (mount), 100021 (nlockmgr) and
100227 (nfs_acl): a portmapper reply for one of them opens the way to the port it names.

  rpc-program.py --password secret 100024
"""
import sys

from algd_example import DELETE, SYS, arguments, connect, finish


def main():
    args = arguments(__doc__, lambda p: p.add_argument("programs", nargs="+", type=int))
    operation = DELETE if args.delete else ""
    programs = "".join(f"<program{operation}>{program}</program>" for program in args.programs)
    config = f'<config><system xmlns="{SYS}"><alg><rpc>{programs}</rpc></alg></system></config>'
    with connect(args) as session:
        return finish(session, config, "rpc")


if __name__ == "__main__":
    sys.exit(main())
