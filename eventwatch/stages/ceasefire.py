"""Stage · did the incident break a ceasefire or truce in force?

Only words that say so count: "violated the ceasefire", "a breach of the
truce", "despite a ceasefire".  A truce that is called for, proposed,
expired or collapsed is not one in force.
"""

from __future__ import annotations

import re

from eventwatch.doc import Doc, Incident

_TRUCE = r"(?:cease-?fires?|truces?|armistice|de-escalation (?:deal|agreement|zone))"
_BROKEN = re.compile(
    rf"\b(?:violat\w*|breach\w*|broke|broken|breaking|flout\w*|defy\w*|defied)\b[^.;]{{0,80}}?\b{_TRUCE}|"
    rf"\b{_TRUCE}\b[^.;]{{0,30}}?\b(?:violation|breach)\w*|"
    rf"\bdespite (?:a|the|an?\s+\w+)\s+(?:[\w-]+\s+){{0,2}}{_TRUCE}",
    re.I,
)
_NOT_IN_FORCE = re.compile(
    rf"\b(?:call(?:ed|s|ing)? for|propos\w*|expired?|collapsed?|lapsed?|ended|negotiat\w*|talks on|hopes? for)\b[^.;]{{0,40}}{_TRUCE}|"
    rf"\b{_TRUCE}\b[^.;]{{0,40}}\b(?:expired|collapsed|lapsed|ended|broke down)\b",
    re.I,
)


def violates_truce(text: str) -> bool:
    """The sentence says a ceasefire in force was broken."""
    return bool(_BROKEN.search(text)) and not _NOT_IN_FORCE.search(text)


def run(doc: Doc, incident: Incident) -> None:
    for index in incident.sentences:
        sentence = doc.sentences[index]
        match = _BROKEN.search(sentence.text)
        if match and not _NOT_IN_FORCE.search(sentence.text):
            incident.ceasefire_violation = True
            incident.spans["ceasefire_violation"] = doc.span(sentence.start + match.start(), sentence.start + match.end())
            return
