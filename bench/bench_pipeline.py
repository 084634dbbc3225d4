"""Pipeline throughput against jieba alone, cold start, worker memory and corpus build rate.

    python bench/bench_pipeline.py [--generated 400] [--runs 3] [--corpus 2000] [--dev ../shared/corpus/dev]

Figures are printed, never asserted: the test suite holds no timings.
1. In one process: the full pipeline (read → normalise → sections → tables → claims → checks) and
   `jieba.lcut` over the same normalised texts of the same complete reports (generated + dev), best of
   --runs; prints both throughputs (characters and reports per second) and their ratio. The rule set's
   memo of sentence readings is emptied before each run, so a run never reuses what an earlier run read.
2. Cold start of `xxgk check ONE.txt` as a whole process: median of several runs.
3. Peak resident memory of one process that runs the pipeline over all the reports.
4. `xxgk corpus build` over --corpus generated reports with all cores: reports per second.
"""
from __future__ import annotations

import argparse
import logging
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (bench/generate.py)


def load_reports(gen_dir: Path, dev: Path | None) -> list[tuple[str, bytes]]:
    files = sorted(p for p in gen_dir.rglob("*") if p.suffix in {".txt", ".html", ".md"})
    if dev and dev.is_dir():
        import json
        for line in (dev / "index.jsonl").read_text("utf-8").splitlines():
            d = json.loads(line)
            p = dev / d["file"]
            if d.get("complete") and p.suffix in {".txt", ".html", ".md"}:
                files.append(p)
    return [(str(p), p.read_bytes()) for p in files]


def bench_inprocess(reports, runs: int) -> dict:
    import jieba

    from xxgk.extract import normalize, pipeline, read
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    pipeline.analyse(*reversed(reports[0]))  # warm: rule compilation, lexicon, lazy imports

    texts = [normalize.normalize(read.decode(data, path)).text for path, data in reports]
    chars = sum(map(len, texts))

    from xxgk.extract.ruleset import load_ruleset
    memo = load_ruleset().readings

    def best(fn) -> float:
        times = []
        for _ in range(runs):
            memo.clear()        # every run reads the sentences afresh (only recurrences across reports help)
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return min(times)

    t_pipe = best(lambda: [pipeline.analyse(data, path) for path, data in reports])
    t_jieba = best(lambda: [jieba.lcut(t) for t in texts])
    return {"reports": len(reports), "chars": chars, "pipeline_s": t_pipe, "jieba_s": t_jieba,
            "ratio": t_jieba / t_pipe}


def bench_stages(reports) -> dict[str, float]:
    """CPU seconds per stage over the reports (one pass), to show where the pipeline's time goes."""
    import hashlib

    from xxgk.extract.ruleset import load_ruleset
    load_ruleset().readings.clear()

    from xxgk.extract import checks, claim_extraction, metadata, normalize, read, sections, table_parsing
    from xxgk.models import Analysis
    clock = time.process_time
    spent = dict.fromkeys(("read", "normalize", "sections", "metadata", "tables", "claims", "checks"), 0.0)
    for path, data in reports:
        t = clock()
        doc = read.decode(data, path, sha256=hashlib.sha256(data).hexdigest())
        t1 = clock()
        norm = normalize.normalize(doc)
        t2 = clock()
        secs = sections.find_sections(norm.text)
        t3 = clock()
        rep = metadata.extract_metadata(doc, norm, secs)
        t4 = clock()
        tabs = table_parsing.parse_tables(norm, secs, doc.tables)
        t5 = clock()
        cls = claim_extraction.extract_claims(norm, secs)
        t6 = clock()
        checks.run_checks(Analysis(document=doc, normalized=norm, report=rep, sections=secs, tables=tabs,
                                   claims=cls))
        t7 = clock()
        for k, a, b in zip(spent, (t, t1, t2, t3, t4, t5, t6), (t1, t2, t3, t4, t5, t6, t7)):
            spent[k] += b - a
    return spent


def bench_cold_start(one: Path, runs: int = 7) -> float:
    xxgk = shutil.which("xxgk") or str(Path(sys.executable).with_name("xxgk"))
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([xxgk, "check", str(one)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_memory(gen_dir: Path) -> float:
    code = ("import sys,resource,pathlib\n"
            "from xxgk.extract import pipeline\n"
            "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*')):\n"
            "    if p.suffix in ('.txt','.html','.md'): pipeline.analyse(p.read_bytes(), str(p))\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", code, str(gen_dir)], capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def bench_corpus(n: int, tmp: Path) -> tuple[float, float]:
    src = tmp / "corpus-src"
    generate.generate(n, src, seed=11)
    out = tmp / "corpus-out"
    xxgk = shutil.which("xxgk") or str(Path(sys.executable).with_name("xxgk"))
    t0 = time.perf_counter()
    subprocess.run([xxgk, "corpus", "build", str(src), "--out", str(out)], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    dt = time.perf_counter() - t0
    return n / dt, dt


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--generated", type=int, default=400, help="generated reports for the in-process figures")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--corpus", type=int, default=2000, help="generated reports for the corpus build (0: skip)")
    ap.add_argument("--dev", type=Path, default=HERE.parent.parent / "shared" / "corpus" / "dev")
    a = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="xxgk-bench-"))
    try:
        gen = tmp / "gen"
        generate.generate(a.generated, gen, seed=3)
        reports = load_reports(gen, a.dev)
        r = bench_inprocess(reports, a.runs)
        print(f"reports {r['reports']}  characters {r['chars']:,}")
        print(f"pipeline  {r['chars'] / r['pipeline_s'] / 1e3:9.0f} k chars/s  "
              f"{r['reports'] / r['pipeline_s']:8.1f} reports/s")
        print(f"jieba     {r['chars'] / r['jieba_s'] / 1e3:9.0f} k chars/s  "
              f"{r['reports'] / r['jieba_s']:8.1f} reports/s")
        print(f"ratio pipeline/jieba throughput: {r['ratio']:.2f}x")
        spent = bench_stages(reports)
        print("CPU per stage (ms): " + ", ".join(f"{k} {v * 1e3:.0f}" for k, v in spent.items()))
        one = next(p for p in sorted(gen.rglob("*.txt")))
        print(f"cold start `xxgk check one.txt`: median {bench_cold_start(one):.3f} s")
        print(f"peak RSS of one process over {r['reports']} reports: {bench_memory(gen):.0f} MB")
        if a.corpus:
            rate, dt = bench_corpus(a.corpus, tmp)
            print(f"corpus build of {a.corpus} reports on {os.cpu_count()} cores: {rate:.0f} reports/s ({dt:.1f} s)")
        print(f"(this process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
