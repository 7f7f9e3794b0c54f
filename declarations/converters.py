"""The path converters of the URLs that carry a row's id or a year: `<id:pk>`
and `<year:year>`. Django's `<int:…>` takes any number of digits, so a
5,000-digit id reached the view (and int() and the database) before it could
be refused; these match only what can be an id or a year, and anything else
is the 404 page."""

from django.urls import register_converter

from declarations.fields import FIRST_YEAR, LAST_YEAR, MAX_ID, whole_number


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = whole_number(value, 1, MAX_ID)
        if number is None:
            raise ValueError(value)  # no match: a 404
        return number

    def to_url(self, value) -> str:
        return str(value)


class YearConverter(IdConverter):
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = whole_number(value, FIRST_YEAR, LAST_YEAR)
        if year is None:
            raise ValueError(value)
        return year


def register():
    register_converter(IdConverter, "id")
    register_converter(YearConverter, "year")
