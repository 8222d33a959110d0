"""The narrative report (báo cáo sơ kết / tổng kết) assembled as DOCX with python-docx."""

from __future__ import annotations

from typing import IO, Any

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from oversight.indicators import compute_indicators, indicators
from oversight.models import Commendation, Report, ReportForm
from oversight.selectors import form_period, report_status, roots_on

MAX_QUOTES = 12


def _table(doc: Any, header: list[str], rows: list[list[Any]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        return ("%.2f" % value).rstrip("0").rstrip(".").replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


def summary_docx(form: ReportForm, key: str, out: IO[bytes], *, user: Any = None) -> None:
    """Write the sơ kết report of ``form`` for period ``key`` to ``out``."""
    period = form_period(form, key)
    status = report_status(form, key, user=user)
    reports = list(Report.objects.filter(form=form, period_key=key).select_related("org_unit")
                   .order_by("org_unit__path"))
    seen_ids = {u["id"] for u in status["units"]}
    reports = [r for r in reports if r.org_unit_id in seen_ids]
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.add_run("BÁO CÁO SƠ KẾT\n").bold = True
    head.add_run(form.title).bold = True
    doc.add_paragraph("Kỳ báo cáo: %s (từ %s đến %s); hạn nộp: %s." % (
        key, period.start.strftime("%d/%m/%Y"), period.end.strftime("%d/%m/%Y"),
        timezone.datetime.fromisoformat(status["period"]["due"]).strftime("%d/%m/%Y")))

    doc.add_heading("I. Tình hình báo cáo của các đơn vị", level=2)
    doc.add_paragraph(
        "Tổng số đơn vị phải báo cáo: %d; đã nộp: %d (đúng hạn %d, trễ hạn %d); chưa nộp: %d; đã duyệt: %d." % (
            status["expected"], status["submitted"], status["on_time"], status["late"], status["missing"],
            status["approved"]))
    upper = [u for u in status["units"] if u["level"] != form.level or u["depth"] <= 1]
    _table(doc, ["Đơn vị", "Phải nộp", "Đã nộp", "Đúng hạn", "Trễ hạn", "Chưa nộp", "Đã duyệt"],
           [[("  " * max(u["depth"] - 1, 0)) + u["name"], u["expected"], u["submitted"], u["on_time"], u["late"],
             u["missing"], u["approved"]] for u in upper])

    numeric = [f for f in form.fields if f["type"] in ("int", "decimal", "bool")]
    if numeric:
        doc.add_heading("II. Kết quả thực hiện các chỉ tiêu", level=2)
        totals = {f["key"]: 0 for f in numeric}
        rows = []
        for report in reports:
            row = [report.org_unit.name]
            for f in numeric:
                value = report.values.get(f["key"])
                row.append(_number(value) if value is not None else "")
                if isinstance(value, (int, float)):
                    totals[f["key"]] += value
            rows.append(row)
        rows.append(["Tổng cộng"] + [_number(totals[f["key"]]) for f in numeric])
        _table(doc, ["Đơn vị"] + [f["label"] for f in numeric], rows)

    roots = roots_on(form, period.end)
    if roots:
        doc.add_heading("III. Số liệu tự động từ hệ thống Sử liệu", level=2)
        figures = compute_indicators([r.path for r in roots], period.start, period.end)
        labels = {i.key: i.label for i in indicators()}
        _table(doc, ["Chỉ tiêu", "Số lượng"], [[labels[k], _number(v)] for k, v in figures.items()])

    texts = [f for f in form.fields if f["type"] == "text"]
    quotes = [(r, f, r.values.get(f["key"])) for r in reports for f in texts if r.values.get(f["key"])]
    if quotes:
        doc.add_heading("IV. Ý kiến, kinh nghiệm của các đơn vị", level=2)
        for report, field, text in quotes[:MAX_QUOTES]:
            p = doc.add_paragraph(style="List Bullet")
            p.add_run("%s (%s): " % (report.org_unit.name, field["label"])).bold = True
            p.add_run("“%s”" % text[:1500]).italic = True

    commendations = list(Commendation.objects.filter(decided_on__gte=period.start, decided_on__lte=period.end)
                         .select_related("org_unit"))
    if roots:
        commendations = [c for c in commendations
                         if c.org_unit is None or any(c.org_unit.path.startswith(r.path) for r in roots)]
    doc.add_heading("V. Khen thưởng, biểu dương, nhân rộng mô hình", level=2)
    if commendations:
        _table(doc, ["Số quyết định", "Ngày", "Tập thể, cá nhân", "Thành tích"],
               [[c.decision_symbol, c.decided_on.strftime("%d/%m/%Y") if c.decided_on else "", c.recipient,
                 c.reason] for c in commendations])
    else:
        doc.add_paragraph("Chưa có quyết định khen thưởng trong kỳ.")
    missing = [u for u in status["units"] if u["level"] == form.level and u["missing"]]
    if missing:
        doc.add_heading("VI. Đơn vị chưa nộp báo cáo", level=2)
        doc.add_paragraph(", ".join(u["name"] for u in missing[:400]) + ".")
    doc.add_paragraph("Báo cáo lập tự động lúc %s từ số liệu trực tiếp của hệ thống." %
                      timezone.localtime().strftime("%H:%M %d/%m/%Y"))
    doc.save(out)
