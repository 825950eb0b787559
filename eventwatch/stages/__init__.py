"""The pipeline's stages, one module each, in the order the data flows through them.

The order is declared once, in ``eventwatch.pipeline.Pipeline.run``:
sentences -> places -> detect -> dates -> merge, then per incident
classify (detect) -> numbers -> actors -> ceasefire, and finally events.
"""
