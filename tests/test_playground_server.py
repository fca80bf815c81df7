"""The playground's server without a browser: its locks (token, Host, Origin,
upload cap), Ctrl-C with a page connected, the command line's errors."""

import http.client
import json
import signal
import subprocess
import sys
import time

import pytest

from cli_helpers import ENV, glassnet
from playground_helpers import Server


@pytest.fixture(scope="module")
def server():
    running = Server("--max-upload-mb", "0.01")
    yield running
    assert running.stop() == 0


def request(server, method, path, host=None, body=None, headers=None):
    connection = http.client.HTTPConnection(server.netloc, timeout=30)
    connection.putrequest(method, path, skip_host=True)
    connection.putheader("Host", host or server.netloc)
    for key, value in (headers or {}).items():
        connection.putheader(key, value)
    if body is not None:
        connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)
    response = connection.getresponse()
    answer = response.status, response.read(), response.getheader("set-cookie")
    connection.close()
    return answer


def test_the_page_needs_the_token(server):
    status, body, cookie = request(server, "GET", f"/?token={server.token}")
    assert status == 200 and b'data-testid="boundary"' in body
    assert cookie.startswith(f"glassnet_playground_token={server.token}") and "HttpOnly" in cookie
    for path in ("/", "/?token=wrong", f"/?token={server.token[:-1]}", "/static/main.js", "/history.csv"):
        status, body, _ = request(server, "GET", path)
        assert status == 403, path
        assert b"token" in body
    # the page's own files come with the cookie the page set
    status, body, _ = request(server, "GET", "/static/main.js", headers={"Cookie": cookie.split(";")[0]})
    assert status == 200 and b"WebSocket" in body
    status, body, _ = request(server, "GET", "/static/vendor/uPlot.LICENSE", headers={"Cookie": cookie.split(";")[0]})
    assert status == 200 and b"MIT" in body


def test_a_foreign_host_header_is_refused(server):
    port = server.netloc.split(":")[1]
    for host in (f"evil.example:{port}", "127.0.0.1:1", f"127.0.0.1.nip.io:{port}"):
        status, body, _ = request(server, "GET", f"/?token={server.token}", host=host)
        assert status == 403 and b"Host" in body, host
    status, _, _ = request(server, "GET", f"/?token={server.token}", host=f"localhost:{port}")
    assert status == 200


def websocket(server, origin, token=None):
    from websockets.sync.client import connect

    return connect(f"ws://{server.netloc}/ws?token={token or server.token}", origin=origin, open_timeout=30)


def until(connection, kind):
    """The next JSON message of type ``kind`` (frames and other messages skipped)."""
    while True:
        message = connection.recv(timeout=30)
        if isinstance(message, str) and json.loads(message)["type"] == kind:
            return json.loads(message)


def test_the_websocket_checks_origin_and_token(server):
    from websockets.exceptions import InvalidStatus

    for origin, token in (("http://evil.example", None), (None, None), (f"http://{server.netloc}", "wrong")):
        with pytest.raises(InvalidStatus) as refused:
            websocket(server, origin, token)
        assert refused.value.response.status_code == 403
    with websocket(server, f"http://{server.netloc}") as connection:
        # the client offers per-message deflate; the server turns it down (it halves throughput)
        assert connection.request.headers.get("Sec-WebSocket-Extensions")
        assert connection.response.headers.get("Sec-WebSocket-Extensions") is None
        hello = json.loads(connection.recv(timeout=30))
        assert hello["type"] == "hello" and "relu" in hello["choices"]["activations"]
        connection.send(json.dumps({"type": "settings", "settings": {"dataset": "xor", "hidden": [3]}}))
        assert until(connection, "data")["layers"] == [2, 3, 1]
        connection.send(json.dumps({"type": "settings", "settings": {"activations": ["softmax"]}}))
        assert "output layer only" in until(connection, "error")["message"]
        connection.send("not json")
        assert until(connection, "error")["type"] == "error"
        connection.send(json.dumps({"type": "trace", "part": "train", "index": 10**6}))
        assert "index must be a row" in until(connection, "error")["message"]
        connection.send(json.dumps({"type": "trace", "part": "test", "index": 0}))
        assert len(until(connection, "trace")["layers"]) == 2


def test_uploads_are_capped(server):
    small = b"a,b,label\n" + b"".join(b"%d,%d,%s\n" % (i, i % 7, b"yes" if i % 2 else b"no") for i in range(100))
    assert len(small) < 0.01 * 2**20
    with websocket(server, f"http://{server.netloc}") as connection:
        session = until(connection, "hello")["session"]
        query = f"session={session}&token={server.token}"
        status, body, _ = request(server, "POST", f"/upload?name=small.csv&{query}", body=small)
        answer = json.loads(body)
        assert status == 200 and answer.pop("upload")
        assert answer == {"name": "small.csv", "columns": ["a", "b", "label"], "rows": 100}
        large = small * 20
        status, body, _ = request(server, "POST", f"/upload?name=large.csv&{query}", body=large)
        assert status == 413
        assert "upload limit of 0.01 MB" in json.loads(body)["error"] and "--max-upload-mb" in json.loads(body)["error"]
        status, body, _ = request(server, "POST", f"/upload?name=bad.csv&{query}", body=b"\x00\x01")
        assert status == 400 and "binary" in json.loads(body)["error"]
    # an upload belongs to a page: once it has closed there is nowhere to put it
    for _ in range(100):
        status, body, _ = request(server, "POST", f"/upload?name=small.csv&session={session}&token={server.token}",
                                  body=small)
        if status == 404:
            break
        time.sleep(0.1)
    assert status == 404 and "no such session" in json.loads(body)["error"]


def test_the_page_says_problems_in_its_own_words(server):
    """The reproduction: the page showed pandas' raw "C error: Expected 3 fields", and the command
    line's flags (pass --sep, --target column(s)); now its own words and its own controls."""
    ragged = b"a,b,label\n1,2,x\n3,4,y\n5,6,7,z\n"
    # a table whose name column is like an identifier, and a target spelt wrong (as a link may)
    rows = b"".join(b"car %d,%d,%d\n" % (i, i % 9, 3 * (i % 9) + i % 2) for i in range(60))
    with websocket(server, f"http://{server.netloc}") as connection:
        query = f"session={until(connection, 'hello')['session']}&token={server.token}"
        status, body, _ = request(server, "POST", f"/upload?name=ragged.csv&{query}", body=ragged)
        assert status == 400 and json.loads(body)["error"] == (
            "'ragged.csv' is not a well-formed table with separator ',': line 4 has 4 cells where the header has 3 "
            "(a quoted cell may lack its closing quote, or the separator is another)")
        status, body, _ = request(server, "POST", f"/upload?name=sales.csv&{query}", body=b"name,TV,Sales\n" + rows)
        assert status == 200
        upload = json.loads(body)["upload"]
        # the page's first settings are its link's; these are a user's own, after
        connection.send(json.dumps({"type": "settings", "settings": {"dataset": "circle"}}))
        until(connection, "data")
        connection.send(json.dumps({"type": "settings",
                                    "settings": {"dataset": "upload", "upload": upload, "target": "Slaes"}}))
        message = until(connection, "error")["message"]
        assert message.startswith("'sales.csv' lacks the Target column(s) 'Slaes' (did you mean 'Sales'? set the "
                                  "Target to Sales); it has: 'name', 'TV', 'Sales'")
        connection.send(json.dumps({"type": "settings",
                                    "settings": {"dataset": "upload", "upload": upload, "target": "Sales"}}))
        data = until(connection, "data")
        assert data["inputs"] == ["TV"]
        [note] = [note for note in data["notes"] if "identifier" in note]
        assert note.startswith("text column 'name' (30 distinct values in 30 rows") and note.endswith("for new ones")
    assert "--" not in message + note and "C error" not in message


def test_a_page_that_disconnects_takes_its_training_with_it(server):
    cookie = {"Cookie": f"glassnet_playground_token={server.token}"}
    with websocket(server, f"http://{server.netloc}") as connection:
        session = until(connection, "hello")["session"]
        connection.send(json.dumps({"type": "settings", "settings": {"dataset": "gauss"}}))
        connection.send(json.dumps({"type": "play"}))
        frames = 0
        while frames < 3:
            frames += isinstance(connection.recv(timeout=30), bytes)
        status, body, _ = request(server, "GET", f"/history.csv?session={session}", headers=cookie)
        assert status == 200 and body.startswith(b"epoch,loss,accuracy") and body.count(b"\n") > 2
    # the session is gone, and its training loop with it
    for _ in range(100):
        status, body, _ = request(server, "GET", f"/history.csv?session={session}", headers=cookie)
        if status == 404:
            break
        time.sleep(0.1)
    assert status == 404 and b"no such session" in body


def test_ctrl_c_stops_the_server_with_a_page_training():
    running = Server("--dataset", "spiral")
    with websocket(running, f"http://{running.netloc}") as connection:
        connection.recv(timeout=30)
        connection.send(json.dumps({"type": "settings", "settings": {"dataset": "spiral"}}))
        connection.send(json.dumps({"type": "play"}))
        frames = 0
        while frames < 3:
            frames += isinstance(connection.recv(timeout=30), bytes)
        running.process.send_signal(signal.SIGINT)
        # a hang guard, not a timing: the benchmark measures how fast it stops
        assert running.process.wait(timeout=20) == 0
    running.stop()


def test_command_line_errors_are_one_line():
    result = glassnet("playground", "--no-browser", "--dataset", "nope")
    assert result.returncode == 1 and result.stderr.startswith("error: unknown data set 'nope'")
    assert "Traceback" not in result.stderr
    result = glassnet("playground", "--no-browser", "missing.csv")
    assert result.returncode == 1 and result.stderr.strip() == "error: no such file: 'missing.csv'"
    result = glassnet("playground", "--no-browser", "--max-upload-mb", "0")
    assert result.returncode == 2 and "--max-upload-mb" in result.stderr


def test_another_host_prints_a_warning():
    process = subprocess.Popen([sys.executable, "-m", "glassnet", "playground", "--no-browser", "--port", "0",
                                "--host", "0.0.0.0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        warning = process.stderr.readline()
        assert warning.startswith("warning: listening on 0.0.0.0") and "anyone with the URL" in warning
        assert "?token=" in process.stdout.readline()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
        process.stdout.close()
        process.stderr.close()
