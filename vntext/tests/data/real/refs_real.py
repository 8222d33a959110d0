"""Real passages and hand-written labels (see README.md).  PASSAGES: (source, text, [(symbol, number, type, date)]).

``type`` is "?" where the text does not name the type (not scored); ``date`` None where the text attaches none.
"""

PASSAGES: list[tuple[str, str, list[tuple[str | None, str, str, str | None]]]] = [
    (
        "http://yenbai.gov.vn/noidung/tintuc/Pages/chi-tiet-tin-tuc.aspx?ItemID=26564&l=Tintrongtinh++&lv=9",
        "CTTĐT - Ngày 6/8, Ban Thường vụ Tỉnh ủy Yên Bái đã ban hành Chỉ thị số 17 về việc tăng cường sự lãnh đạo "
        "của các cấp ủy, tổ chức đảng đối với công tác điều tra, nắm bắt, nghiên cứu, định hướng dư luận xã hội "
        "trong tình hình mới.\nNội dung Chỉ thị như sau:\nTrong những năm qua, quán triệt và thực hiện Kết luận số "
        "100 - KL/TW ngày 18/8/2014 của Ban Bí thư “về việc đổi mới và nâng cao chất lượng công tác điều tra, nắm "
        "bắt, nghiên cứu dư luận xã hội”, Kế hoạch số 25-KH/TU ngày 30/11/2016 của Ban Thường vụ Tỉnh ủy thực hiện "
        "Kết luận số 100-KL/TW của Ban Bí thư và Kết luận số 111-KL/TU ngày 14/8/2017 của Ban Thường vụ Tỉnh ủy về "
        "“Tiếp tục đổi mới, nâng cao chất lượng công tác giáo dục chính trị tư tưởng và định hướng dư luận xã hội”",
        [
            (None, "17", "Chỉ thị", None),
            ("100-KL/TW", "100", "Kết luận", "2014-08-18"),
            ("25-KH/TU", "25", "Kế hoạch", "2016-11-30"),
            ("100-KL/TW", "100", "Kết luận", None),
            ("111-KL/TU", "111", "Kết luận", "2017-08-14"),
        ],
    ),
    (
        "https://sonduong.tuyenquang.gov.vn/vi/dai-hoi-dang-cac-cap?id=12856",
        "Ngày 24-10, UBND tỉnh có văn bản số 4912/UBND-NC về việc thực hiện Chỉ thị của Thủ tướng Chính phủ về đẩy "
        "mạnh phong trào thi đua yêu nước chào mừng đại hội đảng bộ các cấp",
        [("4912/UBND-NC", "4912", "Công văn", None)],
    ),
    (
        "https://luatminhkhue.vn/quyet-dinh-719-qd-ttg-nam-2012-phe-duyet-ke-hoach-to-chuc-hoat-dong-ky-niem-100-nam"
        "-ngay-sinh-co-tong-bi-thu-nguyen-van-cu--09-7-1912---09-7-2012--do-thu-tuong-chinh-phu-ban-hanh.aspx",
        "THỦ TƯỚNG CHÍNH PHỦ\n--------\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "----------------\n\nSố: 719/QĐ-TTg\n\nHà Nội, ngày 15 tháng 06 năm 2012\n\nQUYẾT ĐỊNH\n\n"
        "PHÊDUYỆT KẾ HOẠCH TỔ CHỨC CÁC HOẠT ĐỘNG KỶ NIỆM 100 NĂM NGÀY SINH CỐ TỔNG BÍ THƯNGUYỄN VĂN CỪ "
        "(09/7/1912 - 09/7/2012)\n\nTHỦ TƯỚNG CHÍNH PHỦ\n\nCăn cứ Luật tổ chức Chính phủngày 25 tháng 12 năm 2001;\n\n"
        "Căn cứ Chỉ thị số 45-CT/TW ngày22 tháng 7 năm 2010 của Bộ Chính trị về đổi mới, nâng cao hiệu quả tổ chức "
        "cácngày kỷ niệm;\n\nCăn cứ Thông báo số 70-TB/TWngày 06 tháng 01 năm 2012 của Ban Bí thư Trung ương Đảng về "
        "tổ chức kỷ niệm 100năm Ngày sinh cố Tổng Bí thư Nguyễn Văn Cừ;\n\nCăn cứ Quyết định số 640/QĐ-TTg ngày 31 "
        "tháng 5 năm 2012 của Thủ tướng Chính phủ về việc thành lập Ban Tổ chứccấp quốc gia",
        [
            ("719/QĐ-TTg", "719", "Quyết định", "2012-06-15"),
            ("45-CT/TW", "45", "Chỉ thị", "2010-07-22"),
            ("70-TB/TW", "70", "Thông báo", "2012-01-06"),
            ("640/QĐ-TTg", "640", "Quyết định", "2012-05-31"),
        ],
    ),
    (
        "https://ls1.hethongphapluat.com/ke-hoach-594-kh-ubnd-a1d64a64c9eb66003d6aad4bf339b5d0.html",
        "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\n-------\n-\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "---------------\n\nSố: 594/KH-UBND\n\nNghệ An, ngày 21 tháng 10 năm 2021\n\n \n\nKẾ HOẠCH\n\n"
        "THỰC HIỆN CHỈ THỊ SỐ 19/CT-TTG NGÀY 16 THÁNG 7 NĂM 2021 CỦA THỦ TƯỚNG CHÍNH PHỦ VỀ VIỆC PHÁT ĐỘNG THI ĐUA\n\n"
        "Thực hiện Chỉ thị số 19/CT-TTg ngày 16/7/2021 của Thủ tướng Chính phủ về việc phát động thi đua thực hiện "
        "thắng lợi nhiệm vụ phát triển kinh tế - xã hội hằng năm và Kế hoạch số 16/KH-HĐTĐKT ngày 31/8/2021 của Hội "
        "đồng Thi đua - Khen thưởng Trung ương, Ủy ban nhân dân tỉnh Nghệ An ban hành Kế hoạch tổ chức thực hiện như "
        "sau:\n\n- Thực hiện tốt Chỉ thị số 19/CT-TTg ngày 16/7/2021 của Thủ tướng Chính phủ (sau đây gọi tt là số "
        "19/CT-TTg); tạo sự chuyển biến",
        [
            ("594/KH-UBND", "594", "Kế hoạch", "2021-10-21"),
            ("19/CT-TTg", "19", "Chỉ thị", "2021-07-16"),
            ("19/CT-TTg", "19", "Chỉ thị", "2021-07-16"),
            ("16/KH-HĐTĐKT", "16", "Kế hoạch", "2021-08-31"),
            ("19/CT-TTg", "19", "Chỉ thị", "2021-07-16"),
            ("19/CT-TTg", "19", "Chỉ thị", None),
        ],
    ),
    (
        "http://thiduakhenthuong.langson.gov.vn/page_70nambacho",
        "Thực hiện Thực hiện Chỉ thị số 22/CT-TW ngày 23/01/2018 của Ban Bí thư Trung ương Đảng về đẩy mạnh các "
        "phong trào thi đua yêu nước hướng tới kỷ niệm 70 năm ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi Thi đua ái "
        "quốc (11/6/1948 - 11/6/2018) và chỉ đạo của UBND tỉnh tại văn bản số 238/UBND-KGVX ngày 19/3/2018 về tổ "
        "chức các hoạt động kỷ niệm 70",
        [("22-CT/TW", "22", "Chỉ thị", "2018-01-23"), ("238/UBND-KGVX", "238", "Công văn", "2018-03-19")],
    ),
    (
        "https://baoninhthuan.com.vn/news/89284p1c24/nghi-quyet-cua-ban-chap-hanh-dang-bo-tinh-khoa-xiii-ve-huy-dong"
        "-nguon-luc-uu-tien-dau-tu-xay-dung-ket-cau-ha-tang-cap-thiet-giao-thong-thuy-loi-do-thi-giao-duc-y-te-giai"
        "-doan-20162020.htm",
        "LTS: Ngày 14-11-2016, Ban Chấp hành Đảng bộ tỉnh khóa XIII đã ban hành Nghị quyết số 10-NQ/TU về huy động "
        "nguồn lực, ưu tiên đầu tư xây dựng kết cấu hạ tầng cấp thiết giao thông, thủy lợi, đô thị, giáo dục, y tế "
        "giai đoạn 2016-2020.",
        [("10-NQ/TU", "10", "Nghị quyết", "2016-11-14")],
    ),
    (
        "https://luatvietnam.vn/tai-chinh/chi-thi-16-2001-ct-ttg-thu-tuong-chinh-phu-12132-d1.html",
        "CHỈ THỊ\nCỦA THỦ\nTƯỚNG CHÍNH PHỦ SỐ 16/2001/CT-TTG\nNGÀY 21 THÁNG 6 NĂM 2001 VỀ VIỆC XÂY DỰNG KẾ HOẠCH\n"
        "PHÁT TRIỂN KINH TẾ - Xà HỘI VÀ DỰ TOÁN NGÂN SÁCH\nNHÀ NƯỚC NĂM 2002\n...\nkinh tế năm 2001 đã đề ra trong "
        "Nghị quyết tại các phiên họp Chính phủ thường\nkỳ năm 2001 và Nghị quyết số 05/2001/NQ-CP ngày 24 tháng 5 "
        "năm 2001 của Chính\nphủ về việc bổ sung một số giải pháp điều hành kế hoạch kinh tế năm 2001",
        [
            ("16/2001/CT-TTg", "16", "Chỉ thị", "2001-06-21"),
            ("05/2001/NQ-CP", "05", "Nghị quyết", "2001-05-24"),
        ],
    ),
    (
        "https://vanban123.vn/Sac-lenh/sac-lenh-so-43-sl-ve-viec-sua-doi-the-le-chuan-cap-cac-huan-chuong-khang-chien"
        "-do-chu-tich-nuoc-ban-hanh-371645",
        "SẮC LỆNH\nCỦA CHỦ TỊCH NƯỚC VIỆT NAM DÂN CHỦ CỘNG HOÀ SỐ 43-SL NGÀY 22 THÁNG 3 NĂM 1950\nCHỦ TỊCH NƯỚC VIỆT "
        "NAM DÂN CHỦ CỘNG HÒA HỒ CHÍ MINH\nChủ tịch nước Việt Nam dân chủ cộng hoà\nChiểu sắc lệnh số 216-SL ngày 20 "
        "tháng 8 năm 1948 đặt Huân chương Kháng chiến;\nChiểu sắc lệnh số 83-SL ngày 17 tháng 9 năm 1947 thành lập "
        "Viện Huân chương;\nTheo đề nghị của Phó Thủ tướng Chính phủ.\nRA SẮC LỆNH:\nĐiều 1: Điều 2 sắc lệnh số 21-SL "
        "ngày 20 tháng 8 năm 1948 đặt Huân chương Kháng chiến nay bãi bỏ",
        [
            ("43-SL", "43", "Sắc lệnh", "1950-03-22"),
            ("216-SL", "216", "Sắc lệnh", "1948-08-20"),
            ("83-SL", "83", "Sắc lệnh", "1947-09-17"),
            ("21-SL", "21", "Sắc lệnh", "1948-08-20"),
        ],
    ),
    (
        "https://dulieuphapluat.vn/van-ban/hanh-chinh-van-ban/sac-lenh-so-141-b-ve-viec-dat-ngay-19-thang-8-duong-lich"
        "-lam-ngay-quoc-khanh-viet-nam-do-chu-tich-chinh-phu-ban-hanh-329939.html",
        "SẮC LỆNH\nCỦA CHỦ TỊCH CHÍNH PHỦ VIỆT NAM DÂN CHỦ CỘNG HOÀ SỐ 141-B NGÀY 26 THÁNG 7 NĂM 1946 ĐẶT NGÀY 19 "
        "THÁNG 8 DƯƠNG LỊCH LÀM NGÀY QUỐC KHÁNH VIỆT NAM\nCHỦ TỊCH CHÍNH PHỦ VIỆT NAM DÂN CHỦ CỘNG HOÀ Chiểu Sắc lệnh "
        "số 22-C ngày 18-2-1946 ấn định những ngày lễ chính thức,Chiểu đề nghị của Bộ trưởng Bộ Nội vụ,\nSau khi Hội "
        "đồng Chính phủ đã thoả hiệp,\nRA SẮC LỆNH\nĐiều 1\nNgày 19 tháng 8 dương lịch, ngày kỷ niệm Cách mạng tháng "
        "8 năm 1945, từ nay sẽ là ngày Quốc khánh Việt Nam.\nĐiều 2Ngày \"Quốc Khánh Việt Nam\" sẽ thêm vào bảng kê "
        "khai những ngày lễ chính thức định theo Sắc lệnh số 22-C ngày 18 tháng 2 năm 1946.",
        [
            ("141-B", "141", "Sắc lệnh", "1946-07-26"),
            ("22-C", "22", "Sắc lệnh", "1946-02-18"),
            ("22-C", "22", "Sắc lệnh", "1946-02-18"),
        ],
    ),
    (
        "https://luatminhkhue.vn/sac-lenh-so-62-cua-chu-tich-nuoc---sac-lenh-cu-ong-doan-trong-truyen-giu-chuc-dong"
        "-ly-su-vu-bo-kinh-te.aspx",
        "SẮC LỆNH\n\nSố 62 ngày 20 tháng 11 năm 1945\n\nCHỦ TỊCH CHÍNH PHỦ VIỆT NAM DÂN CHỦ CỘNG HOÀ\n\nChiểu Nghị "
        "định của cựu Toàn quyền ngày 30 tháng 9 năm 1938, đặt ở Hà Nội một Sở",
        [(None, "62", "Sắc lệnh", "1945-11-20")],
    ),
    (
        "https://phapluatmedia.vn/tap-sac-lenh-lich-su-pswcbfmw",
        "(PLM) - Ngày 22/12/2016, Thủ tướng Chính phủ đã ký Quyết định số 2496/QĐTTg công nhận bảo vật quốc gia đối "
        "với tập Sắc lệnh của Chủ tịch Chính phủ Lâm thời nước Việt Nam Dân chủ Cộng hòa 1945 - 1946.",
        [("2496/QĐ-TTg", "2496", "Quyết định", "2016-12-22")],
    ),
    (
        "https://thuvienphapluat.vn/archive/Quyet-dinh/Quyet-dinh-177-CP-dieu-chinh-dia-gioi-mot-so-huyen-thuoc-cac"
        "-tinh-Lang-Son-Yen-bai-va-Thanh-hoa-vb20011t17.aspx",
        "HỘI ĐỒNG CHÍNH PHỦ\n******\n\nVIỆT NAM DÂN CHỦ CỘNG HOÀ\nĐộc lập - Tự do - Hạnh phúc\n********\n\n"
        "Số: 177-CP\n\nHà Nội, ngày 16 tháng 12 năm 1964 \n\n \n\nQUYẾT ĐỊNH\n\nVỀ VIỆC ĐIỀU CHỈNH ĐỊA GIỚI CỦA MỘT SỐ "
        "HUYỆN THUỘC CÁC TỈNH LẠNG-SƠN, YÊN-BÁI VÀ THANH-HOÁ\n\nHỘI ĐỒNG CHÍNH PHỦ\n\nCăn cứ điều 74 của Hiến pháp",
        [("177-CP", "177", "Quyết định", "1964-12-16")],
    ),
    (
        "https://thuvienphapluat.vn/archive/Quyet-dinh/Quyet-dinh-30-CP-sat-nhap-xa-Dong-Giang-xom-Nui-vao-thi-xa"
        "-Thanh-Hoa-chia-3-xa-Tam-Chung-Son-Thuy-Trung-Thanh-huyen-Quan-Hoa-thanh-7-xa-moi-vb19001t17.aspx",
        "HỘI ĐỒNG CHÍNH PHỦ\n******\n\nVIỆT NAM DÂN CHỦ CỘNG HÒA\nĐộc lập - Tự do - Hạnh phúc\n********\n\n"
        "Số: 30-CP\n\nHà Nội, ngày 06 tháng 03 năm 1963\n\n \n\nQUYẾT ĐỊNH \n\nVỀ VIỆC SÁT NHẬP XÃ ĐÔNG GIANG VÀ XÓM "
        "NÚI VÀO THỊ XÃ THANH HÓA\n\nHỘI ĐỒNG CHÍNH PHỦ\n\nCăn cứ điều 74 của Hiến pháp quy định quyền hạn của Hội "
        "đồng Chính phủ;\nTheo đề nghị của ông Bộ trưởng Bộ Nội vụ và của Ủy ban hành chính tỉnh Thanh Hóa;\nCăn cứ "
        "nghị quyết của Hội đồng Chính phủ trong Hội nghị Thường vụ của Hội đồng Chính phủ ngày 06 tháng 3 năm 1963.",
        [("30-CP", "30", "Quyết định", "1963-03-06")],
    ),
    (
        "https://ls1.hethongphapluat.com/quyet-dinh-103-nq-tvqh-nam-1965-ve-viec-phe-chuan-viec-thanh-lap-cac-tinh"
        "-bac-thai-nam-ha-ha-tay-va-viec-sap-nhap-xa-an-hoa-thuoc-huyen-thach-that-tinh-son-tay-cu-vao-xa-tien-xuan"
        "-thuoc-huyen-luong-son-tinh-hoa-binh-do-uy-ba.html",
        "UỶ BAN THƯỜNG VỤ QUỐC HỘI\n******\n\nVIỆT NAM DÂN CHỦ CỘNG HÒA\nĐộc lập - Tự do - Hạnh phúc\n********\n\n"
        "Số: 103-NQ-TVQH\n\nHà Nội, ngày 21 tháng 04 năm 1965\n\n \n\nQUYẾT ĐỊNH\n\nPHÊ CHUẨN VIỆC THÀNH LẬP CÁC "
        "TỈNH BẮC THÁI, NAM HÀ, HÀ TÂY\n\nỦY BAN THƯỜNG VỤ QUỐC HỘI NUỚC VIỆT NAM DÂN CHỦ CỘNG HÒA\n\nCăn cứ vào điều "
        "53 của Hiến pháp nước Việt Nam dân chủ cộng hòa;\nCăn cứ vào Nghị quyết ngày 10 tháng 04 năm 1965 của Quốc "
        "hội giao cho Ủy ban thường vụ Quốc hội một số quyền hạn;",
        [("103-NQ-TVQH", "103", "?", "1965-04-21")],
    ),
    (
        "https://thuvienphapluat.vn/archive/Quyet-dinh/Quyet-dinh-67-CP-chia-huyen-Ha-Quang-Cao-Bang-thanh-2-huyen"
        "-hop-nhat-2-huyen-An-Duong-Hai-An-thanh-pho-Hai-Phong-dat-xa-Bang-La-thuoc-thi-xa-Do-son-vb18108t17.aspx",
        "HỘI ĐỒNG CHÍNH PHỦ\n******\n\nVIỆT NAM DÂN CHỦ CỘNG HÒA\nĐộc lập - Tự do - Hạnh phúc\n********\n\n"
        "Số: 67-CP\n\nHà Nội, ngày 07 tháng 04 năm 1966\n\n \n\nQUYẾT ĐỊNH\n\nVỀ VIỆC CHIA HUYỆN HÀ QUẢNG THUỘC TỈNH "
        "CAO BẰNG THÀNH HAI HUYỆN\n\nCăn cứ nghị quyết của Hội đồng Chính phủ trong hội nghị thường vụ của Hội đồng "
        "Chính phủ ngày 23 tháng 03 năm 1966.",
        [("67-CP", "67", "Quyết định", "1966-04-07")],
    ),
    (
        "https://luatminhkhue.vn/quyet-dinh-329-cp-nam-1977-ve-viec-phan-vach-dia-gioi-huyen-va-thi-xa-thuoc-tinh"
        "-thuan-hai-do-hoi-dong-chinh-phu-ban-hanh.aspx",
        "HỘI ĐỒNG CHÍNH PHỦ\n******\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n*******\n\n"
        "Số: 329-CP\n\nHà Nội, ngày 15 tháng 12 năm 1977\n\nQUYẾT ĐỊNH\n\nVỀVIỆC PHÂN VẠCH ĐỊA GIỚI HUYỆN VÀ THỊ XÃ "
        "THUỘC TỈNH THUẬN HẢI\n\nHỘI ĐỒNG CHÍNH PHỦ\n\nCăn cứ vào Điều 74 của Hiếnpháp năm 1959",
        [("329-CP", "329", "Quyết định", "1977-12-15")],
    ),
    (
        "https://thuvienphapluat.vn/archive/Quyet-dinh/Quyet-dinh-70-HDBT-chia-xa-de-thanh-lap-xa-moi-thuoc-tinh-Hau"
        "-Giang-vb43128t17.aspx",
        "HỘI ĐỒNG BỘ TRƯỞNG\n********\n\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n********\n\n"
        "Số: 70-HĐBT\n\nHà Nội, ngày 15 tháng 9 năm 1981\n\n \n\nQUYẾT ĐỊNH\n\nCỦA HỘI ĐỒNG BỘ TRƯỞNG SỐ 70 - HĐBT "
        "NGÀY 15-9-1981 VỀ VIỆC CHIA MỐT SỐ XÃ ĐỂ THÀNH LẬP CÁC XÃ MỚI THUỘC TỈNH HẬU GIANG\n\nHỘI ĐỒNG BỘ TRƯỞNG\n\n"
        "Căn cứ điều 107 Hiến pháp của nước Cộng hoà xã hội chủ nghĩa Việt Nam;\nCăn cứ điều 16 của Luật tổ chức Hội "
        "đồng Bộ trưởng ngày 4/7/1981;",
        [("70-HĐBT", "70", "Quyết định", "1981-09-15"), ("70-HĐBT", "70", "Quyết định", "1981-09-15")],
    ),
    (
        "http://www.asianlii.org/vie/vn/legis/laws/vvcmsxtlcxmcchcntclhttcl632",
        "HỘI ĐỒNG BỘ TRƯỞNG\nSố: 69/HĐBT\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, "
        "ngày 15 tháng 09 năm 1981                          \nQuyết định\n\nQUYẾT ĐỊNH\n\nCỦA HỘI ĐỒNG BỘ TRƯỞNG SỐ "
        "69/HĐBT NGÀY 15-9-1981 VỀ VIỆC CHIA MỘT SỐ XÃ ĐỂ THÀNH LẬP CÁC XÃ MỚI CỦA CÁC HUYỆN\nCẦU NGANG, TRÀ CÚ, "
        "LONG HỒ THUỘC TỈNH CỬU LONG",
        [("69/HĐBT", "69", "Quyết định", "1981-09-15"), ("69/HĐBT", "69", "Quyết định", "1981-09-15")],
    ),
    (
        "http://tailieu.vn/doc/quyet-dinh-so-69-hdbt-126220.html",
        "Quyết định số 69-HĐBT về việc chia một số xã để thành lập các xã mới của các huyện Cầu ngang, Trà Cú, Long "
        "Hồ thuộc tỉnh Cửu Long do Hội đồng Bộ trưởng ban hành",
        [("69-HĐBT", "69", "Quyết định", None)],
    ),
    (
        "https://vbpl.vn/bovanhoathethao/Pages/vbpq-toanvan.aspx?ItemID=1642",
        "BỘ VĂN HOÁ\nSố: 09-VH/QĐ\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày 21 "
        "tháng 2 năm 1975\n\n \n\nQUYẾT ĐỊNH\n\nCỦA BỘ VĂN HOÁ SỐ 9VH/QĐ NGÀY 21 THÁNG 2 NĂM VỀ VIỆC\nXẾP HẠNG DI "
        "TÍCH LỊCH SỬ VÀ VĂN HOÁ ĐỢT IV\n\nBỘ TRƯỞNG BỘ VĂN HOÁ\n\n \n\nCăn cứ vào Nghị định số 519/TTg ngày 29 tháng "
        "10 năm 1957 của Thủ tướng Chính phủ về bảo tồn cổ tích và danh lam thắng cảnh;\n\nCăn cứ vào Quyết định số "
        "313-VH-VP và 314-VH-VP ngày 28-4-1962 của Bộ Văn hoá về việc xếp hạng di tích, lịch sử và danh lam thắng "
        "cảnh;\n\n12 DI TÍCH LỊCH SỬ VÀ VĂN HOÁ ĐƯỢC XẾP HẠNG TRONG ĐỢT IV\n(theo Quyết định số 09-VH/QĐ ngày "
        "21-2-1975 của Bộ Văn hoá)",
        [
            ("09-VH/QĐ", "09", "Quyết định", "1975-02-21"),
            ("9VH/QĐ", "9", "Quyết định", None),
            ("519/TTg", "519", "Nghị định", "1957-10-29"),
            ("313-VH-VP", "313", "Quyết định", "1962-04-28"),
            ("314-VH-VP", "314", "Quyết định", "1962-04-28"),
            ("09-VH/QĐ", "09", "Quyết định", "1975-02-21"),
        ],
    ),
    (
        "https://vbpl.vn/bovanhoathethao/Pages/vbpq-print.aspx?ItemID=2047",
        "Căn cứ Pháp lệnh bảo vệ và sử dụng di tích lịch sử, văn hoá và danh lam, thắng cảnh số 14-LCT/HĐNN 7 ngày "
        "4-4-1984 của Hội đồng Nhà nước nước Cộng hoà xã hội chủ nghĩa Việt Nam về việc công nhận di tịch lịch sử;",
        [("14-LCT/HĐNN7", "14", "Pháp lệnh", "1984-04-04")],
    ),
    (
        "http://www.vietlaw.gov.vn/LAWNET/docView.do?docid=8327&type=html&searchType=fulltextsearch&searchText=",
        "QUYẾT ĐỊNH\n\nCỦA BỘ TRƯỞNG BỘ VĂN HOÁ SỐ 147-VH/QĐ\nNGÀY 24 - 12- 1982 XẾP HẠNG 8 DI TÍCH\n\nLỊCH SỬ VÀ VĂN "
        "HOÁ\n\n \n\nBỘ TRƯỞNG BỘ VĂN HOÁ\n\n \n\nCăn cứ Quyết định số 519-TTg ngày 29-10-1957 của Thủ tướng Chính phủ "
        "về bảo vệ di tích lịch sử và danh thắng;\n\nCăn cứ Quyết định số 96-CP ngày 28-10-1978 của Hội đồng chính "
        "phủ về tổ chức ngành văn hoá và thông tin;",
        [
            ("147-VH/QĐ", "147", "Quyết định", "1982-12-24"),
            ("519-TTg", "519", "Quyết định", "1957-10-29"),
            ("96-CP", "96", "Quyết định", "1978-10-28"),
        ],
    ),
    (
        "https://vbpl.vn:443/TW/Pages/ivbpq-toanvan.aspx?ItemID=3376",
        "BỘ VĂN HOÁ\nSố: 114-VH/QĐ\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày 30 "
        "tháng 8 năm 1984\n\n \n\n \n\n \n\n \n\nQUYẾT ĐỊNH\n\nCỦA BỘ VĂN HOÁ SỐ 114-VH/QĐ NGÀY 30-8-1984 BAN HÀNH BỐN\n"
        "DI TÍCH LỊCH SỬ VÀ KIẾN TRÚC\n\nBỘ TRƯỞNG BỘ VĂN HOÁ\n\nCăn cứ Điều 46 và Điều 100 của Hiến pháp nước Cộng "
        "hoà xã hội chủ nghĩa Việt Nam;\n\nCăn cứ Pháp lệnh số 14-LCT/HĐNN7 ngày 4-4-1984 của Hội đồng Nhà nước nước "
        "Công hoà xã hội chủ nghĩa Việt Nam về bảo vệ và sử dụng di tích lịch sử;\n\nCăn cứ Quyết định số 96-CP ngày "
        "28-10-1978 của Hội đồng Chính phủ về tổ chức ngành văn hoá và thông tin;",
        [
            ("114-VH/QĐ", "114", "Quyết định", "1984-08-30"),
            ("114-VH/QĐ", "114", "Quyết định", "1984-08-30"),
            ("14-LCT/HĐNN7", "14", "Pháp lệnh", "1984-04-04"),
            ("96-CP", "96", "Quyết định", "1978-10-28"),
        ],
    ),
    (
        "http://tailieu.vn/doc/quyet-dinh-so-54-vhtt-qd-119202.html",
        "Quyết định số 54-VHTT/QĐ về việc xếp hạng 18 di tích lịch sử và văn hóa do Bộ Văn hóa - Thông tin ban hành.",
        [("54-VHTT/QĐ", "54", "Quyết định", None)],
    ),
    (
        "https://vanban123.vn/Quyet-dinh/quyet-dinh-62-2003-qd-bvhtt-ve-viec-xep-hang-di-tich-quoc-gia-do-bo-truong-bo"
        "-van-hoa-thong-tin-ban-hanh-280649",
        "BỘ VĂN HÓA THÔNG TIN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT |\nSố: 62/2003/QĐ-BVHTT | Hà Nội, ngày 27 tháng 11 "
        "năm 2003 |\nQUYẾT ĐỊNH\nVỀ VIỆC XẾP HẠNG DI TÍCH QUỐC GIA\nBỘ TRƯỞNG BỘ VĂN HÓA THÔNG TIN\nCăn cứ Nghị định "
        "số 63/200/NĐ-CP ngày 11/6/2003 của Chính phủ quy định về chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức "
        "của Bộ Văn hóa – Thông tin;\nCăn cứ Luật Di sản văn hóa và Nghị định số 92/2002/NĐ-CP ngày 11/11/2002 quy "
        "định chi tiết một số điều của Luật Di sản văn hóa;",
        [
            ("62/2003/QĐ-BVHTT", "62", "Quyết định", "2003-11-27"),
            ("63/200/NĐ-CP", "63", "Nghị định", "2003-06-11"),
            ("92/2002/NĐ-CP", "92", "Nghị định", "2002-11-11"),
        ],
    ),
    (
        "http://www.vietlaw.gov.vn/LAWNET/docView.do?docid=7696&type=html&searchType=fulltextsearch&searchText=",
        "QUYẾT ĐỊNH\n\nCỦA BỘ VĂN HOÁ SỐ 6-VH/QĐ NGÀY 15-1-1984 VỀ VIỆC LIỆT HẠNG NĂM DI TÍCH LỊCH SỬ VÀ VĂN HOÁ "
        "THUỘC TỈNH VĨNH PHÚ.\n\n \n\nBỘ TRƯỞNG BỘ VĂN HOÁ\n\n \n\nCăn cứ Nghị định số 519-TTg ngày 29-10-1957 của Thủ "
        "tướng Chính phủ về bảo vệ di tích lịch sử và văn hoá;\n\nCăn cứ Quyết định số 96-CP ngày 28-10-1978 của "
        "Hội đồng Chính phủ về tổ chức ngành văn hoá và thông tin;",
        [
            ("6-VH/QĐ", "6", "Quyết định", "1984-01-15"),
            ("519-TTg", "519", "Nghị định", "1957-10-29"),
            ("96-CP", "96", "Quyết định", "1978-10-28"),
        ],
    ),
    (
        "https://baoquangnam.vn/van-hoa/xep-hang-4-di-tich-lich-su-cap-tinh-121333.html",
        "(QNO) - UBND tỉnh vừa ban hành Quyết định 6674 xếp hạng 4 di tích lịch sử cấp tỉnh.",
        [(None, "6674", "Quyết định", None)],
    ),
    (
        "https://thuvienphapluat.vn/bulletin/document.aspx?bid=2c213f05-c5b2-4a88-9820-61d7d97768d6&key=k9ft%2BXZLBszMou%2B65yZOnw%3D%3D",
        "Số hiệu: 653/2019/UBTVQH14 Loại văn bản: Nghị quyết\nNơi ban hành: Uỷ ban Thường vụ Quốc hội Người ký: "
        "Nguyễn Thị Kim Ngân\nNgày ban hành: 12/03/2019 Ngày hiệu lực: Đã biết\n\nVừa qua, UBTVQH đã ban hành Nghị "
        "quyết 653/2019/UBTVQH14 về sắp xếp các đơn vị hành chính cấp huyện, xã trong giai đoạn 2019 – 2021.\n\n"
        "Đơn vị hành chính cấp huyện, cấp xã thuộc diện sắp xếp là đơn vị hành chính có diện tích tự nhiên và quy "
        "mô dân số chưa đạt 50% tiêu chuẩn quy định tại Nghị quyết 1211/2016/UBTVQH13 ngày 25/5/2016.\n\nNghị quyết "
        "653/2019/UBTVQH14 có hiệu lực thi hành từ ngày 12/3/2019.\n\nỦY BAN THƯỜNG VỤ\nQUỐC HỘI\n--------\n\nCỘNG HÒA "
        "XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n\nNghị quyết số: 653/2019/UBTVQH14\n\n"
        "Hà Nội, ngày 12 tháng 3 năm 2019\n\nNGHỊ QUYẾT",
        [
            ("653/2019/UBTVQH14", "653", "?", None),
            ("653/2019/UBTVQH14", "653", "Nghị quyết", None),
            ("1211/2016/UBTVQH13", "1211", "Nghị quyết", "2016-05-25"),
            ("653/2019/UBTVQH14", "653", "Nghị quyết", None),
            ("653/2019/UBTVQH14", "653", "Nghị quyết", "2019-03-12"),
        ],
    ),
    (
        "https://vanbanphapluat.co/nghi-quyet-653-2019-ubtvqh14-sap-xep-cac-don-vi-hanh-chinh-cap-huyen-xa-giai-doan-2019-2021",
        "ỦY BAN THƯỜNG VỤ QUỐC HỘI\n\nCăn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n\nCăn cứ Luật Tổ "
        "chức Quốc hội số 57/2014/QH13;\n\nCăn cứ Luật Tổ chức chính quyền địa phương số 77/2015/QH13;\n\nCăn cứ Nghị "
        "quyết số 18-NQ/TW ngày 25 tháng 10 năm 2017 của Ban Chấp hành Trung ương Đảng khóa XII về một số vấn đề về "
        "tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả và "
        "Nghị quyết số 37-NQ/TW ngày 24 tháng 12 năm 2018 của Bộ Chính trị về việc sắp xếp các đơn vị hành chính cấp "
        "huyện và cấp xã;\n\nCăn cứ Nghị quyết số 56/2017/QH14 ngày 24 tháng 11 năm 2017 của Quốc hội về việc tiếp "
        "tục cải cách tổ chức bộ máy hành chính nhà nước tinh gọn, hoạt động hiệu lực, hiệu quả;",
        [
            ("57/2014/QH13", "57", "Luật", None),
            ("77/2015/QH13", "77", "Luật", None),
            ("18-NQ/TW", "18", "Nghị quyết", "2017-10-25"),
            ("37-NQ/TW", "37", "Nghị quyết", "2018-12-24"),
            ("56/2017/QH14", "56", "Nghị quyết", "2017-11-24"),
        ],
    ),
    (
        "http://baohaiphong.com.vn/channel/4904/",
        "- Ngày 11-11-2002, Ban Thường vụ Thành uỷ ban hành Chỉ thị số 10 \"Về tăng cường sự lãnh đạo, nâng cao chất "
        "lượng công tác nghiên cứu, biên soạn và giảng dạy lịch sử Đảng, lịch sử cách mạng\" và nhiều văn bản thường "
        "xuyên chỉ đạo bổ khuyết nhiệm vụ",
        [(None, "10", "Chỉ thị", "2002-11-11")],
    ),
    (
        "http://www.baomoi.com/Phong-cach-quan-chung-tinh-dan-chu-va-su-neu-guong/c/10285432.epi",
        "QĐND - Ban Tuyên giáo Trung ương đã có văn bản số 71-HD/BTGTW hướng dẫn việc học tập chuyên đề về tấm gương "
        "đạo đức Hồ Chí Minh năm 2013.",
        [("71-HD/BTGTW", "71", "Hướng dẫn", None)],
    ),
    (
        "http://m.baokontum.com.vn/thoi-su-chinh-tri-21.html?page=282",
        "Thực hiện Chỉ thị số 35-CT/TW của Bộ Chính trị về đại hội đảng bộ các cấp, tiến tới Đại hội XIII của Đảng; "
        "Thông báo Kết luận số 159-TB của Bộ Chính trị về việc thảo luận các văn kiện Đại hội XIII của Đảng tại đại "
        "hội đảng bộ các cấp, gửi lấy ý kiến nhân dân và tổng hợp các ý kiến đóng góp vào văn kiện Đại hội XIII của "
        "Đảng, ngày 10/9/2020 Ban Tuyên giáo Trung ương có Hướng dẫn số 151-HD/BTGTW về việc công bố, thảo luận, lấy "
        "ý kiến nhân dân vào dự thảo các văn kiện",
        [
            ("35-CT/TW", "35", "Chỉ thị", None),
            ("159-TB", "159", "Thông báo", None),
            ("151-HD/BTGTW", "151", "Hướng dẫn", "2020-09-10"),
        ],
    ),
    (
        "http://m.mattran.org.vn/chuong-trinh-phoi-hop/quy-dinh-so-97qdtw-cua-bo-chinh-tri-dang-doan-mttq-viet-nam-do"
        "-bo-chinh-tri-quyet-dinh-thanh-lap-thanh-vien-cua-dang-doan-do-bo-chinh-tri-quyet-dinh-50973.html",
        "Quy định số 97-QĐ/TW của Bộ Chính trị: Đảng đoàn MTTQ Việt Nam do Bộ Chính trị quyết định thành lập\n\n"
        "(Mặt trận) - Tại Quy định số 97-QĐ/TW ngày 7/2/2023 của Bộ Chính trị về chức năng, nhiệm vụ, quyền hạn, cơ "
        "cấu tổ chức, mối quan hệ công tác của đảng đoàn, ban cán sự đảng ở Trung ương đã đề cập đến một điểm mới "
        "(trong Quy định số 172-QĐ/TW, thành viên Đảng đoàn MTTQ Việt Nam do Ban Bí thư quyết định).\n\nĐoàn khảo sát "
        "của Ban Chỉ đạo Tổng kết Nghị quyết số 23-NQ/TW của Ban Chấp hành Trung ương Đảng khóa IX về “Phát huy sức "
        "mạnh đại đoàn kết toàn dân tộc”\n\nBAN CHẤP HÀNH TRUNG ƯƠNG\n-------\n\nĐẢNG CỘNG SẢN VIỆT NAM\n"
        "---------------\n\nSố: 97-QĐ/TW\n\nHà Nội, ngày 07 tháng 02 năm 2023\n\n \n\n \n\nQUY ĐỊNH",
        [
            ("97-QĐ/TW", "97", "Quy định", None),
            ("97-QĐ/TW", "97", "Quy định", "2023-02-07"),
            ("172-QĐ/TW", "172", "Quy định", None),
            ("23-NQ/TW", "23", "Nghị quyết", None),
            ("97-QĐ/TW", "97", "Quy định", "2023-02-07"),
        ],
    ),
    (
        "https://vbpl.ts24.com.vn/support/solutions/articles/16000231875",
        "BAN CHẤP HÀNH TRUNG ƯƠNG\n *\n\nĐẢNG CỘNG SẢN VIỆT NAM\n____________________________________\n\nSố 09-QC/TW\n\n"
        "Hà Nội, ngày 05 tháng 01 năm 2026\n\nQUY CHẾ\n\nQuản lý và cung cấp thông tin trên Cổng thông tin điện tử "
        "Đảng Cộng sản Việt Nam\n____________________________________\n\n- Căn cứ Điều lệ Đảng;\n\n- Căn cứ Luật Giao "
        "dịch điện tử số 20/2023/QH15 năm 2023; Luật Sở hữu trí tuệ số 07/2022/QH15 năm 2022;\n\n- Căn cứ Nghị định "
        "số 42/2022/NĐ-CP, ngày 24/6/2022 của Chính phủ quy định về việc cung cấp thông tin và dịch vụ công trực tuyến "
        "của cơ quan nhà nước trên môi trường mạng;\n\n- Căn cứ Nghị quyết số 57-NQ/TW, ngày 22/12/2024 của Bộ Chính "
        "trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số;\n\n- Căn cứ Quyết định số "
        "259-QĐ/TW, ngày 24/01/2025 của Bộ Chính trị về chức năng, nhiệm vụ, tổ chức bộ máy của Văn phòng Trung ương "
        "Đảng;\n\n- Căn cứ Thông báo số 05-TB/BCĐTW, ngày 04/7/2025 của Ban Chỉ đạo Trung ương về phát triển khoa học, "
        "công nghệ, đổi mới sáng tạo và chuyển đổi số về kết luận của đồng chí Tổng Bí thư Tô Lâm, Trưởng Ban Chỉ đạo "
        "tại Hội nghị sơ kết công tác 6 tháng đầu năm và nhiệm vụ trọng tâm 6 tháng cuối năm 2025 thực hiện Nghị "
        "quyết số 57-NQ/TW;",
        [
            ("09-QC/TW", "09", "Quy chế", "2026-01-05"),
            ("20/2023/QH15", "20", "Luật", None),
            ("07/2022/QH15", "07", "Luật", None),
            ("42/2022/NĐ-CP", "42", "Nghị định", "2022-06-24"),
            ("57-NQ/TW", "57", "Nghị quyết", "2024-12-22"),
            ("259-QĐ/TW", "259", "Quyết định", "2025-01-24"),
            ("05-TB/BCĐTW", "05", "Thông báo", "2025-07-04"),
            ("57-NQ/TW", "57", "Nghị quyết", None),
        ],
    ),
    (
        "https://thuvienphapluat.vn/documents/law.aspx?id=M%3DpReU9URTTX&mode=09dsbGRWOHhOdzWk",
        "Quyết định 66-QĐ/TW thể loại thẩm quyền ban hành văn bản thể thức văn bản của Đảng 2017\n\nSố hiệu: 66-QĐ/TW "
        "Loại văn bản: Quy định\nNơi ban hành: Ban Chấp hành Trung ương Người ký: Đinh Thế Huynh\nNgày ban hành: "
        "06/02/2017 Ngày hiệu lực: Đã biết\n\nBAN CHẤP HÀNH TRUNG ƯƠNG\n--------\n\nĐẢNG CỘNG SẢN VIỆT NAM\n"
        "---------------\n\nSố: 66-QĐ/TW\n\nHà Nội, ngày 06 tháng 02 năm 2017\n\n \n\nQUY ĐỊNH\n\nVỀ THỂ LOẠI, THẨM "
        "QUYỀN BAN HÀNH VÀ THỂ THỨC VĂN BẢN CỦA ĐẢNG",
        [
            ("66-QĐ/TW", "66", "Quyết định", None),
            ("66-QĐ/TW", "66", "?", None),
            ("66-QĐ/TW", "66", "Quy định", "2017-02-06"),
        ],
    ),
    (
        "https://thuvienphapluat.vn/van-ban/Bo-may-hanh-chinh/Quy-dinh-bo-sung-216-QD-TW-quan-he-lanh-dao-chi-dao-Bo"
        "-Chinh-tri-Ban-Bi-thu-112944.aspx",
        "BỘ\nCHÍNH TRỊ\n-------\n|\nĐẢNG\nCỘNG SẢN VIỆT NAM\n---------\n|\nSố:\n216-QĐ/TW\n|\nHà\nNội, ngày 01 tháng 4 "
        "năm 2009\n|\nQUY ĐỊNH (BỔ SUNG)\nVỀ QUAN HỆ LÃNH\nĐẠO, CHỈ ĐẠO CỦA BỘ CHÍNH TRỊ, BAN BÍ THƯ",
        [("216-QĐ/TW", "216", "Quy định", "2009-04-01")],
    ),
    (
        "https://truongleduan.quangtri.gov.vn/vi/hoat-dong-khoa-hoc/savefile/Nghien-cuu-trao-doi/thuc-tien-cong-tac"
        "-sap-xep-don-vi-hanh-chinh-cap-huyen-cap-xa-tren-dia-ban-tinh-quang-tri-368.html",
        "Theo đó, Tỉnh ủy, HĐND, UBND tỉnh đã ban hành các văn bản làm cơ sở để địa phương thực hiện thống nhất như: "
        "Kế hoạch số 86-KH/TU ngày 07/5/2018 của Tỉnh ủy về thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban "
        "chấp hành Trung ương Đảng khóa XII; Chương trình hành động số 147-CTHĐ/TU ngày 09/5/2019 của Tỉnh ủy về thực "
        "hiện Nghị quyết số 37-NQ/TW ngày 24/12/2018 của Bộ Chính trị về sắp xếp đơn vị hành chính cấp huyện, cấp xã; "
        "Nghị quyết số 22/2019/NQ-HĐND ngày 17/10/2019 của HĐND tỉnh về việc thông qua Đề án sắp sếp đơn vị hành chính",
        [
            ("86-KH/TU", "86", "Kế hoạch", "2018-05-07"),
            ("18-NQ/TW", "18", "Nghị quyết", "2017-10-25"),
            ("147-CTHĐ/TU", "147", "Chương trình hành động", "2019-05-09"),
            ("37-NQ/TW", "37", "Nghị quyết", "2018-12-24"),
            ("22/2019/NQ-HĐND", "22", "Nghị quyết", "2019-10-17"),
        ],
    ),
    (
        "https://text.123docz.net/document/12849335-221-bs-sao-kl-ve-xd-ket-cau-ha-tang-pdf.htm",
        "TỈNH ỦY THỪA THIÊN HUẾ\nĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố 445-KL/TƯ\nThừa Thiên Huế, ngày 13 tháng 5 năm 2022\n"
        "K ÉT LUẬN\nHỘI NGHỊ LÂN THỨ BẢY\nBAN CHẤP HÀNH ĐẢNG BỘ TỈNH (KHOÁ XVI)\nvề xây dựng hệ thống kết cấu hạ tầng "
        "đồng bộ đến năm 2025,\nđịnh hướng đến năm 2030\nHội nghị lần thứ bảy Ban Chấp hành Đảng bộ tỉnh (khóa XVI) "
        "họp\nngày 26/4/2022 đã thảo luận Tờ trình của Ban Thường vụ Tỉnh ủy, Báo cáo\ncủa Ban cán sự đảng ƯBND tỉnh "
        "và kết luận:\nI. ĐÁNH GIÁ TÌNH HÌNH\nSau 10 năm thực hiện Nghị quyết 13-NQ/TƯ của Tỉnh ủy (khóa XIV),\nhệ "
        "thống kết cấu hạ tầng trên địa bàn tỉnh có bước phát triển nhanh.",
        [("445-KL/TƯ", "445", "Kết luận", "2022-05-13"), ("13-NQ/TƯ", "13", "Nghị quyết", None)],
    ),
    (
        "https://hoinongdanag.org.vn/wps/portal/tuyen-truyen/ky-niem-110-nam-ngay-sinh-dong-chi-chu-huy-man-1268",
        "Thực hiện Hướng dẫn số 96-HD/BTGTW ngày 22/02/2023 của Ban Tuyên giáo Trung ương tuyên truyền kỷ niệm 110 "
        "năm Ngày sinh đồng chí Chu Huy Mân, lãnh đạo tiền bối tiêu biểu của Đảng và cách mạng Việt Nam (17/3/1913 - "
        "17/3/2023).\n\nBan Tuyên giáo Tỉnh ủy đề nghị các địa phương, đơn vị quan tâm tuyên truyền về sự kiện theo "
        "các nội dung nêu trong Hướng dẫn số 54-HD/BTGTU, ngày 12/02/2022 của Ban Tuyên giáo Tỉnh ủy tuyên truyền kỷ "
        "niệm các ngày lễ lớn",
        [("96-HD/BTGTW", "96", "Hướng dẫn", "2023-02-22"), ("54-HD/BTGTU", "54", "Hướng dẫn", "2022-02-12")],
    ),
    (
        "https://tapchicongthuong.vn/thanh-qua-dau-tien-cua-cong-cuoc-doi-moi-115330.htm",
        "Đó là Nghị quyết số 113-HĐBT của Hội đồng Bộ trưởng ngày 05/7/1987 Chuyển hoạt động nội thương sang hạch "
        "toán, kinh doanh xã hội chủ nghĩa; Quyết định số 217-HĐBT của Hội đồng Bộ trưởng ngày 14/11/1987 Đổi mới kế "
        "hoạch hóa và hạch toán kinh doanh xã hội chủ nghĩa đối với xí nghiệp quốc doanh; Quyết định số 231-HĐBT của "
        "Hội đồng Bộ trưởng ngày 31/12/1987 Chuyển ngành Vật tư sang hạch toán kinh doanh xã hội chủ nghĩa; Nghị định "
        "số 64-HĐBT của Hội đồng Bộ trưởng ngày 10/6/1989 Qui định về chế độ và tổ chức quản lý hoạt động kinh doanh "
        "xuất nhập khẩu.",
        [
            ("113-HĐBT", "113", "Nghị quyết", "1987-07-05"),
            ("217-HĐBT", "217", "Quyết định", "1987-11-14"),
            ("231-HĐBT", "231", "Quyết định", "1987-12-31"),
            ("64-HĐBT", "64", "Nghị định", "1989-06-10"),
        ],
    ),
    (
        "https://thuvienphapluat.vn/van-ban/Doanh-nghiep/Quyet-dinh-217-HDBT-chinh-sach-doi-moi-ke-hoach-hoa-va-hach"
        "-toan-kinh-doanh-Xa-hoi-chu-nghia-doi-voi-xi-nghiep-quoc-doanh-37429.aspx",
        "Số hiệu: 217-HĐBT Loại văn bản: Quyết định\nNơi ban hành: Hội đồng Bộ trưởng Người ký: Võ Văn Kiệt\nNgày "
        "ban hành: 14/11/1987 Ngày hiệu lực: Đã biết\n\nHỘI ĐỒNG BỘ TRƯỞNG\n******\n\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT "
        "NAM\nĐộc lập - Tự do - Hạnh phúc\n********\n\nSố: 217-HĐBT\n\nHà Nội, ngày 14 tháng 11 năm 1987 \n\n \n\n"
        "QUYẾT ĐỊNH\n\nBAN HÀNH CÁC CHÍNH SÁCH ĐỔI MỚI KẾ HOẠCH HOÁ VÀ HẠCH TOÁN KINH DOANH XÃ HỘI CHỦ NGHĨA ĐỐI VỚI "
        "XÍ NGHIỆP QUỐC DOANH\n\nHỘI ĐỒNG BỘ TRƯỞNG\n\nCăn cứ Nghị Quyết số 3-NQ/HNTƯ của hội nghị Ban Chấp hành Trung "
        "ương Đảng lần thứ 3 khoá 6;\nCăn cứ Quyết định của Hội đồng Bộ trưởng trong phiên họp ngày 29 tháng 10 năm "
        "1987;\n\nĐiều 2. Bãi bỏ Quyết định của Hội đồng Bộ trưởng số 76-HĐBT ngày 26-6-1986 về việc ban hành các bản "
        "quy định tạm thời",
        [
            ("217-HĐBT", "217", "?", None),
            ("217-HĐBT", "217", "Quyết định", "1987-11-14"),
            ("3-NQ/HNTƯ", "3", "Nghị quyết", None),
            ("76-HĐBT", "76", "Quyết định", "1986-06-26"),
        ],
    ),
    (
        "https://tulieuvankien.dangcongsan.vn/van-kien-tu-lieu-ve-dang/hoi-nghi-bch-trung-uong/khoa-vi/ket-luan-cua-bo"
        "-chinh-tri-ngay-2781987-ve-cuoc-thao-luan-du-thao-nghi-quyet-doi-moi-co-che-quan-ly-kinh-te-1101",
        "Trong Hội nghị Trung ương, có một số đồng chí cho rằng lúc này Trung ương chưa nên ra nghị quyết về đổi mới "
        "cơ chế quản lý kinh tế mà chỉ góp ý kiến để Bộ Chính trị ra nghị quyết trên cơ sở nâng cao Nghị quyết (dự "
        "thảo) 306 của Bộ Chính trị, vì điều kiện chưa chín muồi.",
        [(None, "306", "Nghị quyết", None)],
    ),
    (
        "https://baohagiang.vn/thoi-su-chinh-tri/202103/chuan-bi-ky-luong-cho-ngay-hoi-toan-dan-773370/",
        "Để chuẩn bị mọi mặt cho cuộc bầu cử, ngay từ ngày 20/6/2020, Bộ Chính trị đã ban hành Chỉ thị số 45-CT/TW "
        "về lãnh đạo cuộc bầu cử",
        [("45-CT/TW", "45", "Chỉ thị", "2020-06-20")],
    ),
    (
        "https://text.123docz.net/document/582173-khoan-100-va-10.htm",
        "Khoán 10 và khoán 100\nQua tổng kết thực tiễn trên, ngày 13-1-1981, Ban Bí thư ban hành Chỉ thị 100 về\n"
        "khoán sản phẩm đến nhóm và người lao động, thường gọi tắt là khoán 100.",
        [(None, "100", "Chỉ thị", "1981-01-13")],
    ),
    (
        "https://nvsk.vnanet.vn/doi-moi-quan-ly-nha-nuoc-ve-kinh-te-1-32246.vna",
        "Ngày 5/4/1988, Bộ Chính trị ra Nghị quyết số 10- NQ/TƯ về đổi mới quản lý kinh tế nông nghiệp. Đó là bước "
        "ngoặt có ý nghĩa to lớn đối với phát triển kinh tế nông nghiệp ở nước ta",
        [("10-NQ/TƯ", "10", "Nghị quyết", "1988-04-05")],
    ),
    (
        "https://kinhtenongthon.vn/Xay-dung-san-pham-OCOP-Con-duong-lam-giau-hieu-qua-post59149.html",
        "Thực hiện Đề án “Hỗ trợ phụ nữ khởi nghiệp giai đoạn 2017-2025” theo Quyết định số 939/QĐ-TTCP của Thủ "
        "tướng Chính phủ, hội viên, phụ nữ tỉnh đã phát huy khả năng sáng tạo",
        [("939/QĐ-TTCP", "939", "Quyết định", None)],
    ),
    (
        "https://thuvienphapluat.vn/bulletin/document.aspx?bid=aa77358e-c260-424d-a762-2e74c705823e&key=yl5JUHXz8PgT4p3YrS%2FzBQ%3D%3D",
        "ỦY\nBAN NHÂN DÂN\nTỈNH TIỀN GIANG\n-------\n|\nCỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh "
        "phúc\n---------------\n|\nSố: 383/KH-UBND\n|\nTiền\nGiang, ngày 07 tháng 12 năm 2022\n|\nKẾ HOẠCH\nTHỰC HIỆN "
        "CHƯƠNG TRÌNH CHUYỂN ĐỔI SỐ TRONG XÂY DỰNG NÔNG THÔN MỚI\nI. CĂN CỨ XÂY DỰNG\nKẾ HOẠCH\n1. Quyết định số "
        "924/QĐ-TTg ngày 22\ntháng 8 năm 2022 của Thủ tướng Chính phủ phê duyệt Chương trình chuyển đổi số\ntrong xây "
        "dựng nông thôn mới;\n2. Thông tư 05/2022/TT-BNNPTNT ngày\n25 tháng 7 năm 2022 của Bộ Nông nghiệp và Phát "
        "triển nông thôn về hướng dẫn một\nsố nội dung thực hiện Chương trình mục tiêu quốc gia.\n3. Nghị quyết số "
        "05-NQ/TU ngày 17\ntháng 6 năm 2021 của Ban Chấp hành Đảng bộ tỉnh về lãnh đạo xây dựng nông thôn\nmới trên "
        "địa bàn tỉnh đến năm 2025.\n4. Nghị quyết số 25/NQ-HĐND ngày 17\ntháng 9 năm 2021 của Hội đồng nhân dân tỉnh "
        "về phát triển kinh tế - xã hội tỉnh\nTiền Giang 5 năm 2021-2025.\n5. Nghị quyết số 08-NQ/TU ngày 06\ntháng "
        "10 năm 2021 của Tỉnh ủy về chuyển đổi số tỉnh Tiền Giang đến năm 2025.\n6. Quyết định số 605/QĐ-UBND ngày "
        "16\ntháng 3 năm 2022 của Ủy ban nhân dân tỉnh Phê duyệt Đề án Chính quyền số.\n7. Kế hoạch số 370/KH-UBND "
        "ngày\n08/12/2021 của Ủy ban nhân dân tỉnh về Chuyển đổi số tỉnh Tiền Giang",
        [
            ("383/KH-UBND", "383", "Kế hoạch", "2022-12-07"),
            ("924/QĐ-TTg", "924", "Quyết định", "2022-08-22"),
            ("05/2022/TT-BNNPTNT", "05", "Thông tư", "2022-07-25"),
            ("05-NQ/TU", "05", "Nghị quyết", "2021-06-17"),
            ("25/NQ-HĐND", "25", "Nghị quyết", "2021-09-17"),
            ("08-NQ/TU", "08", "Nghị quyết", "2021-10-06"),
            ("605/QĐ-UBND", "605", "Quyết định", "2022-03-16"),
            ("370/KH-UBND", "370", "Kế hoạch", "2021-12-08"),
        ],
    ),
    (
        "http://vinabase.com/V%C4%83n-b%E1%BA%A3n-ph%C3%A1p-lu%E1%BA%ADt/Quy%E1%BA%BFt-%C4%91%E1%BB%8Bnh-01%2F1999%2FQ%C4%90%7EBVHTT",
        "Căn cứ vào Pháp lệnh bảo vệ và sử dụng di tích lịch sử, văn hoá vàdanh lam thắng cảnh số 14-LCT/HĐNN công "
        "bố ngày 04/04/1984 của Hội đồng Nhà nướcNước Cộng hoà xã hội chủ nghĩa Việt Nam;\nCăn cứ Nghị định số 81/CP "
        "ngày 8/11/1993 của Chính phủ quy định vềchức năng, nhiệm vụ, quyền hạn và tổ chức bộ máy của Bộ Văn hoá - "
        "Thông tin;",
        [("14-LCT/HĐNN", "14", "Pháp lệnh", "1984-04-04"), ("81/CP", "81", "Nghị định", "1993-11-08")],
    ),
    (
        "http://vbpl.vn/tw/Pages/vbpq-toanvan.aspx?ItemID=5942",
        "BỘ VĂN HOÁ - THÔNG TIN\nSố: 06/2000/QĐ-BVHTT\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh "
        "phúc\nHà Nội, ngày 13 tháng 4 năm 2000\n\nQUYẾT ĐỊNH CỦA BỘ TRƯỞNG BỘ VĂN HOÁ THÔNG TIN\n\nVề việc công nhận "
        "di tích\n\nCăn cứ Pháp Lệnh Bảo vệ di tích lịch sử văn hoá và danh lam thắng cảnh năm 198.\n\nCăn cứ Nghị "
        "định 81-CP ngày 8-11-1993 của Chính phủ về chức năng, nhiệm vụ quyền hạn và bộ máy tổ chức của Bộ Văn hoá "
        "Thông tin .",
        [("06/2000/QĐ-BVHTT", "06", "Quyết định", "2000-04-13"), ("81-CP", "81", "Nghị định", "1993-11-08")],
    ),
    (
        "http://www.vietlaw.gov.vn/LAWNET/docView.do?docid=7331&type=html&searchType=fulltextsearch&searchText=",
        "QUYẾT ĐỊNH\n\nCỦA BỘ TRƯỞNG BỘ VĂN HOÁ VÀ THÔNG TIN SỐ 10-VHTT/QĐ\nNGÀY 9 THÁNG 2 NĂM 1981 XẾP HẠNG 7 DI TÍCH "
        "LỊCH SỬ\n\nVÀ VĂN HOÁ\n\n \n\nBỘ TRƯỞNG BỘ VĂN HOÁ VÀ THÔNG TIN\n\n \n\nCăn cứ Điều 46, Chương III của Hiến "
        "pháp nước Cộng hoà xã hội chủ nghĩa Việt Nam về bảo vệ di tích lịch sử và văn hoá;\n\nCăn cứ Quyết định số "
        "96-CP ngày 28-10-1978 của Hội đồng Chính phủ về tổ chức ngành văn hoá và thông tin;",
        [("10-VHTT/QĐ", "10", "Quyết định", "1981-02-09"), ("96-CP", "96", "Quyết định", "1978-10-28")],
    ),
    (
        "https://thuvienphapluat.vn/van-ban/Tai-nguyen-Moi-truong/Quyet-dinh-34-VH-QD-cong-nhan-58-di-tich-lich-su-van"
        "-hoa-danh-lam-thang-canh-37912.aspx",
        "Quyết định 34-VH/QĐ năm 1990 về việc công nhận 58 di tích lịch sử văn hoá và danh lam thắng cảnh do Bộ "
        "trưởng Bộ Văn hoá ban hành\n\nBỘ VĂN HOÁ\n********\n\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - "
        "Hạnh phúc\n********\n\nSố: 34-VH/QĐ\n\nHà Nội, ngày 09 tháng 1 năm 1990\n\n \n\nQUYẾT ĐỊNH",
        [("34-VH/QĐ", "34", "Quyết định", None), ("34-VH/QĐ", "34", "Quyết định", "1990-01-09")],
    ),
    (
        "public repository file, code search index id 26513603356 (HTML page of a Hanoi transport site)",
        "Tại công văn số 3175/UBND-ĐT ngày 22/9, UBND thành phố Hà Nội yêu cầu Sở Giao thông\n                    "
        "vận tải Hà Nội cùng các sở, ngành, đơn vị của thành phố tập trung triển khai nhiều nhiệm vụ\n                "
        "    quan trọng, thiết thực, hiệu quả Kết luận số 45-KL/TW ngày 1/2/2019 của Ban Bí thư Trung\n            "
        "        ương Đảng về tiếp tục đẩy mạnh thực hiện có hiệu quả Chỉ thị số 18-CT/TW ngày 4/9/2012 của\n       "
        "             Ban Bí thư Trung ương Đảng (khóa XI)",
        [
            ("3175/UBND-ĐT", "3175", "Công văn", None),
            ("45-KL/TW", "45", "Kết luận", "2019-02-01"),
            ("18-CT/TW", "18", "Chỉ thị", "2012-09-04"),
        ],
    ),
    (
        "public repository file, code search index id 69685673808 (Cà Mau tax office initiative report)",
        "3. Quán triệt thực hiện nghiêm túc Nghị quyết số 18/NQ-TW ngày 25/10/2017 của Ban Chấp hành Trung ương về "
        "đổi mới, sắp xếp tổ chức bộ máy; Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị về “Đẩy mạnh học tập và "
        "làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh”; Công văn số 11184/BTC-TCCB ngày 22/7/2025 của Bộ Tài "
        "chính; Quyết định số 828/QĐ-BTC ngày 8/6/2020 của Bộ trưởng Bộ Tài chính ban hành Quy chế văn hóa công sở và "
        "các văn bản chỉ đạo của Cục Thuế như: Công văn số 176/CT-VP ngày 18/3/2025 về việc tiếp tục chấn chỉnh, Công "
        "văn số 261/CT-TTKT ngày 21/3/2025 về việc chấn chỉnh kỷ cương, Công văn số 2002/CT-TCCB ngày 24/6/2025 về "
        "việc tăng cường kỷ luật.\n8. Người đứng đầu cấp ủy nêu cao tính tiên phong, gương mẫu trong việc thực hiện "
        "Quy định số 55-QĐ/TW của Bộ Chính trị; Triển khai Quyết định số 154/QĐ-CMA ngày 29/7/2025 của Thuế tỉnh Cà "
        "Mau ban hành quy chế làm việc. Thực hiện Nghị quyết 60-NQ/TW ngày 12/4/2025 của Ban Chấp hành Trung ương "
        "Đảng về mô hình chính quyền địa phương 2 cấp, Bộ Tài chính ban hành Quyết định 2229/QĐ-BTC (có hiệu lực từ "
        "1/7/2025).",
        [
            ("18-NQ/TW", "18", "Nghị quyết", "2017-10-25"),
            ("05-CT/TW", "05", "Chỉ thị", "2016-05-15"),
            ("11184/BTC-TCCB", "11184", "Công văn", "2025-07-22"),
            ("828/QĐ-BTC", "828", "Quyết định", "2020-06-08"),
            ("176/CT-VP", "176", "Công văn", "2025-03-18"),
            ("261/CT-TTKT", "261", "Công văn", "2025-03-21"),
            ("2002/CT-TCCB", "2002", "Công văn", "2025-06-24"),
            ("55-QĐ/TW", "55", "Quy định", None),
            ("154/QĐ-CMA", "154", "Quyết định", "2025-07-29"),
            ("60-NQ/TW", "60", "Nghị quyết", "2025-04-12"),
            ("2229/QĐ-BTC", "2229", "Quyết định", None),
        ],
    ),
    (
        "public repository file, code search index id 10157717651 (election assistant of Lương Minh commune)",
        "- Luật Bầu cử đại biểu Quốc hội và HĐND số 85/2015/QH13\n- Luật số 83/2025/QH15 (sửa đổi, bổ sung)\n- Nghị "
        "quyết 101/2025/UBTVQH15 ngày 26/9/2025\n- Nghị quyết liên tịch 102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN\n- "
        "Nghị quyết 40/NQ-HĐBCQG ngày 29/9/2025 (mẫu văn bản, hồ sơ)\n- Chỉ thị số 46-CT/TW ngày 16/5/2025 của Bộ "
        "Chính trị",
        [
            ("85/2015/QH13", "85", "Luật", None),
            ("83/2025/QH15", "83", "Luật", None),
            ("101/2025/UBTVQH15", "101", "Nghị quyết", "2025-09-26"),
            ("102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN", "102", "Nghị quyết liên tịch", None),
            ("40/NQ-HĐBCQG", "40", "Nghị quyết", "2025-09-29"),
            ("46-CT/TW", "46", "Chỉ thị", "2025-05-16"),
        ],
    ),
    (
        "public repository file, code search index id 52805854783 (party cell evaluation form)",
        "Thực hiện đầy đủ các bước quy trình sinh hoạt chi bộ (theo điểm 2.2, Mục II của Hướng dẫn số 42-HD/BTCTW "
        "ngày 28/10/2025 của Ban Tổ chức Trung ương về thực hiện Chỉ thị số 50-CT/TW ngày 23/7/2025 của Ban Bí thư về "
        "tiếp tục đổi mới và nâng cao chất lượng sinh hoạt chi bộ trong giai đoạn mới)",
        [("42-HD/BTCTW", "42", "Hướng dẫn", "2025-10-28"), ("50-CT/TW", "50", "Chỉ thị", "2025-07-23")],
    ),
]
