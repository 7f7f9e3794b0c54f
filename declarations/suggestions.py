"""Indicators to suggest for a row being filled, each saying where it comes
from, in this order: the unit's own declaration of the same project in
earlier years, approved declarations of similar projects the user may read
(this year and last), then the approved entries of the indicator library,
those of the project's categories first."""

from dataclasses import asdict, dataclass

from declarations.access import readable_organizations
from declarations.layouts.versions import definition_of
from declarations.models import Declaration, DeclarationKind, IndicatorRow, Status
from indicators.library.categories import GENERAL, categories_of
from indicators.library.similarity import grams, likeness, similarity
from indicators.models import IndicatorLevel2, LibraryEntry

LIMIT = 8
# Similar projects: at most this many, each at least this alike.
SIMILAR_PROJECTS, SIMILAR_AT_LEAST = 5, 0.2
# A library entry's rank: one point per category of the project it is
# tagged with, this much for the likeness of its name, tags and source to
# the project's name and 资金用途 (0 to 1), and this much if it is general.
RELEVANCE, GENERAL_BONUS = 2.0, 0.3


@dataclass(frozen=True)
class Suggestion:
    source: str  # 2021 年 本单位, 相似项目：…, 指标库
    level1_id: int
    level2_id: int
    name: str
    value: str = ""
    description: str = ""
    basis: str = ""
    explanation: str = ""
    unit: str = ""

    def as_json(self) -> dict:
        return asdict(self)


def _row_suggestion(row: IndicatorRow, source: str) -> Suggestion:
    return Suggestion(
        source=source,
        level1_id=row.level1_id,
        level2_id=row.level2_id,
        name=row.level3,
        value=row.value,
        description=row.description,
        basis=row.basis,
        explanation=row.explanation,
        unit=row.value_unit,
    )


def project_text(declaration: Declaration) -> str:
    return f"{declaration.project_name} {declaration.fund_use}"


def own_earlier(declaration: Declaration, level2_id: int) -> list[Suggestion]:
    """The rows of this project in the unit's earlier declarations, newest
    year first (the same code, or the same name where it has none)."""
    same = (
        {"project_code": declaration.project_code}
        if declaration.project_code
        else {"project_name": declaration.project_name}
    )
    rows = (
        IndicatorRow.objects.filter(
            declaration__organization_id=declaration.organization_id,
            declaration__year__lt=declaration.year,
            declaration__kind=declaration.kind,
            level2_id=level2_id,
            **{f"declaration__{k}": v for k, v in same.items()},
        )
        .exclude(level3="")
        .select_related("declaration")
        .order_by("-declaration__year", "position")
    )
    return [_row_suggestion(r, f"{r.declaration.year} 年 本单位") for r in rows]


def similar_projects(declaration: Declaration, user) -> list[tuple[float, Declaration]]:
    """Approved project declarations of this year and last, in organizations
    the user may read, most alike first (name and 资金用途)."""
    candidates = (
        Declaration.objects.filter(
            organization__in=readable_organizations(user),
            status=Status.APPROVED,
            kind=DeclarationKind.PROJECT,
            year__in=[declaration.year, declaration.year - 1],
        )
        .exclude(pk=declaration.pk)
        .only("pk", "project_name", "fund_use", "year")
    )
    mine = grams(project_text(declaration))
    scored = [(similarity(mine, grams(project_text(d))), d) for d in candidates]
    scored = [(s, d) for s, d in scored if s >= SIMILAR_AT_LEAST]
    scored.sort(key=lambda x: (-x[0], -x[1].year, x[1].pk))
    return scored[:SIMILAR_PROJECTS]


def from_similar(similar, level2_id: int) -> list[Suggestion]:
    order = {d.pk: i for i, (_, d) in enumerate(similar)}
    names = {d.pk: d.project_name for _, d in similar}
    rows = IndicatorRow.objects.filter(
        declaration_id__in=order, level2_id=level2_id
    ).exclude(level3="")
    rows = sorted(rows, key=lambda r: (order[r.declaration_id], r.position))
    return [_row_suggestion(r, f"相似项目：{names[r.declaration_id]}") for r in rows]


def from_library(declaration: Declaration, level2_id: int) -> list[Suggestion]:
    """The library's approved entries of the level: those of the project's
    categories first, then the general ones, the most used first."""
    wanted = categories_of(project_text(declaration))
    level1_id = (
        IndicatorLevel2.objects.filter(pk=level2_id)
        .order_by()
        .values_list("level1_id", flat=True)
        .first()
    )
    mine = frozenset(grams(project_text(declaration)))
    # Plain tuples, not model instances: a level may hold a thousand entries.
    entries = (
        LibraryEntry.objects.filter(
            state=LibraryEntry.State.APPROVED, level2_id=level2_id
        )
        .order_by()  # ranked below; no join for the model's ordering
        .values_list(
            "name",
            "values",
            "basis",
            "explanation",
            "unit",
            "categories",
            "uses",
            "keywords",
            "sectors",
            "source",
        )
    )

    def rank(entry):
        name, *_, categories, uses, keywords, sectors, source = entry
        tags = set(LibraryEntry.tags(categories))
        about = likeness(mine, f"{name}{keywords}{sectors}{source}")
        score = (
            len(tags & wanted) + RELEVANCE * about + GENERAL_BONUS * (GENERAL in tags)
        )
        return (-score, -uses, name)

    return [
        Suggestion(
            source="指标库",
            level1_id=level1_id,
            level2_id=level2_id,
            name=name,
            value=values.split("、")[0] if values else "",
            basis=basis,
            explanation=explanation,
            unit=unit,
        )
        for name, values, basis, explanation, unit, *_ in sorted(entries, key=rank)
    ]


def suggest(
    declaration: Declaration,
    user,
    *,
    level2_id: int,
    typed: str = "",
    limit: int | None = LIMIT,
) -> list[Suggestion]:
    """Suggestions for a row of `declaration` at the second level, matching
    what is typed of its name (if anything), each name once."""
    found = [
        *own_earlier(declaration, level2_id),
        *from_similar(similar_projects(declaration, user), level2_id),
        *from_library(declaration, level2_id),
    ]
    typed = typed.strip()
    if typed:
        want = grams(typed)
        found = [
            s
            for s in found
            if typed in s.name or similarity(want, grams(s.name)) >= 0.3
        ]
    seen, kept = set(), []
    for suggestion in found:
        if suggestion.name not in seen:
            seen.add(suggestion.name)
            kept.append(suggestion)
    return kept[:limit]


def draft(declaration: Declaration, user, taxonomy) -> list[Suggestion]:
    """A first draft of the whole indicator table: the rows of the most
    similar approved project, then, for every level the checks ask for that
    it lacks (each required first level, each 必填 second level of the
    layout), the rows of the next similar projects or else the library's
    first entry. The clerk edits it before saving."""
    similar = similar_projects(declaration, user)
    rows = []
    if similar:
        rows = [
            _row_suggestion(r, f"相似项目：{similar[0][1].project_name}")
            for r in IndicatorRow.objects.filter(declaration_id=similar[0][1].pk)
            .exclude(level3="")
            .order_by("position")
        ]
    # What the checks ask for: (a second level, whether that very level
    # must have a row, or only its first level).
    wanted = []
    if definition_of(declaration).mandatory_level2:
        wanted = [(l2, True) for l2 in taxonomy.level2s if l2.mandatory]
    for level1 in taxonomy.level1s:
        children = taxonomy.children(level1.pk)
        if (
            level1.required
            and children
            and not any(l2.level1_id == level1.pk for l2, _ in wanted)
        ):
            wanted.append((children[0], False))

    def covered(level2, exactly) -> bool:
        if exactly:
            return any(r.level2_id == level2.pk for r in rows)
        return any(
            taxonomy.level2_by_id[r.level2_id].level1_id == level2.level1_id
            for r in rows
            if r.level2_id in taxonomy.level2_by_id
        )

    for level2, exactly in wanted:
        if not covered(level2, exactly):
            rows += (
                from_similar(similar[1:], level2.pk)[:1]
                or from_library(declaration, level2.pk)[:1]
            )
    order = {l2.pk: i for i, l2 in enumerate(taxonomy.level2s)}
    return sorted(rows, key=lambda r: order.get(r.level2_id, len(order)))
