"""What every example here shares: the command line (where algd listens, who logs in), the session, one commit
that reports a refusal as the server sent it, and reading one ALG's effective state from alg-state.

Run the examples with Debian's /usr/bin/python3 (python3-ncclient)."""
import argparse
import os
import sys
import xml.etree.ElementTree as ET

from ncclient import manager
from ncclient.operations import RPCError

NC = "urn:ietf:params:xml:ns:netconf:base:1.0"
SYS = "urn:algd:yang:algd-system"
NAT = "urn:algd:yang:algd-nat"
# Put on an element of an <edit-config>, it removes that node: the guide's 'delete' for the 'set' it mirrors.
DELETE = f' xmlns:nc="{NC}" nc:operation="delete"'


def arguments(description, add=None, undoable=True):
    """Parses --host --port --user --password (password also from $ALGD_PASSWORD), --delete when the example
    is undoable, and the example's own arguments added by add(parser)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=830)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default=os.environ.get("ALGD_PASSWORD"))
    if undoable:
        parser.add_argument("--delete", action="store_true", help="undo: the guide's 'delete' of the same command")
    if add:
        add(parser)
    args = parser.parse_args()
    if args.password is None:
        parser.error("give --password or set ALGD_PASSWORD")
    return args


def connect(args):
    return manager.connect(host=args.host, port=args.port, username=args.user, password=args.password,
                           hostkey_verify=False, allow_agent=False, look_for_keys=False, timeout=30)


def commit(session, config):
    """Edits the candidate with config (a <config> element) and commits it. A refusal is printed with its
    error-app-tag and error-path, the candidate is discarded, and the answer is 1; 0 when committed."""
    try:
        session.edit_config(target="candidate", config=config)
        session.commit()
    except RPCError as error:
        session.discard_changes()
        print(f"refused [{error.app_tag}]: {error.message}", file=sys.stderr)
        if error.path:
            print(f"  at {error.path.strip()}", file=sys.stderr)
        return 1
    return 0


def alg_state(session, alg):
    """One ALG's entry of alg-state, what the engine applies now, as a dict: enabled, ports, programs, the
    timeouts in seconds and the counters."""
    reply = session.get(filter=("subtree", f'<alg-state xmlns="{SYS}"><alg><name>{alg}</name></alg></alg-state>'))
    entry = ET.fromstring(reply.data_xml.encode()).find(f".//{{{SYS}}}alg")

    def values(tag):
        return [int(e.text) for e in entry.findall(f"{{{SYS}}}{tag}")]

    counters = entry.find(f"{{{SYS}}}counters")
    return {
        "enabled": entry.findtext(f"{{{SYS}}}enabled") == "true",
        "ports": values("effective-port"),
        "programs": values("effective-program"),
        "timeouts": {e.tag.split("}")[1]: int(e.text) for e in entry if e.tag.endswith("-timeout")},
        "counters": {} if counters is None else {e.tag.split("}")[1]: int(e.text) for e in counters},
    }


def finish(session, config, alg):
    """Commits config and prints the ALG's effective state afterwards; the exit status of the example."""
    status = commit(session, config)
    print(f"{alg}: {alg_state(session, alg)}")
    return status
