"""Quality on real text: the default pipeline on each learning set's validation part.

Not a test: it measures and reports. Run from the repository root:

    .venv/bin/python benchmarks/realworld.py                  # every set, one table
    .venv/bin/python benchmarks/realworld.py --sets satp,isaf --limit 200
    .venv/bin/python benchmarks/realworld.py --json realworld.json

Data: ``../shared/data`` beside the repository (or ``$EVENTWATCH_SHARED/data``),
read by ``training/datasets.py``; only the validation part of each set is
scored (split and measures: docs/realworld.md). Each record is one text; its
events are scored as a whole (``training/measure.py``). Published figures of
other systems are printed beside ours where the set's SOURCE.md gives them;
they are measured on the whole published split, ours on our validation part.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training.datasets import SETS, DataMissing, load  # noqa: E402
from training.measure import MEASURES, Ratio  # noqa: E402
from training.realworld import SUBSETS, extract_all, score_records, spread  # noqa: E402

# Published figures, from each set's SOURCE.md: (set, measure key, system, value, where).
PUBLISHED = (
    ("satp", "killed_mae", "Flan-T5-XL QLoRA", 0.116, "code-satp model notes, whole visible set"),
    ("satp", "killed_mae", "GPT-4o-mini", 0.133, "code-satp model notes"),
    ("satp", "killed_mae", "Llama-3.1-8B", 0.234, "code-satp model notes"),
    ("satp", "killed_mae", "ConfliBERT", 0.370, "code-satp model notes"),
    ("isaf", "killed_exact", "fine-tuned Mistral-7B", 0.977, "isafpr_finetune, whole test split"),
    ("isaf", "killed_exact", "GPT-4o", 0.953, "isafpr_finetune, whole test split"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Score the default pipeline on the validation part of each real learning set.")
    parser.add_argument("--sets", default=",".join(SETS),
                        help=f"comma-separated sets among {', '.join(SETS)} (default: all)")
    parser.add_argument("--limit", type=int, default=None,
                        help="score only N validation records of each set, taken evenly across it")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="worker processes (default: 2, or 1 on a one-core machine)")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    chosen = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SETS]
    if unknown:
        parser.error(f"unknown set(s) {', '.join(unknown)}: choose among {', '.join(SETS)}")

    rows: dict[str, dict] = {}
    for set_name in chosen:
        try:
            records = spread(load(set_name, "validation"), args.limit)
        except DataMissing as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"{set_name}: {len(records)} validation records", file=sys.stderr, flush=True)
        started = time.perf_counter()
        events, failures = extract_all(records, jobs=args.jobs, progress=True)
        seconds = time.perf_counter() - started
        for line in failures:
            print(f"  pipeline failed on {line}", file=sys.stderr)
        rows[set_name] = _row(set_name, records, events, seconds, failures)
        for name, base, keep in SUBSETS:
            if base == set_name:
                picked = [(r, e) for r, e in zip(records, events, strict=True) if keep(r)]
                rows[name] = _row(set_name, [r for r, _ in picked], [e for _, e in picked], None, [])

    print(table(rows))
    print()
    print(yardsticks(rows))
    if args.json:
        args.json.write_text(json.dumps({"limit": args.limit, "rows": rows}, indent=2) + "\n")
    return 0


def _row(set_name, records, events, seconds, failures) -> dict:
    card = score_records(set_name, records, events)
    out = {key: _plain(value) for key, value in card.items()}
    out["records"] = len(records)
    out["always_0_killed_exact"] = _always_zero(records)
    if seconds is not None:
        out["records_per_s"] = round(len(records) / seconds, 1) if seconds else None
    out["failures"] = len(failures)
    return out


def _plain(value):
    if isinstance(value, Ratio):
        return {"value": value.value, "hits": value.hits, "scored": value.scored}
    return value


def _always_zero(records) -> float | None:
    counted = [r.gold.fatalities for r in records if r.gold.fatalities is not None]
    return round(sum(1 for n in counted if n == 0) / len(counted), 4) if counted else None


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict):
        return f"{value['value']:.3f}"
    return f"{value:.3f}"


def table(rows: dict[str, dict]) -> str:
    """One line per set (and subset); a column per measure any set has."""
    keys = [k for k in MEASURES if any(k in row for row in rows.values())]
    head = ["set", "records", *(MEASURES[k] for k in keys)]
    lines = [head] + [[name, str(row["records"]), *(_cell(row.get(k)) for k in keys)] for name, row in rows.items()]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = ["| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |" for line in lines]
    out.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


def yardsticks(rows: dict[str, dict]) -> str:
    """Ours beside published systems and the always-0 answer, where a set has them."""
    lines = ["| set | measure | EventWatch | other systems |", "|---|---|---|---|"]
    for set_name in SETS:
        row = rows.get(set_name)
        if row is None:
            continue
        for key in dict.fromkeys(k for s, k, *_ in PUBLISHED if s == set_name):
            others = [f"{system} {value:.3f}" for s, k, system, value, _ in PUBLISHED if s == set_name and k == key]
            if key == "killed_exact" and row.get("always_0_killed_exact") is not None:
                others.append(f"always 0 {row['always_0_killed_exact']:.3f} (this part)")
            lines.append(f"| {set_name} | {MEASURES[key]} | {_cell(row.get(key))} | {'; '.join(others)} |")
        if set_name == "satp" and row.get("always_0_killed_exact") is not None:
            lines.append(f"| satp | killed exact | {_cell(row.get('killed_exact'))} | "
                         f"always 0 {row['always_0_killed_exact']:.3f} (this part) |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
