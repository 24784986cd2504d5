"""A one-connection stand-in for an rsh server that asks the client's IDENT server (RFC 1413) who the user is,
as rshd implementations built with IDENT lookups do, and sends the answer back as the command's output.
rsh-redone's in.rshd asks no IDENT server, so the IDENT test needs this to drive algd's IDENT child.

It speaks rshd's side of rcmd(3): the client's stderr port (ASCII decimal, NUL), a connection back to that
port from a reserved port, locuser, remuser and the command (each NUL-terminated), then a NUL byte and the
output. The output is one line: "asked <port-on-server>,<port-on-client>: <the IDENT server's reply>"."""

import socket
import sys

RSH_PORT = 514
IDENT_PORT = 113
TIMEOUT_SECONDS = 10


def read_string(conn, limit=1024):
    data = b""
    while not data.endswith(b"\0"):
        chunk = conn.recv(1)
        if not chunk or len(data) > limit:
            raise EOFError(f"connection ended inside a string: {data!r}")
        data += chunk
    return data[:-1].decode()


def connect_from_reserved_port(address, port):
    for local in range(1023, 511, -1):
        sock = socket.socket()
        try:
            sock.bind(("", local))
        except OSError:
            sock.close()
            continue
        sock.settimeout(TIMEOUT_SECONDS)
        sock.connect((address, port))
        return sock
    raise OSError("no free reserved port")


def ask_ident(address, client_port):
    with socket.create_connection((address, IDENT_PORT), timeout=TIMEOUT_SECONDS) as ident:
        ident.sendall(f"{client_port} , {RSH_PORT}\r\n".encode())
        reply = b""
        while not reply.endswith(b"\n") and len(reply) < 1024:
            chunk = ident.recv(512)
            if not chunk:
                break
            reply += chunk
    return reply.decode(errors="replace").strip()


def main():
    with socket.create_server((sys.argv[1], RSH_PORT)) as listener:
        listener.settimeout(60)
        conn, (peer, peer_port) = listener.accept()
        with conn:
            conn.settimeout(TIMEOUT_SECONDS)
            stderr_port = int(read_string(conn) or "0")
            stderr = connect_from_reserved_port(peer, stderr_port) if stderr_port else None
            for _ in range(3):  # locuser, remuser, command
                read_string(conn)
            answer = ask_ident(peer, peer_port)
            conn.sendall(b"\0" + f"asked {peer_port},{RSH_PORT}: {answer}\n".encode())
            if stderr:
                stderr.close()
            print(f"asked {peer} {peer_port},{RSH_PORT}: {answer}", flush=True)


if __name__ == "__main__":
    main()
