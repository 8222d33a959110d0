"""Demo data: a real province's units, a few users, and (from the archive) a real-looking archive.

Idempotent: every step checks what exists first, so ``sulieu demo`` can run any number of times.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.module_loading import import_string

DEMO_PASSWORD = "sulieu-demo-2026"
DEMO_PROVINCE = "Khánh Hòa"

# Further steps, run after the units and users exist: dotted paths to functions taking
# (context: dict, log: Callable[[str], None]). Apps add theirs here (archive, search).
EXTRA_STEPS: list[str] = [
    "archive.demo.load_demo",
    "oversight.demo.load_demo",
    "contests.demo.load_demo",
    "books.demo.load_demo",
    "portal.demo.load_demo",
]


def _user(username: str, *, superuser: bool = False, first_name: str = "", last_name: str = "") -> Any:
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "is_staff": True, "is_superuser": superuser,
                  "email": f"{username}@example.org"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def load_demo(log: Callable[[str], None] = print) -> dict[str, Any]:
    from orgs.adminunits import load_province
    from orgs.models import OrgUnit, Role, UnitKind
    from orgs.services import membership_set, orgunit_get_or_create

    admin = _user("admin", superuser=True, first_name="Quản trị")
    log(f"units: loading {DEMO_PROVINCE} (before and after 1/7/2025)…")
    result = load_province(DEMO_PROVINCE, by=admin)
    province = result.province
    log(f"units: {result.created} created, {result.existing} already there")
    with transaction.atomic():
        committee, _ = orgunit_get_or_create(kind=UnitKind.PARTY_COMMITTEE, code="TU-56",
                                             name="Tỉnh ủy Khánh Hòa", short_name="Tỉnh ủy", parent=province,
                                             by=admin)
        propaganda, _ = orgunit_get_or_create(kind=UnitKind.DEPARTMENT, code="BTGDVTU-56",
                                              name="Ban Tuyên giáo và Dân vận Tỉnh ủy Khánh Hòa",
                                              short_name="Ban Tuyên giáo và Dân vận", parent=committee, by=admin)
        commune = OrgUnit.objects.filter(parent=province, valid_to__isnull=True).order_by("name").first()
        archivist = _user("luutru", first_name="Lưu trữ viên", last_name="Nguyễn")
        membership_set(user=archivist, unit=committee, role=Role.ARCHIVIST, by=admin)
        compiler = _user("biensoan", first_name="Biên soạn", last_name="Trần")
        membership_set(user=compiler, unit=propaganda, role=Role.COMPILER, by=admin)
        reader = _user("bandoc", first_name="Bạn đọc", last_name="Lê")
        reader.is_staff = False
        reader.save(update_fields=["is_staff"])
        if commune is not None:
            membership_set(user=reader, unit=commune, role=Role.READER, by=admin)
    context = {"admin": admin, "province": province, "committee": committee, "propaganda": propaganda,
               "commune": commune, "archivist": archivist,
               "demo_user": _user}  # demo_user(username, first_name=…, last_name=…): staff, the demo password
    for dotted in EXTRA_STEPS:
        try:
            step = import_string(dotted)
        except ImportError:
            continue  # that part of the platform is not installed yet
        step(context, log)
    return context
