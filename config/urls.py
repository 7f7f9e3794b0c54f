from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "绩效目标申报系统管理"
admin.site.site_title = "绩效目标申报"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("declarations.urls")),
]

handler404 = "declarations.views.general.not_found"
