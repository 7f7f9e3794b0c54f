"""The indicator library (指标库): its seed, curation and, from it, the
suggestions of the entry step."""
