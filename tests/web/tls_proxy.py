"""A TLS reverse proxy for the browser tests, doing what the README's proxy configuration
does: it ends TLS (a certificate made here for ``localhost``, self-signed), passes every
request on to `serve-web` over plain http with the Host the browser asked for, and the
websocket both ways. Nothing of sprintboard's: if the entry only worked straight, not
behind a proxy under https (the cookie Secure, the websocket ``wss://``), the test
through this fails.
"""

from __future__ import annotations

import asyncio
import datetime
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

_SESSION = web.AppKey("session", aiohttp.ClientSession)
# what a proxy passes on neither way (hop by hop), and what aiohttp sets itself
_HOP = {"connection", "keep-alive", "upgrade", "transfer-encoding", "content-length", "te"}


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for ``localhost``, and its key (PEM files in `folder`)."""
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
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "proxy.crt", folder / "proxy.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class Proxy:
    """Where the proxy listens (`url`) and where it passes requests on (`backend`, set
    once the server behind it has its port)."""

    def __init__(self) -> None:
        self.url = ""
        self.backend = ""


def _proxy(proxy: Proxy) -> web.Application:
    async def forward(request: web.Request) -> web.StreamResponse:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP}
        url = proxy.backend + request.path_qs
        session = request.app[_SESSION]
        if request.headers.get("Upgrade", "").lower() == "websocket":
            browser = web.WebSocketResponse()
            headers = {
                k: v for k, v in headers.items() if not k.lower().startswith("sec-websocket")
            }
            try:
                upstream = await session.ws_connect(url, headers=headers)
            except aiohttp.WSServerHandshakeError as refused:
                return web.Response(status=refused.status)
            await browser.prepare(request)

            async def pump(
                source: web.WebSocketResponse | aiohttp.ClientWebSocketResponse,
                sink: web.WebSocketResponse | aiohttp.ClientWebSocketResponse,
            ) -> None:
                # the close's code and reason go through too: the page says why it ended
                while True:
                    message = await source.receive()
                    if message.type == aiohttp.WSMsgType.TEXT:
                        await sink.send_str(message.data)
                    elif message.type == aiohttp.WSMsgType.BINARY:
                        await sink.send_bytes(message.data)
                    else:
                        closing = message.type == aiohttp.WSMsgType.CLOSE
                        code = message.data if closing and isinstance(message.data, int) else 1000
                        reason = (message.extra or "") if closing else ""
                        await sink.close(code=code, message=reason.encode())
                        return

            await asyncio.gather(pump(browser, upstream), pump(upstream, browser))
            return browser
        async with session.get(url, headers=headers, allow_redirects=False) as answer:
            body = await answer.read()
            passed = [(k, v) for k, v in answer.headers.items() if k.lower() not in _HOP]
            response = web.Response(status=answer.status, body=body)
            for k, v in passed:
                response.headers.add(k, v)
            return response

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", forward)

    async def session(app: web.Application) -> None:
        app[_SESSION] = aiohttp.ClientSession(auto_decompress=False)

    async def close(app: web.Application) -> None:
        await app[_SESSION].close()

    app.on_startup.append(session)
    app.on_cleanup.append(close)
    return app


@contextmanager
def tls_proxy(folder: Path) -> Iterator[Proxy]:
    """``https://localhost:PORT`` in front of its `backend` (``http://127.0.0.1:PORT``), for
    the `with` block. Its own event loop in a thread of its own: the caller's thread may
    run one already (Playwright's)."""
    cert_file, key_file = certificate(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    proxy = Proxy()
    ready = threading.Event()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    failed: list[BaseException] = []

    async def run() -> None:
        runner = web.AppRunner(_proxy(proxy))
        try:
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
            await site.start()
            proxy.url = f"https://localhost:{runner.addresses[0][1]}"
        except BaseException as error:
            failed.append(error)
            raise
        finally:
            ready.set()
        try:
            await stop.wait()
        finally:
            await runner.cleanup()

    thread = threading.Thread(target=loop.run_until_complete, args=(run(),), daemon=True)
    thread.start()
    ready.wait(timeout=30)
    if failed or not proxy.url:
        raise RuntimeError(f"the TLS proxy did not start: {failed}")
    try:
        yield proxy
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=30)
        loop.close()
