"""The English catalogue is complete, and the new apps' public pages really speak English when asked."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "sulieu" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[dict[str, Any]]:
    """The live entries of a .po file (obsolete `#~` ones left out), with their flags and joined strings."""
    entries = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.strip().splitlines() if not ln.startswith("#~")]
        if not any(ln.startswith("msgid ") for ln in lines):
            continue
        entry: dict[str, Any] = {"flags": set(), "strings": {}}
        key = None
        for ln in lines:
            if ln.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in ln[2:].split(","))
            elif ln.startswith("#"):
                continue
            elif ln.startswith('"'):
                entry["strings"][key] += ln[1:-1]
            else:
                key, _sep, value = ln.partition(" ")
                entry["strings"][key] = value[1:-1]
        entries.append(entry)
    return entries


def test_parser_sees_untranslated_and_fuzzy_entries():
    sample = ('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
              '#: a.py:1\nmsgid "Sách"\nmsgstr ""\n\n'
              '#, fuzzy, python-format\nmsgid "Kỳ %(n)s"\nmsgstr "Period %(n)s"\n\n'
              'msgid "%(n)s sự kiện"\nmsgid_plural "%(n)s sự kiện"\nmsgstr[0] "%(n)s event"\nmsgstr[1] ""\n\n'
              '#~ msgid "cũ"\n#~ msgstr ""\n')
    assert [_problem(e) for e in _entries(sample)] == [None, "untranslated", "fuzzy", "untranslated"]


def _problem(entry: dict[str, Any]) -> str | None:
    strings = entry["strings"]
    if strings["msgid"] == "":
        return None  # the header
    if "fuzzy" in entry["flags"]:
        return "fuzzy"
    if not all(value for key, value in strings.items() if key.startswith("msgstr")):
        return "untranslated"
    return None


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    entries = _entries(CATALOGUE.read_text(encoding="utf-8"))
    assert len(entries) > 800
    problems = ["%s: %s" % (_problem(e), e["strings"]["msgid"]) for e in entries if _problem(e)]
    assert problems == []


def test_placeholders_survive_translation():
    for entry in _entries(CATALOGUE.read_text(encoding="utf-8")):
        strings = entry["strings"]
        if "python-format" not in entry["flags"]:
            continue
        wanted = sorted(re.findall(r"%\(\w+\)[sd]", strings["msgid"]))
        for key, value in strings.items():
            if key.startswith("msgstr") and strings["msgid"]:
                assert sorted(re.findall(r"%\(\w+\)[sd]", value)) == wanted, strings["msgid"]


# (url, English words that must appear, their Vietnamese sources that must not)
PAGES = [
    ("/", ["Featured story", "Explore", "Visitor statistics", "Total visits", "New documents"],
     ["Tin nổi bật", "Khám phá", "Thống kê truy cập", "Tổng lượt truy cập", "Văn bản mới"]),
    ("/books/", ["Local history books"], ["Sách lịch sử địa phương"]),
    ("/books/cam-hai-dong/", ["Contents"], ["Mục lục"]),
    ("/contests/", ["Contests", "contest page"], ["trang dự thi"]),
    ("/contests/thi-thu/", ["Register to take part", "Year of birth", "Phone number or email", "Not me", "Time left"],
     ["Đăng ký dự thi", "Năm sinh", "Số điện thoại hoặc thư điện tử", "Không phải tôi", "Còn lại"]),
    ("/luu-tru/", ["Historical archive", "Recently added", "By issuing body"],
     ["Kho sử liệu", "Mới bổ sung", "Theo cơ quan ban hành"]),
]


@pytest.fixture
def new_apps(world: Any, client: Any) -> Any:
    """A published portal article, a published book and an open contest; logged in (the contests list is staff-only)."""
    from books.tests.factories import make_shelf
    from contests.tests import factories as contests
    from portal.tests import factories as portal

    portal.make_article(portal.make_topic(), "Bài viết thử")
    make_shelf(world)
    contests.make_bank()
    contests.make_contest()
    client.force_login(world.superuser)
    return client


@pytest.mark.django_db
def test_new_apps_pages_speak_english_with_the_language_cookie(new_apps: Any):
    client = new_apps
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url, english, vietnamese in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'lang="en"' in html, url
        for word in english:
            assert word in html, (url, word)
        for word in vietnamese:
            assert word not in html, (url, word)


@pytest.mark.django_db
def test_same_pages_are_vietnamese_by_default_and_english_after_setlang(new_apps: Any):
    client = new_apps
    for url, english, vietnamese in PAGES:
        html = client.get(url).content.decode()
        assert all(word in html for word in vietnamese), url
        assert not any(word in html for word in english if word != "Contests"), url
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/contests/thi-thu/").content.decode()
    assert "Register to take part" in html and "Đăng ký dự thi" not in html
