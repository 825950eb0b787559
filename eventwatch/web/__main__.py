"""``python -m eventwatch.web [--host H] [--port P] [--db URL]``: serve the API and the map page.

The store defaults to $EVENTWATCH_DB (else the user's events.db); keys come from
$EVENTWATCH_API_KEY (enables ingest) and $EVENTWATCH_READ_KEY (closes reading);
on a loopback address, $EVENTWATCH_ALLOWED_HOSTS names Host headers to accept
besides localhost, 127.0.0.1 and ::1.
"""

from __future__ import annotations

import argparse
import logging
import sys

from eventwatch.errors import EventwatchError
from eventwatch.web import SERVE_INSTALL


def main(argv: list[str] | None = None) -> int:
    try:
        from eventwatch.web.limits import CLIENT_TIMEOUT, MAX_CONNECTIONS
    except ModuleNotFoundError as error:
        print(f"error: the web service needs {error.name}, which is not installed: {SERVE_INSTALL}", file=sys.stderr)
        return 1
    parser = argparse.ArgumentParser(prog="python -m eventwatch.web", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--db", default=None, help="store URL or SQLite path (default $EVENTWATCH_DB)")
    parser.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    parser.add_argument("--max-connections", type=int, default=MAX_CONNECTIONS,
                        help=f"open connections per process before requests get 503 (default {MAX_CONNECTIONS})")
    parser.add_argument("--timeout", type=float, default=None,
                        help=f"seconds a client has to send a request head, and again its body "
                             f"(default $EVENTWATCH_CLIENT_TIMEOUT, else {CLIENT_TIMEOUT:g})")
    parser.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    try:
        from eventwatch.web import serve

        serve(args.db, host=args.host, port=args.port, log_level=args.log_level, workers=args.workers,
              max_connections=args.max_connections, timeout=args.timeout)
    except EventwatchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
