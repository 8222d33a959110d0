"""The public pages: home at /, topic, article as the seed pages show it, Văn bản mới, print, feeds, search."""

from __future__ import annotations

import re

import pytest

from portal import models as pm
from portal.tests.factories import home, make_article, vn_time

pytestmark = pytest.mark.django_db


def test_portal_home_is_the_front_page_and_the_reading_room_moved(client, topic):
    make_article(topic, "Hội thảo khoa học lịch sử Đảng bộ tỉnh", sapo="Sapo hội thảo.")
    page = client.get("/").content.decode()
    assert "Hội thảo khoa học lịch sử Đảng bộ tỉnh" in page and "Văn bản mới" in page
    assert "Thống kê truy cập" in page and 'href="/luu-tru/"' in page
    assert client.get("/luu-tru/").status_code == 200
    assert "Kho sử liệu" in client.get("/luu-tru/").content.decode()


def test_article_shows_date_time_sapo_caption_author_source_tags_as_the_seed_pages(client, topic):
    article = make_article(topic, "Tiếp tục tăng cường công tác lịch sử Đảng", sapo="Lời dẫn của bài.",
                           published_at=vn_time(2023, 12, 18, 14, 22), author="Hoàng Khôi",
                           source_name="Ban Tuyên giáo Tỉnh ủy Lâm Đồng", tags=["Chỉ thị 20-CT/TW"],
                           lead_image_caption="Ảnh 1: Ấn phẩm lịch sử")
    page = client.get(article.url).content.decode()
    assert "18/12/2023 02:22 CH" in page
    assert '<p class="sapo">Lời dẫn của bài.</p>' in page
    assert '<p class="author">Hoàng Khôi</p>' in page and "Ban Tuyên giáo Tỉnh ủy Lâm Đồng" in page
    assert "Chỉ thị 20-CT/TW" in page and "In trang" in page
    assert '<link rel="canonical" href="http://localhost/lich-su-dang/%s/">' % article.slug in page
    assert 'property="og:type" content="article"' in page and 'name="twitter:card"' in page
    assert "⟦" not in page  # every hole filled


def test_morning_time_reads_sa_and_unknown_time_shows_the_day_only(client, topic):
    morning = make_article(topic, "Bài buổi sáng", published_at=vn_time(2024, 4, 11, 9, 5))
    day_only = make_article(topic, "Bài chỉ có ngày", published_at=vn_time(2022, 8, 22))
    assert "11/04/2024 09:05 SA" in client.get(morning.url).content.decode()
    assert ">22/08/2022</time>" in client.get(day_only.url).content.decode()


def test_related_articles_by_hand_first_then_shared_tags_then_topic(client, topic):
    article = make_article(topic, "Bài chính", tags=["a", "b"])
    same_topic = make_article(topic, "Cùng chuyên mục", published_at=vn_time(2025, 1, 1))
    one_tag = make_article(topic, "Chung một thẻ", tags=["a"], published_at=vn_time(2020, 1, 1))
    two_tags = make_article(topic, "Chung hai thẻ", tags=["a", "b"], published_at=vn_time(2019, 1, 1))
    chosen = make_article(topic, "Chọn tay", published_at=vn_time(2018, 1, 1))
    page = article.get_latest_revision_as_object()
    page.related_links.add(pm.ArticleRelatedLink(article=chosen))
    page.save_revision().publish()
    from portal.selectors import related_articles

    assert [a.title for a in related_articles(pm.ArticlePage.objects.get(pk=article.pk))] == [
        chosen.title, two_tags.title, one_tag.title, same_topic.title]


def test_unpublished_articles_appear_nowhere(client, topic):
    make_article(topic, "Bản nháp chưa xuất bản", live=False)
    for url in ("/", topic.url, "/rss/", topic.url + "rss/", "/sitemap.xml", "/api/v1/articles",
                "/tim-kiem/?q=ban+nhap"):
        assert "Bản nháp chưa xuất bản" not in client.get(url).content.decode(), url


def test_new_documents_cards_footnotes_sitemap_show_only_public_items_to_everyone(client, world, topic, documents):
    public, internal, restricted = documents["public"], documents["internal"], documents["restricted"]
    article = make_article(topic, "Bài có tài liệu", body=[
        {"type": "paragraph", "value": "<p>Nội dung.</p>"},
        {"type": "archive_item", "value": {"item": public.pk, "note": "công khai"}},
        {"type": "archive_item", "value": {"item": internal.pk, "note": "nội bộ"}},
        {"type": "archive_item", "value": {"item": restricted.pk, "note": "mật"}},
    ])
    page = article.get_latest_revision_as_object()
    page.footnotes.add(pm.ArticleFootnote(text="Kế hoạch 98", symbol="98-KH/TU"))
    page.footnotes.add(pm.ArticleFootnote(text="Báo cáo 45", symbol="45-BC/TU"))
    page.footnotes.add(pm.ArticleFootnote(text="Công văn 7", item=restricted))
    page.save_revision().publish()
    list_page = home().add_child(instance=pm.DocumentListPage(title="Văn bản mới", slug="van-ban-moi"))
    list_page.save_revision().publish()
    for user in (None, world.archivist, world.superuser):
        client.logout()
        if user is not None:
            client.force_login(user)
        pages = "\n".join(client.get(url).content.decode() for url in (
            "/", article.url, article.url + "in/", list_page.url, "/sitemap.xml"))
        assert "/items/%s/" % public.pk in pages
        for hidden in (internal, restricted):
            assert "/items/%s/" % hidden.pk not in pages, (user, hidden.access)
            assert hidden.symbol not in re.sub(r"Báo cáo 45|Công văn 7", "", pages.replace("45-BC/TU\"", ""))


def test_document_list_filters_by_type_and_issuer(client, topic, documents):
    list_page = home().add_child(instance=pm.DocumentListPage(title="Văn bản mới", slug="van-ban-moi"))
    list_page.save_revision().publish()

    def table(query: str) -> str:
        page = client.get(list_page.url + query).content.decode()
        return page[page.index('<table class="documents">'):page.index("</table>")]

    assert "<td>98-KH/TU</td>" in table("")
    assert "<td>98-KH/TU</td>" in table("?loai=KH")
    assert "<td>98-KH/TU</td>" not in table("?loai=CV")
    assert "<td>98-KH/TU</td>" in table("?co-quan=Tỉnh ủy Khánh Hòa")
    assert "<td>98-KH/TU</td>" not in table("?co-quan=Khác")
    assert "⟦" not in client.get(list_page.url).content.decode()  # the statistics holes are filled here too


def test_search_finds_articles_with_and_without_diacritics_and_archive_items(client, topic, documents):
    make_article(topic, "Sơ kết Chỉ thị về lịch sử Đảng bộ", sapo="Đánh giá năm năm.")
    for query in ("lịch sử Đảng bộ", "lich su dang bo", "LICH SU"):
        page = client.get("/tim-kiem/", {"q": query}).content.decode()
        assert "Sơ kết Chỉ thị về lịch sử Đảng bộ" in page, query
    page = client.get("/tim-kiem/", {"q": "so ket chi thi"}).content.decode()
    assert "/items/%s/" % documents["public"].pk in page
    assert "/items/%s/" % documents["restricted"].pk not in page
    assert "⟦" not in page and 'data-stat="total">' in page


def test_print_view_feeds_and_sitemap(client, topic):
    article = make_article(topic, "Bài để in", sapo="Sapo in.", author="Lâm An")
    printed = client.get(article.url + "in/").content.decode()
    assert "window.print()" in printed and "Sapo in." in printed and "Bình luận" not in printed
    for feed in ("/rss/", topic.url + "rss/"):
        response = client.get(feed)
        assert response["Content-Type"].startswith("application/rss+xml")
        assert "Bài để in" in response.content.decode() and "Sapo in." in response.content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "http://localhost/lich-su-dang/%s/" % article.slug in sitemap and "<urlset" in sitemap


def test_hostile_text_in_fields_is_escaped(client, topic):
    article = make_article(topic, "<script>alert(1)</script>Tiêu đề", sapo="<img src=x onerror=alert(2)>",
                           author="<b>x</b>")
    page = client.get(article.url).content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Tiêu đề" in page
