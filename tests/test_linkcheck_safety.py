"""Certificates are verified, private addresses can be refused: end to end, in subprocesses."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from content_audit.sample.servers import SampleServers
from tests.test_linkcheck_crawl import EXT, run_audit, write_page

pytestmark = pytest.mark.e2e  # a real crawl, server or browser: not in the fast tier

CONFIG = """
[site]
use_sitemap = false
[crawl]
timeout = 2
retries = 0
[links]
cache = "{cache}"
{extra}
"""


def make_cert(tmp: Path, name: str, *, ip: str | None, dns: str, expired: bool = False):
    """A self-signed certificate (its own CA) and key, written as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, dns)])
    now = dt.datetime.now(dt.UTC)
    start, end = (
        (now - dt.timedelta(days=30), now - dt.timedelta(days=1))
        if expired
        else (now - dt.timedelta(days=1), now + dt.timedelta(days=30))
    )
    names: list[x509.GeneralName] = [x509.DNSName(dns)]
    if ip:
        names.append(x509.IPAddress(ipaddress.ip_address(ip)))
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp / f"{name}.pem", tmp / f"{name}.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class _Ok(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<!DOCTYPE html><title>Secure partner</title><h1>Secure partner</h1>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


def https_server(cert: Path, key: Path) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.handle_error = lambda *a: None  # failed handshakes are the point here
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
    ).start()
    return server


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tls")
    good = make_cert(tmp, "good", ip="127.0.0.1", dns="localhost")
    expired = make_cert(tmp, "expired", ip="127.0.0.1", dns="localhost", expired=True)
    wrong = make_cert(tmp, "wrong-host", ip=None, dns="partner.example")
    bundle = tmp / "bundle.pem"
    bundle.write_bytes(b"".join(c.read_bytes() for c, _ in (good, expired, wrong)))
    servers = {name: https_server(*pair) for name, pair in
               (("good", good), ("expired", expired), ("wrong", wrong))}  # fmt: skip
    urls = {name: f"https://127.0.0.1:{s.server_address[1]}/page" for name, s in servers.items()}
    site = tmp / "site"
    items = "".join(f'<li><a href="{u}">Secure partner {n}</a></li>' for n, u in urls.items())
    write_page(site, "/index.html", "Home", f"<ul>{items}</ul>")
    with SampleServers(site_dir=site) as sample:
        yield {"tmp": tmp, "bundle": bundle, "good": good[0], "urls": urls, "sample": sample}
    for server in servers.values():
        server.shutdown()
        server.server_close()


def tls_findings(tls, tmp: Path, extra: str = "", env: dict | None = None) -> dict[str, list]:
    config = CONFIG.format(cache=tmp / "cache.sqlite", extra=extra)
    findings, _, _ = run_audit(tls["sample"].site_url, tmp, config, env=env)
    return {
        name: [(f["rule"], f["details"].get("reason")) for f in findings if f.get("target") == url]
        for name, url in tls["urls"].items()
    }


def test_unknown_certificate_is_broken_tls(tls, tmp_path):
    found = tls_findings(tls, tmp_path)
    assert found["good"] == [("link-broken", "tls")]  # self-signed: nobody vouches for it


def test_ca_bundle_trusts_a_private_ca(tls, tmp_path):
    found = tls_findings(tls, tmp_path, extra=f'ca_bundle = "{tls["bundle"]}"')
    assert found["good"] == []
    assert found["expired"] == [("link-broken", "tls")]
    assert found["wrong"] == [("link-broken", "tls")]  # certificate for another host


def test_ssl_cert_file_is_honoured(tls, tmp_path):
    found = tls_findings(tls, tmp_path, env={"SSL_CERT_FILE": str(tls["good"])})
    assert found["good"] == []


def test_block_private_refuses_external_addresses_but_not_the_site(tmp_path):
    site = tmp_path / "site"
    write_page(site, "/index.html", "Home",
               f'<p><a href="{EXT}/ok/partner">Partner</a> <a href="/about.html">About</a></p>')  # fmt: skip
    write_page(site, "/about.html", "About", "<p>About us.</p>")
    config = CONFIG.format(cache=tmp_path / "cache.sqlite", extra="block_private = true")
    with SampleServers(site_dir=site) as servers:
        findings, _, _ = run_audit(servers.site_url, tmp_path, config)
        assert servers.external_log() == []  # never requested, not even robots.txt
        assert {r.path for r in servers.site_log()} >= {"/index.html", "/about.html"}
        partner = [f for f in findings if f.get("target") == servers.external_url + "/ok/partner"]
    assert [(f["rule"], f["details"]["reason"]) for f in partner] == [
        ("link-unverifiable", "private-address")
    ]
