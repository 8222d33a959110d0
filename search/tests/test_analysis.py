from __future__ import annotations

import datetime as dt
from pathlib import Path

import vntext
from search.analysis import fold_term, symbol_key, text_terms
from search.evaluation import corpus_documents, read_jsonl
from search.highlight import Tokens, snippet
from search.query import parse_query


def test_terms_keep_exact_folded_bigrams_and_symbols() -> None:
    terms = text_terms("Lịch sử Đảng bộ theo 98-KH/TU")
    for t in ("lịch", "lich", "đảng", "dang", "lịch_sử", "lich_su", "sử_đảng", "su_dang", "k_98_kh_tu"):
        assert t in terms
    assert "lich" not in text_terms("bàn")  # folded form only of what is there
    assert text_terms("xã ủy") == ["xã", "xa", "ủy", "uy", "xã_ủy", "xa_uy"]  # two-letter syllables kept


def test_no_bigram_across_sentence_punctuation() -> None:
    assert "ban_nhân" not in text_terms("Trưởng ban. Nhân dân")
    assert "ban_nhân" in text_terms("ủy ban nhân dân")


def test_symbol_spellings_share_one_key() -> None:
    assert symbol_key("98-KH/TU") == symbol_key("98 KH TU") == symbol_key("98-kh/tu") == "k_98_kh_tu"
    assert symbol_key("123/QĐ-UBND") == symbol_key("123 qd ubnd")
    assert symbol_key("lịch sử") is None


def test_query_language() -> None:
    q = parse_query('"ủy ban nhân dân" -tỉnh so:98-KH/TU loai:"Kế hoạch" nam:2018 tu:2018-01-01 den:2018-12-31 xã')
    assert [s.exact for s in q.phrases[0]] == ["ủy", "ban", "nhân", "dân"]
    assert [s.exact for s in q.excludes[0]] == ["tỉnh"]
    assert q.required_symbols == ["k_98_kh_tu"]
    assert q.filters == {"type": "Kế hoạch", "year": 2018, "date_from": dt.date(2018, 1, 1),
                         "date_to": dt.date(2018, 12, 31)}
    assert [s.exact for s in q.syllables][-1] == "xã"
    assert parse_query("98 kh tu").symbol_keys[0] == "k_98_kh_tu"
    assert parse_query("den:2018-02").filters["date_to"] == dt.date(2018, 2, 28)
    assert parse_query("10:30 sáng").syllables[0].exact == "10"  # not a field


def test_snippet_marks_original_spelling_and_escapes_everything_else() -> None:
    q = parse_query("lich su")
    html = snippet("<b>Lịch sử</b> Đảng bộ & nhân dân", q)
    assert "<mark>Lịch</mark> <mark>sử</mark>" in html
    assert "&lt;b&gt;" in html and "&amp;" in html and "<b>" not in html


def test_snippet_tokens_are_the_token_spans_and_their_folds() -> None:
    """The snippet's fast split (NFC text split once, its tokens folded in one call) gives what
    ``vntext.token_spans`` and a fold per token give, on every real text and on text it must hand back to them."""
    docs, _ids = corpus_documents(read_jsonl(Path(__file__).resolve().parents[1] / "eval" / "real" / "corpus.jsonl"))
    texts = [t for d in docs for t in (d.title, *(p.text for p in d.pages))]
    texts += ["Hoà bình HÒA BÌNH", "Straße ĐẢNG bộ_xã", "Ho\u0300a bi\u0300nh", "<b>x</b> 98-KH/TU", "", "__", "a_b"]
    for text in texts:
        got = Tokens(text)
        spans = vntext.token_spans(text)
        assert list(zip(got.words, got.starts, got.ends, strict=True)) == spans, text
        assert got.folded == [fold_term(t) for t, _, _ in spans], text


def test_a_reference_by_number_alone_in_a_query_is_no_symbol() -> None:
    # vntext returns "Quyết định số 412" with symbol None; the query keeps its words and the number, no key of None.
    q = parse_query("Quyết định số 412 của Hội đồng Bộ trưởng và 217-HĐBT")
    assert "k_217_hdbt" in q.symbol_keys
    assert all(isinstance(key, str) and key for key in q.symbol_keys)
    assert [s.exact for s in q.syllables][:4] == ["quyết", "định", "số", "412"]
