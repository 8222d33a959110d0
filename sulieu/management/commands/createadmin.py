from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Create (or reset the password of) a back-office administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--password-env", default="SULIEU_ADMIN_PASSWORD",
                            help="read the password from this environment variable instead of a prompt")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get(options["password_env"])
        if not password:
            password = getpass.getpass("Mật khẩu / Password: ")
        User = get_user_model()
        user = User.objects.filter(username=options["username"]).first() or User(username=options["username"])
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        user.email = options["email"] or user.email
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(f"administrator {user.username} ready")
