"""Suggested indicators for the row being filled (declarations.suggestions),
asked for by the entry page's script as the name is typed."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from declarations.access import declaration_for
from declarations.fields import parse_id
from declarations.suggestions import draft, suggest
from indicators.taxonomy import Taxonomy

MAX_TYPED = 50  # a name is at most a few words; longer text is not a query


@require_GET
def indicator_suggestions(request, pk):
    declaration = declaration_for(request.user, pk, write=True)
    level2_id = parse_id(request.GET.get("level2", ""))
    if level2_id is None:
        return JsonResponse({"suggestions": [], "message": "请先选择二级指标。"})
    typed = request.GET.get("q", "")[:MAX_TYPED]
    found = suggest(declaration, request.user, level2_id=level2_id, typed=typed)
    return JsonResponse({"suggestions": [s.as_json() for s in found]})


@require_GET
def indicator_draft(request, pk):
    declaration = declaration_for(request.user, pk, write=True)
    found = draft(declaration, request.user, Taxonomy.load())
    if not found:
        return JsonResponse(
            {"rows": [], "message": "还没有可参考的相似项目或指标库条目，请逐行填写。"}
        )
    return JsonResponse({"rows": [s.as_json() for s in found]})
