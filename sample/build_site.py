"""Build the static sample site (``sample/site/``) and its answer key (``sample/truth.json``).

Every page is a content fragment from ``sample/pages.py`` wrapped in one shared layout, so the
header, navigation, footer and cookie panel are byte-for-byte identical on every page.

    python -m sample.build_site          # rewrite sample/site/ and sample/truth.json

The output is committed: tests and the demo serve the files as they are.
"""

from __future__ import annotations

import html
import json
import shutil
import sys
import zipfile
from pathlib import Path

from content_audit.sample.pages import (
    CLEAN_PAGES,
    DEFECTS,
    MUST_NOT_FLAG,
    NOT_CRAWLED,
    ORPHANS,
    PAGES,
    SITEMAP_EXCLUDE,
    SKIPPED_HOSTS,
    SitePage,
)

PAGE_PATHS = {p.path for p in PAGES}
HERE = Path(__file__).resolve().parent
SITE_DIR = HERE / "site"
TRUTH_FILE = HERE / "truth.json"
SITE_NAME = "Northdale Community Health NHS Trust"
TODAY = "2026-11-24"

HEADER = """<a class="skip-link" href="#maincontent">Skip to main content</a>
<header class="site-header" role="banner">
  <a class="site-logo" href="/index.html"><img src="/images/logo.svg" alt="Northdale Community Health NHS Trust homepage" width="160" height="48"></a>
  <p class="site-name">Northdale Community Health NHS Trust</p>
  <form class="site-search" action="/search" method="get" role="search">
    <label for="search-field">Search this website</label>
    <input id="search-field" name="q" type="search">
    <button type="submit">Search</button>
  </form>
</header>
<nav class="site-nav" aria-label="Main menu">
  <ul>
    <li><a href="/index.html">Home</a></li>
    <li><a href="/services/index.html">Services A to Z</a></li>
    <li><a href="/news/index.html">News</a></li>
    <li><a href="/events/calendar.html">Events</a></li>
    <li><a href="/about-us.html">About us</a></li>
    <li><a href="/contact-us.html">Contact us</a></li>
  </ul>
</nav>"""

FOOTER = """<footer class="site-footer" role="contentinfo">
  <div class="footer-contact">
    <h2>Northdale Community Health NHS Trust</h2>
    <p>Switchboard: <a href="tel:+441138430000">0113 843 0000</a></p>
    <p>Trust Headquarters, 1 Park Road, Northdale, LS2 7HQ</p>
  </div>
  <ul class="footer-links">
    <li><a href="/accessibility.html">Accessibility statement</a></li>
    <li><a href="/privacy.html">Privacy and cookies</a></li>
    <li><a href="/contact-us.html">Contact us</a></li>
  </ul>
  <img class="footer-badge" src="/images/nhs-constitution-badge.svg" width="80" height="40">
  <p class="copyright">&copy; Northdale Community Health NHS Trust 2026</p>
</footer>"""

COOKIE_BANNER = """<div class="cookie-banner" id="cookie-consent">
  <h2>Cookies on this website</h2>
  <p>We use some essential cookies to make this website work.</p>
  <p>We would also like to use analytics cookies. We share this data with {vendor_count} partners.</p>
  <button type="button" class="cookie-accept">Accept analytics cookies</button>
  <button type="button" class="cookie-reject">Reject analytics cookies</button>
  <a href="/privacy.html#cookies">Read our cookie policy</a>
</div>"""

TEMPLATE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{description}">
<link rel="stylesheet" href="/css/site.css">
</head>
<body>
{cookie}
{header}
<div class="breadcrumb-wrapper">{breadcrumb}</div>
<main id="maincontent" class="page-content">
{body}
</main>
{footer}
<script src="/js/site.js"></script>
</body>
</html>
"""

CSS = """body { font-family: Arial, sans-serif; margin: 0; color: #212b32; }
.site-header, .site-nav, .site-footer { background: #005eb8; color: #fff; padding: 8px 16px; }
.site-nav ul, .footer-links { list-style: none; display: flex; gap: 16px; padding: 0; }
.site-nav a, .site-footer a { color: #fff; }
main { max-width: 960px; margin: 0 auto; padding: 16px; }
.cookie-banner { background: #fff9c4; padding: 8px 16px; }
.skip-link { position: absolute; left: -999px; }
.page-review { color: #4c6272; border-top: 1px solid #d8dde0; margin-top: 32px; }
"""

JS = """document.querySelectorAll('.cookie-banner button').forEach(function (b) {
  b.addEventListener('click', function () {
    document.getElementById('cookie-consent').hidden = true;
  });
});
"""

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">'
    '<rect width="{w}" height="{h}" fill="{fill}"/>'
    '<text x="8" y="{ty}" font-family="Arial" font-size="14" fill="#fff">{label}</text></svg>\n'
)
IMAGES = {
    "logo.svg": (160, 48, "#005eb8", "Northdale NHS"),
    "nhs-constitution-badge.svg": (80, 40, "#330072", "NHS"),
    "physio-stretch.svg": (400, 250, "#007f3b", "Stretch"),
    "back-exercise.svg": (400, 250, "#007f3b", "Exercise"),
    "neck-stretch.svg": (400, 250, "#007f3b", "Neck"),
    "foot-care.svg": (400, 250, "#005eb8", "Foot care"),
    "child-playing.svg": (400, 250, "#ffb81c", "Play"),
    "nurse-visit.svg": (400, 250, "#005eb8", "Nurse"),
    "divider.svg": (600, 8, "#d8dde0", ""),
    "health-centre.svg": (400, 250, "#425563", "Centre"),
    "wheelchair.svg": (400, 250, "#425563", "Wheelchair"),
    "continence-leaflet.svg": (400, 250, "#768692", "Leaflet"),
    "arrow.svg": (24, 24, "#005eb8", ""),
    "volunteers.svg": (400, 250, "#ae2573", "Volunteers"),
    "glucose-meter.svg": (400, 250, "#00a499", "Meter"),
    "walking-group.svg": (400, 250, "#78be20", "Walking"),
}


def minimal_pdf(lines: list[str]) -> bytes:
    """A tiny but valid one-page PDF with a few lines of text."""
    text_ops = ["BT", "/F1 14 Tf", "72 770 Td", "18 TL"]
    for line in lines:
        safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text_ops.append(f"({safe}) Tj T*")
    text_ops.append("ET")
    stream = "\n".join(text_ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Title (Back pain exercises) /Author (Northdale Community Health NHS Trust) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def minimal_docx(paragraphs: list[str]) -> bytes:
    """A small Word document, with fixed timestamps so the bytes never change."""
    import io

    body = "".join(
        f"<w:p><w:r><w:t>{html.escape(p, quote=False)}</w:t></w:r></w:p>" for p in paragraphs
    )
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 8, 6, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


BREADCRUMB_LABELS = {
    "msk": "Muscles, bones and joints",
    "childrens-services": "Children's services",
}


def breadcrumb(path: str) -> str:
    """A simple breadcrumb trail built from the folders in the path."""
    parts = [p for p in path.strip("/").split("/")[:-1] if p]
    if not parts and path in ("/index.html", "/"):
        return ""
    items = ['<li><a href="/index.html">Home</a></li>']
    prefix = ""
    for part in parts:
        prefix += "/" + part
        if f"{prefix}/index.html" not in PAGE_PATHS or f"{prefix}/index.html" == path:
            continue  # no page for this folder, or the current page itself
        label = BREADCRUMB_LABELS.get(part) or part.replace("-", " ").capitalize()
        items.append(f'<li><a href="{prefix}/index.html">{html.escape(label)}</a></li>')
    return '<nav class="breadcrumb" aria-label="Breadcrumb"><ol>' + "".join(items) + "</ol></nav>"


def render(page: SitePage) -> bytes:
    text = TEMPLATE.format(
        title=html.escape(page.title, quote=False),
        description=html.escape(page.description),
        cookie=COOKIE_BANNER,
        header=HEADER,
        breadcrumb=breadcrumb(page.path),
        body=page.body.strip("\n"),
        footer=FOOTER,
    )
    return text.encode(page.encoding)


def sitemap(pages: list[SitePage]) -> str:
    rows = []
    for page in pages:
        if page.path in SITEMAP_EXCLUDE or page.path.startswith("/_errors/"):
            continue
        rows.append(
            f"  <url><loc>https://site.example{page.path}</loc>"
            f"<lastmod>{page.lastmod}</lastmod></url>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows)
        + "\n</urlset>\n"
    )


ROBOTS = """User-agent: *
Disallow: /private/

Sitemap: https://site.example/sitemap.xml
"""


def build(site_dir: Path = SITE_DIR, truth_file: Path = TRUTH_FILE) -> dict:
    if site_dir.exists():
        shutil.rmtree(site_dir)
    site_dir.mkdir(parents=True)

    def write(rel: str, data: bytes | str) -> None:
        target = site_dir / rel.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    for page in PAGES:
        write(page.path, render(page))
    write("/robots.txt", ROBOTS)
    write("/sitemap.xml", sitemap(PAGES))
    write("/css/site.css", CSS)
    write("/js/site.js", JS)
    for name, (w, h, fill, label) in IMAGES.items():
        write(f"/images/{name}", SVG.format(w=w, h=h, fill=fill, label=label, ty=h // 2 + 5))
    write(
        "/documents/back-pain-exercises.pdf",
        minimal_pdf(
            [
                "Back pain exercises",
                "Northdale Community Health NHS Trust",
                "1. Knee rolls: lie on your back and roll your knees to one side.",
                "2. Pelvic tilts: flatten your back into the floor, then relax.",
                "3. Cat stretch: on your hands and knees, arch your back slowly.",
                "Stop any exercise that makes your pain much worse.",
            ]
        ),
    )
    write(
        "/documents/physiotherapy-self-referral-form.docx",
        minimal_docx(
            [
                "Physiotherapy self-referral form",
                "Your name:",
                "Your date of birth:",
                "Your GP practice:",
                "Tell us about your problem:",
            ]
        ),
    )

    truth = {
        "site": SITE_NAME,
        "today": TODAY,
        "markers": {"site": "https://site.example", "external": "https://external.example"},
        "defects": DEFECTS,
        "must_not_flag": MUST_NOT_FLAG,
        "clean_pages": CLEAN_PAGES,
        "skipped_hosts": SKIPPED_HOSTS,
        "not_crawled": NOT_CRAWLED,
        "orphans_in_sitemap": ORPHANS,
        "pages": [p.path for p in PAGES if not p.path.startswith("/_errors/")],
    }
    truth_file.write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return truth


def main() -> int:
    truth = build()
    print(
        f"Wrote {len(truth['pages'])} pages to {SITE_DIR} and "
        f"{len(truth['defects'])} planted defects to {TRUTH_FILE}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
