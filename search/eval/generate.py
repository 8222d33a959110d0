"""Generate the evaluation set: Vietnamese Party/local-history passages and realistic queries.

    python -m search.eval.generate [--docs 1500] [--seed 7] [--out search/eval]

Three families of documents, written from templates and vocabulary (deterministic for a seed):
official documents with symbols (kế hoạch, nghị quyết, chỉ thị… of Party and State bodies, citing each
other), chapters of commune Party histories (events, years, people, places), and biographies of
revolutionaries.  Place names include pairs that differ only in diacritics (Phú Mỹ / Phù Mỹ, Đông Hòa / Đồng
Hòa, Tân Hưng / Tân Hùng), as in real provinces.  Queries are question-style, keyword, symbol (three
spellings) and name queries; every query is written once with diacritics and once without (as typed on a
phone without a Vietnamese keyboard).  ``relevant`` lists every document that answers the need.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import vntext

PROVINCES = [("Khánh Hòa", ["Cam Lâm", "Ninh Hòa", "Vạn Ninh", "Diên Khánh"]),
             ("Bình Định", ["Phù Cát", "Tây Sơn", "Hoài Nhơn", "An Nhơn"]),
             ("Quảng Ngãi", ["Đức Phổ", "Mộ Đức", "Sơn Tịnh", "Bình Sơn"]),
             ("Nghệ An", ["Nam Đàn", "Thanh Chương", "Diễn Châu", "Hưng Nguyên"]),
             ("Thái Bình", ["Kiến Xương", "Tiền Hải", "Vũ Thư", "Đông Hưng"])]
COMMUNES = ["Phú Mỹ", "Phù Mỹ", "Đông Hòa", "Đồng Hòa", "Tân Hưng", "Tân Hùng", "Cam Hải", "Suối Tân",
            "Ninh Ích", "Vạn Thắng", "Diên Lạc", "Cát Tiến", "Bình Thành", "Hoài Hảo", "Nhơn Hậu", "Phổ Quang",
            "Đức Lân", "Tịnh Khê", "Bình Hải", "Kim Liên", "Thanh Lương", "Diễn Kim", "Hưng Tân", "Vũ Lăng",
            "Nam Hải", "Đông Xuân", "Quang Trung", "Hòa Bình", "Xuân Sơn", "Lạc An", "Ân Nghĩa", "Cẩm Thành",
            "Mỹ Lợi", "Long Thạnh", "Hải Yến", "Trà Bình"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Đình", "Xuân", "Hữu", "Minh", "Quang", "Thanh", "Đức", "Ngọc"]
GIVEN = ["Tư", "Lan", "Hùng", "Mai", "Sơn", "Thắng", "Hòa", "Bảy", "Cúc", "Đào", "Khải", "Lựu", "Nhơn", "Phúc",
         "Quế", "Sáu", "Tám", "Thu", "Trí", "Út", "Vinh", "Xuyến", "Yến", "Đạt", "Ân", "Bích", "Chiến", "Dũng",
         "Hạnh", "Kha", "Lộc", "Nghĩa"]

DOC_TYPES = [("Kế hoạch", "KH"), ("Nghị quyết", "NQ"), ("Chỉ thị", "CT"), ("Báo cáo", "BC"),
             ("Thông báo", "TB"), ("Hướng dẫn", "HD"), ("Quyết định", "QĐ")]
PARTY_ISSUERS = [("Tỉnh ủy", "TU"), ("Ban Thường vụ Tỉnh ủy", "TU"), ("Ban Tuyên giáo Tỉnh ủy", "BTGTU"),
                 ("Ủy ban Kiểm tra Tỉnh ủy", "UBKTTU"), ("Ban Tổ chức Tỉnh ủy", "BTCTU")]
STATE_ISSUERS = [("Ủy ban nhân dân tỉnh", "UBND"), ("Sở Nội vụ", "SNV"), ("Sở Văn hóa và Thể thao", "SVHTT")]
TOPICS = [
    ("tổ chức kỷ niệm {n} năm ngày thành lập Đảng Cộng sản Việt Nam", "kỷ niệm thành lập Đảng",
     ["Tổ chức các hoạt động tuyên truyền sâu rộng về truyền thống vẻ vang của Đảng.",
      "Tổ chức mít tinh, dâng hương tại nghĩa trang liệt sĩ và gặp mặt các đảng viên lão thành.",
      "Các cơ quan báo chí mở chuyên mục về lịch sử Đảng bộ và phong trào cách mạng địa phương."]),
    ("học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "học tập và làm theo Bác",
     ["Mỗi cán bộ, đảng viên đăng ký nội dung làm theo gắn với nhiệm vụ được giao.",
      "Biểu dương các tập thể, cá nhân điển hình tiên tiến trong học tập và làm theo Bác."]),
    ("xây dựng nông thôn mới giai đoạn {p}", "nông thôn mới",
     ["Huy động nguồn lực làm đường giao thông nông thôn, kênh mương nội đồng và nhà văn hóa thôn.",
      "Phấn đấu đến cuối năm có thêm các xã đạt chuẩn nông thôn mới nâng cao."]),
    ("công tác phát triển đảng viên mới", "phát triển đảng viên",
     ["Chú trọng kết nạp đảng viên là đoàn viên thanh niên, người lao động trong doanh nghiệp.",
      "Các chi bộ rà soát quần chúng ưu tú, cử đi học lớp nhận thức về Đảng."]),
    ("phòng, chống thiên tai, lụt bão và tìm kiếm cứu nạn", "phòng chống lụt bão",
     ["Chủ động sơ tán dân khỏi vùng trũng thấp, ven sông, ven biển trước khi bão đổ bộ.",
      "Dự trữ lương thực, thuốc men và phương tiện cứu hộ theo phương châm bốn tại chỗ."]),
    ("sưu tầm, biên soạn lịch sử Đảng bộ các xã, phường, thị trấn", "biên soạn lịch sử Đảng bộ",
     ["Thành lập ban biên soạn, sưu tầm tư liệu, nhân chứng lịch sử còn sống.",
      "Bản thảo được hội thảo lấy ý kiến các đồng chí lão thành cách mạng trước khi xuất bản."]),
    ("đại hội Đảng bộ các cấp nhiệm kỳ {p}", "đại hội Đảng bộ",
     ["Chuẩn bị văn kiện, nhân sự cấp ủy và tổ chức đại hội điểm ở một số đảng bộ cơ sở.",
      "Công tác bầu cử bảo đảm dân chủ, đúng quy định của Điều lệ Đảng."]),
    ("chuyển đổi số trong các cơ quan Đảng", "chuyển đổi số",
     ["Số hóa tài liệu lưu trữ, xây dựng cơ sở dữ liệu văn kiện và hồ sơ đảng viên.",
      "Ứng dụng phần mềm quản lý văn bản và điều hành, chữ ký số trong toàn hệ thống."]),
    ("giáo dục truyền thống cách mạng cho thế hệ trẻ", "giáo dục truyền thống",
     ["Tổ chức cho học sinh tham quan các di tích lịch sử cách mạng trên địa bàn.",
      "Biên soạn tài liệu giáo dục địa phương về truyền thống đấu tranh của quê hương."]),
    ("thực hiện chính sách đối với người có công với cách mạng", "chính sách người có công",
     ["Rà soát, giải quyết tồn đọng hồ sơ xác nhận liệt sĩ, thương binh.",
      "Tu bổ nghĩa trang liệt sĩ, xây nhà tình nghĩa cho gia đình chính sách."]),
    ("công tác kiểm tra, giám sát và thi hành kỷ luật đảng", "kiểm tra giám sát",
     ["Tập trung kiểm tra tổ chức đảng và đảng viên khi có dấu hiệu vi phạm.",
      "Kết quả giám sát được thông báo công khai trong chi bộ."]),
    ("bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái", "bảo vệ nền tảng tư tưởng",
     ["Phát huy vai trò của lực lượng nòng cốt trên không gian mạng.",
      "Định hướng thông tin kịp thời về các sự kiện chính trị quan trọng."]),
]
EVENTS = [
    ("thành lập chi bộ Đảng đầu tiên", "Chi bộ Đảng đầu tiên của xã {c} được thành lập vào {date}, gồm {k} đảng "
     "viên, do đồng chí {p} làm Bí thư. Chi bộ ra đời trong căn nhà tranh của gia đình ông {q} ở thôn {t}."),
    ("khởi nghĩa giành chính quyền tháng Tám năm 1945", "Ngày {d} tháng 8 năm 1945, dưới sự lãnh đạo của Việt Minh, "
     "hàng nghìn quần chúng xã {c} mang giáo mác, cờ đỏ sao vàng kéo về đình làng {t} giành chính quyền. "
     "Ủy ban nhân dân lâm thời do ông {p} làm Chủ tịch ra mắt nhân dân."),
    ("kháng chiến chống thực dân Pháp", "Trong kháng chiến chống thực dân Pháp, du kích xã {c} đã đánh {k} trận, "
     "tiêu biểu là trận phục kích ở {t} năm {y}. Đồng chí {p} chỉ huy trung đội du kích, bắn cháy hai xe quân sự."),
    ("phong trào Đồng khởi", "Năm {y}, hưởng ứng phong trào Đồng khởi, nhân dân xã {c} nổi dậy phá ấp chiến lược ở {t}, "
     "diệt ác, phá kìm. Đồng chí {p}, Bí thư chi bộ, trực tiếp lãnh đạo cuộc nổi dậy."),
    ("kháng chiến chống Mỹ, cứu nước", "Những năm {y}, xã {c} là vùng tranh chấp ác liệt. Đội công tác của đồng chí {p} "
     "bám trụ ở thôn {t}, xây dựng cơ sở cách mạng, đào {k} hầm bí mật nuôi giấu cán bộ."),
    ("xây dựng hợp tác xã nông nghiệp", "Năm {y}, hợp tác xã nông nghiệp đầu tiên của xã {c} được thành lập ở thôn {t} "
     "với {k} hộ xã viên; ông {p} được bầu làm Chủ nhiệm. Năng suất lúa tăng lên rõ rệt."),
    ("thời kỳ đổi mới", "Thực hiện đường lối đổi mới, từ năm {y} Đảng bộ xã {c} lãnh đạo giao ruộng khoán cho hộ xã viên, "
     "mở mang ngành nghề, làm đường bê tông về thôn {t}. Đồng chí {p} là Bí thư Đảng ủy thời kỳ này."),
    ("giải phóng hoàn toàn quê hương năm 1975", "Ngày {d} tháng 3 năm 1975, lực lượng vũ trang và nhân dân xã {c} "
     "nổi dậy giải phóng hoàn toàn quê hương. Cờ giải phóng tung bay trên nóc trụ sở xã ở thôn {t}; đồng chí {p} "
     "được cử làm Chủ tịch Ủy ban nhân dân cách mạng."),
]
ROLES = ["Bí thư chi bộ", "Chủ tịch Ủy ban nhân dân", "chỉ huy du kích", "Bí thư Đảng ủy xã", "cán bộ giao liên",
         "Chủ nhiệm hợp tác xã", "Trưởng ban Tuyên huấn"]
HAMLETS = ["Xuân Phong", "Tân Đức", "Phước Lộc", "Bình An", "Hòa Thuận", "Đông Yên", "Lạc Thiện", "Trung Hậu"]


def _name(rng: random.Random, used: set[str]) -> str:
    for _ in range(50):
        n = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if n not in used:
            used.add(n)
            return n
    # Large benchmark corpora exhaust the names: allow repeats (only the eval set needs them unique).
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def build(n_docs: int = 1500, seed: int = 7) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    docs: list[dict] = []
    meta: list[dict] = []
    used_names: set[str] = set()
    symbols: list[str] = []
    taken: set[str] = set()  # the symbols as a set: a list's `in` made a large corpus quadratic
    n_official = n_docs * 2 // 5
    n_history = n_docs * 2 // 5
    n_bio = n_docs - n_official - n_history
    # Official documents.
    for i in range(n_official):
        province, districts = rng.choice(PROVINCES)
        party = rng.random() < 0.7
        dtype, dcode = rng.choice(DOC_TYPES[:6] if party else DOC_TYPES[3:])
        issuer, icode = rng.choice(PARTY_ISSUERS if party else STATE_ISSUERS)
        num = rng.randint(1, 480)
        year = rng.randint(2005, 2024)
        symbol = f"{num}-{dcode}/{icode}" if party else f"{num}/{dcode}-{icode}"
        while symbol in taken:
            num += 500
            symbol = f"{num}-{dcode}/{icode}" if party else f"{num}/{dcode}-{icode}"
        date = f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{year}"
        tpl, short, sentences = rng.choice(TOPICS)
        period = f"{year}-{year + 5}"
        topic = tpl.format(n=rng.choice([75, 80, 85, 90, 95]), p=period)
        issuer_full = f"{issuer} {province}"
        if rng.random() < 0.5:
            title = f"{dtype} số {symbol} của {issuer_full} về {topic}"
            head = f"{issuer_full.upper()}\nSố: {symbol}\n{vntext.casefold(province).title()}, ngày {date}\n"
        else:
            title = f"{dtype} về {topic}"
            head = f"{issuer_full.upper()}\nSố: {symbol}\n{province}, ngày {date}\n{dtype.upper()}\n"
        cites = []
        if symbols and rng.random() < 0.6:
            cites = rng.sample(symbols, k=min(len(symbols), rng.randint(1, 2)))
        body = [head]
        if cites:
            body.append(f"Căn cứ {', '.join('văn bản số ' + c for c in cites)} và tình hình thực tế của địa phương,")
        body.append(f"{issuer_full} ban hành {dtype.lower()} {topic} như sau:")
        district = rng.choice(districts)
        body.append(f"I. MỤC ĐÍCH, YÊU CẦU. Quán triệt sâu sắc chủ trương của Đảng; việc triển khai ở huyện {district} "
                    f"và các địa phương phải thiết thực, hiệu quả, tiết kiệm.")
        picked = rng.sample(sentences, k=len(sentences))
        body.append("II. NỘI DUNG. " + " ".join(picked))
        body.append(f"III. TỔ CHỨC THỰC HIỆN. Giao Văn phòng {issuer} theo dõi, đôn đốc, báo cáo kết quả trước ngày "
                    f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{year + 1}.")
        docs.append({"id": f"vb{i:04d}", "title": title, "text": "\n".join(body)})
        meta.append({"id": f"vb{i:04d}", "family": "official", "symbol": symbol, "type": dtype, "issuer": issuer,
                     "province": province, "year": year, "topic": short, "topic_full": topic})
        symbols.append(symbol)
        taken.add(symbol)
    # Commune history chapters.
    for i in range(n_history):
        commune = rng.choice(COMMUNES)
        province, districts = rng.choice(PROVINCES)
        ev_name, ev_tpl = rng.choice(EVENTS)
        person = _name(rng, used_names)
        other = _name(rng, used_names)
        hamlet = rng.choice(HAMLETS)
        year = rng.choice({"kháng chiến chống thực dân Pháp": [1947, 1949, 1951, 1953],
                           "phong trào Đồng khởi": [1960, 1961],
                           "kháng chiến chống Mỹ, cứu nước": [1965, 1968, 1972],
                           "xây dựng hợp tác xã nông nghiệp": [1958, 1977, 1978],
                           "thời kỳ đổi mới": [1986, 1988, 1990]}.get(ev_name, [1930, 1931, 1936]))
        text = ev_tpl.format(c=commune, date=f"ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm {year}",
                             k=rng.randint(3, 40), p=person, q=other, t=hamlet, y=year, d=rng.randint(15, 28))
        filler = rng.sample([
            f"Xã {commune} thuộc huyện {rng.choice(districts)}, tỉnh {province}, có truyền thống yêu nước lâu đời.",
            "Phong trào cách mạng ở địa phương gặp nhiều khó khăn do địch khủng bố gắt gao.",
            "Nhân dân các thôn đã đóng góp lương thực, thực phẩm nuôi cán bộ và bộ đội.",
            "Nhiều đảng viên bị địch bắt, tra tấn nhưng vẫn giữ vững khí tiết cách mạng.",
            f"Tư liệu được ghi lại theo lời kể của nhân chứng {other} và hồ sơ lưu trữ của huyện.",
        ], k=3)
        chapter = rng.randint(1, 9)
        title = f"Lịch sử Đảng bộ xã {commune} ({province}) – Chương {chapter}: {ev_name}"
        docs.append({"id": f"ls{i:04d}", "title": title, "text": " ".join([filler[0], text, *filler[1:]])})
        meta.append({"id": f"ls{i:04d}", "family": "history", "commune": commune, "province": province,
                     "event": ev_name, "year": year, "person": person, "hamlet": hamlet})
    # Biographies.
    for i in range(n_bio):
        person = _name(rng, used_names)
        commune = rng.choice(COMMUNES)
        province, _districts = rng.choice(PROVINCES)
        born = rng.randint(1900, 1950)
        joined = born + rng.randint(16, 25)
        role = rng.choice(ROLES)
        alias = rng.choice(["Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười"])
        text = (f"Đồng chí {person} (bí danh {alias} {person.split()[-1]}), sinh năm {born}, quê ở thôn "
                f"{rng.choice(HAMLETS)}, xã {commune}, tỉnh {province}. Năm {joined}, đồng chí tham gia cách mạng và "
                f"được kết nạp vào Đảng. Đồng chí từng giữ chức {role}. "
                + rng.choice(["Đồng chí hy sinh trong một trận càn của địch và được truy tặng danh hiệu liệt sĩ.",
                              "Sau ngày giải phóng, đồng chí tiếp tục công tác đến khi nghỉ hưu.",
                              "Đồng chí được Nhà nước truy tặng Huân chương Kháng chiến hạng Nhất."]))
        title = f"Tiểu sử đồng chí {person}"
        docs.append({"id": f"ts{i:04d}", "title": title, "text": text})
        meta.append({"id": f"ts{i:04d}", "family": "bio", "person": person, "commune": commune,
                     "province": province, "born": born, "role": role})
    queries = _queries(rng, meta)
    return docs, queries


def _relevant(meta: list[dict], **attrs: object) -> list[str]:
    return [m["id"] for m in meta if all(m.get(k) == v for k, v in attrs.items())]


def _queries(rng: random.Random, meta: list[dict]) -> list[dict]:
    base: list[tuple[str, str, list[str]]] = []
    official = [m for m in meta if m["family"] == "official"]
    history = [m for m in meta if m["family"] == "history"]
    bios = [m for m in meta if m["family"] == "bio"]
    for m in rng.sample(official, 30):
        form = rng.choice(["exact", "spaced", "lower"])
        sym = m["symbol"]
        text = {"exact": sym, "spaced": " ".join(vntext.tokens(sym)).upper(), "lower": sym.lower()}[form]
        base.append(("symbol", text, [m["id"]]))
    for m in rng.sample(official, 40):
        rel = _relevant(official, type=m["type"], issuer=m["issuer"], province=m["province"], topic=m["topic"],
                        year=m["year"])
        q = rng.choice([
            f"{m['type']} nào của {m['issuer']} {m['province']} về {m['topic']} năm {m['year']}?",
            f"{m['issuer']} {m['province']} ban hành {m['type'].lower()} gì về {m['topic']} năm {m['year']}",
            f"{m['type'].lower()} {m['topic']} {m['province']} {m['year']}",
        ])
        base.append(("question" if "?" in q or " gì " in q else "keyword", q, rel))
    for m in rng.sample(history, 50):
        rel = _relevant(history, commune=m["commune"], event=m["event"], province=m["province"])
        q = rng.choice([
            f"Xã {m['commune']} tỉnh {m['province']} trong {m['event']} như thế nào?",
            f"{m['event']} ở xã {m['commune']} {m['province']}",
            f"lịch sử Đảng bộ xã {m['commune']} {m['event']}",
        ])
        base.append(("question" if "?" in q else "keyword", q, rel))
    for m in rng.sample(history, 15):
        base.append(("name", f"đồng chí {m['person']} xã {m['commune']}", [m["id"]]))
    for m in rng.sample(bios, 30):
        q = rng.choice([f"tiểu sử đồng chí {m['person']}", f"{m['person']} quê xã {m['commune']}",
                        f"Đồng chí {m['person']} sinh năm nào, quê ở đâu?"])
        base.append(("name", q, [m["id"]]))
    out = []
    for i, (kind, text, rel) in enumerate(base):
        out.append({"qid": f"q{i:03d}", "query": text, "relevant": rel, "kind": kind, "diacritics": True})
        out.append({"qid": f"q{i:03d}f", "query": _unaccent(text), "relevant": rel, "kind": kind,
                    "diacritics": False})
    return out


def _unaccent(text: str) -> str:
    folded = vntext.fold(text)
    # Keep the case of what was typed (fold lower-cases).
    return "".join(f.upper() if o.isupper() else f for o, f in zip(text, folded, strict=False)) \
        if len(folded) == len(text) else folded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=str(Path(__file__).parent))
    args = parser.parse_args()
    docs, queries = build(args.docs, args.seed)
    out = Path(args.out)
    with open(out / "corpus.jsonl", "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    with open(out / "queries.jsonl", "w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    print(f"{len(docs)} documents, {len(queries)} queries -> {out}")


if __name__ == "__main__":
    main()
