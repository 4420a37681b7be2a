"""A deterministic synthetic NHS trust website of N pages, with an answer key.

    python -m bench.sitegen OUT_DIR --pages 2000 --external http://127.0.0.2:8081

Every page has the same boilerplate (cookie panel, header, navigation, footer), a breadcrumb,
advice text of 300-600 words in ``<main>``, a contact block (UK phone number, email, opening
times, address), 20-60 internal links and 2-6 external links. About 1% of the links in the
advice are planted broken links (internal 404s and external 404s) and about 0.4% point at a
fragment that does not exist on an existing page. ``truth.json`` (written beside the site
folder, never served) lists them with the pages they are on.

Pages form a service tree: home -> service areas -> pages of each area (8 children a page),
so every page is reachable in a few clicks. The same seed and size always give the same bytes.
Internal links are root-relative (``/services/...``); external links carry the external web's
real origin, so the site must be generated once the external web's port is known.
"""

from __future__ import annotations

import html
import json
import random
import zlib
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20261124
TODAY = "2026-11-24"  # the date review lines are written for; pass --today to the audit
BROKEN_RATE = 0.01  # share of advice links (related + external) planted broken
FRAGMENT_RATE = 0.004  # share of related links given a fragment that does not exist
REUSE_BROKEN = 0.3  # chance a planted broken link reuses an earlier target (moved pages)
CHILDREN = 8

AREAS = [
    "Physiotherapy", "Podiatry", "Diabetes", "District nursing", "Dietetics",
    "Speech and language therapy", "Continence", "Falls prevention", "Memory clinic",
    "Wheelchair services", "Audiology", "Community dental", "Sexual health", "Stop smoking",
    "Health visiting", "School nursing", "Children's therapy", "Occupational therapy",
    "Musculoskeletal", "Heart failure", "Respiratory", "Tissue viability", "Lymphoedema",
    "Palliative care", "Stroke rehabilitation", "Mental health", "Learning disabilities",
    "Vaccinations", "Breastfeeding support", "Weight management",
]  # fmt: skip
TOPICS = [
    "Referrals", "Your first appointment", "Exercises", "Leaflets", "Clinics and locations",
    "What to expect", "Looking after yourself", "Questions people ask", "For professionals",
    "Appointments", "Cancelling an appointment", "Patient stories", "Meet the team",
    "Parking and transport", "Interpreters", "Feedback", "Home visits", "Group sessions",
    "Equipment", "Waiting times", "Carers", "Young people", "Older people", "Medicines",
]  # fmt: skip
SPECIALS = [
    ("/index.html", "Northdale Community Health NHS Trust"),
    ("/services/index.html", "Services A to Z"),
    ("/clinics.html", "Find a clinic"),
    ("/careers.html", "Work for us"),
    ("/about-us.html", "About us"),
    ("/contact-us.html", "Contact us"),
    ("/accessibility.html", "Accessibility statement"),
    ("/privacy.html", "Privacy notice"),
    ("/cookies.html", "Cookies"),
    ("/foi.html", "Freedom of information"),
    ("/complaints.html", "Compliments and complaints"),
]
NAV = [0, 1, 2, 3, 4, 5]  # indices into SPECIALS
FOOTER = [6, 7, 8, 9, 10]
EXTERNAL_SITES = [
    "nhs-uk/conditions", "nhs-uk/medicines", "gov-uk/guidance", "nice/guidance",
    "charity/advice", "council/adult-social-care", "patient-info/health", "ons/statistics",
]  # fmt: skip
SENTENCES = [
    "{s} helps people who live in Northdale and the villages around it.",
    "You can ask your GP to refer you, or you can refer yourself.",
    "We will write to you with the date and time of your appointment.",
    "Please tell us if you need an interpreter or a British Sign Language interpreter.",
    "Bring a list of the medicines you take, including any you buy from a pharmacy.",
    "Your appointment may be at a clinic, at home or by video call.",
    "Most appointments last between 30 and 45 minutes.",
    "You can bring a friend, relative or carer with you.",
    "We will ask you about your health and what matters most to you.",
    "Together we will agree a plan that fits your daily life.",
    "If you cannot come to your appointment, please let us know as soon as you can.",
    "Another person can then use the appointment you do not need.",
    "We see adults and children, depending on the service.",
    "Our team includes nurses, therapists and support workers.",
    "You may get some exercises or advice to follow at home.",
    "Keep doing the things you enjoy, as long as they do not make things worse.",
    "Call us if your symptoms get worse or you have new symptoms.",
    "In an emergency, call 999 or go to the nearest emergency department.",
    "For urgent advice that is not an emergency, call 111.",
    "We aim to see new patients within 6 weeks of getting the referral.",
    "Some clinics have step-free access and a hearing loop.",
    "There is free parking at most of our clinics.",
    "Buses stop close to the health centre.",
    "We are happy to answer any questions you have about {s}.",
    "You can read more about your condition on the NHS website.",
    "We use your information to give you safe care.",
    "We share it only with people who need it to care for you.",
    "You can ask to see the records we keep about you.",
    "We welcome your comments about {s} and the care you had.",
    "Tell us what went well and what we could do better.",
    "Your feedback helps us improve {s} for everyone.",
    "Most people feel better within a few weeks.",
    "Rest when you need to, but try to stay active.",
    "Drink plenty of water and eat a balanced diet.",
    "Stopping smoking is one of the best things you can do for your health.",
    "Ask us about local groups where you can meet people with the same condition.",
    "We can give you leaflets in large print, in easy read and in other languages.",
    "Our staff wear a name badge, so you know who you are talking to.",
    "You will have a named person to contact if you have questions.",
    "We will send a letter to your GP after your appointment.",
]
HEADINGS = [
    "Who we help", "How to get help", "Your appointment", "What happens next",
    "Looking after yourself", "Getting here", "Your information", "Tell us what you think",
]  # fmt: skip
BOILERPLATE_CSS = "/css/site.css"
LOGO = "/images/logo.svg"


def slug(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in text.replace("'", ""))
    return "-".join(p for p in out.split("-") if p)


def latency_ms(path: str) -> int:
    """The external web's deterministic answer delay for a path: 50-200 ms."""
    return 50 + zlib.crc32(path.encode()) % 151


@dataclass
class PageSpec:
    index: int
    path: str
    title: str
    area: int  # -1 for the special pages
    parent: int | None
    children: list[int] = field(default_factory=list)


@dataclass
class Site:
    pages: list[PageSpec]
    truth: dict


def plan_pages(n: int) -> list[PageSpec]:
    """Paths, titles and the service tree for n pages (n >= len(SPECIALS) + 1)."""
    if n < len(SPECIALS) + 1:
        raise ValueError(f"at least {len(SPECIALS) + 1} pages")
    specs = [PageSpec(i, p, t, -1, None if i == 0 else 0) for i, (p, t) in enumerate(SPECIALS)]
    n_areas = max(1, min(len(AREAS), (n - len(SPECIALS)) // 5))
    hubs = []
    for a in range(n_areas):
        i = len(specs)
        specs.append(PageSpec(i, f"/services/{slug(AREAS[a])}/index.html", AREAS[a], a, 1))
        specs[1].children.append(i)
        hubs.append(i)
    members: list[list[int]] = [[] for _ in range(n_areas)]
    for i in range(len(specs), n):
        a = (i - len(specs)) % n_areas
        members[a].append(i)
    rest = []
    for a, ids in enumerate(members):
        for pos, i in enumerate(ids):
            topic = TOPICS[pos % len(TOPICS)]
            path = f"/services/{slug(AREAS[a])}/{slug(topic)}-{pos + 1}.html"
            parent = hubs[a] if pos < CHILDREN else ids[pos // CHILDREN - 1]
            rest.append(PageSpec(i, path, f"{AREAS[a]}: {topic} ({pos + 1})", a, parent))
    specs.extend(sorted(rest, key=lambda s: s.index))
    for spec in specs[len(SPECIALS) + n_areas :]:
        specs[spec.parent].children.append(spec.index)  # type: ignore[index]
    return specs


def _phone(area: int) -> tuple[str, str]:
    number = f"0113 843 {1000 + area * 37 % 9000:04d}"
    return number, "+44" + number.replace(" ", "")[1:]


def _boilerplate_top(title: str, crumbs: list[tuple[str, str]]) -> str:
    nav = "\n".join(
        f'    <li><a href="{SPECIALS[i][0]}">{html.escape(SPECIALS[i][1])}</a></li>' for i in NAV
    )
    crumb = "".join(f'<li><a href="{p}">{html.escape(t)}</a></li>' for p, t in crumbs)
    t = html.escape(title)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t} - Northdale Community Health NHS Trust</title>
<link rel="stylesheet" href="{BOILERPLATE_CSS}">
</head>
<body>
<div class="cookie-banner" id="cookie-consent">
  <h2>Cookies on this website</h2>
  <p>We use some essential cookies to make this website work.</p>
  <p>We would also like to use analytics cookies to help us improve the website.</p>
  <button type="button" class="cookie-accept">Accept analytics cookies</button>
  <button type="button" class="cookie-reject">Reject analytics cookies</button>
  <a href="/cookies.html">Read our cookie policy</a>
</div>
<a class="skip-link" href="#maincontent">Skip to main content</a>
<header class="site-header" role="banner">
  <a class="site-logo" href="/index.html"><img src="{LOGO}" alt="Northdale Community Health NHS Trust homepage" width="160" height="48"></a>
  <p class="site-name">Northdale Community Health NHS Trust</p>
</header>
<nav class="site-nav" aria-label="Main menu">
  <ul>
{nav}
  </ul>
</nav>
<div class="breadcrumb-wrapper"><nav class="breadcrumb" aria-label="Breadcrumb"><ol>{crumb}</ol></nav></div>
"""


def _boilerplate_bottom() -> str:
    links = "\n".join(
        f'    <li><a href="{SPECIALS[i][0]}">{html.escape(SPECIALS[i][1])}</a></li>' for i in FOOTER
    )
    return f"""<footer class="site-footer" role="contentinfo">
  <ul>
{links}
  </ul>
  <p>Northdale Community Health NHS Trust, Trust Headquarters, 1 Riverside Way, Northdale NE12 4XY.</p>
  <p>&copy; Northdale Community Health NHS Trust</p>
</footer>
</body>
</html>
"""


def _paragraphs(rng: random.Random, service: str, words: int) -> list[str]:
    """Advice paragraphs totalling about ``words`` words."""
    paras, count = [], 0
    while count < words:
        sentences = [rng.choice(SENTENCES).format(s=service) for _ in range(rng.randint(2, 5))]
        count += sum(len(s.split()) for s in sentences)
        paras.append(" ".join(sentences))
    return paras


def _review_line(rng: random.Random) -> str:
    year, month, day = 2024 + rng.randint(0, 2), rng.randint(1, 12), rng.randint(1, 28)
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]  # fmt: skip
    m = months[month - 1]
    return f"<p>Page last reviewed: {day} {m} {year}<br>Next review due: {day} {m} {year + 3}</p>"


def build(n: int, external: str, seed: int = SEED) -> tuple[list[PageSpec], dict[str, str], dict]:
    """Plan the site: page specs, {path: html} and the truth dict. Pure; writes nothing."""
    external = external.rstrip("/")
    rng = random.Random(seed)
    specs = plan_pages(n)
    by_area: dict[int, list[int]] = {}
    for s in specs:
        by_area.setdefault(s.area, []).append(s.index)
    pool_size = max(20, n // 4)
    ext_pool = []
    for k in range(pool_size):
        site = EXTERNAL_SITES[k % len(EXTERNAL_SITES)]
        name = f"{slug(TOPICS[k % len(TOPICS)])}-{k + 1}"
        moved = rng.random() < 0.08  # old addresses that answer 301
        ext_pool.append(f"{external}/{'moved/' if moved else ''}{site}/{name}")
    broken: dict[str, dict] = {}  # target -> {"kind", "pages": set}
    fragments: dict[str, set[str]] = {}
    files: dict[str, str] = {}
    n_planted = 0
    title_of = {s.path: s.title for s in specs}
    broken_by_kind: dict[str, list[str]] = {"i": [], "e": []}
    for spec in specs:
        prng = random.Random(f"{seed}:{spec.index}")
        service = AREAS[spec.area] if spec.area >= 0 else "our service"
        crumbs = [("/index.html", "Home")]
        if spec.area >= 0:
            crumbs.append(("/services/index.html", "Services"))
            if spec.parent is not None and spec.parent != 1:
                parent = specs[spec.parent]
                crumbs.append((parent.path, parent.title))
        boiler_links = len(NAV) + len(FOOTER) + 2 + len(crumbs)  # + logo, cookie policy
        target = prng.randint(20, 60)
        internal = [specs[c].path for c in spec.children]
        if spec.parent is not None and spec.parent != 0:
            internal.append(specs[spec.parent].path)
        same_area = by_area.get(spec.area, [])
        while boiler_links + len(internal) < target:
            pick = prng.choice(same_area) if prng.random() < 0.7 else prng.randrange(n)
            internal.append(specs[pick].path + ("#contact" if prng.random() < 0.05 else ""))
        externals = [prng.choice(ext_pool) for _ in range(prng.randint(2, 6))]
        # plant defects in the advice links (not the children: every page stays reachable)
        first_related = len(spec.children) + (1 if spec.parent not in (None, 0) else 0)
        slots = [("i", j) for j in range(first_related, len(internal))]
        slots += [("e", j) for j in range(len(externals))]
        for kind, j in slots:
            r = prng.random()
            if r < BROKEN_RATE:
                n_planted += 1
                reuse = broken_by_kind[kind]
                if reuse and prng.random() < REUSE_BROKEN:
                    url = prng.choice(reuse)
                elif kind == "i":
                    area = AREAS[spec.area] if spec.area >= 0 else AREAS[0]
                    url = f"/services/{slug(area)}/old-page-{n_planted}.html"
                else:
                    url = f"{external}/gone/{EXTERNAL_SITES[n_planted % 8]}/page-{n_planted}"
                if url not in broken:
                    broken_by_kind[kind].append(url)
                entry = broken.setdefault(
                    url, {"kind": "internal-404" if kind == "i" else "external-404", "pages": set()}
                )
                entry["pages"].add(spec.path)
                if kind == "i":
                    internal[j] = url
                else:
                    externals[j] = url
            elif kind == "i" and r < BROKEN_RATE + FRAGMENT_RATE:
                url = internal[j].split("#")[0] + f"#section-{prng.randint(1, 99)}"
                internal[j] = url
                fragments.setdefault(url, set()).add(spec.path)
        files[spec.path] = _page_html(
            spec, specs, title_of, prng, service, crumbs, internal, externals
        )
    files["/404.html"] = (
        _boilerplate_top("Page not found", [("/index.html", "Home")])
        + '<main id="maincontent"><h1>Page not found</h1>\n'
        "<p>We could not find the page you were looking for. It may have moved.</p>\n"
        '<p>Try the <a href="/services/index.html">services A to Z</a>.</p>\n</main>\n'
        + _boilerplate_bottom()
    )
    files["/robots.txt"] = "User-agent: *\nAllow: /\n"
    files[BOILERPLATE_CSS] = "body { font-family: Arial, sans-serif; margin: 0 auto; }\n"
    files[LOGO] = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="48">'
        '<rect width="160" height="48" fill="#005eb8"/></svg>\n'
    )
    truth = {
        "seed": seed,
        "pages": n,
        "today": TODAY,
        "external_origin": external,
        "html_pages": [s.path for s in specs],
        "broken": [
            {"target": t, "kind": v["kind"], "pages": sorted(v["pages"])}
            for t, v in sorted(broken.items())
        ],
        "missing_fragments": [
            {"target": t, "pages": sorted(p)} for t, p in sorted(fragments.items())
        ],
    }
    truth["broken_pairs"] = sum(len(b["pages"]) for b in truth["broken"])
    truth["fragment_pairs"] = sum(len(f["pages"]) for f in truth["missing_fragments"])
    return specs, files, truth


def _page_html(
    spec: PageSpec,
    specs: list[PageSpec],
    title_of: dict[str, str],
    rng: random.Random,
    service: str,
    crumbs: list[tuple[str, str]],
    internal: list[str],
    externals: list[str],
) -> str:
    words = rng.randint(300, 600)
    paras = _paragraphs(rng, service, words - 40)
    body = [f'<main id="maincontent" class="page-content">\n<h1>{html.escape(spec.title)}</h1>']
    headings = rng.sample(HEADINGS, k=min(len(HEADINGS), max(2, len(paras) // 3)))
    for k, para in enumerate(paras):
        if k % 3 == 0 and headings:
            h = headings.pop(0)
            body.append(f'<h2 id="{slug(h)}">{html.escape(h)}</h2>')
        body.append(f"<p>{html.escape(para)}</p>")
    if spec.children:
        body.append('<h2 id="in-this-section">In this section</h2>\n<ul>')
        body += [f'  <li><a href="{specs[c].path}">{html.escape(specs[c].title)}</a></li>'
                 for c in spec.children]  # fmt: skip
        body.append("</ul>")
    first_related = len(spec.children)
    related = internal[first_related:]
    if related:
        body.append('<h2 id="related">Related pages</h2>\n<ul>')
        for url in related:
            text = title_of.get(url.split("#")[0], "An older page about this service")
            body.append(f'  <li><a href="{html.escape(url)}">{html.escape(text)}</a></li>')
        body.append("</ul>")
    body.append('<h2 id="more-information">More information</h2>\n<ul>')
    for url in externals:
        name = url.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")
        body.append(f'  <li><a href="{html.escape(url)}">{html.escape(name.capitalize())}</a></li>')
    body.append("</ul>")
    number, e164 = _phone(max(spec.area, 0))
    email = f"{slug(service).replace('-', '.')}@northdale.nhs.uk"
    body.append(
        f'<h2 id="contact">Contact {html.escape(service)}</h2>\n<dl class="contact-details">\n'
        f'  <dt>Phone</dt>\n  <dd><a href="tel:{e164}">{number}</a></dd>\n'
        f'  <dt>Email</dt>\n  <dd><a href="mailto:{email}">{email}</a></dd>\n'
        "  <dt>Opening times</dt>\n  <dd>Monday to Friday, 8am to 6pm</dd>\n"
        "  <dt>Address</dt>\n  <dd><address>Northdale Health Centre<br>12 Market Street<br>"
        "Northdale<br>NE12 3AB</address></dd>\n</dl>"
    )
    body.append(_review_line(rng))
    body.append("</main>\n")
    return _boilerplate_top(spec.title, crumbs) + "\n".join(body) + _boilerplate_bottom()


def write_site(out_dir: Path, n: int, external: str, seed: int = SEED) -> dict:
    """Write the site into ``out_dir/site`` and ``out_dir/truth.json``; return the truth."""
    _, files, truth = build(n, external, seed)
    site = out_dir / "site"
    for path, text in files.items():
        file = site / path.lstrip("/")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    (out_dir / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    return truth


def mutate(site_dir: Path, truth: dict, share: float = 0.01, seed: int = SEED) -> list[str]:
    """Change the advice text of ``share`` of the pages (links untouched); return their paths."""
    rng = random.Random(f"{seed}:mutate")
    paths = truth["html_pages"]
    chosen = sorted(rng.sample(paths, k=max(1, round(len(paths) * share))))
    for path in chosen:
        file = site_dir / path.lstrip("/")
        text = file.read_text(encoding="utf-8")
        note = "<p>We have updated this page with new information about our opening times.</p>"
        file.write_text(text.replace("</h1>", "</h1>\n" + note, 1), encoding="utf-8")
    return chosen


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--external", default="http://127.0.0.2:8081")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    truth = write_site(args.out, args.pages, args.external, args.seed)
    print(
        f"{args.pages} pages in {args.out / 'site'}; {len(truth['broken'])} broken targets on "
        f"{truth['broken_pairs']} pages, {truth['fragment_pairs']} missing fragments"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
