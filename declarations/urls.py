from django.urls import path

from declarations.views import entry, general, lists, review

urlpatterns = [
    path("", general.home, name="home"),
    path("healthz", general.healthz, name="healthz"),
    path("declarations/", lists.declaration_list, name="declaration_list"),
    path("declarations/new/", lists.declaration_new, name="declaration_new"),
    path("declarations/copy/", lists.declaration_copy, name="declaration_copy"),
    path("declarations/<int:pk>/", entry.review_step, name="declaration_detail"),
    path(
        "declarations/<int:pk>/copy-next-year/",
        lists.declaration_copy_next_year,
        name="declaration_copy_next_year",
    ),
    path(
        "declarations/<int:pk>/edit/<slug:step>/",
        entry.edit_step,
        name="declaration_step",
    ),
    path("declarations/<int:pk>/submit/", review.submit, name="declaration_submit"),
    path(
        "declarations/<int:pk>/withdraw/", review.withdraw, name="declaration_withdraw"
    ),
    path("declarations/<int:pk>/review/", review.review, name="review"),
    path("declarations/<int:pk>/reopen/", review.reopen, name="declaration_reopen"),
    path("review/", review.review_queue, name="review_queue"),
    path("declarations/<int:pk>/pdf/", general.declaration_pdf, name="declaration_pdf"),
]
