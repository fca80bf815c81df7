"""The playground checks the origin of every request that changes it: another
page on this machine (127.0.0.1 on another port counts as the same site, so
the token cookie rides along) cannot upload a table, in a real Chromium; a
binary WebSocket message, and a command before the first settings, get a
clear refusal."""

import http.server
import json
import os
import threading

import pytest

from playground_helpers import AppServer
from test_playground_server import request, until, websocket

CSV = b"a,b,label\n" + b"".join(b"%d,%d,%s\n" % (i, i % 7, b"yes" if i % 2 else b"no") for i in range(40))


def _file_shown(server) -> str | None:
    """The table a new page of the playground starts from (None: none given on the command line)."""
    with websocket(server, f"http://{server.netloc}") as connection:
        return until(connection, "hello")["file"]


def test_a_post_from_another_origin_or_without_one_is_refused(server):
    cookie = {"Cookie": f"glassnet_playground_token={server.token}"}
    port = server.netloc.split(":")[1]
    with websocket(server, f"http://{server.netloc}") as connection:
        session = until(connection, "hello")["session"]
        page = f"/upload?name=evil.csv&session={session}"
        for origin in ("http://127.0.0.1:1", "http://evil.example", "null", f"http://localhost:{int(port) + 1}"):
            status, body, _ = request(server, "POST", page, body=CSV, headers={**cookie, "Origin": origin})
            assert status == 403 and b"from its own page only" in body, origin
            # the token in the URL does not excuse a foreign origin
            status, body, _ = request(server, "POST", f"{page}&token={server.token}", body=CSV,
                                      headers={"Origin": origin})
            assert status == 403, origin
        # the cookie alone, without an Origin: what a browser never sends, refused
        status, body, _ = request(server, "POST", page, body=CSV, headers=cookie)
        assert status == 403 and b"needs an Origin header" in body
        # the page's own upload (its origin, the cookie) and a script with the token in the URL are let in
        status, body, _ = request(server, "POST", f"/upload?name=own.csv&session={session}", body=CSV,
                                  headers={**cookie, "Origin": f"http://{server.netloc}"})
        assert status == 200 and json.loads(body)["rows"] == 40
        status, body, _ = request(server, "POST", f"/upload?name=script.csv&session={session}&token={server.token}",
                                  body=CSV)
        upload = json.loads(body)["upload"]
        assert status == 200
        # the upload is the page's: its settings name it, and nothing else changed
        connection.send(json.dumps({"type": "settings", "settings": {"dataset": "upload", "upload": upload}}))
        data = until(connection, "data")
        assert data["upload"] == {"id": upload, "name": "script.csv"} and data["source"] == "'script.csv'"
    # every new page still starts where the server started
    assert _file_shown(server) is None
    # reading stays as it was: a GET needs no Origin
    status, _, _ = request(server, "GET", "/static/main.js", headers=cookie)
    assert status == 200


def test_a_binary_websocket_message_is_refused_clearly(server):
    with websocket(server, f"http://{server.netloc}") as connection:
        until(connection, "hello")
        connection.send(b"\x00\x01binary")
        assert until(connection, "error")["message"] == ("the playground takes commands as JSON text messages; a binary "
                                                         "message was refused")
        # the page is still served: a command after it works
        connection.send(json.dumps({"type": "settings", "settings": {"dataset": "xor", "hidden": [2]}}))
        assert until(connection, "data")["layers"] == [2, 2, 1]


def test_a_command_before_the_first_settings_is_refused_clearly(server):
    for kind in ("step", "play", "reset", "trace"):
        with websocket(server, f"http://{server.netloc}") as connection:
            until(connection, "hello")
            connection.send(json.dumps({"type": kind, "part": "train", "index": 0}))
            assert until(connection, "error")["message"] == (f"there is no data or network yet: send the settings "
                                                             f"before {kind!r}")


# --- in a real browser ----------------------------------------------------------------------------
try:
    import pytest_playwright  # noqa: F401
except ImportError:
    pytest_playwright = None

browser = pytest.mark.skipif(pytest_playwright is None and os.environ.get("CI", "").lower() != "true",
                             reason="the browser tests need pytest-playwright: pip install -e '.[test]'")


@pytest.fixture
def other_site():
    """A page served from 127.0.0.1 on another port: ``(base URL, set the HTML it serves)``."""
    pages = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", pages
    httpd.shutdown()
    httpd.server_close()


@browser
def test_another_local_page_cannot_upload_to_the_playground_in_chromium(page, other_site):
    running = AppServer()
    try:
        page.goto(running.url)  # the user opened the playground: the browser holds its cookie
        page.wait_for_function("window.playground && window.playground.state.frames > 0")
        session = page.evaluate("window.playground.state.session")
        base, pages = other_site
        # even a page that knew the session's id
        pages["/attack.html"] = f"""<!doctype html><script>
          window.done = fetch("{running.base}upload?name=evil.csv&session={session}", {{method: "POST",
            mode: "no-cors", credentials: "include", body: {json.dumps(CSV.decode())}}}).then(() => "sent",
            e => "failed: " + e);
        </script>"""
        attacker = page.context.new_page()
        attacker.goto(f"{base}/attack.html")
        assert attacker.evaluate("window.done") == "sent"  # the request went out, cookie and all
        assert len(running.state["uploads"]) == 0  # and was refused
        attacker.close()
        # the playground's own page still uploads
        status = page.evaluate(f"""fetch("upload?name=own.csv&session={session}",
                                         {{method: "POST", body: {json.dumps(CSV.decode())}}}).then(r => r.status)""")
        assert status == 200 and len(running.state["uploads"]) == 1
    finally:
        running.stop()
