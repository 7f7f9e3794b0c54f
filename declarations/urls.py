from django.urls import path

from declarations.views import (
    batch,
    department,
    detail,
    entry,
    exchange,
    general,
    lists,
    notifications,
    printing,
    review,
    suggestions,
    word,
)

urlpatterns = [
    path("", general.home, name="home"),
    path("healthz", general.healthz, name="healthz"),
    path("declarations/", lists.declaration_list, name="declaration_list"),
    path("declarations/new/", lists.declaration_new, name="declaration_new"),
    path("declarations/copy/", lists.declaration_copy, name="declaration_copy"),
    path(
        "declarations/export/",
        exchange.export_declarations,
        name="declaration_export",
    ),
    path(
        "declarations/import/",
        exchange.import_declarations,
        name="declaration_import",
    ),
    path(
        "declarations/import/confirm/",
        exchange.import_confirm,
        name="declaration_import_confirm",
    ),
    path(
        "declarations/import/jobs/<id:pk>/",
        exchange.import_job,
        name="import_job",
    ),
    path(
        "declarations/new-department-wide/",
        lists.department_wide_new,
        name="department_wide_new",
    ),
    path("declarations/<id:pk>/", detail.declaration_detail, name="declaration_detail"),
    path(
        "declarations/<id:pk>/copy-next-year/",
        lists.declaration_copy_next_year,
        name="declaration_copy_next_year",
    ),
    path(
        "declarations/<id:pk>/edit/<slug:step>/",
        entry.edit_step,
        name="declaration_step",
    ),
    path(
        "declarations/<id:pk>/suggestions/",
        suggestions.indicator_suggestions,
        name="indicator_suggestions",
    ),
    path(
        "declarations/<id:pk>/indicator-draft/",
        suggestions.indicator_draft,
        name="indicator_draft",
    ),
    path(
        "declarations/<id:pk>/propose-to-library/",
        review.propose_to_library,
        name="propose_to_library",
    ),
    path("declarations/<id:pk>/submit/", review.submit, name="declaration_submit"),
    path(
        "declarations/<id:pk>/withdraw/", review.withdraw, name="declaration_withdraw"
    ),
    path("declarations/<id:pk>/review/", review.review, name="review"),
    path(
        "declarations/<id:pk>/comments/<id:comment_pk>/answer/",
        review.answer_row_comment,
        name="row_comment_answer",
    ),
    path("declarations/<id:pk>/reopen/", review.reopen, name="declaration_reopen"),
    path("review/", review.review_queue, name="review_queue"),
    path("review/batch/", batch.review_batch, name="review_batch"),
    path("review/batch/result/", batch.review_batch_result, name="review_batch_result"),
    path("review/batch/pdfs/", batch.batch_pdfs, name="review_batch_pdfs"),
    path("review/batch/pdfs/<str:token>/", batch.pdf_pack, name="pdf_pack"),
    path(
        "review/batch/pdfs/<str:token>/retry/",
        batch.pdf_pack_retry,
        name="pdf_pack_retry",
    ),
    path("notifications/", notifications.notification_list, name="notifications"),
    path(
        "notifications/read-all/",
        notifications.notifications_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifications/<id:pk>/open/",
        notifications.notification_open,
        name="notification_open",
    ),
    path("declarations/<id:pk>/pdf/", printing.declaration_pdf, name="declaration_pdf"),
    path("declarations/<id:pk>/docx/", word.declaration_docx, name="declaration_docx"),
    path("department/", department.department_home, name="department_home"),
    path("department/goals/", department.goals_start, name="department_goals_start"),
    path("department/goals/<id:pk>/", department.goals_edit, name="department_goals"),
    path(
        "department/<id:pk>/book/<year:year>/pdf/",
        printing.book_pdf,
        name="department_book",
    ),
    path(
        "department/<id:pk>/book/<year:year>/retry/",
        printing.book_retry,
        name="department_book_retry",
    ),
    path(
        "department/<id:pk>/book/<year:year>/docx/",
        word.book_docx,
        name="department_book_docx",
    ),
]
