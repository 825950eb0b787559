"""The pipeline's stages, in the order the data flows through them.

Article-level stages run once per article; incident-level stages run once per
incident (one event being built).  The order is declared here and nowhere else.
"""

ARTICLE_STAGES = ("sentences", "places", "detect", "dates", "merge")
INCIDENT_STAGES = ("classify", "actors", "numbers", "ceasefire")
FINAL_STAGES = ("events",)
STAGES = ARTICLE_STAGES + INCIDENT_STAGES + FINAL_STAGES
