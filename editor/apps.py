from django.apps import AppConfig


class EditorConfig(AppConfig):
    name = "editor"
    verbose_name = "Fact base"
    default_auto_field = "django.db.models.BigAutoField"
