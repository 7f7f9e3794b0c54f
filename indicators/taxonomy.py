"""The taxonomy loaded once per request, with lookups by name and alias."""

import re
from dataclasses import dataclass, field
from functools import cached_property

from indicators.models import IndicatorLevel1, IndicatorLevel2, LibraryEntry

# "社会效益 指标 (必填)" and "服务对象 满意度指标（必填硬性指标）" are the same
# names as "社会效益指标" and "服务对象满意度指标".
_MARKS = re.compile(r"[（(]\s*必填[^）)]*[）)]")


def normalise_name(text: str) -> str:
    """Compare names without spaces, 必填 marks or the trailing 指标."""
    return re.sub(r"\s+", "", _MARKS.sub("", text or "")).removesuffix("指标")


@dataclass
class Taxonomy:
    level1s: list[IndicatorLevel1]
    level2s: list[IndicatorLevel2]
    level1_by_id: dict[int, IndicatorLevel1] = field(init=False)
    level2_by_id: dict[int, IndicatorLevel2] = field(init=False)

    def __post_init__(self):
        self.level1_by_id = {x.pk: x for x in self.level1s}
        self.level2_by_id = {x.pk: x for x in self.level2s}
        # Names and aliases normalised once; the first level to claim a name
        # keeps it, as a search in taxonomy order would find it.
        self._level1_by_name = {}
        for level1 in self.level1s:
            for name in [level1.name, *level1.alias_list()]:
                self._level1_by_name.setdefault(normalise_name(name), level1)
        self._level2_by_name = {}
        for level2 in self.level2s:
            for name in [level2.name, *level2.alias_list()]:
                key = (level2.level1_id, normalise_name(name))
                self._level2_by_name.setdefault(key, level2)

    @classmethod
    def load(cls) -> "Taxonomy":
        return cls(
            list(IndicatorLevel1.objects.all()),
            list(IndicatorLevel2.objects.all()),
        )

    @cached_property
    def library(self) -> dict[tuple[int, str], LibraryEntry]:
        """The approved library entries by (second level, name), read once
        when a check first asks for them."""
        entries = LibraryEntry.objects.filter(state=LibraryEntry.State.APPROVED).only(
            "level2_id", "name", "unit", "operator", "values"
        )
        return {(e.level2_id, e.name): e for e in entries}

    def children(self, level1_id: int) -> list[IndicatorLevel2]:
        return [x for x in self.level2s if x.level1_id == level1_id]

    def find_level1(self, text: str) -> IndicatorLevel1 | None:
        return self._level1_by_name.get(normalise_name(text))

    def find_level2(self, level1: IndicatorLevel1, text: str) -> IndicatorLevel2 | None:
        return self._level2_by_name.get((level1.pk, normalise_name(text)))

    def only_parent(self, level2_text: str) -> IndicatorLevel1 | None:
        """The first level of a second-level name that belongs to one first
        level alone (数量指标 → 产出指标), else None."""
        name = normalise_name(level2_text)
        parents = {pk for pk, n in self._level2_by_name if n == name}
        return self.level1_by_id.get(parents.pop()) if len(parents) == 1 else None
