"""Reviewing several declarations at once from the list, and downloading
several PDFs as one zip."""

import uuid
from urllib.parse import parse_qsl, urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from declarations import selectors
from declarations.http import file_response, ids_of
from declarations.printing import packs, tasks
from declarations.services import batch
from declarations.services.errors import DomainError
from declarations.text import clean_text

RESULT_KEY = "batch-result"


def _chosen_ids(request) -> list[int]:
    # One past the limit, so that the service can say there are too many.
    return ids_of(request.POST.getlist("declaration"), most=batch.BATCH_LIMIT + 1)


def _back(request, ids=()) -> str:
    """The list the batch was posted from, with the selection ticked again."""
    back = request.POST.get("back", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("declaration_list")
    # The ticks of an earlier refused batch are not this one's.
    path, _, query = back.partition("?")
    kept = [
        (k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "selected"
    ]
    back = f"{path}?{urlencode(kept)}" if kept else path
    if ids:
        joiner = "&" if "?" in back else "?"
        back += joiner + urlencode({"selected": ",".join(map(str, ids))})
    return back


@require_POST
def review_batch(request):
    ids = _chosen_ids(request)
    if not ids:
        messages.error(request, "请先勾选要审核的申报表（状态为“待审核”的）。")
        return redirect(_back(request))
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            result = batch.approve_many(
                ids, by=request.user, grade=request.POST.get("grade", "")
            )
        elif decision == "return":
            comment = clean_text(request.POST.get("comment", ""))
            result = batch.return_many(ids, by=request.user, comment=comment)
        else:
            raise DomainError("请选择“批量审核通过”或“批量退回修改”。")
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(_back(request, ids))
    request.session[RESULT_KEY] = {
        "decision": decision,
        "done": [d.pk for d in result.done],
        "refused": [[d.pk, reason] for d, reason in result.refused],
        "unknown": result.unknown,
        "back": _back(request),
    }
    return redirect("review_batch_result")


@require_GET
def review_batch_result(request):
    kept = request.session.get(RESULT_KEY)
    if not kept:
        return redirect("declaration_list")
    return render(
        request,
        "declarations/batch_result.html",
        selectors.batch_result(request.user, kept),
    )


@require_POST
def batch_pdfs(request):
    ids = _chosen_ids(request)
    chosen = selectors.readable_declarations(request.user, ids)
    if not chosen:
        messages.error(request, "请先勾选要下载 PDF 的申报表。")
        return redirect(_back(request))
    if len(chosen) <= packs.IN_REQUEST:
        return file_response(
            packs.pack(chosen), packs.pack_name(len(chosen)), "application/zip"
        )
    token = uuid.uuid4().hex
    result = tasks.pack_pdfs.enqueue(request.user.pk, [d.pk for d in chosen], token)
    waiting = request.session.get("packs", {})
    waiting[token] = {"result": str(result.id), "count": len(chosen)}
    request.session["packs"] = dict(list(waiting.items())[-10:])
    return redirect("pdf_pack", token=token)


@require_GET
def pdf_pack(request, token):
    """A zip a worker packs: the download once it is ready, until then a
    page that says how many it is packing and looks again by itself."""
    waiting = request.session.get("packs", {}).get(token)
    if waiting is None:
        raise Http404("没有这个打包任务。")
    status = tasks.pack_status(waiting["result"])
    if status == "done":
        if (data := packs.read_pack(token)) is not None:
            return file_response(
                data, packs.pack_name(waiting["count"]), "application/zip"
            )
        status = "failed"  # swept since, or cut short: packed again on request
    return render(
        request,
        "declarations/pack_preparing.html",
        {"count": waiting["count"], "status": status, "token": token},
        status=202 if status == "waiting" else 500,
    )


@require_POST
def pdf_pack_retry(request, token):
    """Pack again a zip whose packing failed, whose worker died, or that is
    gone."""
    packing = request.session.get("packs", {})
    if token not in packing:
        raise Http404("没有这个打包任务。")
    again = tasks.pack_again(packing[token]["result"], request.user.pk)
    if again is not None:
        packing[token]["result"] = again
        request.session["packs"] = packing
    return redirect("pdf_pack", token=token)
