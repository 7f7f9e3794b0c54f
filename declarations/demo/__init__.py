"""Demo data: the three bureaus of the reference tables, their people, and
the published tables they filed (`manage.py load_demo`)."""
