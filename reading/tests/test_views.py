from __future__ import annotations

import re

import pytest
from django.test import Client

from archive.services import collection_create
from reading.tests.factories import FAKE_OCR_TEXT, make_scanned_item, make_text_item, make_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(world):
    return make_tree(org_unit=world.commune)


@pytest.fixture
def pdf_item(tree):
    return make_text_item(["TỈNH ỦY KHÁNH HÒA\nSố 98-KH/TU\nKhánh Hòa, ngày 18 tháng 8 năm 2022\nKẾ HOẠCH\n"
                           "sơ kết 05 năm thực hiện Chỉ thị số 20-CT/TW",
                           "Lịch sử Đảng bộ xã được biên soạn lại.\nT/M BAN THƯỜNG VỤ"],
                          name="kh-98.txt", collection=tree[2])


def test_home_has_search_recent_additions_and_browsing(client, pdf_item, tree):
    page = client.get("/luu-tru/").content.decode()
    assert "Kho sử liệu" in page and 'action="/search/"' in page
    assert "/items/%s/" % pdf_item.pk in page  # recent additions
    assert "/collections/%s/" % tree[0].pk in page  # by fonds
    assert "/search/?type=" in page and "/timeline/?year=2022" in page and "/places/?name=" in page
    assert "/search/?issuer=" in page


def test_item_page_shows_page_text_beside_the_viewer_with_search_terms_marked(client, pdf_item, tree):
    page = client.get("/items/%s/?q=ke hoach so ket" % pdf_item.pk).content.decode()
    assert 'id="osd"' in page and "/items/%s/pages/1/image" % pdf_item.pk in page
    assert "openseadragon.min.js" in page
    marks = re.findall(r'<mark class="hl">([^<]+)</mark>', page)
    assert {"KẾ", "HOẠCH", "sơ", "kết"} <= set(marks)
    # breadcrumbs: fonds › series › file
    crumbs = page.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert crumbs.index("P12 ") < crumbs.index("P12.1 ") < crumbs.index("P12.1.05")
    assert "98-KH/TU" in page and "Kế hoạch" in page  # metadata
    assert "Phông P12 “Phông Đảng bộ xã Cam Lâm”, Hồ sơ P12.1.05" in page  # citation with the archive reference
    assert "/items/%s/cite.json" % pdf_item.pk in page and "/items/%s/print/" % pdf_item.pk in page


def test_accented_query_marks_only_that_spelling(client, world):
    item = make_text_item("Lịch sử xã. Lịch sự tiếp đón. lich su", name="a.txt")
    page = client.get("/items/%s/?q=lịch sử" % item.pk).content.decode()
    assert re.findall(r'<mark class="hl">([^<]+)</mark>', page) == ["Lịch", "sử", "Lịch"]


def test_terms_come_from_the_search_page_the_reader_came_from(client, pdf_item):
    page = client.get("/items/%s/" % pdf_item.pk, HTTP_REFERER="http://testserver/search/?q=chi+thi").content.decode()
    assert re.findall(r'<mark class="hl">([^<]+)</mark>', page) == ["Chỉ", "thị"]
    other = client.get("/items/%s/" % pdf_item.pk, HTTP_REFERER="http://evil.example/search/?q=chi").content.decode()
    assert '<mark class="hl">' not in other


def test_flipping_pages_with_htmx_returns_only_the_reader(client, pdf_item):
    response = client.get("/items/%s/?page=2&q=lich su" % pdf_item.pk, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith("<div")
    assert 'id="reader"' in html and 'data-page="2"' in html and "<html" not in html
    assert '<mark class="hl">Lịch</mark>' in html and 'rel="prev"' in html and 'rel="next"' not in html
    assert 'id="citation" hx-swap-oob="true"' in html and "tài liệu số %s, tr. 2." % pdf_item.pk in html
    full = client.get("/items/%s/?page=2" % pdf_item.pk).content.decode()
    assert "Lịch sử Đảng bộ xã" in full and 'data-page="2"' in full
    assert 'data-page="1"' in client.get("/items/%s/?page=99" % pdf_item.pk).content.decode()


def test_scanned_item_has_page_images_and_ocr_text(client, tmp_path, tree):
    item = make_scanned_item([["BIÊN BẢN", "Cam Lâm"], ["Trang hai"]], tmp_path, collection=tree[2])
    page = client.get("/items/%s/?q=cam lam" % item.pk).content.decode()
    assert "độ tin cậy 92%" in page or "độ tin cậy 91%" in page
    assert '<mark class="hl">Cam</mark> <mark class="hl">Lâm</mark>' in page
    image = client.get("/items/%s/pages/2/image" % item.pk)
    assert image["Content-Type"] == "image/jpeg" and b"".join(image.streaming_content)[:3] == b"\xff\xd8\xff"
    assert FAKE_OCR_TEXT.splitlines()[1] in client.get("/items/%s/print/" % item.pk).content.decode()


def test_search_terms_are_marked_on_the_page_image(client, tmp_path, tree):
    """The reader gets the OCR word boxes of the query's words, in units of the page width, for the page shown."""
    import html
    import json
    import re

    item = make_scanned_item([["BIÊN BẢN"], ["Trang hai"]], tmp_path, collection=tree[2])

    def boxes(url: str) -> list[list[float]]:
        found = re.search(r'data-boxes="([^"]*)"', client.get(url).content.decode())
        return json.loads(html.unescape(found.group(1))) if found else []

    # fake_hocr: "Cam Lâm" is on line 2 (y = 160 px of a 1000 px wide page), "chi bộ" on line 3
    cam_lam = boxes("/items/%s/?q=cam lam" % item.pk)
    assert len(cam_lam) == 2 and all(b[1] == 0.16 and b[3] == 0.04 for b in cam_lam)
    assert cam_lam[0][0] < cam_lam[1][0]
    assert len(boxes("/items/%s/?q=chi bộ&page=2" % item.pk)) == 3  # the second page: "Đảng bộ", "chi bộ"
    assert boxes("/items/%s/?q=hà nội" % item.pk) == [] and boxes("/items/%s/" % item.pk) == []
    page = client.get("/items/%s/?q=cam lam" % item.pk).content.decode()
    assert "2 chữ khớp được tô trên ảnh" in page


def test_iiif_manifest_is_presentation_3_with_one_canvas_per_page(client, tmp_path):
    item = make_scanned_item([["Trang một"], ["Trang hai"], ["Trang ba"]], tmp_path, title="Biên bản 1975")
    data = client.get("/items/%s/manifest.json" % item.pk).json()
    assert data["@context"] == "http://iiif.io/api/presentation/3/context.json" and data["type"] == "Manifest"
    assert data["id"] == "http://testserver/items/%s/manifest.json" % item.pk
    assert data["label"] == {"vi": ["Biên bản 1975"]}
    canvases = data["items"]
    assert len(canvases) == 3
    body = canvases[1]["items"][0]["items"][0]["body"]
    assert body["id"] == "http://testserver/items/%s/pages/2/image" % item.pk
    assert body["width"] > 0 and body["height"] > 0 and canvases[1]["width"] == body["width"]
    api = client.get("/api/v1/items/%s" % item.pk).json()
    assert api["iiif_manifest"] == data["id"] and api["page_count"] == 3


def test_born_digital_pdf_pages_are_drawn_for_the_viewer(client, pdf_item):
    image = client.get("/items/%s/pages/2/image" % pdf_item.pk)
    assert image.status_code == 200 and image.content[:3] == b"\xff\xd8\xff"
    data = client.get("/items/%s/manifest.json" % pdf_item.pk).json()
    assert len(data["items"]) == 2 and data["items"][0]["width"] == 827  # A4 at 100 dpi


def test_api_item_json(client, pdf_item):
    data = client.get("/api/v1/items/%s" % pdf_item.pk).json()
    assert data["id"] == pdf_item.pk and data["symbol"] == "98-KH/TU" and data["page_count"] == 2
    assert data["doc_type"] == {"code": "KH", "name": "Kế hoạch"}
    assert data["date"]["earliest"] == "2022-08-18"
    assert [c["code"] for c in data["collections"]] == ["P12", "P12.1", "P12.1.05"]
    assert data["iiif_manifest"].endswith("/items/%s/manifest.json" % pdf_item.pk)
    assert data["refers_to"][0]["symbol"] == "20-CT/TW" and data["refers_to"][0]["item"] is None
    assert data["url"] == "http://testserver/items/%s/" % pdf_item.pk


def test_cite_gives_vietnamese_form_and_csl_json(client, pdf_item):
    page = client.get("/items/%s/?page=2" % pdf_item.pk).content.decode()
    text = re.search(r'<blockquote id="citation-text" class="citation">(.*?)</blockquote>', page, re.S).group(1)
    assert text.startswith("Tỉnh ủy, Kế hoạch số 98-KH/TU ngày 18/08/2022 về sơ kết 05 năm thực hiện")
    assert "Phông P12 “Phông Đảng bộ xã Cam Lâm”, Hồ sơ P12.1.05 “Hồ sơ Đại hội Đảng bộ xã lần thứ nhất”, " \
           "tài liệu số %s, tr. 2." % pdf_item.pk in text
    assert "http://testserver/items/%s/ (truy cập ngày " % pdf_item.pk in text
    response = client.get("/items/%s/cite.json?page=2" % pdf_item.pk)
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    [csl] = response.json()
    assert csl["type"] == "manuscript" and csl["number"] == "98-KH/TU" and csl["genre"] == "Kế hoạch"
    assert csl["issued"] == {"date-parts": [[2022, 8, 18]]} and csl["page"] == "2"
    assert csl["author"] == [{"literal": "Tỉnh ủy"}] and csl["archive"] == "Phường Nha Trang"
    assert csl["archive_location"].startswith("Phông P12")


def test_print_view_has_every_page_and_the_citation(client, pdf_item):
    page = client.get("/items/%s/print/" % pdf_item.pk).content.decode()
    assert "Trang 1" in page and "Trang 2" in page and "Lịch sử Đảng bộ xã" in page
    assert "data-print" in page and "sulieu/site.js" in page and "tài liệu số %s" % pdf_item.pk in page


def test_tree_opens_large_nodes_page_by_page(client, world):
    fonds = collection_create(by=None, title="Phông lớn", kind="fonds", code="P9", access="public")
    for n in range(205):
        collection_create(by=None, title="Hồ sơ %03d" % n, kind="file", code="P9.%03d" % n, parent=fonds,
                          access="public")
    make_text_item("Tài liệu nằm thẳng trong phông.", name="x.txt", collection=fonds, title="Tài liệu trong phông")
    first = client.get("/collections/%s/children/" % fonds.pk).content.decode()
    assert first.count('role="treeitem"') == 200 and "Hồ sơ 000" in first and "Hồ sơ 199" in first
    assert "/collections/%s/children/?page=2" % fonds.pk in first
    second = client.get("/collections/%s/children/?page=2" % fonds.pk).content.decode()
    assert second.count('role="treeitem"') == 6 and "Hồ sơ 204" in second and "Tài liệu trong phông" in second
    assert "?page=3" not in second
    root = client.get("/collections/").content.decode()
    assert "Phông lớn" in root and "205 mục con" in root and "1 tài liệu" in root


def test_timeline_and_places(client, pdf_item):
    timeline = client.get("/timeline/").content.decode()
    assert "Thập niên 2020" in timeline and "?year=2022" in timeline
    assert pdf_item.title in client.get("/timeline/?year=2022").content.decode()
    assert pdf_item.title not in client.get("/timeline/?year=2019").content.decode()
    places = client.get("/places/").content.decode()
    assert "Khánh Hòa" in places
    assert pdf_item.title in client.get("/places/?name=Khánh Hòa").content.decode()


def test_related_items_come_from_the_search(client, world):
    a = make_text_item("Lịch sử Đảng bộ xã Cam Lâm giai đoạn 1930 - 1975.", name="a.txt",
                       title="Lịch sử Đảng bộ xã Cam Lâm")
    b = make_text_item("Tư liệu lịch sử Đảng bộ xã Cam Lâm thời kháng chiến.", name="b.txt",
                       title="Tư liệu lịch sử Đảng bộ xã Cam Lâm")
    make_text_item("Ghi chép khác", name="c.txt", title="Ghi chép khác", access="restricted")
    assert "/items/%s/related/" % a.pk in client.get("/items/%s/" % a.pk).content.decode()  # loaded by htmx
    related = client.get("/items/%s/related/" % a.pk).content.decode()
    assert "/items/%s/" % b.pk in related and "/items/%s/" % a.pk not in related


def test_merged_item_sends_the_reader_to_the_item_kept(client, world):
    from archive.models import DuplicateCandidate
    from archive.services import duplicate_decide

    kept = make_text_item("Bản chính", name="k.txt")
    dup = make_text_item("Bản sao", name="d.txt")
    candidate = DuplicateCandidate.objects.create(item=dup, other=kept, score=0.9)
    duplicate_decide(candidate=candidate, by=world.superuser, decision="merged")
    response = Client().get("/items/%s/" % dup.pk)
    assert response.status_code == 302 and response["Location"] == "/items/%s/" % kept.pk


def test_facet_counts_estimated_from_a_sample_are_marked(client, tree, monkeypatch):
    """Facets counted over a sample (browsing more items than FACET_EXACT, or a broad match) say so: "≈" before
    each count on the search page and on the home page's chips; exact counts carry no mark."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from reading import selectors
    from search.documents import FacetValue, Results

    make_text_item("Báo cáo về công tác lưu trữ năm 2022.", name="bc.txt", collection=tree[2])
    assert "≈" not in client.get("/luu-tru/").content.decode()
    assert "≈" not in client.get("/search/?q=–").content.decode()  # one item: exact
    facets = [{"title": "Loại", "values": [{"url": "?type=BC", "label": "Báo cáo", "count": 31000}]}]
    request = RequestFactory().get("/search/?q=–")
    for approximate in (True, False):
        html = render_to_string("search/search.html", {"results": Results(count=62000, hits=[], facets_approximate=approximate),
                                                       "query": "–", "facets": facets}, request=request)
        assert ("≈31000" in html) is approximate and "31000" in html
    value = FacetValue(value="Báo cáo", label="Báo cáo", count=31000)
    monkeypatch.setattr(selectors, "browse_facets", lambda user: {"type": [value], "approximate": True})
    assert re.search(r'class="count">≈31000<', client.get("/luu-tru/").content.decode())
