"""`sulieu portal import`: the seed pages become articles that read like the originals; idempotent by URL."""

from __future__ import annotations

import contextlib
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from portal import models as pm
from portal.demo import DEMO_DATA
from portal.importer import article_import

pytestmark = pytest.mark.django_db
LAM_DONG = str(DEMO_DATA / "lam-dong-lich-su-dang.html")
KHANH_HOA = str(DEMO_DATA / "khanh-hoa-so-ket-20-ct-tw.html")


def _run(*args: str) -> dict:
    import io

    out = io.StringIO()
    with contextlib.suppress(SystemExit):
        call_command("portal", "import", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_seed_page_keeps_title_date_time_body_author_and_drops_boxes(topic, world):
    result = _run(LAM_DONG, "--topic", "lich-su-dang")
    assert result["created"] == 1 and result["failed"] == 0
    article = pm.ArticlePage.objects.get(pk=result["results"][0]["id"])
    assert article.title.startswith("Tiếp tục tăng cường, nâng cao chất lượng nghiên cứu")
    assert article.author == "Hoàng Khôi" and article.live and article.get_parent().pk == topic.pk
    from portal.templatetags.portal_tags import vn_datetime

    assert vn_datetime(article.published_at) == "18/12/2023 02:22 CH"
    text = article.search_text
    assert "chu dong nghien cuu, chi dao xay dung ke hoach" in text
    for dropped in ("van ban moi", "luot xem", "thong ke truy cap", "lien ket website", "trang chu"):
        assert dropped not in text, dropped
    assert article.source_url.startswith("https://btgtu.lamdong.example/")


def test_images_become_lead_image_and_captioned_body_images(topic, world):
    result = _run(KHANH_HOA)
    article = pm.ArticlePage.objects.get(pk=result["results"][0]["id"])
    assert article.sapo.startswith("Ngày 18/8/2022, Ban Thường vụ Tỉnh ủy Khánh Hòa ban hành Kế hoạch số 98-KH/TU")
    assert article.lead_image is not None
    assert article.lead_image_caption.startswith("Ảnh 1: Một số ấn phẩm lịch sử")
    images = [b.value for b in article.body if b.block_type == "image"]
    assert [v["caption"][:6] for v in images] == ["Ảnh 2:", "Ảnh 3:"]
    assert article.author == "Lâm An"
    assert "tin khac cung chu de" not in article.search_text and "gui binh luan" not in article.search_text


def test_import_is_idempotent_by_source_url_and_updates_when_the_page_changed(topic, world, tmp_path):
    first = _run(LAM_DONG, KHANH_HOA)
    again = _run(LAM_DONG, KHANH_HOA)
    assert (first["created"], again["unchanged"], again["created"]) == (2, 2, 0)
    assert pm.ArticlePage.objects.count() == 2
    changed = tmp_path / "lam-dong.html"
    shutil.copy(LAM_DONG, changed)
    changed.write_text(changed.read_text(encoding="utf-8").replace("Hoàng Khôi", "Hoàng Khôi Nguyên"),
                       encoding="utf-8")
    third = _run(str(changed))  # same canonical URL, new content
    assert third["updated"] == 1 and pm.ArticlePage.objects.count() == 2
    assert pm.ArticlePage.objects.get(pk=third["results"][0]["id"]).author == "Hoàng Khôi Nguyên"


def test_bad_sources_fail_one_by_one_and_lose_nothing(topic, world, tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav>Trang chủ</nav></body></html>", encoding="utf-8")
    result = _run(str(tmp_path / "missing.html"), str(empty), LAM_DONG, "ftp://x.example/a.html")
    assert [r["status"] for r in result["results"]] == ["failed", "failed", "created", "failed"]
    assert all(r["error"] for r in result["results"] if r["status"] == "failed")
    assert pm.ArticlePage.objects.count() == 1


def test_unknown_topic_is_a_clear_error(topic, world):
    with pytest.raises(CommandError, match="unknown topic 'khong-co'"):
        call_command("portal", "import", LAM_DONG, "--topic", "khong-co")


def test_hostile_page_content_is_stored_as_text(topic, world, tmp_path, client):
    page = tmp_path / "xss.html"
    page.write_text(
        "<html><head><title>Tin &lt;script&gt;</title></head><body><article><h1>Tin thử</h1>"
        + "<p>Đoạn một có nội dung đủ dài để được giữ lại trong bài viết này, không bị bỏ.</p>" * 3
        + "<p><script>alert(1)</script><img src=x onerror=alert(2)>Đoạn hai &lt;b&gt;in đậm giả&lt;/b&gt; và "
          "nội dung dài thêm nữa để trafilatura giữ đoạn này.</p></article></body></html>", encoding="utf-8")
    result = article_import(source=str(page), topic=topic, by=world.superuser)
    assert result.status == "created"
    html = client.get(pm.ArticlePage.objects.get(pk=result.id).url).content.decode()
    assert "<script>alert" not in html and "onerror=alert" not in html and "<b>in đậm giả</b>" not in html
