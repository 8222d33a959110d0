"""Sample manuscripts for tests and benchmarks: Word documents with real footnotes, made by pandoc from Markdown."""

from __future__ import annotations

from pathlib import Path

from books.csl import run_pandoc


def make_manuscript(path: Path, chapters: list[tuple[str, list[tuple[str, list[str]]]]], *,
                    title: str = "Bản thảo", parts: bool = False) -> Path:
    """A .docx: ``chapters`` = [(chapter title, [(paragraph text, [footnote texts])])].

    With ``parts`` the chapters sit under a "Phần thứ nhất" heading (Heading 1), chapters as Heading 2.
    """
    lines = ["---", "title: \"%s\"" % title.replace('"', "'"), "---", ""]
    level = "##" if parts else "#"
    if parts:
        lines += ["# Phần thứ nhất", ""]
    n = 0
    notes: list[str] = []
    for chapter_title, paragraphs in chapters:
        lines += ["%s %s" % (level, chapter_title), ""]
        for text, footnotes in paragraphs:
            marks = ""
            for note in footnotes:
                n += 1
                marks += "[^%d]" % n
                notes.append("[^%d]: %s" % (n, note.replace("\n", " ")))
            lines += [text + marks, ""]
    lines += notes
    run_pandoc(["-f", "markdown", "-t", "docx", "-o", str(path)], input_text="\n".join(lines) + "\n")
    return path
