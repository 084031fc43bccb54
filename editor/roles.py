"""The editor's two roles, as Django groups: an editor writes the draft; a publisher also publishes it
and changes the fact base's own settings."""

from django.contrib.auth.models import Group, Permission

RECORDS = ("source", "entity", "topic", "fact", "sourcetext")
EDITOR = [f"{action}_{model}" for model in RECORDS for action in ("add", "change", "view")] + [
    "view_publication",
    "view_setting",
]
PUBLISHER = EDITOR + ["publish", "change_setting", "delete_source", "delete_entity", "delete_topic", "delete_fact"]
ROLES = {"editor": EDITOR, "publisher": PUBLISHER}


def ensure_roles() -> None:
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="editor", codename__in=codenames))
