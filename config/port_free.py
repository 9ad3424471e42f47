"""`python -m config.port_free PORT`: exit 0 if 127.0.0.1:PORT can be listened on, else say
so in one line and exit 1 (`make run` checks before it starts the web server, worker and beat)."""

import socket
import sys


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def main(argv: list[str]) -> int:
    try:
        port = int(argv[1])
    except (IndexError, ValueError):
        print("Usage: make run PORT=8000 (PORT is a number from 1 to 65535).", file=sys.stderr)
        return 2
    if not 0 < port < 65536:
        print(f"PORT={port} is not a port: pick a number from 1 to 65535.", file=sys.stderr)
        return 2
    if not port_is_free(port):
        print(
            f"Port {port} is already in use on 127.0.0.1: nothing was started. Stop what runs "
            f"there, or pick another port: make run PORT={port + 1}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
