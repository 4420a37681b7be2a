"""bench/fetch_cost.py: the bare client it sets against Scrapy really fetches every page,
each once, and its summary reads right."""

from __future__ import annotations

from bench.fetch_cost import fetch_bare, summarise
from tests.webserver import Reply, WebServer


def test_the_bare_client_fetches_every_page_once():
    bodies = {f"/p{i}.html": f"<p>page {i}</p>" * (i + 1) for i in range(30)}

    def answer(request):
        return Reply(body=bodies[request.path])

    routes = dict.fromkeys(bodies, answer)
    with WebServer(routes) as server:
        pages, size = fetch_bare(server.url, list(bodies), concurrency=4)
        asked = server.paths("GET")
    assert pages == 30
    assert size == sum(len(body.encode()) for body in bodies.values())
    assert sorted(asked) == sorted(bodies)  # each page once


def test_the_summary_gives_medians_and_the_cpu_a_page():
    runs = {
        "scrapy": [{"pages": 2000, "bytes": 17.4e6, "wall_s": w, "cpu_s": c}
                   for w, c in ((3.7, 3.6), (3.9, 3.8), (3.8, 3.7))],
        "bare": [{"pages": 2000, "bytes": 17.4e6, "wall_s": 0.1, "cpu_s": 0.08}],
    }  # fmt: skip
    lines = summarise(runs)
    assert lines[1].split() == ["scrapy", "2000", "17.4", "3.80", "3.70", "1.850"]
    assert lines[2].split() == ["bare", "2000", "17.4", "0.10", "0.08", "0.040"]
