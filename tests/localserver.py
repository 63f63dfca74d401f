"""One local HTTP server for the tests that fetch pages (import, netfetch, snapshots, archive).

`serve(Handler)` runs a ThreadingHTTPServer on 127.0.0.1 on a free port in a daemon
thread and yields the port; `tls` (an ssl.SSLContext) wraps its socket for HTTPS. Only
loopback, bounded by the tests' own handlers; shut down and joined on exit.
"""

import threading
from contextlib import contextmanager
from http.server import ThreadingHTTPServer


@contextmanager
def serve(handler, *, tls=None):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
