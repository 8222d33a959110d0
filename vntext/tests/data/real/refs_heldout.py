"""Held-out real passages (see README.md): collected and labelled by hand after the parser was tuned on
refs_real.py and before the parser was run on them; never used to change the parser."""

PASSAGES: list[tuple[str, str, list[tuple[str | None, str, str, str | None]]]] = [
    (
        "https://kinhtedothi.vn/tag/cap-bach-phong-chong-dich",
        "Kinhtedothi - Thực hiện Chỉ thị 05 của Thành ủy Hà Nội về tăng cường trách nhiệm của hệ thống chính trị và "
        "người đứng đầu cấp ủy, chính quyền các cấp trong thực hiện các biện pháp cấp bách phòng, chống dịch "
        "Covid-19, Ban Thường vụ Huyện ủy Gia Lâm đã quán triệt tới toàn bộ hệ thống chính trị từ huyện đến cơ sở, "
        "đồng thời ban hành Chỉ thị số 08/CT-HU về tăng cường trách nhiệm của hệ thống chính trị.",
        [(None, "05", "Chỉ thị", None), ("08-CT/HU", "08", "Chỉ thị", None)],
    ),
    (
        "https://tuyengiaotiengiang.vn/tag/đại-hội-đảng-bộ-các-cấp",
        "Ngày 19-8, Ban Thường vụ Huyện ủy Cai Lậy tổ chức hội nghị Ban Chấp hành Đảng bộ huyện mở rộng triển "
        "khai, quán triệt Chỉ thị 35-CT/TW của Bộ Chính trị về Đại hội đảng bộ các cấp tiến tới Đại hội đại biểu "
        "toàn quốc lần thứ XIII của Đảng; dự thảo kế hoạch của Ban Thường vụ Huyện ủy về đại hội đảng bộ huyện và "
        "cơ sở nhiệm kỳ 2020 - 2025.",
        [("35-CT/TW", "35", "Chỉ thị", None)],
    ),
    (
        "http://tranvanthoi.camau.dcs.vn/dai-hoi-diem-va-thi-diem-chu-truong-dai-hoi-truc-tiep-bau-bi-thu-cap-uy.670",
        "Đồng chí Lê Thị Nhung, Bí thư Huyện uỷ  triển khai Chỉ thị số 35 của Bộ Chính trị. \n\nTheo đó, Đảng bộ xã "
        "Trần Hợi được Ban Thường vụ Tỉnh ủy chọn chỉ đạo đại hội điểm; đồng thời, thực hiện thí điểm đại hội trực "
        "tiếp bầu ban thường vụ, bí thư, phó bí thư cấp ủy nhiệm kỳ 2020 – 2025.",
        [(None, "35", "Chỉ thị", None)],
    ),
    (
        "https://lite.baomoi.com/sap-xep-tinh-gon-to-chuc-bo-may-gan-voi-tang-toc-but-pha-thuc-hien-nhiem-vu-kinh-te"
        "-xa-hoi-cua-dong-nai-c51047813.epi",
        "Sáng 21-12, Ban Thường vụ Tỉnh ủy tổ chức Hội nghị tổng kết việc thực hiện Nghị quyết số 18 ngày "
        "25-10-2017 của Ban Chấp hành Trung ương Đảng khóa XII về 'Một số vấn đề về tiếp tục đổi mới, sắp xếp tổ "
        "chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả' trên địa bàn tỉnh.",
        [(None, "18", "Nghị quyết", "2017-10-25")],
    ),
    (
        "https://tailieu.vn/doc/sac-lenh-so-020-sl-127507.html",
        "Sắc lệnh số 020/SL về việc bãi bỏ cấp hành chính khu Lào - Hà - Yên, sát nhập tỉnh Hà giang vào khu tự trị "
        "Việt bắc, và tạm thời đặt tỉnh Lào cai và Yên bái dưới sự lãnh đạo của Chính phủ do Chủ tịch nước ban hành",
        [("020/SL", "020", "Sắc lệnh", None)],
    ),
    (
        "https://vbpl.vn:443/TW/Pages/vbpq-lichsu.aspx?ItemID=1223&Keyword=",
        "Lịch sử hiệu lực: Pháp lệnh Không số\nNgày Trạng thái Văn bản nguồn Phần hết hiệu lực\n15/01/1970 Văn bản "
        "được ban hành Không số\n27/01/1970 Văn bản có hiệu lực Không số\n13/07/1981 Văn bản hết hiệu lực Không số\n"
        "13/07/1981 Bị thay thế 3-LCT/HĐNN7",
        [("3-LCT/HĐNN7", "3", "?", None)],
    ),
    (
        "https://vanban123.vn/Quyet-dinh/quyet-dinh-60-cp-nam-1969-ve-viec-bao-dam-vai-lua-mau-den-cho-phu-nu-va-giam"
        "-muc-thu-phieu-vai-phip-den-do-hoi-dong-chinh-phu-ban-hanh-302823",
        "HỘI ĐỒNG CHÍNH PHỦ | VIỆT NAM DÂN CHỦ CỘNG HÒA |\nSố: 60-CP | Hà Nội, ngày 22 tháng 04 năm 1969 |\nQUYẾT "
        "ĐỊNH\nVỀ VIỆC BẢO ĐẢM VẢI, LỤA MẦU ĐEN CHO PHỤ NỮ VÀ GIẢM MỨC THU PHIẾU VẢI PHÍP ĐEN\nHỘI ĐỒNG CHÍNH PHỦ\n"
        "Căn cứ nghị quyết của Hội đồng Chính phủ trong phiên họp thường vụ của Hội đồng Chính phủ ngày 27 tháng 3 "
        "năm 1969,",
        [("60-CP", "60", "Quyết định", "1969-04-22")],
    ),
    (
        "https://hethongphapluat.com/van-ban-phap-luat_page-9945.html",
        "Văn bản pháp luật\n\nLoại: Công văn   Số hiệu: 953/VP4 Ban hành: 19/03/1981 Hiệu lực: Kiểm tra\nLoại: Pháp "
        "lệnh   Số hiệu: Khôngsố Ban hành: 22/01/1981 Hiệu lực: Kiểm tra",
        [("953/VP4", "953", "Công văn", "1981-03-19")],
    ),
    (
        "https://hethongphapluat.com/nghi-dinh-18-cp-nam-1960-ve-dat-ra-huy-chuong-huu-nghi-do-hoi-dong-chinh-phu-ban"
        "-hanh.html",
        "HỘI ĐỒNG CHÍNH PHỦ\n******\n\nVIỆT NAM DÂN CHỦ CỘNG HÒA\nĐộc lập - Tự do - Hạnh phúc\n********\n\nSố: 18-CP\n\n"
        "Hà Nội, ngày 20 tháng 06 năm 1960\n\nNGHỊ ĐỊNH\n\nĐẶT RA HUY CHƯƠNG HỮU NGHỊ\n\nHỘI ĐỒNG CHÍNH PHỦ\n\nCăn cứ "
        "Nghị quyết của Hội đồng Chính phủ trong phiên họp ngày 13-4-1960 của hội nghị Thường vụ của Hội đồng Chính "
        "phủ.",
        [("18-CP", "18", "Nghị định", "1960-06-20")],
    ),
    (
        "https://m.thuvienphapluat.vn/van-ban/The-thao-Y-te/Nghi-dinh-110-CP-dieu-le-tam-thoi-che-do-ren-luyen-than"
        "-the-theo-tieu-chuan-19793.aspx",
        "HỘI\nĐỒNG CHÍNH PHỦ |\nVIỆT\nNAM DÂN CHỦ CỘNG HOÀ |\nSố : 110-CP |\nHà Nội, ngày 26 tháng 09 năm 1962 |\nBAN "
        "HÀNH ĐIỀU LỆ TẠM THỜI VỀ “CHẾ ĐỘ RÈN LUYỆN THÂN THỂ THEO TIÊU CHUẨN”\nHỘI ĐỒNG CHÍNH PHỦ\nMỗi cấp phân thành "
        "hai loại: nam và nữ.\nBan hành kèm theo Nghị định số 110-CP ngày 26-9-1962 của Hội đồng Chính phủ.\nNghị "
        "định 110-CP năm 1962 về điều lệ tạm thời về “chế độ rèn luyện thân thể theo tiêu chuẩn” do Hội đồng Chính "
        "phủ ban hành\nSố hiệu: | 110-CP |\n---|---|\nLoại văn bản: | Nghị định |",
        [
            ("110-CP", "110", "?", "1962-09-26"),
            ("110-CP", "110", "Nghị định", "1962-09-26"),
            ("110-CP", "110", "Nghị định", None),
            ("110-CP", "110", "?", None),
        ],
    ),
    (
        "http://dulichyenbai.gov.vn/tin-tuc/tin-noi-bat/?UserKey=Them-03-di-tich-duoc-Uy-ban-nhan-dan-tinh-Yen-Bai"
        "-cong-nhan-va-cap-bang-xep-hang-di-tich-c",
        "Ngày 28/8/2019, Ủy ban nhân dân tỉnh Yên Bái đã ban hành Quyết định số 1644/QĐ-UBND về việc xếp hạng di "
        "tích cấp tỉnh đối với 03 di tích lịch sử - văn hóa trên địa bàn hai huyện Yên Bình và Trấn Yên.",
        [("1644/QĐ-UBND", "1644", "Quyết định", "2019-08-28")],
    ),
    (
        "https://baotang.dongthap.gov.vn/di-san-van-hoa-vat-the",
        "Ủy ban nhân dân tỉnh Đồng Tháp vừa ban hành các quyết định số 10/QĐ-UBND-HC, 11/QĐ-UBND-HC, 12/QĐ-UBND-HC "
        "và 13/QĐ-UBND-HC do Phó chủ tịch Đoàn Tấn Bửu ký ngày 03/01/2018 xếp hạng 4 di tích",
        [
            ("10/QĐ-UBND-HC", "10", "Quyết định", "2018-01-03"),
            ("11/QĐ-UBND-HC", "11", "Quyết định", "2018-01-03"),
            ("12/QĐ-UBND-HC", "12", "Quyết định", "2018-01-03"),
            ("13/QĐ-UBND-HC", "13", "Quyết định", "2018-01-03"),
        ],
    ),
    (
        "http://dulichyenbai.gov.vn/tin-tuc/tin-noi-bat/?UserKey=Uy-ban-nhan-dan-tinh-xep-hang-di-tich-lich-su---van"
        "-hoa-tren-dia-ban-tinh-Yen-Bai",
        " Ngày 26 tháng 01 năm 2018, Ủy ban nhân dân tỉnh đã ban hành Quyết định 93/QĐ-UBND về việc xếp hạng di "
        "tích cấp tỉnh.",
        [("93/QĐ-UBND", "93", "Quyết định", "2018-01-26")],
    ),
    (
        "http://disanxanh.cinet.vn/ArticleDetail.aspx?articleid=68113&sitepageid=29",
        "(DSX)-Ủy ban nhân dân tỉnh Yên Bái đã ban hành Quyết định số 2104/QĐ-UBND ngày 27/9/2021 về việc xếp hạng "
        "di tích cấp tỉnh.\n\nQuyết định nêu rõ, Giám đốc Sở Văn hóa, Thể thao và Du lịch, Chủ tịch Ủy ban nhân dân "
        "các cấp nơi có di tích được xếp hạng tại Điều 1 Quyết định này trong phạm vi và quyền hạn của mình",
        [("2104/QĐ-UBND", "2104", "Quyết định", "2021-09-27")],
    ),
    (
        "https://ngason.vn/tin-tuc/van-hoa-the-thao/cap-doi-bang-di-tich-doi-voi-di-tich-va-danh-lam-phu-treo-xa-nga"
        "-an.html",
        "Thực hiện Quyết định số 180/QĐ-UBND ngày 15-1-2016 của UBND tỉnh, có 14 di tích lịch sử và danh lam thắng "
        "cảnh cấp tỉnh được xếp hạng năm 2015, trong đó 11 di tích lịch sử và 3 di tích danh lam thắng cảnh.",
        [("180/QĐ-UBND", "180", "Quyết định", "2016-01-15")],
    ),
]
