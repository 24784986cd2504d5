#!/usr/bin/env python3
"""New TCP connections per second, for packet-io/bench/kernel-vs-algd.sh.

  connrate.py serve ADDRESS PORT            accept and drop connections until killed
  connrate.py connect ADDRESS PORT SECONDS MAX_COUNT
                                            open connections one after another for at most SECONDS and at
                                            most MAX_COUNT, print "<connections> <seconds>"

Each connection is a full handshake that the client then aborts with a RST (SO_LINGER 0), so that neither
end keeps TIME_WAIT state and the client's ephemeral ports never run out: four packets through the router,
and one new NAT session, per connection. The client is one Python process, so the figure is bounded by it
as much as by the router; it measures every router the same way.
"""
import socket
import struct
import sys
import time

LINGER_ABORT = struct.pack("ii", 1, 0)
CONNECT_TIMEOUT_SECONDS = 1.0


def serve(address, port):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, port))
    listener.listen(4096)
    while True:
        conn, _ = listener.accept()
        conn.close()


def connect(address, port, seconds, max_count):
    done = 0
    failed = 0
    start = time.monotonic()
    deadline = start + seconds
    while done < max_count and time.monotonic() < deadline:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(CONNECT_TIMEOUT_SECONDS)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_ABORT)
        try:
            s.connect((address, port))
            done += 1
        except OSError:
            failed += 1
        finally:
            s.close()
    elapsed = time.monotonic() - start
    print(f"{done} {elapsed:.3f} {failed}")


def main(argv):
    if len(argv) == 4 and argv[1] == "serve":
        serve(argv[2], int(argv[3]))
    elif len(argv) == 6 and argv[1] == "connect":
        connect(argv[2], int(argv[3]), float(argv[4]), int(argv[5]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
