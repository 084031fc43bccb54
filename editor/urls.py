from django.contrib import admin
from django.urls import path

admin.site.site_header = admin.site.site_title = "Helsinki international work: fact base"
admin.site.index_title = "Fact base"

urlpatterns = [path("editor/", admin.site.urls)]
