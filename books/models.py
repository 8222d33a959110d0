"""Books (parts → chapters → sections as Wagtail pages), sources outside the archive, chronologies,
entities for the index, thematic packs, and the "cited in" table.

The book tree lives under its own :class:`BooksIndexPage`, a child of Wagtail's tree root (depth 2), beside
the public site's root page: chapters get Wagtail's revisions, workflows, comments and locking, while the
public reading pages are served by ``books.views`` under ``/books/``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from books.blocks import body_blocks, pack_blocks
from orgs.access import AccessLevel


class BookStatus(models.TextChoices):
    DRAFT = "draft", _("Đang biên soạn")
    REVIEW = "review", _("Đang thẩm định")
    PUBLISHED = "published", _("Đã xuất bản")


class BooksIndexPage(Page):
    """The root of every book (one per installation)."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["books.BookPage"]
    max_count = 1

    class Meta:
        verbose_name = _("Tủ sách biên soạn")


class BookPage(Page):
    subtitle = models.CharField(_("phụ đề"), max_length=500, blank=True)
    authors = models.CharField(_("tác giả, cơ quan biên soạn"), max_length=500, blank=True)
    publisher = models.CharField(_("nhà xuất bản"), max_length=255, blank=True)
    publisher_place = models.CharField(_("nơi xuất bản"), max_length=128, blank=True)
    year = models.PositiveIntegerField(_("năm xuất bản"), null=True, blank=True)
    summary = models.TextField(_("giới thiệu"), blank=True)
    access = models.CharField(_("mức độ tiếp cận"), max_length=16, choices=AccessLevel.choices,
                              default=AccessLevel.PUBLIC)
    org_unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="books", verbose_name=_("đơn vị biên soạn"))
    book_status = models.CharField(_("trạng thái"), max_length=16, choices=BookStatus.choices,
                                   default=BookStatus.DRAFT)
    paper = models.CharField(_("khổ sách"), max_length=4, choices=[("A5", "A5 (148×210)"), ("B5", "B5 (176×250)")],
                             default="A5")
    note_numbering = models.CharField(_("đánh số chú thích"), max_length=16,
                                      choices=[("chapter", _("theo từng chương")), ("continuous", _("liên tục"))],
                                      default="chapter")
    annotations = models.BooleanField(_("cho bạn đọc ghi chú"), default=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("subtitle"), FieldPanel("authors"),
        MultiFieldPanel([FieldPanel("publisher"), FieldPanel("publisher_place"), FieldPanel("year")],
                        heading=_("Xuất bản")),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("access"), FieldPanel("org_unit"), FieldPanel("book_status")],
                        heading=_("Quản lý")),
        MultiFieldPanel([FieldPanel("paper"), FieldPanel("note_numbering"), FieldPanel("annotations")],
                        heading=_("Trình bày")),
    ]
    parent_page_types = ["books.BooksIndexPage"]
    subpage_types = ["books.PartPage", "books.ChapterPage"]

    class Meta:
        verbose_name = _("sách")
        verbose_name_plural = _("sách")


class PartPage(Page):
    intro = models.TextField(_("lời dẫn"), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["books.BookPage"]
    subpage_types = ["books.ChapterPage"]

    class Meta:
        verbose_name = _("phần")


class _TextPage(Page):
    body = StreamField(body_blocks(), blank=True, use_json_field=True, verbose_name=_("nội dung"))
    search_fields = [*Page.search_fields, index.SearchField("body")]

    class Meta:
        abstract = True


class ChapterPage(_TextPage):
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("người biên soạn"))
    content_panels = [*Page.content_panels, FieldPanel("assignee"), FieldPanel("body")]
    parent_page_types = ["books.BookPage", "books.PartPage"]
    subpage_types = ["books.SectionPage"]

    class Meta:
        verbose_name = _("chương")
        verbose_name_plural = _("chương")


class SectionPage(_TextPage):
    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["books.ChapterPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("mục")


class SourceKind(models.TextChoices):
    ARCHIVAL = "archival", _("Tài liệu lưu trữ")
    PUBLISHED = "published", _("Sách, tạp chí")
    ORAL = "oral", _("Hồi ký, lời kể nhân chứng")
    PRESS = "press", _("Báo chí")


SOURCE_KIND_ORDER = [SourceKind.ARCHIVAL, SourceKind.PUBLISHED, SourceKind.PRESS, SourceKind.ORAL]


class Source(index.Indexed, models.Model):
    """A source outside the archive: a book, an article, a newspaper, an oral testimony."""

    class Type(models.TextChoices):
        BOOK = "book", _("Sách")
        ARTICLE = "article-journal", _("Bài tạp chí")
        NEWSPAPER = "article-newspaper", _("Bài báo")
        INTERVIEW = "interview", _("Lời kể, phỏng vấn")
        MANUSCRIPT = "manuscript", _("Tài liệu lưu trữ nơi khác")

    type = models.CharField(_("loại"), max_length=32, choices=Type.choices, default=Type.BOOK)
    authors = models.JSONField(_("tác giả"), default=list, blank=True,
                               help_text=_('Danh sách [{"family": "Nguyễn", "given": "Văn A"}] hoặc [{"literal": "…"}]'))
    title = models.CharField(_("tên"), max_length=1000)
    container_title = models.CharField(_("ấn phẩm chứa bài"), max_length=500, blank=True)
    publisher = models.CharField(_("nhà xuất bản"), max_length=255, blank=True)
    publisher_place = models.CharField(_("nơi xuất bản"), max_length=128, blank=True)
    issued = models.CharField(_("ngày, năm"), max_length=10, blank=True, help_text=_("YYYY, YYYY-MM hoặc YYYY-MM-DD"))
    issue = models.CharField(_("số"), max_length=32, blank=True)
    archive_location = models.CharField(_("nơi lưu giữ"), max_length=500, blank=True)
    url = models.URLField(_("URL"), max_length=2000, blank=True)

    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("nguồn ngoài kho")
        verbose_name_plural = _("nguồn ngoài kho")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def kind(self) -> str:
        return {self.Type.INTERVIEW: SourceKind.ORAL, self.Type.NEWSPAPER: SourceKind.PRESS,
                self.Type.MANUSCRIPT: SourceKind.ARCHIVAL}.get(self.type, SourceKind.PUBLISHED)


class Chronology(models.Model):
    title = models.CharField(_("tên"), max_length=500)
    book = models.ForeignKey(BookPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="chronologies",
                             verbose_name=_("thuộc sách"))
    access = models.CharField(_("mức độ tiếp cận"), max_length=16, choices=AccessLevel.choices,
                              default=AccessLevel.PUBLIC)
    org_unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("đơn vị"))
    description = models.TextField(_("giới thiệu"), blank=True)

    class Meta:
        verbose_name = _("biên niên sự kiện")
        verbose_name_plural = _("biên niên sự kiện")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class EventPrecision(models.TextChoices):
    DAY = "day", _("Ngày")
    MONTH = "month", _("Tháng")
    YEAR = "year", _("Năm")
    RANGE = "range", _("Khoảng thời gian")
    APPROXIMATE = "approximate", _("Khoảng (ước chừng)")


class Event(index.Indexed, models.Model):
    chronology = models.ForeignKey(Chronology, on_delete=models.CASCADE, related_name="events",
                                   verbose_name=_("biên niên"))
    date_earliest = models.DateField(_("từ ngày"))
    date_latest = models.DateField(_("đến ngày"))
    precision = models.CharField(_("độ chính xác"), max_length=16, choices=EventPrecision.choices,
                                 default=EventPrecision.DAY)
    date_text = models.CharField(_("ngày (như ghi)"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(editable=False, db_index=True)
    place = models.CharField(_("địa điểm"), max_length=255, blank=True, db_index=True)
    actors = models.CharField(_("chủ thể"), max_length=500, blank=True)
    text = models.TextField(_("sự kiện"))
    sources = models.JSONField(_("nguồn"), default=list, blank=True,
                               help_text=_('[{"item": id, "page": n}] hoặc [{"text": "…"}]'))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", editable=False)

    search_fields = [index.SearchField("text"), index.AutocompleteField("text")]

    class Meta:
        verbose_name = _("sự kiện")
        verbose_name_plural = _("sự kiện")
        ordering = ["date_earliest", "id"]
        indexes = [models.Index(fields=["chronology", "date_earliest"])]

    def __str__(self) -> str:
        return "%s — %s" % (self.date_text or self.date_earliest, self.text[:80])


class EntityKind(models.TextChoices):
    PERSON = "person", _("Nhân vật")
    PLACE = "place", _("Địa danh")
    ORGANISATION = "organisation", _("Tổ chức")
    SUBJECT = "subject", _("Chủ đề")


class Entity(models.Model):
    """A name in the back-of-book index. ``aliases`` are other spellings (old and new place names)."""

    book = models.ForeignKey(BookPage, on_delete=models.CASCADE, related_name="entities", verbose_name=_("sách"))
    kind = models.CharField(_("loại"), max_length=16, choices=EntityKind.choices)
    name = models.CharField(_("tên"), max_length=255)
    aliases = models.JSONField(_("tên khác"), default=list, blank=True)
    confirmed = models.BooleanField(_("đã xác nhận"), default=False)
    org_unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("mục từ chỉ dẫn")
        verbose_name_plural = _("mục từ chỉ dẫn")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["book", "kind", "name"], name="books_entity_unique")]

    def __str__(self) -> str:
        return self.name


class ThematicPack(models.Model):
    """A chuyên đề: a short printable document from chosen events, quotations and chapters."""

    title = models.CharField(_("tên chuyên đề"), max_length=500)
    slug = models.SlugField(_("mã"), max_length=100, unique=True)
    book = models.ForeignKey(BookPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="packs")
    access = models.CharField(_("mức độ tiếp cận"), max_length=16, choices=AccessLevel.choices,
                              default=AccessLevel.PUBLIC)
    org_unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    body = StreamField(pack_blocks(), blank=True, use_json_field=True, verbose_name=_("nội dung"))

    panels = [FieldPanel("title"), FieldPanel("slug"), FieldPanel("book"), FieldPanel("access"),
              FieldPanel("org_unit"), FieldPanel("body")]

    class Meta:
        verbose_name = _("chuyên đề")
        verbose_name_plural = _("chuyên đề")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CitationLink(models.Model):
    """One citation of an archive item in live content (chapter, section, pack): the "cited in" list."""

    item = models.ForeignKey("archive.Item", on_delete=models.CASCADE, related_name="book_citations")
    page = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    pack = models.ForeignKey(ThematicPack, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    book = models.ForeignKey(BookPage, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    locator = models.CharField(max_length=32, blank=True)

    class Meta:
        indexes = [models.Index(fields=["item", "page"])]

    def __str__(self) -> str:
        return "%s ← %s" % (self.item_id, self.page_id or self.pack_id)


class BookExport(models.Model):
    """One export run from the back office (a background task), with its progress and its file."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Chờ")
        RUNNING = "running", _("Đang xuất")
        DONE = "done", _("Xong")
        FAILED = "failed", _("Lỗi")

    book = models.ForeignKey(BookPage, on_delete=models.CASCADE, related_name="exports")
    format = models.CharField(max_length=8)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    path = models.CharField(max_length=1000, blank=True)
    error = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return "%s %s" % (self.book_id, self.format)


class ImportReport(models.Model):
    """What ``sulieu book import`` did: chapters, footnotes, which footnotes still need a person."""

    book = models.ForeignKey(BookPage, on_delete=models.CASCADE, related_name="import_reports")
    source_name = models.CharField(max_length=500)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("báo cáo nhập bản thảo")

    def __str__(self) -> str:
        return self.source_name


class EventSource(models.Model):
    """An archive item an event rests on (mirrors the item entries of ``Event.sources`` for "cited in")."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="source_links")
    item = models.ForeignKey("archive.Item", on_delete=models.CASCADE, related_name="book_events")
    page = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return "%s: %s" % (self.event_id, self.item_id)
