"""A scorecard as an aligned text table for people."""

from __future__ import annotations

from .score import FIELD_KEYS, Scorecard


def _value(value: float | None, fraction: bool = True) -> str:
    """A fraction with 4 decimals, a count as written, "n/a" for nothing."""
    if value is None:
        return "n/a"
    return f"{value:.4f}" if fraction else str(value)


def format_table(card: Scorecard) -> str:
    """Three columns -- metric, value, counts behind it -- detection first."""
    det = card.detection
    rows: list[tuple[str, str, str]] = [
        ("detection precision", _value(det.precision), f"{det.tp}/{det.tp + det.fp}"),
        ("detection recall", _value(det.recall), f"{det.tp}/{det.tp + det.fn}"),
        ("detection f1", _value(det.f1), ""),
        ("articles", _value(card.articles, False), ""),
        ("gold events", _value(card.gold_events, False), ""),
        ("system events", _value(card.system_events, False), ""),
        ("matched", _value(card.matched, False), ""),
        ("misses", _value(det.fn, False), ""),
        ("false alarms", _value(det.fp, False), ""),
    ]
    for attr, key in FIELD_KEYS:
        tally = getattr(card, attr)
        rows.append((key.replace("_", " "), _value(tally.rate), f"{tally.correct}/{tally.total}"))
        if attr == "fatalities":
            mae = card.fatalities_mae
            rows.append(
                (
                    "fatalities mae",
                    "n/a" if mae is None else f"{mae:.2f}",
                    f"over {card.fatalities_scored}",
                )
            )
    rows.append(
        (
            "false alarms in no-event articles",
            _value(card.false_alarms_in_no_event_articles, False),
            "",
        )
    )
    rows.append(("seconds", f"{card.seconds:.2f}", ""))

    header = ("metric", "value", "counts")
    w0 = max(len(header[0]), *(len(r[0]) for r in rows))
    w1 = max(len(header[1]), *(len(r[1]) for r in rows))
    w2 = max(len(header[2]), *(len(r[2]) for r in rows))
    lines = [f"{header[0]:<{w0}}  {header[1]:>{w1}}  {header[2]:>{w2}}", "-" * (w0 + w1 + w2 + 4)]
    lines += [f"{a:<{w0}}  {b:>{w1}}  {c:>{w2}}".rstrip() for a, b, c in rows]
    return "\n".join(lines)
