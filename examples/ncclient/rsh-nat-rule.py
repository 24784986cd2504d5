#!/usr/bin/python3
"""The guide's "Recommended additional RSH configuration": a source NAT rule for rsh whose translation keeps the
client's port among the reserved ones, as in.rshd insists on:

  set service nat source rule 22 description rsh
  set service nat source rule 22 outbound-interface <interface>
  set service nat source rule 22 protocol tcp
  set service nat source rule 22 destination port 514
  set service nat source rule 22 translation address <address>
  set service nat source rule 22 translation port 513-1023

With --delete: delete service nat source rule 22.

  rsh-nat-rule.py --password secret --interface outside --address 198.51.100.1
"""
import sys

from algd_example import DELETE, NAT, arguments, connect, finish


def main():
    args = arguments(__doc__, lambda p: (p.add_argument("--rule", type=int, default=22),
                                         p.add_argument("--interface", default="outside"),
                                         p.add_argument("--address", help="translation address (masquerade if absent)")))
    if args.delete:
        rule = f"<rule{DELETE}><id>{args.rule}</id></rule>"
    else:
        address = f"<address>{args.address}</address>" if args.address else "<address>masquerade</address>"
        rule = f"""<rule>
          <id>{args.rule}</id>
          <description>rsh</description>
          <outbound-interface>{args.interface}</outbound-interface>
          <protocol>tcp</protocol>
          <destination><port>514</port></destination>
          <translation>{address}<port>513-1023</port></translation>
        </rule>"""
    config = f'<config><service xmlns="{NAT}"><nat><source>{rule}</source></nat></service></config>'
    with connect(args) as session:
        return finish(session, config, "rsh")


if __name__ == "__main__":
    sys.exit(main())
