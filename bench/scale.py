"""How the cost grows with the data: evaluate, geopandas, import and the read mix at each size, in one table.

    .venv/bin/python bench/scale.py [--sizes 100000,1000000,10000000] [--reuse] [--import] [--requests 300]

Each size has a database of its own (``<DATABASE_URL's name>_scale<size>_bench``), built by
bench/compliance.py's builder (100 zones up to 1M lines, 1,000 above) or kept with ``--reuse``.
Per size, in fresh processes: bench/compliance.py times ``evaluate`` cold (its first call in the
process, no kept answer; the database's own caches are as the build or the last run left them) and
warm, the geopandas sjoin and the naive PostGIS join, and checks that all three count alike;
bench/load.py sends the monitors' read mix through gunicorn (``--requests`` requests from ``--clients``
clients after a short warm-up) and gives /api/violations/ p50 and p99. With ``--import``,
bench/import.py loads a bundle of that many rows (its own database, dropped afterwards).
Prints the table, then one JSON line. Targets: evaluate under 1 s cold and /api/violations/ p99
under 500 ms at 10M lines and 1,000 zones.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
EVALUATE_TARGET_S, VIOLATIONS_P99_TARGET_MS = 1.0, 500


def zones_for(size: int) -> int:
    return 1000 if size > 1_000_000 else 100


def database_url(size: int) -> str:
    """DATABASE_URL with the name of this size's database (compliance.py and load.py add ``_bench``)."""
    url = os.environ.get("DATABASE_URL", "postgres://tracker@127.0.0.1:54329/tracker")
    return f"{url}_scale{size}"


def last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def run(script: str, size: int, *options: str) -> str:
    """Run a bench script against this size's database; its output, failing loudly."""
    env = {**os.environ, "DATABASE_URL": database_url(size)}
    done = subprocess.run(
        [PYTHON, str(ROOT / "bench" / script), *options], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"bench/{script} failed at {size:,} lines:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def measure(size: int, args: argparse.Namespace) -> dict:
    zones = str(zones_for(size))
    reuse = ["--reuse"] if args.reuse else []
    compliance = last_json(run("compliance.py", size, "--holdings", str(size), "--zones", zones, *reuse))
    print(f"  {size:,}: evaluate {compliance['project_cold_s']} s cold", flush=True)
    load = last_json(
        run(
            "load.py",
            size,
            "--reuse",
            "--clients",
            str(args.clients),
            "--requests",
            str(args.requests),
            "--warmup",
            str(args.requests // 3),
        )
    )
    violations = load["by_kind"]["violations"]
    row = {
        "holdings": size,
        "zones": int(zones),
        "evaluate_cold_s": compliance["project_cold_s"],
        "evaluate_warm_s": compliance["project_s"],
        "geopandas_s": compliance["geopandas_s"],
        "naive_postgis_s": compliance["naive_postgis_s"],
        "import_s": None,
        "import_peak_rss_mib": None,
        "violations_p50_ms": violations["p50_ms"],
        "violations_p99_ms": violations["p99_ms"],
        "mix_p99_ms": load["p99_ms"],
        "errors": load["errors"],
    }
    if args.import_:
        imported = last_json(run("import.py", size, "--rows", str(size), "--zones", zones))
        row["import_s"], row["import_peak_rss_mib"] = imported["import_s"], imported["peak_rss_mib"]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000,10000000", help="holding lines, comma-separated")
    parser.add_argument("--reuse", action="store_true", help="time the databases already built")
    parser.add_argument("--import", dest="import_", action="store_true", help="time bench/import.py at each size too")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    rows = []
    for size in (int(size) for size in args.sizes.split(",")):
        rows.append(measure(size, args))

    print(
        "evaluate: first call in a fresh process, no kept answer; database caches warm from the build or the last run"
    )
    header = [
        "lines",
        "zones",
        "evaluate s",
        "warm s",
        "geopandas s",
        "naive s",
        "import s",
        "import MiB",
        "viol. p50",
        "viol. p99",
    ]
    print("".join(f"{h:>12}" for h in header))
    for row in rows:
        imported = "not run" if row["import_s"] is None else f"{row['import_s']:.1f}"
        peak = "" if row["import_s"] is None else f"{row['import_peak_rss_mib']:,}"
        print(
            f"{row['holdings']:>12,}{row['zones']:>12}{row['evaluate_cold_s']:>12.3f}{row['evaluate_warm_s']:>12.3f}"
            f"{row['geopandas_s']:>12.3f}{row['naive_postgis_s']:>12.3f}{imported:>12}{peak:>12}"
            f"{row['violations_p50_ms']:>10.1f}ms{row['violations_p99_ms']:>10.1f}ms"
        )
    print("counts: identical between the project, geopandas and naive PostGIS at every size")
    if any(row["import_s"] is None for row in rows):
        print("import: not run (--import runs bench/import.py, a bundle of the same number of rows, at each size)")
    largest = rows[-1]
    print(
        f"targets at {largest['holdings']:,} lines: evaluate < {EVALUATE_TARGET_S} s cold "
        f"{'met' if largest['evaluate_cold_s'] < EVALUATE_TARGET_S else 'MISSED'}, /api/violations/ p99 < "
        f"{VIOLATIONS_P99_TARGET_MS} ms {'met' if largest['violations_p99_ms'] < VIOLATIONS_P99_TARGET_MS else 'MISSED'}"
    )
    print(json.dumps({"sizes": rows}))


if __name__ == "__main__":
    main()
