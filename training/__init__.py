"""Training and benchmark helpers: the learning sets and their measures (not part of the eventwatch package)."""
