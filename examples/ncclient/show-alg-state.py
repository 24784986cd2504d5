#!/usr/bin/python3
"""show alg-state: what the engine applies now for each ALG (enabled, effective ports and programs, timeouts) and
what each ALG did (its counters).

  show-alg-state.py --password secret [ftp ...]
"""
import sys

from algd_example import arguments, alg_state, connect

ALGS = ["ftp", "tftp", "sip", "rpc", "rsh", "pptp", "icmp"]


def main():
    args = arguments(__doc__, lambda p: p.add_argument("algs", nargs="*", metavar="ALG"), undoable=False)
    unknown = set(args.algs) - set(ALGS)
    if unknown:
        sys.exit(f"show-alg-state.py: unknown ALG {', '.join(sorted(unknown))}; one of {', '.join(ALGS)}")
    with connect(args) as session:
        for alg in args.algs or ALGS:
            state = alg_state(session, alg)
            print(f"{alg}: {'enabled' if state['enabled'] else 'disabled'}"
                  f" ports {state['ports'] or '-'} programs {state['programs'] or '-'} timeouts {state['timeouts']}")
            print(f"    {state['counters']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
