"""One exception tree for EventWatch.

    EventwatchError
    ├── InputError        the input cannot be read as an article (empty, binary, malformed)
    ├── GazetteerError    the place index is missing or damaged
    ├── ConfigError       a setting or option has an impossible value
    ├── StoreError        the event store cannot be opened, migrated or written
    │   └── RecordError   the store refuses one record's values (the store itself works)
    └── TimeLimitError    one article took longer than its time limit to extract

Every message says what went wrong and what to do next; the CLI prints it as
one line.
"""

from __future__ import annotations


class EventwatchError(Exception):
    """Base of every error EventWatch raises on purpose."""


class InputError(EventwatchError):
    """The input cannot be read as an article."""


class GazetteerError(EventwatchError):
    """The gazetteer index is missing, outdated or damaged."""


class ConfigError(EventwatchError):
    """An option or setting has an impossible value."""


class StoreError(EventwatchError):
    """The event store cannot be opened, migrated or written."""


class RecordError(StoreError):
    """The store refuses the values of one record (a number or text it cannot hold); other
    records can still be written."""


class TimeLimitError(EventwatchError):
    """Extracting one article took longer than its time limit (``eventwatch.deadline``)."""
