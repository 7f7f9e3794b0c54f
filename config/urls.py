from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from declarations.views import general

admin.site.site_header = "绩效目标申报系统管理"
admin.site.site_title = "绩效目标申报"
admin.site.index_title = "系统管理"

urlpatterns = [
    # Passwords are reset by an administrator, so no self-service reset pages.
    path("accounts/login/", general.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("", include("declarations.urls")),
]

handler400 = "declarations.views.general.bad_request"
handler404 = "declarations.views.general.not_found"
