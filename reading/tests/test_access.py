"""Every page, download, manifest, thumbnail and API answer of the reading room, tried as each kind of user."""

from __future__ import annotations

import pytest
from django.test import Client

from reading.tests.factories import make_scanned_item, make_text_item, make_tree

pytestmark = pytest.mark.django_db

USERS = ["anonymous", "outsider", "reader", "other_reader", "archivist", "superuser"]
# What each user may see: public everywhere; the commune's internal item by members of the commune or the
# province above it; the province's restricted item by its archivist and superusers.
SEES = {
    "anonymous": {"public"}, "outsider": {"public"}, "reader": {"public", "internal"},
    "other_reader": {"public"}, "archivist": {"public", "internal", "restricted"},
    "superuser": {"public", "internal", "restricted"},
}
# Who may download originals (orgs.policy "archive.download_original" in the item's unit or above).
ORIGINALS = {
    "anonymous": set(), "outsider": set(), "reader": {"public", "internal"}, "other_reader": set(),
    "archivist": {"public", "internal", "restricted"}, "superuser": {"public", "internal", "restricted"},
}


@pytest.fixture
def items(world, tmp_path):
    return {
        "public": make_scanned_item([["BIÊN BẢN", "xã Cam Lâm"]], tmp_path, name="cong-khai.pdf",
                                    access="public", org_unit=world.commune, title="Tài liệu công khai"),
        "internal": make_scanned_item([["BÁO CÁO", "nội bộ"]], tmp_path, name="noi-bo.pdf",
                                      access="internal", org_unit=world.commune, title="Tài liệu nội bộ"),
        "restricted": make_scanned_item([["TỜ TRÌNH", "mật"]], tmp_path, name="mat.pdf", access="restricted",
                                        org_unit=world.province, title="Tài liệu mật"),
    }


def _client(world, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(getattr(world, who))
    return client


READ_URLS = ["/items/{id}/", "/items/{id}/?page=1&q=cam", "/items/{id}/print/", "/items/{id}/pages/1/image",
             "/items/{id}/thumbnail", "/items/{id}/manifest.json", "/items/{id}/cite.json",
             "/api/v1/items/{id}", "/items/{id}/download/pdf"]


@pytest.mark.parametrize("who", USERS)
def test_every_url_of_an_item_answers_as_access_allows(world, items, who):
    client = _client(world, who)
    for level, item in items.items():
        for pattern in READ_URLS:
            url = pattern.format(id=item.pk)
            expected = 200 if level in SEES[who] else 404
            assert client.get(url).status_code == expected, (who, level, url)
        original = client.get("/items/%s/download/original" % item.pk)
        if level not in SEES[who]:
            assert original.status_code == 404, (who, level)  # a hidden item's files do not exist
        else:
            assert original.status_code == (200 if level in ORIGINALS[who] else 403), (who, level)


def test_original_is_the_deposited_file_and_only_offered_to_who_may_download_it(world, items):
    item = items["public"]
    anonymous = Client().get("/api/v1/items/%s" % item.pk).json()
    assert set(anonymous["files"]) == {"searchable_pdf", "thumbnail"}
    page = Client().get("/items/%s/" % item.pk).content.decode()
    assert "/download/original" not in page and "/download/pdf" in page
    reader = _client(world, "reader")
    data = reader.get("/api/v1/items/%s" % item.pk).json()
    assert data["files"]["original"].endswith("/items/%s/download/original" % item.pk)
    response = reader.get("/items/%s/download/original" % item.pk)
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert 'filename="cong-khai.pdf"' in response["Content-Disposition"]
    assert "/download/original" in reader.get("/items/%s/" % item.pk).content.decode()


def test_manifest_hands_out_only_links_the_asker_may_open(world, items):
    item = items["public"]
    anonymous = Client().get("/items/%s/manifest.json" % item.pk).json()
    assert [r["label"]["vi"][0] for r in anonymous["rendering"]] == ["PDF có lớp chữ"]
    archivist = _client(world, "archivist").get("/items/%s/manifest.json" % item.pk).json()
    assert len(archivist["rendering"]) == 2
    internal = _client(world, "reader").get("/items/%s/manifest.json" % items["internal"].pk)
    assert "Access-Control-Allow-Origin" not in internal  # only public manifests are open to other sites


@pytest.mark.parametrize("who", ["anonymous", "reader", "archivist"])
def test_lists_and_browse_pages_show_only_visible_items(world, items, who):
    client = _client(world, who)
    fonds, _series, file = make_tree(org_unit=world.commune)
    from archive.services import item_update

    for item in items.values():
        item_update(item=item, by=world.superuser, fields={"collection": file, "places": [{"name": "Cam Lâm"}]})
    pages = [client.get(url).content.decode() for url in (
        "/luu-tru/", "/timeline/", "/timeline/?year=%s" % items["public"].date_earliest.year if items["public"].date_earliest
        else "/timeline/", "/places/?name=Cam+Lâm", "/collections/%s/children/" % file.pk,
        "/collections/%s/" % fonds.pk)]
    text = "\n".join(pages)
    for level, title in (("public", "Tài liệu công khai"), ("internal", "Tài liệu nội bộ"),
                         ("restricted", "Tài liệu mật")):
        assert (title in text) == (level in SEES[who]), (who, level)


def test_references_to_items_the_user_may_not_see_stay_unresolved(world):
    from archive.tests.conftest import CT20, KH98

    make_text_item("\n".join(CT20), name="ct20.txt", access="restricted", org_unit=world.province)
    citing = make_text_item("\n".join(KH98), name="kh98.txt", access="public", org_unit=world.commune)
    public = Client().get("/api/v1/items/%s" % citing.pk).json()
    assert [(r["symbol"], r["item"]) for r in public["refers_to"]] == [("20-CT/TW", None), ("84-KH/TU", None)]
    staff = _client(world, "archivist").get("/api/v1/items/%s" % citing.pk).json()
    assert staff["refers_to"][0]["item"]["id"] != citing.pk
    target_id = staff["refers_to"][0]["item"]["id"]
    assert Client().get("/api/v1/items/%s" % target_id).status_code == 404
    assert [r["id"] for r in _client(world, "archivist").get("/api/v1/items/%s" % target_id).json()[
        "referred_by"]] == [citing.pk]


def test_unknown_item_and_unknown_download_kind_answer_404(world, items):
    client = _client(world, "superuser")
    assert client.get("/items/999999/").status_code == 404
    assert client.get("/api/v1/items/999999").status_code == 404
    assert client.get("/items/%s/download/secret" % items["public"].pk).status_code == 404
    assert client.get("/items/%s/pages/9/image" % items["public"].pk).status_code == 404
