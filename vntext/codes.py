"""Type and issuer codes of Vietnamese official documents (reference §1–2: 31-QĐ/TW, 66-QĐ/TW, 399-QĐ/TW, ND30)."""

from __future__ import annotations

# Party document types (Quy định 66-QĐ/TW 2017 and 399-QĐ/TW 2026; older series kept).
PARTY_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "QĐi": "Quy định",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "QC": "Quy chế",
    "TT": "Thông tri",
    "HD": "Hướng dẫn",
    "TB": "Thông báo",
    "TC": "Thông cáo",
    "BC": "Báo cáo",
    "KH": "Kế hoạch",
    "QH": "Quy hoạch",
    "CTr": "Chương trình",
    "ĐA": "Đề án",
    "PA": "Phương án",
    "DA": "Dự án",
    "TTr": "Tờ trình",
    "CV": "Công văn",
    "BB": "Biên bản",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GCN": "Giấy chứng nhận",
    "GNP": "Giấy nghỉ phép",
    "PC": "Phiếu chuyển",
    "PG": "Phiếu gửi",
    "BS": "Bản sao",
    "CL": "Chiến lược",
    "TBKL": "Thông báo kết luận",
    "CTHĐ": "Chương trình hành động",
    "NQLT": "Nghị quyết liên tịch",
    "QCPH": "Quy chế phối hợp",
    "CTPH": "Chương trình phối hợp",
    "HDLT": "Hướng dẫn liên tịch",
    "TTLT": "Thông tri liên tịch",
}

# State document types: ND30/2020 administrative codes, VBQPPL codes and older codes still seen in files.
STATE_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
    "SY": "Bản sao y",
    "TrS": "Bản trích sao",
    "SL": "Bản sao lục",
    "GN": "Giấy nhận",
    "TTh": "Tờ thông tin",
    "UQ": "Giấy ủy quyền",
    "NP": "Giấy nghỉ phép",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "NQLT": "Nghị quyết liên tịch",
    "NQ-LT": "Nghị quyết liên tịch",
    "PL": "Pháp lệnh",
    "L": "Lệnh",
    "KL": "Kết luận",
    "QCPH": "Quy chế phối hợp",
    "CTPH": "Chương trình phối hợp",
    "CTHĐ": "Chương trình hành động",
    "VBHN": "Văn bản hợp nhất",
    "HP": "Hiến pháp",
}

# Single-group symbols of older state documents ("Sắc lệnh số 63/SL", "Nghị định 104/CP", "217/HĐBT").
OLD_STATE_SINGLE: dict[str, str] = {
    "SL": "Sắc lệnh",
    "CP": "Chính phủ",
    "HĐBT": "Hội đồng Bộ trưởng",
    "TTg": "Thủ tướng Chính phủ",
    "LCT": "Lệnh Chủ tịch nước",
    "CTN": "Chủ tịch nước",
    "NĐ": "Nghị định",
    "BNV": "Bộ Nội vụ",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
}

PARTY_ISSUERS: dict[str, str] = {
    "TW": "Ban Chấp hành Trung ương",
    "VPTW": "Văn phòng Trung ương Đảng",
    "BTCTW": "Ban Tổ chức Trung ương",
    "BTGTW": "Ban Tuyên giáo Trung ương",
    "BTGDVTW": "Ban Tuyên giáo và Dân vận Trung ương",
    "BDVTW": "Ban Dân vận Trung ương",
    "BKTTW": "Ban Kinh tế Trung ương",
    "BNCTW": "Ban Nội chính Trung ương",
    "BĐNTW": "Ban Đối ngoại Trung ương",
    "BCSĐTW": "Ban Chính sách, chiến lược Trung ương",
    "UBKTTW": "Ủy ban Kiểm tra Trung ương",
    "HVCTQG": "Học viện Chính trị quốc gia Hồ Chí Minh",
    "QUTW": "Quân ủy Trung ương",
    "ĐUCA": "Đảng ủy Công an Trung ương",
    "ĐUCATW": "Đảng ủy Công an Trung ương",
    "TU": "Tỉnh ủy",
    "BTGTU": "Ban Tuyên giáo Tỉnh ủy",
    "BTGDVTU": "Ban Tuyên giáo và Dân vận Tỉnh ủy",
    "BTCTU": "Ban Tổ chức Tỉnh ủy",
    "BDVTU": "Ban Dân vận Tỉnh ủy",
    "BNCTU": "Ban Nội chính Tỉnh ủy",
    "UBKTTU": "Ủy ban Kiểm tra Tỉnh ủy",
    "VPTU": "Văn phòng Tỉnh ủy",
    "HU": "Huyện ủy",
    "ThU": "Thành ủy",
    "QU": "Quận ủy",
    "TXU": "Thị xã ủy",
    "ĐU": "Đảng ủy",
    "ĐUK": "Đảng ủy Khối",
    "CB": "Chi bộ",
    "ĐĐ": "Đảng đoàn",
    "BCS": "Ban cán sự đảng",
    "BTGHU": "Ban Tuyên giáo Huyện ủy",
    "BTCHU": "Ban Tổ chức Huyện ủy",
    "UBKTHU": "Ủy ban Kiểm tra Huyện ủy",
    "VPHU": "Văn phòng Huyện ủy",
    "BTGThU": "Ban Tuyên giáo Thành ủy",
    "BTCThU": "Ban Tổ chức Thành ủy",
    "ĐH": "Đại hội",
}

# Suffixes that mark an issuer code as a Party body even when it is not in the table (BTGDVTU, UBKTĐU…).
PARTY_ISSUER_SUFFIXES = ("TW", "TU", "HU", "ThU", "QU", "ĐU", "ĐUK", "CB")

STATE_ISSUERS: dict[str, str] = {
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "CP": "Chính phủ",
    "TTg": "Thủ tướng Chính phủ",
    "VPCP": "Văn phòng Chính phủ",
    "BNV": "Bộ Nội vụ",
    "BTC": "Bộ Tài chính",
    "BTP": "Bộ Tư pháp",
    "BCA": "Bộ Công an",
    "BQP": "Bộ Quốc phòng",
    "BYT": "Bộ Y tế",
    "BCT": "Bộ Công Thương",
    "BXD": "Bộ Xây dựng",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "BTTTT": "Bộ Thông tin và Truyền thông",
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
    "BNNMT": "Bộ Nông nghiệp và Môi trường",
    "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BGTVT": "Bộ Giao thông vận tải",
    "BKHCN": "Bộ Khoa học và Công nghệ",
    "BNG": "Bộ Ngoại giao",
    "NHNN": "Ngân hàng Nhà nước Việt Nam",
    "TANDTC": "Tòa án nhân dân tối cao",
    "VKSNDTC": "Viện kiểm sát nhân dân tối cao",
    "KTNN": "Kiểm toán nhà nước",
    "HĐBT": "Hội đồng Bộ trưởng",
    "CTN": "Chủ tịch nước",
    "SNV": "Sở Nội vụ",
    "SVHTTDL": "Sở Văn hóa, Thể thao và Du lịch",
    "SGDĐT": "Sở Giáo dục và Đào tạo",
    "STTTT": "Sở Thông tin và Truyền thông",
    "MTTQ": "Mặt trận Tổ quốc",
}

# Codes written with lower-case letters; keys are the upper-cased forms users type.
MIXED_CASE = {
    c.upper(): c
    for c in list(PARTY_TYPES) + list(STATE_TYPES) + list(PARTY_ISSUERS) + list(STATE_ISSUERS)
    + list(OLD_STATE_SINGLE)
    if c != c.upper()
}


def _fold_code(code: str) -> str:
    return code.upper().replace("Đ", "D")


def _build_folded() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for table in (PARTY_TYPES, STATE_TYPES, PARTY_ISSUERS, STATE_ISSUERS, OLD_STATE_SINGLE):
        for code in table:
            key = _fold_code(code)
            if key in out and out[key] != code:
                out[key] = None  # ambiguous (ĐA / DA)
            else:
                out[key] = code
    return out


_FOLDED = _build_folded()
_KNOWN = set(PARTY_TYPES) | set(STATE_TYPES) | set(PARTY_ISSUERS) | set(STATE_ISSUERS) | set(OLD_STATE_SINGLE)


def canonical_code(code: str) -> str:
    """Canonical spelling of one code group: upper case, known mixed-case forms, Đ restored when unambiguous.

    ``TƯ`` (Trung ương) is written ``TW``: "07-NQ/TƯ" is "07-NQ/TW", "3-NQ/HNTƯ" is "3-NQ/HNTW".
    """
    if code in _KNOWN:
        return code
    if code.upper().endswith(("TƯ", "TỨ")):
        code = code[:-2] + "TW"
        if code in _KNOWN:
            return code
    up = code.upper()
    if up in _KNOWN:
        return up
    if up in MIXED_CASE:
        return MIXED_CASE[up]
    folded = _FOLDED.get(_fold_code(code))
    if folded:
        return folded
    # UBTVQH15, QH14: keep the term number.
    return up


def is_party_issuer(code: str) -> bool:
    if code in PARTY_ISSUERS:
        return True
    if code in STATE_ISSUERS:
        return False
    return code.endswith(PARTY_ISSUER_SUFFIXES) and not code.endswith("QH")


def doc_type_name(code: str | None, system: str | None = None) -> str | None:
    """Vietnamese name of a type code ("KH" -> "Kế hoạch"); ``system`` resolves TT (Thông tri / Thông tư)."""
    if not code:
        return None
    code = canonical_code(code)
    if system == "party":
        return PARTY_TYPES.get(code) or STATE_TYPES.get(code)
    if system == "state":
        return STATE_TYPES.get(code) or PARTY_TYPES.get(code)
    return STATE_TYPES.get(code) or PARTY_TYPES.get(code)


def issuer_label(code: str | None) -> str | None:
    if not code:
        return None
    if code in PARTY_ISSUERS:
        return PARTY_ISSUERS[code]
    if code in STATE_ISSUERS:
        return STATE_ISSUERS[code]
    if code.startswith("QH"):
        return "Quốc hội"
    if code.startswith("UBTVQH"):
        return "Ủy ban Thường vụ Quốc hội"
    return None
