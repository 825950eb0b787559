"""Learned models: whether a sentence reports an event, and its ACLED sub-event type.

``features`` turns text into hashed n-grams, ``classifier`` reads a linear model over them,
``models`` loads the shipped weights (``weights/``, rebuilt by ``make train``).
"""
