"""`make editor-user NAME [ROLE=publisher]`: an account for the editor; the password is asked for,
twice, checked and hashed by Django."""

import getpass

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from editor.roles import ROLES, ensure_roles


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--role", choices=sorted(ROLES), default="editor")

    def handle(self, name, role, **options):
        ensure_roles()
        users = get_user_model()
        user = users.objects.filter(username=name).first() or users(username=name)
        password = getpass.getpass(f"Password for {name}: ")
        if password != getpass.getpass("The same again: "):
            raise CommandError("the passwords differ: nothing changed")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.set_password(password)
        user.is_staff = True  # the admin's pages; what they may do there is the role's
        user.save()
        user.groups.set([users.groups.rel.model.objects.get(name=role)])
        self.stdout.write(f"{name}: {role}")
