"""Vietnamese: the words the rules look for (general vocabulary, no names of any article's actors)."""

CODE = "vi"
DECIMAL = ","            # 2,75 tỷ USD; 1.000 = one thousand
SCALES = {"nghìn tỷ": 1e12, "ngàn tỷ": 1e12, "nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
CURRENCIES = {
    "usd": "USD", "us$": "USD", "$": "USD", "đô la mỹ": "USD", "đô la": "USD", "đôla": "USD", "đô": "USD",
    "nhân dân tệ": "CNY", "ndt": "CNY", "nhân dân tệ (ndt)": "CNY", "cny": "CNY", "rmb": "CNY", "tệ": "CNY",
    "euro": "EUR", "eur": "EUR", "€": "EUR", "yên": "JPY", "jpy": "JPY", "bảng anh": "GBP", "gbp": "GBP",
    "đồng": "VND", "vnđ": "VND", "vnd": "VND", "đô la hồng kông": "HKD", "hkd": "HKD", "won": "KRW",
}
QUALIFIERS = {"khoảng": "approx", "gần": "approx", "xấp xỉ": "approx", "ước tính": "approx",
              "hơn": "min", "trên": "min", "vượt quá": "min", "vượt": "min", "ít nhất": "min", "tối thiểu": "min"}
# Vague amounts ("hàng tỷ USD": billions) are not figures.
VAGUE = ("hàng", "vài", "nhiều", "mấy")
MONTHS = {}  # months are numbered: "tháng 9"
INVEST = ("đầu tư", "rót vốn", "rót tiền", "rót", "bơm", "tài trợ", "cấp vốn", "huy động", "gọi vốn", "dẫn đầu",
          "hậu thuẫn", "góp vốn", "nhà đầu tư", "vòng gọi vốn", "vòng tài trợ", "vòng cấp vốn", "vòng huy động",
          "vòng đầu tư", "cổ phần", "rót tiền")
# Words of a funding round (with a leader and no company named, the round is the company in focus's).
ROUND = ("vòng gọi vốn", "vòng tài trợ", "vòng cấp vốn", "vòng huy động", "vòng đầu tư", "vòng series")
LEAD = ("dẫn đầu", "dẫn dắt", "chủ trì")
# Before the company that receives: "đầu tư vào X", "rót vốn cho X".
TARGET_BEFORE = ("vào", "cho", "trong", "startup", "công ty khởi nghiệp", "của startup", "hậu thuẫn",
                 "đầu tư vào", "rót vốn vào", "tài trợ cho", "cổ phần trong", "cổ phần tại")
# After the company that receives: "X huy động", "X nhận được".
TARGET_AFTER = ("huy động", "gọi vốn", "nhận được", "nhận", "được rót", "được đầu tư", "được hậu thuẫn",
                "được tài trợ", "thu về")
# Before investors: "từ A và B", "do A dẫn đầu", "bao gồm A".
INVESTOR_BEFORE = ("từ", "do", "với sự tham gia của", "khoản đầu tư của", "được", "danh mục đầu tư của")
# "Ngoài X, ...": besides X: X plays no part in the sentence's own fact.
ASIDE = ("ngoài", "ngoài ra", "bên cạnh")
COMPETE = ("cạnh tranh", "đối thủ", "đối đầu", "sánh ngang", "ngang bằng", "ngang ngửa", "vượt trội",
           "vượt qua", "thay thế", "kình địch", "không đội trời chung", "chạy đua", "cạnh tranh trực tiếp",
           "đọ sức", "so kè", "thách thức")
PARTNER = ("hợp tác", "đối tác", "liên minh", "bắt tay", "liên doanh", "thỏa thuận")
SUBSIDIARY = ("công ty con", "thuộc sở hữu", "chủ sở hữu", "đơn vị", "thuộc", "trực thuộc", "công ty mẹ")
DEVELOP = ("phát triển", "ra mắt", "công bố", "giới thiệu", "phát hành", "trình làng", "xây dựng")
FOUND = ("sáng lập", "thành lập bởi", "nhà sáng lập", "đồng sáng lập")
LEADS = ("giám đốc điều hành", "tổng giám đốc", "chủ tịch", "ceo", "người đứng đầu", "lãnh đạo")
SANCTION = ("danh sách đen", "trừng phạt", "cấm vận", "danh sách thực thể", "hạn chế xuất khẩu")
FINE = ("phạt", "án phạt", "khoản phạt")
FINANCE = ("quỹ", "vốn nhà nước", "bảo trợ")
MANAGE = ("quản lý",)
# Nouns of a deal: "thương vụ trị giá X" is the deal's size, not a valuation.
DEAL = ("thương vụ", "khoản đầu tư", "vòng", "giao dịch", "khoản")
VALUATION = ("trị giá", "định giá", "mức định giá", "giá trị thị trường", "vốn hóa")
HEDGES_LEAD = ("theo",)   # "Theo Reuters, ..." opens a sentence; elsewhere "theo" is "following"
HEDGES = ("được cho là", "cho biết", "nguồn tin", "những người am hiểu", "tin đồn", "có thể", "dường như",
          "được báo cáo", "đồn đoán")
FORMER = ("trước đây", "trước đó", "từng", "đã từng", "cũ", "trước kia")
# "A của B": B owns A.
POSSESSIVE = ("của",)
# Words that point back at the last sentence's actors ("Các mô hình này").
ANAPHORA = ("này", "đó", "họ", "hãng", "công ty")
RELATIVE = (", vốn", ", một")
AND = ("và", "cùng", "cùng với", "với", "hay", "hoặc")
# Words before a name that say its kind.
KIND_WORDS = {
    "Company": ("tập đoàn", "công ty", "hãng", "startup", "doanh nghiệp", "nhà sản xuất", "ngân hàng"),
    "Fund": ("quỹ", "quỹ đầu tư", "công ty đầu tư mạo hiểm", "quỹ đầu tư mạo hiểm"),
    "GovernmentBody": ("bộ", "chính phủ", "ủy ban", "cơ quan", "nhà nước", "quốc vụ viện", "ngân hàng trung ương"),
    "Model": ("mô hình", "chatbot", "trợ lý ảo", "phiên bản", "ứng dụng"),
    "Person": ("ông", "bà", "nhà sáng lập", "giám đốc", "chủ tịch", "ceo", "tỷ phú", "người sáng lập"),
}
# Capitalised words that are not names of actors.
NOT_NAMES = ("trung quốc", "mỹ", "việt nam", "nhật bản", "hàn quốc", "ấn độ", "châu âu", "anh", "pháp", "đức",
             "hong kong", "hồng kông", "bắc kinh", "thượng hải", "thâm quyến", "thung lũng silicon", "ảnh",
             "theo", "trong", "tuy nhiên", "ngoài", "các", "những", "một", "khi", "sau", "trước", "với", "đây",
             "nhưng", "năm", "tháng", "ngày", "tuần", "hôm", "hiện", "từ", "do", "vì", "nếu", "điều", "việc",
             "hai", "ba", "bon", "nam", "sau", "cho", "con", "anh", "tin", "tai", "tong", "ong", "ba", "co", "la",
             "khi", "nhu", "ve", "voi", "thu", "chi", "dan", "nay", "van", "sang", "toan", "cung")
DATE_WORDS = {"last_year": ("năm ngoái", "năm trước"), "this_year": ("năm nay", "đầu năm", "hồi đầu năm",
              "cuối năm nay", "giữa năm")}

# Phrases that stand for an actor named before, by kind ("Các mô hình này": these models).
REFER = {"Model": ("các mô hình này", "những mô hình này", "mô hình này", "mô hình của mình", "mô hình"),
         "Company": ("công ty này", "hãng này", "tập đoàn này", "startup này", "công ty", "hãng", "tập đoàn")}
# "đối thủ của nó/mình": the sentence's subject's rival.
OWN_RIVAL = ("đối thủ của nó", "đối thủ của mình", "đối thủ của họ", "đối thủ của hãng")
# Words before a list whose role (givers or receivers) is whichever the sentence still lacks.
LIST = ("bao gồm", "gồm", "như", "trong đó có", "là")
