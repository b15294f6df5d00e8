"""Chinese: the words the rules look for (general vocabulary, no names of any article's actors)."""

CODE = "zh"
DECIMAL = "."
SCALES = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3}
CURRENCIES = {"美元": "USD", "美金": "USD", "港元": "HKD", "港币": "HKD", "欧元": "EUR", "日元": "JPY",
              "英镑": "GBP", "人民币": "CNY", "元人民币": "CNY", "元": "CNY", "韩元": "KRW", "$": "USD",
              "us$": "USD", "usd": "USD", "rmb": "CNY", "cny": "CNY", "¥": "CNY", "￥": "CNY"}
QUALIFIERS = {"约": "approx", "近": "approx", "大约": "approx", "将近": "approx", "接近": "approx",
              "超过": "min", "逾": "min", "超": "min", "多达": "min", "至少": "min"}
VAGUE = ("数", "几", "上")
MONTHS = {}
INVEST = ("投资", "融资", "领投", "跟投", "注资", "入股", "轮", "出资", "募资", "募集", "参投", "投资者", "投资方",
          "资金", "估值", "持股")
LEAD = ("领投", "牵头", "主导")
TARGET_BEFORE = ("投资", "对", "向", "入股", "注资")
TARGET_AFTER = ("完成", "获得", "获", "宣布完成", "募集", "融资")
INVESTOR_BEFORE = ("由", "来自", "包括", "等", "参投方")
COMPETE = ("竞争", "对手", "竞品", "媲美", "比肩", "抗衡", "超越", "替代", "劲敌", "角逐", "较量", "叫板", "对标",
           "匹敌", "不相上下")
PARTNER = ("合作", "伙伴", "联盟", "合资", "携手")
SUBSIDIARY = ("旗下", "子公司", "母公司", "控股", "隶属")
DEVELOP = ("发布", "推出", "开发", "研发", "上线", "打造")
FOUND = ("创始人", "创办", "创立", "联合创始人")
LEADS = ("首席执行官", "董事长", "总裁", "CEO", "掌门人", "负责人")
SANCTION = ("实体清单", "制裁", "黑名单", "出口管制")
FINE = ("罚款", "罚金", "处罚")
FINANCE = ("基金", "国资", "国家队")
MANAGE = ("管理",)
VALUATION = ("估值", "市值")
HEDGES = ("据", "据报道", "据悉", "消息人士", "知情人士", "传闻", "或将", "可能", "据称")
FORMER = ("曾", "曾经", "此前", "原", "前身", "昔日")
POSSESSIVE = ("的", "旗下")
ANAPHORA = ("该公司", "这些", "这", "其", "该")
AND = ("和", "与", "及", "以及", "、", "同")
KIND_WORDS = {
    "Company": ("公司", "集团", "科技", "智能", "控股", "银行", "企业"),
    "Fund": ("基金", "资本", "创投", "投资", "资管"),
    "GovernmentBody": ("部", "委员会", "政府", "国务院", "总局", "监管"),
    "Model": ("模型", "大模型", "聊天机器人"),
    "Person": ("先生", "女士", "创始人", "首席执行官", "董事长"),
}
# Characters that end a name when read backwards from an organisation suffix ("由X资本领投").
STOP_CHARS = "的和与及在向对由被将已是了从为获并于等其这该而也又但就都把给让着过"
NOT_NAMES = ("中国", "美国", "北京", "上海", "深圳", "香港", "欧洲", "日本")
DATE_WORDS = {"last_year": ("去年",), "this_year": ("今年", "年初", "今年初", "年内")}
