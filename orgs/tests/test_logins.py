"""Login throttling that cannot be turned against users (issue 10): the reported attacks, as a person makes them."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone
from wagtail.models import ModelLogEntry

from core.http import client_address
from orgs.models import LoginThrottle

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"


def login(client: Client, username: str, password: str) -> str:
    """Post the back-office login form; returns the page shown, "" when the login went through."""
    response = client.post("/admin/login/", {"username": username, "password": password})
    return "" if response.status_code == 302 else response.content.decode()


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def pass_the_delay(key: str) -> None:
    """The clock moves past the running lock (the row's deadline is put into the past)."""
    LoginThrottle.objects.filter(key=key).update(locked_until=timezone.now() - dt.timedelta(seconds=1))


def test_five_failures_lock_the_account_until_the_delay_passes_then_the_right_password_works(world, settings):
    settings.LOGIN_THROTTLE_DELAY = 60
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(4):
        assert "tạm khóa" not in login(attacker, "archivist", "wrong")
    assert "tạm khóa, hãy thử lại sau 1 phút" in login(attacker, "archivist", "wrong")  # the 5th failure
    assert "tạm khóa" in login(attacker, "archivist", "wrong")
    # the lock is on the account: the owner's right password waits too, from any address
    owner = Client(REMOTE_ADDR="10.0.0.9")
    assert "tạm khóa" in login(owner, "archivist", PASSWORD) and not logged_in(owner)
    row = LoginThrottle.objects.get(kind="name", key="archivist")
    assert row.failures == 5  # attempts during the lock are not counted: waiting always works
    # other accounts are untouched
    assert login(Client(REMOTE_ADDR="198.51.100.7"), "reader", PASSWORD) == ""
    pass_the_delay("archivist")
    assert login(owner, "archivist", PASSWORD) == "" and logged_in(owner)
    assert not LoginThrottle.objects.filter(kind="name", key="archivist").exists()


def test_the_delay_grows_with_every_failure_after_a_lock(world, settings):
    settings.LOGIN_THROTTLE_DELAY, settings.LOGIN_THROTTLE_MAX_DELAY = 60, 200
    client = Client(REMOTE_ADDR="198.51.100.8")
    lengths = []
    for _ in range(5):
        login(client, "reader", "wrong")
    for _ in range(4):
        row = LoginThrottle.objects.get(kind="name", key="reader")
        lengths.append(round((row.locked_until - row.last_failure_at).total_seconds()))
        pass_the_delay("reader")
        login(client, "reader", "wrong")
    assert lengths == [60, 120, 200, 200]  # doubling, capped


def test_made_up_names_from_one_address_never_lock_out_a_right_password(world, settings):
    """The reported attack: 21 failures with made-up names from one address (one proxy for everybody)."""
    settings.LOGIN_THROTTLE_ADDRESS_ATTEMPTS = 20
    settings.TRUSTED_PROXIES = []
    shared = "203.0.113.1"
    attacker = Client(REMOTE_ADDR=shared)
    for n in range(21):
        login(attacker, f"guess{n}", "wrong")
    assert LoginThrottle.objects.get(kind="address", key=shared).locked_until > timezone.now()
    # further guessing from the address is refused with the lock message ...
    assert "tạm khóa" in login(attacker, "guess-new", "wrong")
    # ... but the administrator behind the same address logs in with the right password
    admin = Client(REMOTE_ADDR=shared)
    assert login(admin, "root", PASSWORD) == "" and logged_in(admin)
    # and a known account with a wrong password counts against that account, never against the address
    failures_before = LoginThrottle.objects.get(kind="address", key=shared).failures
    login(Client(REMOTE_ADDR=shared), "reader", "wrong")
    assert LoginThrottle.objects.get(kind="address", key=shared).failures == failures_before


def test_a_successful_login_does_not_reset_the_address_count(world, settings):
    settings.LOGIN_THROTTLE_ADDRESS_ATTEMPTS = 20
    client = Client(REMOTE_ADDR="203.0.113.2")
    for n in range(19):
        login(client, f"name{n}", "wrong")
    assert login(client, "reader", PASSWORD) == ""
    client.logout()
    login(client, "name-last", "wrong")
    assert LoginThrottle.objects.get(kind="address", key="203.0.113.2").locked_until is not None


def test_unknown_names_lock_like_known_ones_so_a_lock_tells_nothing(world):
    client = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(5):
        login(client, "nobody-here", "wrong")
        login(client, "archivist", "wrong")
    ghost, real = login(client, "nobody-here", "x"), login(client, "archivist", "x")
    assert "tạm khóa" in ghost and "tạm khóa" in real


def test_the_address_comes_from_a_trusted_proxy_only(settings):
    factory = RequestFactory()
    settings.TRUSTED_PROXIES = ["10.1.0.0/16"]
    via_proxy = factory.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9, 10.1.0.5")
    assert client_address(via_proxy) == "203.0.113.9"  # right-most hop that is not a trusted proxy
    spoofed = factory.get("/", REMOTE_ADDR="198.51.100.50", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert client_address(spoofed) == "198.51.100.50"  # a direct visitor cannot choose an address
    garbage = factory.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="<script>, 203.0.113.9")
    assert client_address(garbage) == "203.0.113.9"
    garbage_last = factory.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="203.0.113.9, not-an-ip")
    assert client_address(garbage_last) == "10.1.2.3"
    settings.TRUSTED_PROXIES = []
    assert client_address(via_proxy) == "10.1.2.3"


def test_behind_a_trusted_proxy_each_visitor_is_counted_apart(world, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.LOGIN_THROTTLE_ADDRESS_ATTEMPTS = 3
    for n in range(3):
        login(Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.77"), f"x{n}", "wrong")
    assert LoginThrottle.objects.get(kind="address", key="198.51.100.77").locked_until is not None
    assert not LoginThrottle.objects.filter(kind="address", key="127.0.0.1").exists()
    other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.78")
    assert "tạm khóa" not in login(other, "y", "wrong")


def test_locks_are_logged_listed_in_the_back_office_and_lifted_there(world, client, caplog):
    attacker = Client(REMOTE_ADDR="198.51.100.10")
    with caplog.at_level(logging.WARNING, logger="sulieu.auth"):
        for _ in range(5):
            login(attacker, "reader", "wrong")
    assert any("login lock" in r.getMessage() and "'reader'" in r.getMessage() for r in caplog.records)
    row = LoginThrottle.objects.get(kind="name", key="reader")
    assert ModelLogEntry.objects.filter(object_id=str(row.pk), action="orgs.login_lock").exists()
    # a reader may not see the list; the administrator sees it and lifts the lock
    client.force_login(world.archivist)
    assert client.get("/admin/logins/").status_code in (302, 403)
    client.force_login(world.superuser)
    listing = client.get("/admin/logins/").content.decode()
    assert "reader" in listing and "Khóa đăng nhập" in listing
    response = client.post(f"/admin/logins/delete/{row.pk}/")
    assert response.status_code == 302
    assert not LoginThrottle.objects.filter(pk=row.pk).exists()
    assert ModelLogEntry.objects.filter(object_id=str(row.pk), action="orgs.login_unlock",
                                        user=world.superuser).exists()
    assert login(Client(REMOTE_ADDR="10.0.0.3"), "reader", PASSWORD) == ""
