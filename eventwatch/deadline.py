"""The per-article time limit: how long extracting one article may take.

``Pipeline`` starts a ``Deadline`` for each article and checks it between
stages and inside the loops over sentences and incidents; past it, the article
fails with ``TimeLimitError`` (a recorded failure in ``extract``, ``ingest`` and
``POST /api/ingest``, never a hang).  The check is cooperative: one regex call
is not interrupted, which is why every stage is kept linear (or n log n) in the
length of the text: at the accepted maximum, 200 KB, no stage takes a second.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable

from eventwatch.errors import ConfigError, TimeLimitError

TIME_LIMIT_SECONDS = 60.0  # per article; ordinary articles take milliseconds, 200 KB well under a second
TIME_LIMIT_ENV = "EVENTWATCH_TIME_LIMIT"  # the setting for the HTTP API (and the default of the CLI flags)


def checked_time_limit(seconds: float, origin: str = "the time limit") -> float:
    """``seconds`` if it is a usable limit (a positive finite number), else a ConfigError."""
    if not (isinstance(seconds, int | float) and math.isfinite(seconds) and seconds > 0):
        raise ConfigError(f"{origin} must be a positive number of seconds, not {seconds!r} (e.g. 60)")
    return float(seconds)


def time_limit_from_env() -> float:
    """The limit set by $EVENTWATCH_TIME_LIMIT, else ``TIME_LIMIT_SECONDS``."""
    value = os.environ.get(TIME_LIMIT_ENV, "").strip()
    if not value:
        return TIME_LIMIT_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        seconds = value  # type: ignore[assignment]  # reported as given
    return checked_time_limit(seconds, f"${TIME_LIMIT_ENV}")


class Deadline:
    """``check()`` raises TimeLimitError once ``seconds`` have passed since the deadline started."""

    __slots__ = ("_clock", "_ends", "seconds", "what")

    def __init__(self, seconds: float, what: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.what = what
        self._clock = clock
        self._ends = clock() + seconds

    def check(self) -> None:
        if self._clock() > self._ends:
            raise TimeLimitError(
                f"{self.what}: extraction stopped at its time limit of {self.seconds:g} s "
                f"(raise it with --time-limit or ${TIME_LIMIT_ENV}, or split the article)"
            )
