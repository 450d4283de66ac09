"""Speed of the pipeline's heavy parts: validation (Great Expectations), Prefect's start, Dask batches; as ratios.

    python bench/speed.py                               # everything, about 10 minutes on 2 cores
    python bench/speed.py --only validate,flow,batch    # a part of it
    python bench/speed.py --pythonpath /tmp/before/pkg  # another copy of the package (before/after)

Every figure is from fresh processes (the installed ``recover`` command), median of
``--repeat`` (3): CPU seconds (user + system of the process and the children it reaped,
from ``wait4``) and wall seconds.

- ``validate``: ``recover run`` on the seed, default vs ``--no-validate`` vs a bare
  ``import great_expectations``; the ratio is what validation adds over the bare import.
- ``flow``: ``recover flow run`` vs ``recover run`` (both validating) on an embedded Prefect,
  idle and under load (``--load`` busy-loop processes, 2 by default, each in its own session); Prefect's home is
  warmed by one unmeasured flow run first (its cold start is shown apart).
- ``batch``: ``recover flow batch`` sequential vs ``--task-runner dask`` on cheap documents
  (``bench/generate.py``, ``--cheap`` 100, ``--no-validate``) and expensive ones (``--expensive``
  48, validation on). After each run the command's session is checked for processes left behind.

The machine's load average is printed before each part: other programs' load skews wall times
(and a second core busy elsewhere leaves Dask nothing to gain).

Writes ``bench/out/speed-<label>.json`` too.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
SEED = ROOT / "samples" / "ncmec-2020" / "ncmec-2020-impact-spun.txt"
SEED_RULES = ROOT / "rules" / "ncmec-2020.yaml"


def session_processes(sid: int) -> list[str]:
    """Given a session id, return the processes still in it (``pid command``)."""
    ps = subprocess.run(["ps", "-e", "-o", "sid=,pid=,args="], capture_output=True, text=True).stdout
    return [line.split(None, 1)[1] for line in ps.splitlines() if line.split(None, 1)[0] == str(sid)]


def measure(cmd: list[str], env: dict, timeout: float = 1800) -> dict:
    """Given a command, run it in a session of its own; return status, wall and CPU seconds, processes left behind."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=err, start_new_session=True, cwd=ROOT)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(proc.pid, 9)
            time.sleep(0.02)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        time.sleep(0.5)  # let a clean shutdown finish before looking for leftovers
        left = session_processes(proc.pid)
        for line in left:  # ours: started by the command we started
            try:
                os.kill(int(line.split()[0]), 9)
            except (ProcessLookupError, ValueError):
                pass
        err.seek(0)
        tail = err.read().decode(errors="replace").strip().splitlines()[-1:] or [""]
    return {
        "status": proc.returncode,
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "left": len(left),
        "err": tail[0][:200],
    }


def median_of(runs: list[dict]) -> dict:
    return {
        "status": sorted({r["status"] for r in runs}),
        "wall": statistics.median(r["wall"] for r in runs),
        "cpu": statistics.median(r["cpu"] for r in runs),
        "left": max(r["left"] for r in runs),
        "err": next((r["err"] for r in runs if r["status"] not in (0, 1)), ""),
    }


def loadavg() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def show(name: str, m: dict) -> None:
    extra = (
        f"  exit {m['status']}"
        + (f"  LEFT {m['left']} processes" if m["left"] else "")
        + (f"  ({m['err']})" if m["err"] else "")
    )
    print(f"  {name:<44} cpu {m['cpu']:7.2f} s   wall {m['wall']:7.2f} s{extra}", flush=True)


def recover_cmd(*args) -> list[str]:
    return [str(BIN / "recover"), *map(str, args)]


def bench_validate(env: dict, work: Path, repeat: int) -> dict:
    runs = {"run": [], "run --no-validate": [], "import great_expectations": []}
    for i in range(repeat):  # interleaved, so a slow spell hits all three alike
        runs["run"].append(measure(recover_cmd("run", SEED, "--rules", SEED_RULES, "--out", work / f"v{i}"), env))
        runs["run --no-validate"].append(
            measure(recover_cmd("run", SEED, "--rules", SEED_RULES, "--out", work / f"n{i}", "--no-validate"), env)
        )
        runs["import great_expectations"].append(
            measure([sys.executable, "-c", "import great_expectations"], {**env, "GX_ANALYTICS_ENABLED": "false"})
        )
    med = {k: median_of(v) for k, v in runs.items()}
    for k, m in med.items():
        show(k, m)
    added = med["run"]["cpu"] - med["run --no-validate"]["cpu"]
    ratio = added / med["import great_expectations"]["cpu"]
    print(f"  validation adds {added:.2f} CPU s = {ratio:.2f}x the bare import (target <= 1.5)")
    return {"median": med, "validation_over_import": ratio}


class Load:
    """N busy-loop processes for the duration of a with block, each in a session of its own.

    (Linux schedules sessions as groups: loops sharing one session would weigh as one program.)
    """

    def __init__(self, n: int):
        self.n, self.procs = n, []

    def __enter__(self):
        self.procs = [
            subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True) for _ in range(self.n)
        ]
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            p.kill()
            p.wait()


def bench_flow(env: dict, work: Path, repeat: int, load: int) -> dict:
    out = {}
    for label, n in (("idle", 0), (f"under load ({load} busy loops)", load)):
        home = work / f"home-{n}"
        fenv = {**env, "PREFECT_HOME": str(home)}
        fenv.pop("PREFECT_API_URL", None)
        print(f" {label}:")
        with Load(n):
            cold = measure(recover_cmd("flow", "run", SEED, "--rules", SEED_RULES, "--out", work / f"fc{n}"), fenv)
            show("flow run (cold Prefect home)", cold)
            runs = {"run": [], "flow run": []}
            for i in range(repeat):
                runs["run"].append(
                    measure(recover_cmd("run", SEED, "--rules", SEED_RULES, "--out", work / f"r{n}-{i}"), fenv)
                )
                runs["flow run"].append(
                    measure(recover_cmd("flow", "run", SEED, "--rules", SEED_RULES, "--out", work / f"f{n}-{i}"), fenv)
                )
        med = {k: median_of(v) for k, v in runs.items()}
        for k, m in med.items():
            show(k, m)
        wall = med["flow run"]["wall"] / med["run"]["wall"]
        cpu = med["flow run"]["cpu"] / med["run"]["cpu"]
        print(f"  flow run / run: wall {wall:.2f}x, cpu {cpu:.2f}x")
        out[label] = {"cold": cold, "median": med, "wall_ratio": wall, "cpu_ratio": cpu}
    return out


def bench_batch(env: dict, work: Path, repeat: int, cheap: int, expensive: int) -> dict:
    from bench.generate import generate

    out = {}
    for label, docs, flags in (
        (f"cheap: {cheap} documents, --no-validate", cheap, ["--no-validate"]),
        (f"expensive: {expensive} documents, validation on", expensive, []),
    ):
        corpus = work / f"corpus-{docs}"
        generate(docs, 1, corpus)
        home = work / f"home-batch-{docs}"
        benv = {**env, "PREFECT_HOME": str(home)}
        benv.pop("PREFECT_API_URL", None)
        measure(
            recover_cmd("flow", "batch", corpus, "--out", work / f"bw{docs}", "--no-validate"), benv
        )  # warm Prefect's home
        print(f" {label} ({loadavg()}):")
        runs = {"sequential": [], "dask": []}
        for i in range(repeat):
            runs["sequential"].append(
                measure(recover_cmd("flow", "batch", corpus, "--out", work / f"bs{docs}-{i}", *flags), benv)
            )
            runs["dask"].append(
                measure(
                    recover_cmd(
                        "flow", "batch", corpus, "--out", work / f"bd{docs}-{i}", "--task-runner", "dask", *flags
                    ),
                    benv,
                )
            )
        med = {k: median_of(v) for k, v in runs.items()}
        for k, m in med.items():
            show(k, m)
        wall = med["dask"]["wall"] / med["sequential"]["wall"]
        print(f"  dask / sequential: wall {wall:.2f}x, cpu {med['dask']['cpu'] / med['sequential']['cpu']:.2f}x")
        out[label] = {"median": med, "wall_ratio": wall}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="validate,flow,batch")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--load", type=int, default=2, help="busy-loop processes for the loaded flow runs")
    ap.add_argument("--cheap", type=int, default=100)
    ap.add_argument("--expensive", type=int, default=48)
    ap.add_argument(
        "--pythonpath", default=None, help="put this folder first on PYTHONPATH (another copy of the recover package)"
    )
    ap.add_argument("--label", default="now")
    args = ap.parse_args()
    env = {**os.environ, "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    if args.pythonpath:
        env["PYTHONPATH"] = args.pythonpath
    parts = set(args.only.split(","))
    results = {"label": args.label, "cpus": os.cpu_count()}
    print(f"speed ({args.label}): {os.cpu_count()} CPUs, median of {args.repeat}", flush=True)
    with tempfile.TemporaryDirectory(prefix="recover-speed-") as tmp:
        work = Path(tmp)
        if "validate" in parts:
            print(f"validate: the seed, `recover run` ({loadavg()})", flush=True)
            results["validate"] = bench_validate(env, work, args.repeat)
        if "flow" in parts:
            print(f"flow: `recover flow run` vs `recover run` on the seed ({loadavg()})", flush=True)
            results["flow"] = bench_flow(env, work, args.repeat, args.load)
        if "batch" in parts:
            print(f"batch: `recover flow batch`, sequential vs --task-runner dask ({loadavg()})", flush=True)
            results["batch"] = bench_batch(env, work, args.repeat, args.cheap, args.expensive)
    dest = ROOT / "bench" / "out" / f"speed-{args.label}.json"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {dest.relative_to(ROOT)} ({loadavg()})")


if __name__ == "__main__":
    main()
