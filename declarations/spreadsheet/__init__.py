"""Declarations as spreadsheets (xlsx and csv): the columns, reading files
within limits, the export and the import."""
