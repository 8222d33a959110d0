from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from contests.importers import BankFileError, parse_csv, parse_gift
from contests.models import Attempt, Contest, Question, QuestionVersion, Round

pytestmark = pytest.mark.django_db

HEADER = "question,option_a,option_b,option_c,option_d,option_e,option_f,correct,topic,source_item\n"


def test_csv_bad_rows_are_reported_by_line_and_the_rest_imported(tmp_path, capsys, world):
    from reading.tests.factories import make_text_item

    item = make_text_item("Kế hoạch số 98-KH/TU", name="kh98.txt")
    path = tmp_path / "bank.csv"
    path.write_text(HEADER + "\n".join([
        'Chỉ thị 20-CT/TW ban hành năm nào?,2016,2018,2020,,,,b,Chỉ thị 20,%d:1' % item.pk,
        'Câu không có đáp án đúng?,A,B,,,,,,Chỉ thị 20,',
        '"Câu có dấu phẩy, và ""ngoặc""?",A,B,C,,,,"a,c",Khác,',
        'Câu chỉ một phương án?,A,,,,,,a,Khác,',
        'Câu có nguồn không tồn tại?,A,B,,,,,a,Khác,999999',
        'Câu đáp án e trống?,A,B,,,,,e,Khác,',
        '<script>alert(1)</script> là gì?,A,B,,,,,a,XSS,',
    ]) + "\n", encoding="utf-8")
    call_command("contest", "import-bank", str(path), "--bank", "ls", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["imported"] == 3 and report["failed"] == 4
    assert {e["line"] for e in report["errors"]} == {3, 5, 6, 7}
    q = QuestionVersion.objects.get(text__startswith="Chỉ thị 20-CT/TW")
    assert (q.source_item_id, q.source_page, q.correct_ids, q.multiple) == (item.pk, 1, ["b"], False)
    assert QuestionVersion.objects.get(text__startswith="Câu có dấu phẩy").multiple
    # Importing again changes nothing.
    call_command("contest", "import-bank", str(path), "--bank", "ls", "--json")
    assert json.loads(capsys.readouterr().out)["unchanged"] == 3
    assert Question.objects.count() == 3


def test_changed_wording_becomes_a_new_version_of_the_same_question(tmp_path, capsys, world):
    path = tmp_path / "bank.csv"
    path.write_text(HEADER.replace("question,", "key,question,") + "K1,Câu một?,A,B,,,,,a,T,\n", encoding="utf-8")
    call_command("contest", "import-bank", str(path), "--bank", "v")
    path.write_text(HEADER.replace("question,", "key,question,") + "K1,Câu một (sửa)?,A,B,,,,,b,T,\n",
                    encoding="utf-8")
    call_command("contest", "import-bank", str(path), "--bank", "v")
    question = Question.objects.get(key="K1")
    assert [v.number for v in question.versions.order_by("number")] == [1, 2]
    assert question.current.text == "Câu một (sửa)?" and question.current.correct_ids == ["b"]


def test_xlsx_import(tmp_path, capsys, world):
    book = Workbook()
    sheet = book.active
    sheet.append(["question", "option_a", "option_b", "option_c", "correct", "topic", "source_item"])
    sheet.append(["Năm thành lập Đảng?", 1930, 1945, 1954, "a", "Lịch sử Đảng", None])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["Thiếu đáp án", "A", "B", None, "c", "x", None])
    path = tmp_path / "bank.xlsx"
    book.save(path)
    call_command("contest", "import-bank", str(path), "--bank", "xl", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["imported"] == 1 and report["errors"] == [
        {"line": 4, "error": "correct names options that are empty or unknown: c"}]
    assert QuestionVersion.objects.get().options[0]["text"] == "1930"


GIFT = """// Ngân hàng thử
$CATEGORY: $course$/Lịch sử Đảng bộ

// nguồn: 5:2
::Q1:: Chỉ thị 20-CT/TW do cơ quan nào ban hành? {
  =Ban Bí thư # đúng
  ~Bộ Chính trị
  ~Quốc hội
}

::Q2:: Những nội dung nào thuộc Chỉ thị 20? {
  ~%50%Nghiên cứu, biên soạn
  ~%50%Tuyên truyền, giáo dục
  ~%-100%Xây dựng cầu đường
}

::Q3:: Đảng được thành lập năm 1930. {T}

::Q4:: Ký hiệu có dấu \\= và \\{ ngoặc\\}? {=Đúng ~Sai}
"""


def test_gift_multiple_choice_and_multiple_answer_and_unsupported_types():
    parsed = parse_gift(GIFT.encode("utf-8"))
    assert [r.key for r in parsed.rows] == ["Q1", "Q2", "Q4"]
    q1, q2, q4 = parsed.rows
    assert (q1.topic, q1.source_item, q1.source_page) == ("Lịch sử Đảng bộ", 5, 2)
    assert [o["text"] for o in q1.options] == ["Ban Bí thư", "Bộ Chính trị", "Quốc hội"]
    assert [o["correct"] for o in q2.options] == [True, True, False] and q2.multiple
    assert q4.text == "Ký hiệu có dấu = và { ngoặc}?"
    assert [(e.line, "true/false" in e.error) for e in parsed.errors] == [(17, True)]


def test_unreadable_files_are_one_clear_error(tmp_path):
    with pytest.raises(BankFileError, match="first row"):
        parse_csv(b"a,b\n1,2\n")
    bad = tmp_path / "bank.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="not a readable XLSX") as exc:
        call_command("contest", "import-bank", str(bad), "--bank", "x")
    assert exc.value.returncode == 2
    other = tmp_path / "bank.pdf"
    other.write_bytes(b"%PDF")
    with pytest.raises(CommandError, match="unknown bank format"):
        call_command("contest", "import-bank", str(other), "--bank", "x")


def test_create_set_actual_and_export_commands(tmp_path, capsys, world):
    from contests import services
    from contests.tests.factories import make_bank

    make_bank(n=6)
    spec = {"slug": "tuan-le", "title": "Hội thi", "bank": "lich-su", "questions_per_attempt": 3,
            "time_limit_s": 300, "attempts_per_round": 2, "prediction_question": "Bao nhiêu lượt?",
            "rounds": [{"name": "Tuần 1", "opens_at": "2026-01-01T08:00:00+07:00",
                        "closes_at": "2026-01-08T08:00:00+07:00"}]}
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    call_command("contest", "create", "--spec", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["slug"] == "tuan-le" and len(out["rounds"][0]["questions_sha256"]) == 64
    with pytest.raises(CommandError, match="already exists") as exc:
        call_command("contest", "create", "--spec", str(path))
    assert exc.value.returncode == 2
    contest = Contest.objects.get(slug="tuan-le")
    round_ = Round.objects.get(contest=contest)
    taker, _ = services.taker_register(contest=contest, name='=HYPERLINK("x")', unit_code=world.commune.code,
                                       birth_year=2000, contact="a@b.c")
    Attempt.objects.create(round=round_, taker=taker, started_at=round_.opens_at, deadline=round_.closes_at,
                           prediction=40, layout={})
    call_command("contest", "set-actual", "tuan-le", "--round", "Tuần 1", "--value", "42")
    assert Attempt.objects.get().prediction_error == 2
    with pytest.raises(CommandError, match="no round"):
        call_command("contest", "set-actual", "tuan-le", "--round", "Tuần 9", "--value", "1")
    out_csv = tmp_path / "results.csv"
    call_command("contest", "export", "tuan-le", "--round", "Tuần 1", "--output", str(out_csv))
    text = out_csv.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("attempt_id,taker_id,name") and "'=HYPERLINK" in text
    assert Attempt.objects.get().auto_submitted  # the export finalised the expired attempt first
    out_xlsx = tmp_path / "answers.xlsx"
    call_command("contest", "export", "tuan-le", "--round", "Tuần 1", "--what", "answers", "--output", str(out_xlsx))
    assert out_xlsx.read_bytes()[:2] == b"PK"
