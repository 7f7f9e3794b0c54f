"""Layouts as data: a definition says what one province's printed table
holds (definition), the fields a definition may name (catalogue) and the
definitions shipped with the app (builtin/*.json)."""
