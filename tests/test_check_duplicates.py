import random

from content_audit.checks.duplicates import (
    DuplicateContentCheck,
    MinHasher,
    choose_bands,
    estimated_similarity,
    shingle_hashes,
)
from tests.test_check_helpers import make_ctx, make_page

VOCAB = [f"w{i}" for i in range(5000)]


def text(rng: random.Random, n: int = 120) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(n))


def page(url: str, body: str):
    p = make_page([body], url=url)
    p.main_text = body
    return p


def run(pages, **config):
    check = DuplicateContentCheck(make_ctx(**config))
    for p in pages:
        check.observe(p)
    return check, list(check.finish())


def edit(rng: random.Random, body: str, changes: int) -> str:
    words = body.split()
    for _ in range(changes):
        words[rng.randrange(len(words))] = rng.choice(VOCAB)
    return " ".join(words)


def test_near_duplicate_pair_is_reported_once():
    rng = random.Random(1)
    base = text(rng, 300)
    pages = [page("https://x/a", base), page("https://x/b", text(rng, 300))]
    pages.append(page("https://x/c", base + " Call us if you are worried."))
    _check, findings = run(pages)
    (finding,) = findings
    assert finding.rule == "content-duplicate" and finding.severity == "warning"
    assert (finding.url, finding.target) == ("https://x/c", "https://x/a")
    assert finding.details["similarity"] >= 0.9
    assert "the same as another page: https://x/a" in finding.message


def test_different_pages_and_short_pages_are_not_reported():
    rng = random.Random(2)
    short = "Call us on 0113 843 1909 to book an appointment with the team."
    pages = [page(f"https://x/{i}", text(rng)) for i in range(50)]
    pages += [page("https://x/s1", short), page("https://x/s2", short)]
    check, findings = run(pages)
    assert findings == []
    assert len(check.urls) == 50


def test_group_of_identical_pages_is_not_reported_as_every_pair():
    rng = random.Random(3)
    body = text(rng)
    _check, findings = run([page(f"https://x/{i}", body) for i in range(30)])
    assert len(findings) == 29
    assert {f.target for f in findings} <= {"https://x/0"} | {f"https://x/{i}" for i in range(30)}


def test_signature_similarity_tracks_jaccard():
    rng = random.Random(4)
    hasher = MinHasher()
    a = text(rng, 400)
    b = edit(rng, a, 8)
    sa, sb = shingle_hashes(a), shingle_hashes(b)
    jaccard = len(set(sa) & set(sb)) / len(set(sa) | set(sb))
    estimate = estimated_similarity(hasher.signature(sa), hasher.signature(sb))
    assert abs(estimate - jaccard) < 0.08


def test_bands_suit_the_threshold():
    bands, rows = choose_bands(0.9)
    assert bands * rows <= 256 and rows > 4
    assert choose_bands(0.7)[1] < rows


def test_scale_2000_pages_without_pairwise_comparison():
    rng = random.Random(5)
    pages = [page(f"https://x/p{i}", text(rng, 200)) for i in range(2000)]
    originals = rng.sample(range(2000), 20)
    for n, i in enumerate(originals):
        pages.append(page(f"https://x/dup{n}", edit(rng, pages[i].main_text, 1)))
    check, findings = run(pages)
    found = {frozenset((f.url, f.target)) for f in findings}
    expected = {
        frozenset((f"https://x/dup{n}", f"https://x/p{i}")) for n, i in enumerate(originals)
    }
    assert found == expected
    all_pairs = 2020 * 2019 // 2
    assert check.comparisons < 200  # versus 2,039,190 for every pair
    assert check.comparisons < all_pairs / 1000


def test_shingle_hashes_without_numpy_are_the_same(monkeypatch):
    import content_audit.checks.duplicates as duplicates

    rng = random.Random(8)
    texts = [text(rng, 80), "Too short", "One", "", "Ring 0113 843 1909 today, then ring again"]
    with_numpy = [shingle_hashes(t) for t in texts]
    assert len(with_numpy[0]) == 76 and len(with_numpy[1]) == len(with_numpy[2]) == 1
    assert with_numpy[3] == []
    monkeypatch.setattr(duplicates, "np", None)
    monkeypatch.setattr(duplicates, "_NUMPY_TRIED", True)
    assert [shingle_hashes(t) for t in texts] == with_numpy


def test_pure_python_fallback_matches():
    rng = random.Random(6)
    hashes = shingle_hashes(text(rng, 80))
    fast = MinHasher().signature(hashes)
    slow = MinHasher(use_numpy=False).signature(hashes)
    assert list(fast) == list(slow)
    assert len(fast) == 256


def test_the_reported_side_does_not_depend_on_crawl_order():
    rng = random.Random(7)
    a = page("https://x/services/podiatry/", text(rng, 200))
    b = page("https://x/services/foot-health.html", edit(rng, a.main_text, 1))
    _check, forwards = run([a, b])
    _check, backwards = run([b, a])
    assert [(f.url, f.target) for f in forwards] == [(f.url, f.target) for f in backwards]
    assert [(f.url, f.target) for f in forwards] == [
        ("https://x/services/foot-health.html", "https://x/services/podiatry/")
    ]


def test_numpy_is_imported_only_when_a_signature_is_to_be_worked_out():
    """The main process registers every check on its way to the crawl (the settings name
    rules); numpy, 0.1 s to import, waits until a duplicate check is made."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "from content_audit.checks import load_all\n"
        "load_all()\n"
        "print('numpy' in sys.modules)\n"
        "from content_audit.checks.duplicates import DuplicateContentCheck\n"
        "from tests.test_check_helpers import make_ctx\n"
        "print(DuplicateContentCheck(make_ctx()).hasher.use_numpy, 'numpy' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert out.stdout.split() == ["False", "True", "True"], out.stderr
