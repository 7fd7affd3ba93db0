"""Real servers on 127.0.0.1 for the network tests: one that misbehaves on purpose, on demand.

`OddServer` answers by path (see `OddHandler`); each path may carry `?k=...` so a test gets
its own hit counter. `make_self_signed_cert` builds a certificate with the `cryptography`
package when it is installed, else with the `openssl` command; tests skip when neither exists.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import shutil
import socket
import socketserver
import ssl
import subprocess
import threading
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ALLOW = b'{"commands":[{"type":"com.okta.action.update","value":{"registration":"ALLOW"}}]}'
HUGE_BYTES = 64 * 1024 * 1024  # far more than the client may ever read
TOKEN_CLIENT = ("hook-client", "client-secret-123")
GZIPPED_ALLOW = gzip.compress(ALLOW, mtime=0)


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes


class OddServer(socketserver.ThreadingTCPServer):
    """A threaded HTTP/1.1 server (one request per connection) with odd answers by path."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), OddHandler)
        self.tls = tls
        self.hits: Counter[str] = Counter()
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.arrived = threading.Event()  # set when any request has been read
        self.stopping = threading.Event()  # wakes the deliberately slow answers
        self.huge_written = 0
        self.huge_done = threading.Event()
        self.token_count = 0
        self._thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.server_address[1]}"

    @property
    def port(self) -> int:
        return self.server_address[1]

    def start(self) -> OddServer:
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()

    def count(self, target: str) -> int:
        with self.lock:
            return self.hits[target]


class OddHandler(socketserver.BaseRequestHandler):
    """Reads one request, then answers by its path."""

    server: OddServer

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(10)
        if self.server.tls is not None:
            try:
                sock = self.server.tls.wrap_socket(sock, server_side=True)
            except (ssl.SSLError, OSError):
                return  # the client refused our certificate: exactly what the test wants
        try:
            seen = self._read(sock)
            if seen is None:
                return
            with self.server.lock:
                self.server.hits[seen.target] += 1
                hit = self.server.hits[seen.target]
                self.server.seen.append(seen)
            self.server.arrived.set()
            self._answer(sock, seen, hit)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sock.close()

    def _read(self, sock: socket.socket) -> Seen | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _version = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        return Seen(method, target, headers, rest[:length])

    def _answer(self, sock: socket.socket, seen: Seen, hit: int) -> None:
        parts = urllib.parse.urlsplit(seen.target)
        path = parts.path
        query = dict(urllib.parse.parse_qsl(parts.query))
        wait = self.server.stopping.wait
        if path == "/ok":
            send(sock, 200, ALLOW)
        elif path == "/echo" or path.startswith("/echo/"):
            echoed = {
                "debugContext": {
                    "method": seen.method,
                    "target": seen.target,
                    "headers": seen.headers,
                    "body": base64.b64encode(seen.body).decode(),
                }
            }
            send(sock, 200, json.dumps(echoed).encode())
        elif path == "/slow":
            wait(float(query.get("s", "5")))  # the one deliberate delay
            send(sock, 200, ALLOW)
        elif path == "/slow-then-ok":
            if hit == 1:
                wait(float(query.get("s", "5")))
            send(sock, 200, ALLOW)
        elif path == "/slow-body":
            sock.sendall(head(200, {"Content-Length": "100"}) + b'{"commands":')
            wait(float(query.get("s", "5")))
        elif path == "/500-then-ok":
            if hit == 1:
                send(sock, 500, b'{"message":"temporary"}')
            else:
                send(sock, 200, ALLOW)
        elif path == "/status":
            code = int(query.get("code", "500"))
            send(sock, code, b'{"errorSummary":"status %d"}' % code)
        elif path == "/html":
            send(sock, 200, b"<html><body><h1>Hello, web page</h1></body></html>", "text/html")
        elif path == "/huge":
            self._huge(sock)
        elif path == "/redirect":
            send(sock, 302, b"", extra={"Location": "https://elsewhere.example/hook"})
        elif path == "/drop":
            sock.sendall(head(200, {"Content-Length": "1000"}) + b'{"commands":[' + b" " * 87)
        elif path == "/drop-chunked":
            sock.sendall(head(200, {"Transfer-Encoding": "chunked"}) + b'10\r\n{"commands":[   ')
        elif path == "/close":
            pass  # read the request, say nothing, hang up
        elif path == "/not-http":
            sock.sendall(b"hello there\r\n\r\n")
        elif path == "/empty":
            send(sock, 200, b"")
        elif path == "/no-content":
            sock.sendall(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
        elif path == "/echo-secrets":
            self._echo_secrets(sock, seen)
        elif path == "/token-echoes-secret":
            # A token endpoint that refuses, quoting the client credentials it was sent.
            basic = seen.headers.get("authorization", "").partition(" ")[2]
            credentials = base64.b64decode(basic).decode()
            quoted = f"bad {credentials} (Authorization: Basic {basic})"
            described = {"error": "invalid_client", "error_description": quoted}
            send(sock, 401, json.dumps(described).encode())
        elif path == "/token":
            self._token(sock, seen)
        elif path == "/slow-token":
            wait(float(query.get("s", "5")))
            self._token(sock, seen)
        elif path == "/drip":
            # Every byte on time, the whole answer never: only an overall deadline stops it.
            drip(sock, head(200, {"Content-Length": str(len(ALLOW))}) + ALLOW, wait)
        elif path == "/drip-token":
            token = json.dumps({"access_token": "dripped", "expires_in": 3600}).encode()
            drip(sock, head(200, {"Content-Length": str(len(token))}) + token, wait)
        elif path == "/head-then-silence":
            sock.sendall(head(200, {"Content-Length": str(len(ALLOW))}))
            wait(float(query.get("s", "5")))
        elif path == "/early-hints":
            sock.sendall(b"HTTP/1.1 103 Early Hints\r\nLink: </hook.css>; rel=preload\r\n\r\n")
            send(sock, 200, ALLOW)
        elif path == "/processing-then-silence":
            sock.sendall(b"HTTP/1.1 102 Processing\r\n\r\n")
            wait(float(query.get("s", "5")))
        elif path == "/switching":
            sock.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n")
            send(sock, 200, ALLOW)
        elif path == "/gzip":
            send(sock, 200, GZIPPED_ALLOW, extra={"Content-Encoding": "gzip"})
        elif path == "/big":
            size = int(query.get("kb", "300")) * 1024
            send(sock, 200, b'{"debugContext":"' + b"x" * (size - 19) + b'"}')
        else:
            send(sock, 404, b'{"error":"no such path"}')

    def _huge(self, sock: socket.socket) -> None:
        sock.sendall(head(200, {"Content-Length": str(HUGE_BYTES)}) + b'{"debugContext":"')
        block = b"x" * 65536
        written = 0
        try:
            while written < HUGE_BYTES:
                sock.sendall(block)
                written += len(block)
        finally:
            with self.server.lock:
                self.server.huge_written = written
            self.server.huge_done.set()

    def _echo_secrets(self, sock: socket.socket, seen: Seen) -> None:
        """A DENY that quotes every credential it was sent, each in another JSON spelling:
        the auth value raw in a header and \\u-escaped (upper-case hex) in the message, the
        Basic credentials with `\\/`, the custom header's value raw."""
        auth = seen.headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        decoded = ""
        if scheme.lower() == "basic":
            decoded = base64.b64decode(token).decode()
        key = seen.headers.get("x-api-key", "")
        cause = (
            f'{{"errorSummary":"refused {u_escaped(auth)}","reason":"INVALID",'
            '"locationType":"body","location":"data.userProfile.login","domain":"end-user"}'
        )
        body = (
            '{"commands":[{"type":"com.okta.action.update","value":{"registration":"DENY"}}],'
            f'"error":{{"errorSummary":"{u_escaped(auth)}","errorCauses":[{cause}]}},'
            f'"debugContext":{{"creds":{json.dumps(decoded).replace("/", chr(92) + "/")},'
            f'"token":{json.dumps(token)},"key":{json.dumps(key, ensure_ascii=False)}}}}}'
        )
        extra = {"X-Echo": auth, "X-Key-Echo": key}
        send(sock, 200, body.encode(), extra=extra)

    def _token(self, sock: socket.socket, seen: Seen) -> None:
        expected = "Basic " + base64.b64encode(":".join(TOKEN_CLIENT).encode()).decode()
        form = dict(urllib.parse.parse_qsl(seen.body.decode()))
        if seen.headers.get("authorization") != expected:
            send(sock, 401, b'{"error":"invalid_client","error_description":"bad client"}')
            return
        if form.get("grant_type") != "client_credentials":
            send(sock, 400, b'{"error":"unsupported_grant_type"}')
            return
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(seen.target).query))
        if "refuse" in query:  # ?refuse=TEXT: a 400 whose error_description is TEXT
            refusal = {"error": "invalid_scope", "error_description": query["refuse"]}
            send(sock, 400, json.dumps(refusal).encode())
            return
        with self.server.lock:
            self.server.token_count += 1
            number = self.server.token_count
        # ?bad=1: a broken token endpoint whose token cannot go into a header.
        secret = f"token-{number}" + ("\nInjected: 1" if query.get("bad") else "")
        if query.get("long"):  # as long as real tokens are
            secret += "-0123456789abcdef"
        token = {
            "access_token": secret,
            "token_type": "Bearer",
            "expires_in": 3600,
            "scope": form.get("scope", ""),
        }
        text = json.dumps(token)
        if "expires" in query:  # ?expires=NaN (or any JSON text) as expires_in, verbatim
            text = text.replace('"expires_in": 3600', f'"expires_in": {query["expires"]}')
        send(sock, 200, text.encode())


def u_escaped(text: str) -> str:
    """`text` with every character as a JSON \\uXXXX escape, upper-case hex (surrogate pairs
    beyond the BMP)."""
    units = text.encode("utf-16-be")
    return "".join(f"\\u{units[i] << 8 | units[i + 1]:04X}" for i in range(0, len(units), 2))


def drip(sock: socket.socket, data: bytes, wait: Any, gap: float = 0.02) -> None:
    """Send `data` one byte every `gap` seconds (until the server stops or the peer leaves)."""
    for index in range(len(data)):
        sock.sendall(data[index : index + 1])
        if wait(gap):
            return


def head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} Whatever"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def send(
    sock: socket.socket,
    status: int,
    body: bytes,
    content_type: str = "application/json",
    extra: dict[str, Any] | None = None,
) -> None:
    headers = {"Content-Type": content_type, "Content-Length": str(len(body)), **(extra or {})}
    sock.sendall(head(status, headers) + body)


# --- certificates ---------------------------------------------------------------------------


def make_self_signed_cert(folder: Path) -> tuple[Path, Path] | str:
    """(cert, key) for CN=localhost (DNS:localhost only), or why it could not be made."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        return _with_cryptography(cert, key)
    except ImportError:
        pass
    openssl = shutil.which("openssl")
    if openssl is None:
        return "neither the cryptography package nor the openssl command is available"
    result = subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return f"openssl could not make a certificate: {result.stderr.strip()[:200]}"
    return cert, key


def _with_cryptography(cert_path: Path, key_path: Path) -> tuple[Path, Path]:
    import datetime

    from cryptography import x509  # type: ignore[import-not-found]
    from cryptography.hazmat.primitives import hashes, serialization  # type: ignore
    from cryptography.hazmat.primitives.asymmetric import ec  # type: ignore
    from cryptography.x509.oid import NameOID  # type: ignore

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def server_tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


class Blackhole:
    """A loopback port whose accept queue is full: a connect to it hangs (SYNs are dropped)
    until the caller gives up, like a firewalled host, without a packet leaving the machine."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(0)
        self.port = self._listener.getsockname()[1]
        self._filler = socket.socket()
        self._filler.settimeout(1)
        self._filler.connect(("127.0.0.1", self.port))  # takes the one queue slot

    def hangs(self) -> bool:
        """Whether this platform really leaves a further connect hanging."""
        probe = socket.socket()
        probe.settimeout(0.2)
        try:
            probe.connect(("127.0.0.1", self.port))
        except TimeoutError:
            return True
        except OSError:
            return False
        finally:
            probe.close()
        return False

    def close(self) -> None:
        self._filler.close()
        self._listener.close()
