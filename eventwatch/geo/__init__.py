"""Places: the embedded gazetteer, name normal forms and place mentions in text."""

from eventwatch.geo.gazetteer import Gazetteer, build_gazetteer, default_path
from eventwatch.geo.mentions import PlaceMention, ResolvedPlace, find_places, resolve
from eventwatch.geo.normalize import name_key

__all__ = [
    "Gazetteer",
    "PlaceMention",
    "ResolvedPlace",
    "build_gazetteer",
    "default_path",
    "find_places",
    "name_key",
    "resolve",
]
