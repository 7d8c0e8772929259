"""The Docker HEALTHCHECK probe: 0 only for a 200 from /health, 1 for 503 or nothing listening."""
import http.server
import socket
import threading

from bascule_common.healthcheck import check


def serve(status):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(status if self.path == "/health" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_exit_code_follows_the_health_status():
    for status, expected in ((200, 0), (503, 1)):
        server = serve(status)
        try:
            assert check(server.server_address[1]) == expected
        finally:
            server.shutdown()
            server.server_close()


def test_nothing_listening_is_unhealthy():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert check(port, timeout_s=1) == 1
