"""Duplicates: pages whose main content is nearly the same.

Similarity is the Jaccard similarity of the sets of 5-word shingles of the main text,
estimated with MinHash (256 hash functions, a fixed seed so results are repeatable).
Candidate pairs come from LSH banding: signatures are cut into bands and only pages that
share a whole band are compared, so the work grows with the number of pages, not with its
square. The number of rows per band is chosen from ``duplicate_threshold`` so that a pair
at the threshold becomes a candidate with probability >= 99.5%.

Memory: one 1 KB signature per page, in one flat array; the band buckets are built one band
at a time at the end. Each pair is reported once
(url = the later page, target = the earlier one); a group of identical pages is reported
as each page against one page of the group, not as every pair within it. Pages with fewer
than 50 words of main text are skipped.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import random
import re
import sys
from array import array
from collections.abc import Iterator
from typing import Any

from content_audit.checks.engine.registry import CheckContext, SiteCheck, define, site_check
from content_audit.core.model import Finding, Page
from content_audit.core.urls import address_key

# numpy makes signatures ~100 times faster; without it the same maths runs in Python. It is
# imported on first use (_numpy), not with this module: importing it takes 0.1 s, which the
# main process, which registers the checks but never works out a signature, would pay on
# the way to the crawl
np: Any = None
_NUMPY_TRIED = False


def _numpy() -> Any:
    """numpy, imported the first time it is asked for; None without it."""
    global np, _NUMPY_TRIED
    if not _NUMPY_TRIED:
        _NUMPY_TRIED = True
        try:
            import numpy
        except ImportError:  # pragma: no cover - exercised by test_pure_python_fallback_matches
            numpy = None  # type: ignore[assignment]
        np = numpy
    return np


CONTENT_DUPLICATE = define(
    "content-duplicate",
    "warning",
    "Two pages say nearly the same thing, so they drift apart when one is updated and "
    "people may read the out-of-date one.",
    "Keep one page and redirect the other to it, or make each page clearly different.",
    "duplicates",
    name="Duplicate content",
)

NUM_PERM = 256
SHINGLE_WORDS = 5
MIN_WORDS = 50
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_CHUNK = 4096


_MASK64 = (1 << 64) - 1
# a shingle's hash is its words' hashes run through a polynomial, then mixed (splitmix64's
# finaliser, so that shingles sharing words do not get related hashes): a hash per distinct
# word, remembered, where hashing each shingle's text cost 2-3 ms a page
_POLY = 0x9E3779B97F4A7C15
_MIX1, _MIX2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB


def shingle_hashes(text: str, size: int = SHINGLE_WORDS) -> list[int]:
    """64-bit hashes of the distinct `size`-word shingles of a text (lower case)."""
    return _shingle_hashes(_WORD_RE.findall(text), size)


@functools.lru_cache(maxsize=65_536)  # a site's vocabulary; at most about 11 MB
def _word_hash(word: str) -> int:
    """A word's 64-bit hash (lower case), the same in every run and process."""
    return int.from_bytes(
        hashlib.blake2b(word.lower().encode("utf-8"), digest_size=8).digest(), "little"
    )


def _shingle_hashes(found_words: list[str], size: int = SHINGLE_WORDS) -> list[int]:
    if _numpy() is not None:
        return _shingle_array(found_words, size).tolist()
    words = [_word_hash(w) for w in found_words]
    if not words:
        return []
    span = min(size, len(words))  # a text shorter than a shingle is one shingle
    hashes = set()
    for start in range(len(words) - span + 1):
        x = 0
        for h in words[start : start + span]:
            x = (x * _POLY + h) & _MASK64
        x ^= x >> 30
        x = (x * _MIX1) & _MASK64
        x ^= x >> 27
        x = (x * _MIX2) & _MASK64
        hashes.add(x ^ (x >> 31))
    return sorted(hashes)


def _shingle_array(found_words: list[str], size: int = SHINGLE_WORDS, distinct: bool = True) -> Any:
    """shingle_hashes as a sorted numpy uint64 array (numpy only), worked out for every
    shingle at once. With distinct=False, unsorted and possibly repeated: enough for a
    MinHash signature, which only takes minima."""
    words = np.fromiter(map(_word_hash, found_words), dtype=np.uint64, count=len(found_words))
    if len(words) == 0:
        return words
    span = min(size, len(words))
    count = len(words) - span + 1
    with np.errstate(over="ignore"):
        x = np.zeros(count, dtype=np.uint64)
        for k in range(span):
            x = x * np.uint64(_POLY) + words[k : k + count]
        x ^= x >> np.uint64(30)
        x *= np.uint64(_MIX1)
        x ^= x >> np.uint64(27)
        x *= np.uint64(_MIX2)
        x ^= x >> np.uint64(31)
    return np.unique(x) if distinct else x


class MinHasher:
    """MinHash signatures: hash i of x is the top 32 bits of (a_i * x + b_i) mod 2**64."""

    def __init__(self, num_perm: int = NUM_PERM, seed: int = 20261124, use_numpy: bool = True):
        rng = random.Random(seed)
        self.a = [rng.getrandbits(63) | 1 for _ in range(num_perm)]
        self.b = [rng.getrandbits(63) for _ in range(num_perm)]
        self.num_perm = num_perm
        self.use_numpy = use_numpy and _numpy() is not None
        if self.use_numpy:
            self.a_np = np.array(self.a, dtype=np.uint64)
            self.b_np = np.array(self.b, dtype=np.uint64)

    def signature(self, hashes: list[int]) -> array:
        """The signature as an array of unsigned 32-bit integers."""
        if len(hashes) == 0:
            return array("I", [0xFFFFFFFF] * self.num_perm)
        if not self.use_numpy:
            return array(
                "I",
                (
                    min(((a * x + b) & _MASK64) >> 32 for x in hashes)
                    for a, b in zip(self.a, self.b, strict=True)
                ),
            )
        values = np.array(hashes, dtype=np.uint64)
        result = np.full(self.num_perm, 0xFFFFFFFF, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for start in range(0, len(values), _CHUNK):
                chunk = values[start : start + _CHUNK]
                mixed = np.multiply.outer(chunk, self.a_np)
                mixed += self.b_np
                # x >> 32 never decreases as x grows: the top bits of the smallest value
                # are the smallest top bits, so shift the 256 minima, not every value
                result = np.minimum(result, mixed.min(axis=0) >> np.uint64(32))
        return array("I", result.astype(np.uint32).tobytes())


def choose_bands(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows): the most rows per band that still finds a pair at the threshold
    with probability >= 99.5% (fewer rows mean more candidate pairs to compare)."""
    best = (num_perm, 1)
    for rows in range(1, 33):
        bands = num_perm // rows
        if bands < 1:
            break
        if 1 - (1 - threshold**rows) ** bands >= 0.995:
            best = (bands, rows)
    return best


def estimated_similarity(a: Any, b: Any) -> float:
    """The share of signature positions that agree: an estimate of Jaccard similarity."""
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


@site_check
class DuplicateContentCheck(SiteCheck):
    rules = (CONTENT_DUPLICATE,)

    def __init__(self, ctx: CheckContext) -> None:
        super().__init__(ctx)
        self.threshold = ctx.config.duplicate_threshold
        self.hasher = MinHasher()
        self.bands, self.rows = choose_bands(self.threshold)
        self.urls: list[str] = []
        # every signature, one after another in one flat array: 1 KB a page and no Python
        # object per page (a list of arrays and the band buckets cost about 4 KB a page)
        self.signatures = array("I")
        self.final_urls: set[str] = set()
        self.comparisons = 0  # signature comparisons made: the cost, for tests

    reusable = True  # a page's note: its address key and signature

    def note(self, page: Page) -> list[str] | None:
        if not page.is_html or page.status >= 400:
            return None
        words = _WORD_RE.findall(page.main_text)
        if len(words) < MIN_WORDS:
            return None
        if self.hasher.use_numpy:
            signature = self.hasher.signature(_shingle_array(words, distinct=False))
        else:
            signature = self.hasher.signature(_shingle_hashes(words))
        packed = array("I", signature)
        if sys.byteorder != "little":
            packed.byteswap()  # the stored form is little-endian, wherever it was made
        final = address_key(page.final_url or page.url)
        return [final, base64.b64encode(packed.tobytes()).decode("ascii")]

    def take(self, url: str, note: list[str] | None) -> None:
        if note is None:
            return
        final, packed = note
        if final in self.final_urls:
            return  # the same page at another address (index.html, a query string)
        signature = array("I")
        signature.frombytes(base64.b64decode(packed))
        if sys.byteorder != "little":
            signature.byteswap()
        if len(signature) != self.hasher.num_perm:
            raise ValueError(f"a kept signature of {url} has the wrong length")
        self.final_urls.add(final)
        self.urls.append(url)
        self.signatures.extend(signature)

    def signature(self, index: int) -> array:
        start = index * self.hasher.num_perm
        return self.signatures[start : start + self.hasher.num_perm]

    def candidate_groups(self) -> list[list[int]]:
        """Pages that share a whole band of their signatures (LSH), one group per band value
        held by two or more pages, in order of (first page, band). Worked out one band at a
        time when the crawl is over, so that only one band's keys are ever in memory."""
        width, rows = self.hasher.num_perm, self.rows
        signatures = self.signatures
        found: list[tuple[int, int, list[int]]] = []
        for band in range(self.bands):
            first_with: dict[bytes, int] = {}
            shared: dict[int, list[int]] = {}
            offset = band * rows
            for index in range(len(self.urls)):
                start = index * width + offset
                first = first_with.setdefault(signatures[start : start + rows].tobytes(), index)
                if first != index:
                    shared.setdefault(first, [first]).append(index)
            found.extend((first, band, members) for first, members in shared.items())
        found.sort(key=lambda group: (group[0], group[1]))
        return [members for _first, _band, members in found]

    def finish(self) -> Iterator[Finding]:
        parent = list(range(len(self.urls)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        checked: set[tuple[int, int]] = set()
        found: list[tuple[int, int, float]] = []
        for members in self.candidate_groups():
            reps: list[int] = []  # one page per group of duplicates seen in this bucket
            for i in members:
                for j in reps:
                    if root(i) == root(j):
                        continue
                    pair = (j, i) if j < i else (i, j)
                    if pair in checked:
                        continue
                    checked.add(pair)
                    self.comparisons += 1
                    similarity = estimated_similarity(self.signature(i), self.signature(j))
                    if similarity >= self.threshold:
                        parent[root(i)] = root(j)
                        found.append((pair[1], pair[0], similarity))
                if all(root(i) != root(r) for r in reps):
                    reps.append(i)
        # Report each group of near-identical pages against one original, chosen by address
        # (shortest, then alphabetical) so the result does not depend on crawl order.
        groups: dict[int, list[int]] = {}
        for later, earlier, _similarity in found:
            for index in (later, earlier):
                members = groups.setdefault(root(index), [])
                if index not in members:
                    members.append(index)
        for members in groups.values():
            original = min(members, key=lambda i: (len(self.urls[i]), self.urls[i]))
            for member in sorted(members, key=lambda i: self.urls[i]):
                if member == original:
                    continue
                similarity = estimated_similarity(self.signature(member), self.signature(original))
                percent = int(similarity * 100)
                yield CONTENT_DUPLICATE.finding(
                    self.urls[member],
                    f"The main content of this page is about {percent}% the same as another "
                    f"page: {self.urls[original]}.",
                    target=self.urls[original],
                    details={"similarity": round(similarity, 3)},
                )
