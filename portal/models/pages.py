"""The portal's Wagtail pages: home (the Site root), topic (chuyên mục), article, document list."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.blocks import SnippetChooserBlock
from wagtail.url_routing import RouteResult

from portal import serving


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("ảnh"))
    caption = blocks.CharBlock(label=_("chú thích"), required=False, max_length=500)
    credit = blocks.CharBlock(label=_("tác giả ảnh"), required=False, max_length=200)

    class Meta:
        icon = "image"
        template = "portal/blocks/image.html"
        label = _("Ảnh có chú thích")


class ArchiveItemBlock(blocks.StructBlock):
    """An archive item shown as a card (thumbnail, symbol, date); only public items are ever shown."""

    item = SnippetChooserBlock("archive.Item", label=_("tài liệu lưu trữ"))
    note = blocks.CharBlock(label=_("ghi chú"), required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        template = "portal/blocks/archive_item.html"
        label = _("Tài liệu lưu trữ")


BODY_BLOCKS = [
    ("paragraph", blocks.RichTextBlock(label=_("Đoạn văn"),
                                       features=["bold", "italic", "link", "ol", "ul", "h2", "h3", "blockquote",
                                                 "superscript"])),
    ("heading", blocks.CharBlock(label=_("Tiêu đề mục"), form_classname="title", template="portal/blocks/heading.html")),
    ("image", ImageBlock()),
    ("archive_item", ArchiveItemBlock()),
    ("quote", blocks.BlockQuoteBlock(label=_("Trích dẫn"))),
]


class PortalHomePage(RoutablePageMixin, Page):
    """The public front page at ``/``: lead stories, topics, "Văn bản mới", most read, visitor statistics."""

    intro = models.TextField(_("giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), InlinePanel("lead_stories", label=_("Tin nổi bật"))]
    subpage_types = ["portal.TopicPage", "portal.DocumentListPage"]
    parent_page_types = ["wagtailcore.Page"]
    template = "portal/home.html"

    class Meta:
        verbose_name = _("trang chủ cổng thông tin")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context.update(serving.home_context(self))
        return context

    @path("")
    def index(self, request: HttpRequest) -> HttpResponse:
        return serving.serve_counted(self, request, lambda: self.render(request))

    @path("tim-kiem/")
    def search(self, request: HttpRequest) -> HttpResponse:
        return serving.search_view(self, request)

    @path("rss/")
    def rss(self, request: HttpRequest) -> HttpResponse:
        return serving.feed_response(request, self, None)


class HomeLeadStory(Orderable):
    page = ParentalKey(PortalHomePage, on_delete=models.CASCADE, related_name="lead_stories")
    article = models.ForeignKey("portal.ArticlePage", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("bài viết"))

    panels = [FieldPanel("article")]


class TopicPage(RoutablePageMixin, Page):
    """A topic (chuyên mục): its articles, newest first, with an RSS feed."""

    intro = models.TextField(_("giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["portal.ArticlePage"]
    parent_page_types = ["portal.PortalHomePage"]
    template = "portal/topic.html"

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        articles = serving.articles_of(self)
        context["articles"] = Paginator(articles, 20).get_page(request.GET.get("page"))
        context.update(serving.sidebar_context())
        return context

    @path("")
    def index(self, request: HttpRequest) -> HttpResponse:
        return serving.serve_counted(self, request, lambda: self.render(request))

    @path("rss/")
    def rss(self, request: HttpRequest) -> HttpResponse:
        return serving.feed_response(request, self.get_parent().specific, self)


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("portal.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(Page):
    """An article: sapo, lead image (caption, credit, source), body with archive cards, footnotes, tags."""

    sapo = models.TextField(_("sapo (tóm tắt)"), blank=True)
    lead_image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("ảnh đại diện"))
    lead_image_caption = models.CharField(_("chú thích ảnh"), max_length=500, blank=True)
    lead_image_credit = models.CharField(_("tác giả ảnh"), max_length=200, blank=True)
    lead_image_source = models.CharField(_("nguồn ảnh"), max_length=300, blank=True)
    body = StreamField(BODY_BLOCKS, blank=True, verbose_name=_("nội dung"))
    author = models.CharField(_("tác giả"), max_length=200, blank=True)
    source_name = models.CharField(_("nguồn"), max_length=300, blank=True)
    # The canonical URL of an imported page (or file:// for a local file without one): the import key.
    source_url = models.CharField(_("URL nguồn"), max_length=2000, blank=True, db_index=True)
    published_at = models.DateTimeField(_("thời điểm đăng"), null=True, blank=True,
                                        help_text=_("Để trống: lấy lúc xuất bản lần đầu."))
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("thẻ"))
    # Title, sapo and body folded (no diacritics, lower case), so that "lich su" finds "lịch sử".
    search_text = models.TextField(blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("sapo"),
        MultiFieldPanel([FieldPanel("lead_image"), FieldPanel("lead_image_caption"), FieldPanel("lead_image_credit"),
                         FieldPanel("lead_image_source")], heading=_("Ảnh đại diện")),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("author"), FieldPanel("source_name"), FieldPanel("source_url"),
                         FieldPanel("published_at")], heading=_("Tác giả và nguồn")),
        FieldPanel("tags"),
        InlinePanel("footnotes", label=_("Chú thích")),
        InlinePanel("related_links", label=_("Tin liên quan (chọn tay)")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("sapo"), index.SearchField("search_text")]
    subpage_types: list[str] = []
    parent_page_types = ["portal.TopicPage"]
    template = "portal/article.html"

    class Meta:
        verbose_name = _("bài viết")
        verbose_name_plural = _("bài viết")

    @property
    def display_date(self) -> Any:
        return self.published_at or self.first_published_at

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A derived column (the folded text), not a rule: kept in step with every save, revisions included.
        self.search_text = serving.fold_article_text(self)
        super().save(*args, **kwargs)

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        if path_components == ["in"] and self.live:
            return RouteResult(self, kwargs={"print_view": True})
        return super().route(request, path_components)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context.update(serving.article_context(self))
        return context

    def serve(self, request: HttpRequest, *args: Any, print_view: bool = False, **kwargs: Any) -> HttpResponse:
        if print_view:
            return serving.print_view(self, request)
        return serving.serve_article(self, request, lambda: super(ArticlePage, self).serve(request, *args, **kwargs))


class ArticleRelatedLink(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_links")
    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="+", verbose_name=_("bài viết"))

    panels = [FieldPanel("article")]


class ArticleFootnote(Orderable):
    """A footnote; it resolves to an archive item (chosen, or found by its symbol) when that item is public."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="footnotes")
    text = models.CharField(_("nội dung"), max_length=1000)
    symbol = models.CharField(_("số, ký hiệu văn bản"), max_length=128, blank=True)
    item = models.ForeignKey("archive.Item", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("tài liệu lưu trữ"))

    panels = [FieldPanel("text"), FieldPanel("symbol"), FieldPanel("item")]


class DocumentListPage(Page):
    """ "Văn bản mới": public archive documents by date, filtered by type and issuer."""

    intro = models.TextField(_("giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types: list[str] = []
    parent_page_types = ["portal.PortalHomePage"]
    template = "portal/document_list.html"

    class Meta:
        verbose_name = _("danh sách văn bản")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context.update(serving.document_list_context(request))
        return context

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return serving.serve_counted(self, request, lambda: super(DocumentListPage, self).serve(request, *args, **kwargs))
