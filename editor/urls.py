from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from editor import signals

admin.site.site_header = admin.site.site_title = _("Helsinki international work: fact base")
admin.site.index_title = _("Fact base")

# Residents' signals (editor/signals.py) behind the admin's login (admin_view), beside its own pages.
urlpatterns = [
    path("editor/signals/", admin.site.admin_view(signals.page), name="editor_signals"),
    path("editor/signals/to-fact/", admin.site.admin_view(signals.to_fact), name="editor_signals_to_fact"),
    path("editor/", admin.site.urls),
]
