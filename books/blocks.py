"""StreamField blocks of a chapter: paragraphs, headings, images, quotations and citations.

A citation is a link to an archive item (chosen through the archive search) or to a source outside the
archive (a book, an article, an oral testimony), with a locator (page or sheet, a number or a range). It
becomes a footnote of the paragraph before it: at the next ``[*]`` mark in that paragraph, or at its end.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from books.choosers import item_chooser_viewset

ItemChooserBlock = item_chooser_viewset.get_block_class(name="ItemChooserBlock", module_path="books.blocks")

NOTE_MARK = "[*]"
PARAGRAPH_FEATURES = ["bold", "italic", "link", "superscript"]


class CitationBlock(blocks.StructBlock):
    item = ItemChooserBlock(required=False, label=_("Tài liệu trong kho"))
    source = SnippetChooserBlock("books.Source", required=False, label=_("Nguồn ngoài kho (sách, báo, hồi ức)"))
    locator_kind = blocks.ChoiceBlock(choices=[("page", _("trang")), ("folio", _("tờ"))], default="page",
                                      label=_("Vị trí theo"))
    locator = blocks.CharBlock(required=False, max_length=32, label=_("Trang / tờ"),
                               help_text=_("Một số (12) hoặc khoảng (12–15)."))
    text = blocks.TextBlock(required=False, label=_("Lời chú thích"),
                            help_text=_("Chú thích không dẫn nguồn, hoặc lời ghi thêm sau nguồn."))

    class Meta:
        icon = "link"
        label = _("Chú thích, trích dẫn")
        form_classname = "books-citation"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Ảnh"))
    caption = blocks.CharBlock(required=False, max_length=500, label=_("Chú thích ảnh"))

    class Meta:
        icon = "image"
        label = _("Ảnh")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Trích đoạn"))

    class Meta:
        icon = "openquote"
        label = _("Trích dẫn nguyên văn")


def body_blocks() -> list[tuple[str, blocks.Block]]:
    return [
        ("heading", blocks.CharBlock(max_length=255, label=_("Tiêu đề nhỏ"), icon="title")),
        ("paragraph", blocks.RichTextBlock(features=PARAGRAPH_FEATURES, label=_("Đoạn văn"))),
        ("citation", CitationBlock()),
        ("quote", QuoteBlock()),
        ("figure", FigureBlock()),
        ("chronology", SnippetChooserBlock("books.Chronology", label=_("Bảng biên niên"), icon="date")),
    ]


def pack_blocks() -> list[tuple[str, blocks.Block]]:
    return [
        *body_blocks(),
        ("event", SnippetChooserBlock("books.Event", label=_("Sự kiện biên niên"), icon="date")),
        ("chapter", blocks.PageChooserBlock(page_type="books.ChapterPage", label=_("Chương sách"))),
    ]
