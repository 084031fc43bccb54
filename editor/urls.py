from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = admin.site.site_title = _("Helsinki international work: fact base")
admin.site.index_title = _("Fact base")

urlpatterns = [path("editor/", admin.site.urls)]
