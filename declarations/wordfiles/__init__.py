"""Word (.docx) files: reading declarations from them, writing them as Word."""
