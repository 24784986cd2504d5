#!/usr/bin/python3
"""set system alg ftp|tftp|sip|rpc|rsh|pptp expectation-timeout <seconds>
set system alg sip invite-timeout <seconds>
set system alg sip media-inactivity-timeout <seconds>
(algd's own: the guide fixes these as constants.) With --delete the leaf is removed and the default is back:
expectation 120 s for FTP and 10 s for the others (Vyatta), INVITE 32 s (Vyatta), media inactivity 120 s (Junos).
A value out of range is refused at edit-config (error-app-tag yang-type, naming the range).

  alg-timeout.py --password secret ftp expectation-timeout 30
  alg-timeout.py --password secret --delete ftp expectation-timeout
"""
import sys
import xml.etree.ElementTree as ET

from algd_example import DELETE, SYS, arguments, connect, finish


def main():
    args = arguments(__doc__, lambda p: (
        p.add_argument("alg", choices=["ftp", "tftp", "sip", "rpc", "rsh", "pptp"]),
        p.add_argument("timeout", choices=["expectation-timeout", "invite-timeout", "media-inactivity-timeout"]),
        p.add_argument("seconds", nargs="?", type=int)))
    if not args.delete and args.seconds is None:
        sys.exit("alg-timeout.py: give the seconds, or --delete")
    with connect(args) as session:
        seconds = args.seconds
        if args.delete:
            # The server parses a deleted leaf's value against its type, so the delete carries the configured one.
            seconds = configured(session, args.alg, args.timeout)
            if seconds is None:
                print(f"{args.alg} {args.timeout} is not configured: the default is in force")
                return 0
        leaf = f"<{args.timeout}{DELETE if args.delete else ''}>{seconds}</{args.timeout}>"
        config = f'<config><system xmlns="{SYS}"><alg><{args.alg}>{leaf}</{args.alg}></alg></system></config>'
        return finish(session, config, args.alg)


def configured(session, alg, timeout):
    """The value of system/alg/ALG/TIMEOUT in running, or None."""
    reply = session.get_config(source="running", filter=(
        "subtree", f'<system xmlns="{SYS}"><alg><{alg}><{timeout}/></{alg}></alg></system>'))
    return ET.fromstring(reply.data_xml.encode()).findtext(f".//{{{SYS}}}{timeout}")


if __name__ == "__main__":
    sys.exit(main())
