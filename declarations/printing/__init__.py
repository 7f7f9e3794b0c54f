"""Printing: rendering HTML to PDF (render), the printed table (layout), a
declaration's PDF, the department book, kept files and background tasks."""
