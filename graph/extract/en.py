"""English: the words the rules look for (general vocabulary, no names of any article's actors)."""

CODE = "en"
DECIMAL = "."
SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9,
          "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "tr": 1e12}
CURRENCIES = {
    "us$": "USD", "usd": "USD", "$": "USD", "dollars": "USD", "dollar": "USD", "us dollars": "USD",
    "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "cny": "CNY", "¥": "CNY", "euros": "EUR", "euro": "EUR",
    "eur": "EUR", "€": "EUR", "£": "GBP", "pounds": "GBP", "gbp": "GBP", "yen": "JPY", "jpy": "JPY",
    "hk$": "HKD", "hkd": "HKD", "won": "KRW", "rupees": "INR", "inr": "INR",
}
QUALIFIERS = {"about": "approx", "around": "approx", "nearly": "approx", "almost": "approx", "roughly": "approx",
              "approximately": "approx", "some": "approx", "more than": "min", "over": "min", "at least": "min",
              "upwards of": "min", "in excess of": "min"}
VAGUE = ("billions", "millions", "several", "tens of", "hundreds of")
MONTHS = {"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
          "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
          "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12}
INVEST = ("invest", "invested", "invests", "investing", "investment", "investor", "investors", "funding",
          "round", "raised", "raises", "raise", "backed", "backs", "backing", "led", "leads", "stake",
          "financing", "poured", "pumped", "injected", "capital", "series")
ROUND = ("round", "series a", "series b", "series c", "seed round", "funding round")
ASIDE = ("besides", "apart from", "aside from", "beyond", "other than")
LEAD = ("led by", "leads", "led", "co-led", "spearheaded", "lead investor")
TARGET_BEFORE = ("in", "into", "to", "startup", "start-up", "for", "backed", "backs", "funded", "funds", "-backed",
                 "invested in", "stake in", "stakes in")
TARGET_AFTER = ("raised", "raises", "has raised", "secured", "secures", "closed", "received", "receives",
                "landed", "got", "is backed", "was backed", "has been backed")
INVESTOR_BEFORE = ("from", "by", "led by", "backed by", "investments of", "investors", "portfolio of",
                   "participation from", "participation of", "joined by")
COMPETE = ("compete", "competes", "competing", "competitor", "competitors", "competition", "rival", "rivals",
           "rivalry", "on par with", "outperform", "outperforms", "outperformed", "beat", "beats",
           "alternative to", "challenger", "challenge", "vie", "vies", "head-to-head", "race against",
           "arch-rival", "nemesis", "take on", "takes on")
PARTNER = ("partner", "partners", "partnership", "partnered", "alliance", "joint venture", "teamed up",
           "collaboration", "collaborate", "agreement with")
SUBSIDIARY = ("subsidiary", "unit", "owned by", "owner of", "arm", "division", "parent")
DEVELOP = ("developed", "develops", "launched", "launches", "released", "releases", "unveiled", "unveils",
           "introduced", "built", "maker of", "developer of")
FOUND = ("founded by", "founder", "co-founder", "cofounder", "founded")
LEADS = ("chief executive", "ceo", "chairman", "chairwoman", "president", "head of", "chief")
SANCTION = ("blacklist", "blacklisted", "sanction", "sanctions", "sanctioned", "entity list", "export controls",
            "banned")
FINE = ("fine", "fined", "penalty", "penalised", "penalized")
FINANCE = ("fund", "state-backed", "state capital")
MANAGE = ("manages", "managed by", "manager of")
# Nouns of a deal: "thương vụ trị giá X" is the deal's size, not a valuation.
DEAL = ("deal", "round", "investment", "transaction", "stake")
VALUATION = ("worth", "valuation", "valued", "valuing", "values", "market value")
HEDGES = ("according to", "reportedly", "said to", "people familiar", "sources said", "is said", "rumoured",
          "rumored", "allegedly", "reported", "may", "could", "expected to", "reports")
FORMER = ("formerly", "previously", "used to", "once", "former", "had been", "was once", "earlier")
POSSESSIVE = ("'s", "’s")
ANAPHORA = ("these", "this", "they", "it", "the company", "the startup", "the firm", "both")
# A clause about something else inside the sentence: ", which is backed by X,".
RELATIVE = (", which", ", who", ", whose")
AND = ("and", "&", "as well as", "along with", "or", "with")
KIND_WORDS = {
    "Company": ("company", "group", "firm", "startup", "start-up", "maker", "giant", "inc", "ltd", "corp", "bank"),
    "Fund": ("fund", "capital", "ventures", "partners", "investment arm", "venture capital", "private equity",
             "sovereign wealth fund", "management"),
    "GovernmentBody": ("ministry", "government", "department", "commission", "regulator", "authority",
                       "council", "agency", "state council", "central bank"),
    "Model": ("model", "models", "chatbot", "llm", "assistant"),
    "Person": ("mr", "mrs", "ms", "dr", "founder", "chief executive", "ceo", "chairman", "billionaire"),
}
NOT_NAMES = ("the", "a", "an", "in", "on", "at", "for", "and", "but", "or", "as", "by", "with", "from", "to",
             "this", "that", "these", "those", "it", "its", "they", "their", "we", "our", "he", "she", "his", "her",
             "according", "however", "meanwhile", "after", "before", "since", "while", "when", "last", "next",
             "china", "united states", "us", "u.s.", "america", "europe", "japan", "india", "uk", "britain",
             "beijing", "shanghai", "shenzhen", "hong kong", "silicon valley", "chinese", "american",
             "european", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
             "photo", "new york", "san francisco", "london", "paris", "tokyo", "singapore", "seoul", "berlin", "reuters", "bloomberg", "also", "both",
             "one", "two", "three", "other", "many", "some", "all", "most", "there", "here", "if", "so", "yet")
DATE_WORDS = {"last_year": ("last year",), "this_year": ("this year", "earlier this year", "early this year")}

REFER = {"Model": ("these models", "the models", "the model", "this model"),
         "Company": ("the company", "the firm", "the startup", "the group", "this company")}
OWN_RIVAL = ("its rival", "its rivals", "their rival", "their rivals", "its arch-rival", "its competitor",
             "its competitors")
LIST = ("including", "such as", "among them", "among others")
