"""The long fuzzing run: ``python bench/fuzz.py --minutes N [--targets a,b] [--seed S]``.

Runs the targets of tests/test_fuzz.py (the same strategies and properties as CI's short
profile) for N minutes in all, time shared between the targets, in batches of fresh random
Hypothesis runs; prints the inputs tried per target and each distinct finding (the error,
and the input Hypothesis reports: shrunk with ``--shrink``), then exits 1 if there were findings.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ["RECOVER_FUZZ"] = "long"

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from tests import test_fuzz  # noqa: E402

#: Examples per Hypothesis run; a run is the unit between two looks at the clock.
BATCH = {"runs": 5, "fetch": 10, "text": 10, "html": 10, "names": 5, "page": 5, "cost": 1}


def finding_key(target: str, e: BaseException) -> str:
    """Given a failure, return what makes it distinct: the target, the error type and the innermost frame in our code."""
    frames = [
        f for f in traceback.extract_tb(e.__traceback__) if "/recover/" in f.filename or "/extractors/" in f.filename
    ]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"{target}: {type(e).__name__} {where}".strip()


def run_target(name: str, seconds: float, rng: random.Random, findings: dict, shrink: bool = False) -> None:
    strategy, function = test_fuzz.TARGETS[name]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:

        @seed(rng.getrandbits(64))
        @settings(
            max_examples=BATCH.get(name, 50),
            deadline=None,
            database=None,
            derandomize=False,
            suppress_health_check=list(HealthCheck),
            print_blob=False,
            phases=[Phase.generate, Phase.shrink] if shrink else [Phase.generate],
        )
        @given(strategy)
        def batch(value):
            if time.monotonic() < deadline:  # past it, the batch's remaining inputs are drawn but not tried
                function(value)

        try:
            batch()
        except Exception as e:
            key = finding_key(name, e)
            notes = [n for n in getattr(e, "__notes__", []) if n.strip()]
            if key not in findings:
                findings[key] = (f"{type(e).__name__}: {' '.join(str(e).split())[:300]}", notes[:3])
                print(f"  finding: {key}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0, help="the whole run's length, shared between the targets")
    parser.add_argument(
        "--targets", default=",".join(test_fuzz.TARGETS), help="comma-separated: " + ", ".join(test_fuzz.TARGETS)
    )
    parser.add_argument("--seed", type=int, default=None, help="for a run that can be repeated")
    parser.add_argument(
        "--shrink", action="store_true", help="shrink each finding (minutes for slow targets; off keeps to --minutes)"
    )
    args = parser.parse_args(argv)
    names = [n for n in args.targets.split(",") if n]
    unknown = [n for n in names if n not in test_fuzz.TARGETS]
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}")
    rng = random.Random(args.seed)
    findings: dict = {}
    share = args.minutes * 60 / len(names)
    started = time.monotonic()
    for name in names:
        print(f"{name}: {share:.0f} s", flush=True)
        run_target(name, share, rng, findings, args.shrink)
    took = time.monotonic() - started
    print(f"\n{'target':<10}{'inputs':>10}{'findings':>10}")
    for name in names:
        print(f"{name:<10}{test_fuzz.TRIED[name]:>10,}{sum(k.startswith(name + ':') for k in findings):>10}")
    print(f"{'all':<10}{sum(test_fuzz.TRIED[n] for n in names):>10,}{len(findings):>10}   in {took / 60:.1f} min")
    for key, (error, notes) in findings.items():
        print(f"\n{key}\n  {error}")
        for note in notes:
            print("  " + note.replace("\n", "\n  ")[:2000] + (" …" if len(note) > 2000 else ""))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
