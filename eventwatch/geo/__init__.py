"""Places: the embedded gazetteer, name normal forms and place mentions in text."""

from eventwatch.geo.gazetteer import Gazetteer, build_gazetteer, default_path
from eventwatch.geo.normalize import name_key

__all__ = ["Gazetteer", "build_gazetteer", "default_path", "name_key"]
