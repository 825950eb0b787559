"""The five learning sets of ``shared/data``, read into one record type, with a fixed split.

Each set's own labels are mapped to ACLED's vocabulary by the tables below
(drawn from the set's SOURCE.md); where a set cannot say a field, the field is
None.  Nothing here is copied into the project: the files are read in place,
from ``../shared/data`` beside the repository, or from ``$EVENTWATCH_SHARED/data``.

The split (also in docs/realworld.md)::

    validation  <=>  int(sha256(f"eventwatch-split:{set}:{key}").hexdigest(), 16) % 5 == 0

about one record in five.  ``key`` is the record's stable id where the set has
one (satp: "satp-101010701"; ipe: the doc_id as a string, so that the
sentences of a document follow it) and its text where it has none (isaf,
cameo).  Mass Mobilization is keyed by its text, not its id: MM reuses one note
for recurring protests (1,187 records share a note), and a key by id would put
the same text on both sides.  The split never changes: a record is validation
or training for good, whatever else is added.

    >>> from training.datasets import load
    >>> records = load("satp", "validation")
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

SETS = ("satp", "isaf", "cameo", "mm", "ipe")
PARTS = ("train", "validation", "all")

ROOT = Path(__file__).resolve().parents[1]

# Each set's files under shared/data.
FOLDERS = {
    "satp": ("satp", ("satp.jsonl",)),
    "isaf": ("isaf-press-releases", ("isaf.jsonl",)),
    "cameo": ("cameo-sentences", ("train.tsv", "test.tsv")),
    "mm": ("mass-mobilization", ("mm.jsonl",)),
    "ipe": ("india-police-events", ("docs.jsonl",)),
}


@dataclass(frozen=True, slots=True)
class Gold:
    """What the set's coders say about one text, in ACLED's terms (None: the set cannot say)."""

    event: bool  # the text reports an ACLED-style event
    event_type: str | None = None
    sub_event_type: str | None = None
    fatalities: int | None = None
    injuries: int | None = None
    killed_by_side: dict[str, int] | None = None
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    event_date: str | None = None  # ISO date
    actor1_type: str | None = None  # an ACLED inter code name (eventwatch.vocab.ACTOR_TYPES)
    labels: tuple[str, ...] = ()  # the set's own raw labels


@dataclass(frozen=True, slots=True)
class Record:
    set: str
    id: str
    text: str
    published: str | None  # ISO date, when the set gives one a reader would have
    gold: Gold


class DataMissing(RuntimeError):
    """The shared data folder or one of its files is not where it should be."""


def is_validation(set_name: str, key: str) -> bool:
    """True when the record keyed ``key`` of ``set_name`` belongs to the validation part."""
    digest = hashlib.sha256(f"eventwatch-split:{set_name}:{key}".encode()).hexdigest()
    return int(digest, 16) % 5 == 0


def data_dir() -> Path:
    """``$EVENTWATCH_SHARED/data`` if set, else ``../shared/data`` beside the repository."""
    shared = os.environ.get("EVENTWATCH_SHARED")
    base = Path(shared) if shared else ROOT.parent / "shared"
    folder = base / "data"
    if not folder.is_dir():
        raise DataMissing(
            f"the learning sets are not at {folder}: put the shared folder beside the "
            "repository (../shared/data) or set EVENTWATCH_SHARED to the path of shared/"
        )
    return folder


def load(set_name: str, part: str = "all") -> list[Record]:
    """The records of one set's ``part`` ("train", "validation" or "all"), in file order."""
    if set_name not in SETS:
        raise ValueError(f"unknown set {set_name!r}: choose one of {', '.join(SETS)}")
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}: choose one of {', '.join(PARTS)}")
    folder, names = FOLDERS[set_name]
    paths = [data_dir() / folder / name for name in names]
    for path in paths:
        if not path.is_file():
            raise DataMissing(f"{path} is missing: the shared data folder is incomplete")
    keyed = _READERS[set_name](paths)
    if part == "all":
        return [record for _, record in keyed]
    want = part == "validation"
    return [record for key, record in keyed if is_validation(set_name, key) == want]


def ipe_sentences(part: str = "all") -> list[Record]:
    """IndiaPoliceEvents sentences with their own labels, split with their document."""
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}: choose one of {', '.join(PARTS)}")
    path = data_dir() / FOLDERS["ipe"][0] / "sents.jsonl"
    if not path.is_file():
        raise DataMissing(f"{path} is missing: the shared data folder is incomplete")
    out = []
    for row in _jsonl(path):
        key = str(row["doc_id"])
        if part != "all" and is_validation("ipe", key) != (part == "validation"):
            continue
        labels = tuple(row["sent_labels"])
        out.append(Record(
            set="ipe", id=f"ipe-{key}-{row['sent_id']}", text=row["sent_text"],
            published=None, gold=_ipe_gold(labels),
        ))
    return out


# ---------------------------------------------------------------- SATP
# SOURCE.md: "armed_assault is an attack or a clash (Violence against civilians /
# Attack when the targets are civilians, Battles / Armed clash when two armed sides
# fight), bombing an explosion, abduction Abduction/forced disappearance, arrest
# Strategic developments / Arrests, surrender and seizure non-violent developments".
# Kind of action -> (event type, sub-event type); None where SATP's label alone
# cannot say.  armed_assault is resolved by the targets (SATP_ARMED_TARGETS).
SATP_ACTIONS: dict[str, tuple[str | None, str | None]] = {
    "bombing": ("Explosions/Remote violence", None),  # IED, grenade or landmine: the label does not say
    "abduction": ("Violence against civilians", "Abduction/forced disappearance"),
    "arrest": ("Strategic developments", "Arrests"),
    "seizure": ("Strategic developments", "Disrupted weapons use"),  # ACLED: seizures of weapons caches
    "infrastructure": ("Strategic developments", "Looting/property destruction"),
    "surrender": ("Strategic developments", None),  # ACLED codes some as "Other", some not at all
}
# SATP targets that are an armed side (an armed_assault on them is a clash) and
# that are civilians (an armed_assault on them only is an attack).
SATP_ARMED_TARGETS = frozenset({"security", "maoist", "non-maoist armed group"})
SATP_CIVILIAN_TARGETS = frozenset({"civilians", "government officials"})
# The violent actions, most telling first; a record's type is the first one's,
# unless two violent actions of different types are coded together.
SATP_VIOLENT = ("armed_assault", "bombing", "abduction")
# The non-violent ones, in the order that decides when only they are coded.
SATP_NON_VIOLENT = ("arrest", "seizure", "infrastructure", "surrender")
# SATP perpetrator -> ACLED inter code name (CPI-Maoist is a rebel group in ACLED).
SATP_PERPETRATOR = {"Maoist": "Rebel groups", "Security": "State forces"}
# State spellings that SATP writes two ways.
SATP_STATES = {"Andhra pradesh": "Andhra Pradesh", "New Delhi": "Delhi"}


def _satp_types(actions: list[str], targets: list[str]) -> tuple[str | None, str | None]:
    kinds = []
    for action in SATP_VIOLENT:
        if action not in actions:
            continue
        if action == "armed_assault":
            lowered = {t.lower() for t in targets}
            if lowered & SATP_ARMED_TARGETS:
                kinds.append(("Battles", "Armed clash"))
            elif lowered and lowered <= SATP_CIVILIAN_TARGETS:
                kinds.append(("Violence against civilians", "Attack"))
            else:
                kinds.append((None, None))
        else:
            kinds.append(SATP_ACTIONS[action])
    if len(kinds) == 1:
        return kinds[0]
    if kinds:  # two violent actions: the type only if they agree, never a sub-type
        types = {t for t, _ in kinds}
        return (types.pop() if len(types) == 1 else None), None
    for action in SATP_NON_VIOLENT:
        if action in actions:
            return SATP_ACTIONS[action]
    return None, None


def _read_satp(paths: list[Path]) -> list[tuple[str, Record]]:
    out = []
    for row in _jsonl(paths[0]):
        s = row["satp"]
        event_type, sub = _satp_types(s["actions"], s["targets"])
        sides = {k: v for k, v in s["fatalities"].items() if k != "total"}
        gold = Gold(
            event=True,  # every summary is one incident
            event_type=event_type, sub_event_type=sub,
            fatalities=s["fatalities"]["total"], injuries=s["injuries"].get("total"),  # 20 records lack injuries
            killed_by_side=sides,
            admin1=SATP_STATES.get(s["state"], s["state"]),
            latitude=s["latitude"], longitude=s["longitude"],
            event_date=row["published"],
            actor1_type=SATP_PERPETRATOR.get(s["perpetrator"]),
            labels=tuple(s["actions"]),
        )
        out.append((row["id"], Record("satp", row["id"], row["text"], row["published"], gold)))
    return out


# ---------------------------------------------------------------- ISAF
# Release kinds -> ACLED (event type, sub-event type); the first kind of this table
# present in a release decides.  Kill-or-capture raids and insurgents killed are
# fights between two armed sides; a detention is an arrest.
ISAF_KINDS: dict[str, tuple[str | None, str | None]] = {
    "airstrike": ("Explosions/Remote violence", "Air/drone strike"),
    "captureandkill": ("Battles", "Armed clash"),
    "insurgentskilled": ("Battles", "Armed clash"),
    "exchangeoffire": ("Battles", "Armed clash"),
    "detention": ("Strategic developments", "Arrests"),
    "civiliancasualty": (None, None),  # by air or by ground fire: the label does not say
}
# Province labels that are not one province.
ISAF_NOT_A_PROVINCE = frozenset({"", "southern afghanistan"})


def _read_isaf(paths: list[Path]) -> list[tuple[str, Record]]:
    out = []
    for row in _jsonl(paths[0]):
        labels = row["labels"]
        kinds = [k for joined in labels["event_type"] for k in joined.split(";")]
        event_type, sub = next((ISAF_KINDS[k] for k in ISAF_KINDS if k in kinds), (None, None))
        provinces = [p for p in labels["province"] if p not in ISAF_NOT_A_PROVINCE]
        gold = Gold(
            event=True,  # every release reports a raid, a strike or a detention
            event_type=event_type, sub_event_type=sub,
            fatalities=labels["min_killed"],
            admin1=provinces[0].title() if len(provinces) == 1 else None,
            event_date=labels["start_date"] or None,
            labels=tuple(kinds),
        )
        text = row["text"]
        record_id = "isaf-" + hashlib.sha256(text.encode()).hexdigest()[:12]
        out.append((text, Record("isaf", record_id, text, None, gold)))
    return out


# ---------------------------------------------------------------- CAMEO sentences
# Class -> (name, is an ACLED event).  Only material conflict is taken for an event;
# SOURCE.md warns that it also holds condemned attacks of years before and accidents.
CAMEO_CLASSES: dict[str, tuple[str, bool]] = {
    "0": ("statement", False),
    "1": ("verbal cooperation", False),
    "2": ("material cooperation", False),
    "3": ("verbal conflict", False),
    "4": ("material conflict", True),
}


def _read_cameo(paths: list[Path]) -> list[tuple[str, Record]]:
    out = []
    for path in paths:
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            text, _, label = line.rpartition("\t")
            if label not in CAMEO_CLASSES:
                raise DataMissing(f"{path}:{line_no}: class {label!r} is not 0-4; is the file intact?")
            record_id = f"cameo-{path.stem}-{line_no}"  # 4 sentences occur twice: the key is the text
            gold = Gold(event=CAMEO_CLASSES[label][1], labels=(label,))
            out.append((text, Record("cameo", record_id, text, None, gold)))
    return out


# ---------------------------------------------------------------- Mass Mobilization
# SOURCE.md's mapping, applied in this order: protester violence first, then the
# harshest state response.
MM_FORCE = frozenset({"beatings", "shootings", "killings"})
MM_INTERVENTION = frozenset({"arrests", "crowd dispersal"})
MM_SUB_TYPES = (  # (test, event type, sub-event type, actor1 type)
    ("violence", "Riots", "Violent demonstration", "Rioters"),
    ("force", "Protests", "Excessive force against protesters", "Protesters"),
    ("intervention", "Protests", "Protest with intervention", "Protesters"),
    ("otherwise", "Protests", "Peaceful protest", "Protesters"),
)


def mm_sub_type(protester_violence: bool, responses: list[str]) -> tuple[str, str, str]:
    """(event type, sub-event type, actor1 type) of one MM event, by SOURCE.md's mapping."""
    met = {
        "violence": protester_violence,
        "force": bool(MM_FORCE & set(responses)),
        "intervention": bool(MM_INTERVENTION & set(responses)),
        "otherwise": True,
    }
    _, event_type, sub, actor = next(row for row in MM_SUB_TYPES if met[row[0]])
    return event_type, sub, actor


def _read_mm(paths: list[Path]) -> list[tuple[str, Record]]:
    out = []
    for row in _jsonl(paths[0]):
        event_type, sub, actor = mm_sub_type(row["protester_violence"], row["state_responses"])
        labels = tuple(row["state_responses"]) + (("protester violence",) if row["protester_violence"] else ())
        gold = Gold(
            event=True, event_type=event_type, sub_event_type=sub,
            event_date=row["start_date"], actor1_type=actor, labels=labels,
        )
        key = " ".join(row["text"].split())  # MM's held-back share is split by the normalised note too
        out.append((key, Record("mm", row["id"], row["text"], None, gold)))
    return out


# ---------------------------------------------------------------- IndiaPoliceEvents
# Document labels that make the text report an ACLED-style event: police killed,
# used force, arrested, or stood by while violence went on.  ANY_ACTION alone
# (police said, deployed, filed a case) is not one, nor a document with no label;
# such a document may still tell of riot violence by others, so "no event where
# none" on this set is a lower bound.
IPE_EVENT_LABELS = frozenset({"KILL", "FORCE", "ARREST", "FAIL"})
# Labels that fix the ACLED type when they are the only event label.
IPE_TYPES: dict[str, tuple[str, str]] = {"ARREST": ("Strategic developments", "Arrests")}
IPE_STORY_DATE = re.compile(r"This story is from (\w+ \d{1,2}, \d{4})")


def _ipe_gold(labels: tuple[str, ...]) -> Gold:
    found = IPE_EVENT_LABELS & set(labels)
    event_type, sub = IPE_TYPES.get(next(iter(found)), (None, None)) if len(found) == 1 else (None, None)
    return Gold(event=bool(found), event_type=event_type, sub_event_type=sub, labels=labels)


def _read_ipe(paths: list[Path]) -> list[tuple[str, Record]]:
    out = []
    for row in _jsonl(paths[0]):
        key = str(row["doc_id"])
        text = row["doc_text"]
        match = IPE_STORY_DATE.search(text)
        published = datetime.strptime(match.group(1), "%B %d, %Y").date().isoformat() if match else None
        gold = _ipe_gold(tuple(sorted(row["doc_labels"])))
        out.append((key, Record("ipe", f"ipe-{key}", text, published, gold)))
    return out


def _jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise DataMissing(f"{path}:{line_no}: not JSON ({exc.msg}); is the file intact?") from None
    return rows


_READERS = {"satp": _read_satp, "isaf": _read_isaf, "cameo": _read_cameo, "mm": _read_mm, "ipe": _read_ipe}

__all__ = ["SETS", "Gold", "Record", "DataMissing", "is_validation", "load", "ipe_sentences", "data_dir",
           "mm_sub_type"]
