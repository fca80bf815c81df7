"""The playground's locks, as Jupyter's: a token, the Host header, the Origin.

Every HTTP and WebSocket request must carry the token of this start, in the
query (``?token=``) or in the cookie the first page sets; its ``Host`` header
must name this server (so a DNS-rebound name fails), and a WebSocket's
``Origin`` must be this server's own page. Anything else gets 403.

A request that changes state (any method but GET, HEAD and OPTIONS: an
upload) must also come from this server's own page, as Jupyter's XSRF check
demands: a browser treats 127.0.0.1 on every port as one site, so the
``SameSite=Strict`` cookie also rides along on a request that another local
page makes. Its ``Origin`` must name this server; without an ``Origin``
(which browsers always send with such requests) only a client that shows
the token in the URL itself, which no other page knows, is let in.
"""

from __future__ import annotations

import secrets
import socket
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

__all__ = ["Guard", "COOKIE", "new_token", "allowed_hosts"]

COOKIE = "glassnet_playground_token"
# the HTTP methods that change nothing, and need no Origin check
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def new_token() -> str:
    return secrets.token_hex(24)


def allowed_hosts(host: str, port: int) -> set[str]:
    """The ``Host`` headers that name this server: its loopback names, and the
    bound address (with this machine's names when bound to every interface)."""
    names = {"127.0.0.1", "localhost", "[::1]", host if ":" not in host else f"[{host}]"}
    if host in ("0.0.0.0", "::", ""):
        hostname = socket.gethostname()
        names |= {hostname, socket.getfqdn()}
        try:
            names |= set(socket.gethostbyname_ex(hostname)[2])
        except OSError:
            pass
    return {f"{name}:{port}" for name in names} | ({*names} if port == 80 else set())


class Guard:
    """ASGI middleware refusing requests without the token, or with a foreign Host or Origin."""

    def __init__(self, app, token: str, hosts: set[str]):
        self.app = app
        self.token = token
        self.hosts = {host.lower() for host in hosts}

    def refusal(self, scope) -> str | None:
        """Why ``scope`` is refused, or None."""
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        if headers.get("host", "").lower() not in self.hosts:
            return "this server does not answer to that Host"
        origin = headers.get("origin")
        if scope["type"] == "websocket":
            if not self._own(origin):
                return "WebSocket connections are accepted from the playground's own page only"
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        in_query = query.get("token", [None])[0]
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header counts as none
            cookie = SimpleCookie()
        given = in_query or (cookie[COOKIE].value if COOKIE in cookie else None)
        if given is None or not secrets.compare_digest(given.encode(), self.token.encode()):
            return "a valid token is required: open the URL the playground printed"
        if scope["type"] == "http" and scope.get("method", "GET") not in _SAFE_METHODS:
            if origin is not None and not self._own(origin):
                return "requests that change the playground are accepted from its own page only"
            if origin is None and not in_query:
                return ("a request that changes the playground needs an Origin header naming this server, or the "
                        "token in its URL")
        return None

    def _own(self, origin: str | None) -> bool:
        """Whether an ``Origin`` header names this server ("null" and absent never do)."""
        return origin is not None and urlsplit(origin).netloc.lower() in self.hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        reason = self.refusal(scope)
        if reason is None:
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            # closing before accepting makes the server answer the handshake with 403
            await send({"type": "websocket.close", "code": 1008, "reason": reason})
            return
        body = f"403 Forbidden: {reason}\n".encode()
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
