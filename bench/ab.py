"""Our audit at two commits, side by side on the bench's site: interleaved pairs, medians.

    python -m bench.ab BASE [--new REV] [--pages 2000] [--pairs 4] [--rerun]

This machine's speed drifts by a third within minutes, so a change is judged by pairs run
back to back, each pair in the other order from the last, never by runs an hour apart.
Each side runs as ``python <its tree>/run_audit.py``: the project is installed editable,
so ``.venv/bin/content-audit`` runs the main checkout from whatever folder it is started
in, and two worktrees compared through it compare the main checkout with itself.

BASE (and ``--new``, else the working tree as it is, uncommitted changes included) is
checked out into a worktree under ``--work``, removed afterwards. Each side first audits
the site once, not counted (a fresh worktree builds its caches then). With ``--rerun``
that is the night before: each pair then changes 1% of the pages (another 1% each pair)
and both sides audit again into their last output, the nightly re-run. Prints each pair, then for each side the median wall time and CPU of the process
tree, and in how many pairs the new side was quicker; writes nothing to bench/results.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

from bench.run import (
    CONCURRENCY,
    ROOT,
    Running,
    compile_ours,
    log,
    measure,
    ours_config,
    serve_site,
)
from bench.sitegen import SEED, mutate


class Side(NamedTuple):
    name: str  # "base" or "new"
    tree: Path  # a checkout of the project
    label: str  # the commit, or "working tree"


def audit_command(tree: Path, config: Path, out: Path) -> list[str]:
    """The audit of one side: its own run_audit.py, never the installed entry point."""
    return [sys.executable, str(tree / "run_audit.py"), "--config", str(config),
            "--out", str(out), "--fail-on", "never"]  # fmt: skip


def pair_order(i: int) -> tuple[str, str]:
    """Which side runs first in pair ``i``: they take turns, so the drift of the machine
    within a pair does not always favour the same side."""
    return ("base", "new") if i % 2 == 0 else ("new", "base")


def summarise(pairs: list[dict[str, dict]]) -> dict[str, object]:
    """Medians of each side's wall time and CPU, and the pairs the new side won."""
    out: dict[str, object] = {}
    for side in ("base", "new"):
        out[f"{side}_wall_s"] = round(statistics.median(p[side]["wall_s"] for p in pairs), 2)
        out[f"{side}_cpu_s"] = round(statistics.median(p[side]["cpu_s"] for p in pairs), 2)
    out["new_quicker"] = sum(p["new"]["wall_s"] < p["base"]["wall_s"] for p in pairs)
    out["pairs"] = len(pairs)
    return out


def _worktree(name: str, rev: str, work: Path) -> Side:
    sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", f"{rev}^{{commit}}"],
                         capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    tree = Path(tempfile.mkdtemp(prefix=f"ab-{sha[:8]}-", dir=work))
    tree.rmdir()
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), sha],
                   check=True, capture_output=True)  # fmt: skip
    return Side(name, tree, sha[:8])


def _remove_worktree(tree: Path) -> None:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                   check=False, capture_output=True)  # fmt: skip
    shutil.rmtree(tree, ignore_errors=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__.split("\n\n")[0])
    p.add_argument("base", help="the commit to compare against (e.g. HEAD, main~3, a sha)")
    p.add_argument("--new", help="the other commit (default: the working tree as it is)")
    p.add_argument("--pages", type=int, default=2000)
    p.add_argument("--pairs", type=int, default=4)
    p.add_argument("--rerun", action="store_true", help="compare nightly re-runs (1%% changed)")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--work", type=Path, default=ROOT / "bench" / ".work")
    p.add_argument("--python-server", action="store_true", help="serve with Python, not nginx")
    p.add_argument("--mode", choices=sorted(CONCURRENCY), default="realistic",
                   help="realistic (20-50 ms a request, concurrency 4) or loopback (nginx, 16)")  # fmt: skip
    args = p.parse_args(argv)
    if args.pairs < 1 or args.pages < 20:
        p.error("--pairs must be 1 or more and --pages at least 20")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix=f"ab-run-{args.pages}-", dir=work))
    run_dir.chmod(0o755)
    trees: list[Path] = []
    try:
        base = _worktree("base", args.base, work)
        trees.append(base.tree)
        if args.new:
            new = _worktree("new", args.new, work)
            trees.append(new.tree)
        else:
            new = Side("new", ROOT, "working tree")
        return _compare(args, run_dir, {"base": base, "new": new})
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    finally:
        Running.stop_all()
        for tree in trees:
            _remove_worktree(tree)
        shutil.rmtree(run_dir, ignore_errors=True)


def _compare(args: argparse.Namespace, run_dir: Path, sides: dict[str, Side]) -> int:
    for side in sides.values():
        compile_ours(side.tree)
    served = serve_site(run_dir, args.pages, args.seed, args.python_server, args.mode)
    config = run_dir / "bench.toml"
    ours_config(config, served.start_url, args.pages, CONCURRENCY[args.mode])
    kind = "1%-changed re-runs" if args.rerun else "full audits"
    log(f"comparing {kind}: base {sides['base'].label}, new {sides['new'].label}, "
        f"{args.pairs} pairs on {args.pages} pages")  # fmt: skip

    def audit(name: str, tag: str) -> dict:
        side = sides[name]
        out = run_dir / f"out-{name}" if args.rerun else run_dir / f"out-{name}-{tag}"
        m = measure(audit_command(side.tree, config, out), run_dir / f"{name}-{tag}.stdout",
                    cwd=side.tree)  # fmt: skip
        if m["exit"] != 0:
            tail = (run_dir / f"{name}-{tag}.stderr").read_text(errors="replace")[-600:]
            raise RuntimeError(f"the {name} side's audit failed (exit {m['exit']}):\n{tail}")
        return m

    # one audit a side first, not counted: a fresh worktree builds the spelling lexicon's
    # cache on its first run (keyed by the module file's time), seconds on one side only;
    # for --rerun it is also the night before
    for name in ("base", "new"):
        audit(name, "first")
    pairs: list[dict[str, dict]] = []
    for i in range(args.pairs):
        if args.rerun:
            mutate(served.site_dir, served.truth, 0.01, args.seed + 1 + i)
        pair = {name: audit(name, str(i)) for name in pair_order(i)}
        pairs.append(pair)
        log(f"pair {i + 1}/{args.pairs}: base {pair['base']['wall_s']:.2f} s "
            f"(CPU {pair['base']['cpu_s']:.1f}), new {pair['new']['wall_s']:.2f} s "
            f"(CPU {pair['new']['cpu_s']:.1f}); {pair_order(i)[0]} first")  # fmt: skip
    s = summarise(pairs)
    print(f"{kind}, {args.pages} pages, median of {s['pairs']} interleaved pairs:")
    print(f"  base {sides['base'].label}: {s['base_wall_s']} s, CPU {s['base_cpu_s']} s")
    print(f"  new  {sides['new'].label}: {s['new_wall_s']} s, CPU {s['new_cpu_s']} s")
    print(f"  new quicker in {s['new_quicker']} of {s['pairs']} pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
