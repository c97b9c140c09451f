#!/usr/bin/env python3
# gen_pairs_forms.py - writes data/dedup_pairs_forms.csv: labelled pairs for
# the forms of issue 26 (names of our own choosing, combined by hand-written
# rules below; nothing copied). Columns as ../shared/data/dedup_pairs_dev.csv
# plus `form`: the form a positive pair shows, or the kind of different
# people for a negative one (siblings, twins, parent_child, namesakes);
# `kind` is the form the pair exercises (positives and negatives alike).
import csv, sys

rows = []
def add(kind, form, a, sa, ba, b, sb, bb, same, va="V101", vb="V101",
        na="", nb=""):
    rows.append([a, sa, ba, va, na, b, sb, bb, vb, nb, same, kind, form])

NEG = ["siblings", "twins", "parent_child", "namesakes"]
def neg(kind, i, a, b, sex, born):
    f = NEG[i % 4]
    y = int(born[:4])
    if f == "siblings":
        add(kind, f, a, sex, born, b, sex, str(y + 2), "0")
    elif f == "twins":
        add(kind, f, a, sex, born, b, sex, born, "0")
    elif f == "parent_child":   # same name, a generation apart
        add(kind, f, a, sex, born, a, sex, "%d-03-01" % (y + 26), "0")
    else:                       # namesakes: same name, different national IDs
        add(kind, f, a, sex, born, a, sex, "%d-07-11" % (y + 1), "0", "V102",
            "V203", "N%08d" % (31000000 + i), "N%08d" % (52000000 + i))

# --- honorific: Khmer (with or without a space), Mongolian, Latin --------
hon = [
    ("លោក ", "សុខ ដារ៉ា", "M", "សុខ ដារ៉ូ"), ("លោក", "ចាន់ សុផល", "M", "ចាន់ សុភាព"),
    ("លោកស្រី ", "កែវ ស្រីនាង", "F", "កែវ ស្រីនិច"), ("លោកស្រី", "លី សុភា", "F", "លី សុភី"),
    ("អ្នកស្រី ", "ហេង ចន្ធា", "F", "ហេង ចន្ធី"), ("អ្នកស្រី", "ជា រចនា", "F", "ជា រតនា"),
    ("លោក ", "ម៉ៅ វិចិត្រ", "M", "ម៉ៅ វិចិត"), ("លោក", "ពេជ្រ សំណាង", "M", "ពេជ្រ សុណាង"),
    ("លោកស្រី ", "ទេព បុប្ផា", "F", "ទេព បុប្ផី"), ("អ្នកស្រី ", "យិន វណ្ណា", "F", "យិន វណ្ណី"),
    ("លោក ", "ស៊ុន រិទ្ធ", "M", "ស៊ុន រិទ្ធី"), ("អ្នកស្រី", "សេង ស្រីពៅ", "F", "សេង ស្រីពេជ្រ"),
    ("Mr. ", "Heng Sophal", "M", "Heng Sopheap"), ("Mrs ", "Keo Sreymom", "F", "Keo Sreymoch"),
    ("Lok Srey ", "Chea Bopha", "F", "Chea Bophy"),
    ("хатагтай ", "Болдын Сарангэрэл", "F", "Болдын Сарантуяа"),
    ("ноён ", "Доржийн Ганбат", "M", "Доржийн Ганбаатар"),
]
for i, (h, n, s, sib) in enumerate(hon):
    y = 1960 + i * 2
    if h.strip() in ("хатагтай", "ноён") and i % 2:
        add("honorific", "honorific", n + " гуай", s, "%d-04-0%d" % (y, 1 + i % 9), n, s, str(y), "1")
    add("honorific", "honorific", h + n, s, "%d-04-0%d" % (y, 1 + i % 9), n, s, "%d-04-0%d" % (y, 1 + i % 9), "1")
    neg("honorific", i, h + n, sib, s, "%d-04-0%d" % (y, 1 + i % 9))

# --- Khmer word break: family name + first syllable typed as one word -----
wb = [  # family, first syllable, rest, sex, sibling's rest
    ("សុខ", "ស្រី", "មុំ", "F", "នាង"), ("ចាន់", "ស្រី", "ពៅ", "F", "ពេជ្រ"),
    ("កែវ", "សុ", "ផល", "M", "ភាព"), ("លី", "វិ", "ចិត្រ", "M", "បុល"),
    ("ហេង", "ដា", "រ៉ា", "M", "រី"), ("ជា", "សំ", "ណាង", "M", "អាត"),
    ("ម៉ៅ", "ចំ", "រើន", "M", "ណាន"), ("ពេជ្រ", "សុ", "ភា", "F", "ភី"),
    ("ទេព", "ស្រី", "ល័ក្ខ", "F", "លីន"), ("ញឹម", "ពិ", "សិដ្ឋ", "M", "សី"),
    ("យិន", "សុ", "វណ្ណ", "M", "ខេន"), ("ស៊ុន", "រ", "ចនា", "F", "តនា"),
    ("ឡុង", "បុ", "ប្ផា", "F", "ស្បា"), ("សេង", "ស្រី", "នាង", "F", "នុច"),
    ("ប្រាក់", "សុ", "គន្ធា", "F", "ខនី"), ("គឹម", "ស្រី", "ល័ក្ខ", "F", "អូន"),
]
for i, (f, s1, r, s, rs) in enumerate(wb):
    y = 1970 + i
    d = "%d-0%d-15" % (y, 1 + i % 9)
    a = f + s1 + " " + r
    add("khmer_wordbreak", "khmer_wordbreak", a, s, d, f + " " + s1 + r, s, d if i % 3 else str(y), "1")
    neg("khmer_wordbreak", i, a, f + " " + s1 + rs, s, d)

# --- Mongolian genitive (Cyrillic): father's name, vowel-dropping forms ---
mg = [  # nominative, genitive, given, sex, sibling given
    ("Болд", "Болдын", "Батбаяр", "M", "Батзориг"), ("Бямба", "Бямбын", "Оюунчимэг", "F", "Оюунтуяа"),
    ("Лхагва", "Лхагвын", "Ганбат", "M", "Ганболд"), ("Дорж", "Доржийн", "Сүхбаатар", "M", "Сүхбат"),
    ("Дулмаа", "Дулмаагийн", "Нарантуяа", "F", "Наранцэцэг"), ("Цогто", "Цогтын", "Энхжаргал", "F", "Энхтуяа"),
    ("Дамдин", "Дамдины", "Ганбаатар", "M", "Ганхуяг"), ("Пүрэв", "Пүрэвийн", "Мөнхбат", "M", "Мөнхбаяр"),
    ("Жаргал", "Жаргалын", "Сарангэрэл", "F", "Сараа"), ("Энх", "Энхийн", "Түмэнбаяр", "M", "Түмэнжаргал"),
    ("Дава", "Давын", "Ариунаа", "F", "Ариунзаяа"), ("Нямаа", "Нямаагийн", "Баярмаа", "F", "Баярсайхан"),
    ("Ням", "Нямын", "Золбоо", "M", "Золжаргал"), ("Содном", "Содномын", "Цэцэг", "F", "Цэцгээ"),
    ("Батаа", "Батаагийн", "Хонгор", "M", "Хонгорзул"), ("Очир", "Очирын", "Мөнхзул", "F", "Мөнхцэцэг"),
    ("Гомбо", "Гомбын", "Тэмүүлэн", "M", "Тэмүүжин"),
]
for i, (nom, gen, g, s, gs) in enumerate(mg):
    y = 1965 + i
    d = "%d-1%d-0%d" % (y, i % 3, 1 + i % 9)
    a = gen + " " + g
    b = [nom + " " + g, g + " " + nom, g + " " + gen, nom[0] + ". " + g][i % 4]
    add("mn_genitive", "mn_genitive", a, s, d, b, s, d if i % 2 else str(y), "1")
    neg("mn_genitive", i, a, nom + " " + gs, s, d)

# --- Mongolian in Latin letters by two offices ---------------------------
ml = [  # office A, office B, sex, sibling as office B would write
    ("Boldyn Batbayar", "Bold Batbaiar", "M", "Bold Batzorig"),
    ("Sukhbaatar Dorj", "Suhbatar Dorj", "M", "Suhbat Dorj"),
    ("Tsetseg Sodnom", "Cecег Sodnom".replace("Cecег", "Ceceg"), "F", "Tsetsgee Sodnom"),
    ("Tömörbaatar Ganbold", "Tumurbaatar Ganbold", "M", "Tumurbat Ganbold"),
    ("Tüvshinjargal Enkh", "Tuvshinjargal Enh", "F", "Tuvshintuya Enh"),
    ("Oyuunchimeg Byamba", "Oyunchimeg Byamba", "F", "Oyuntuya Byamba"),
    ("Khongorzul Purev", "Hongorzul Pürev", "F", "Hongor Purev"),
    ("Gansukh Lkhagvyn", "Gansuh Lhagva", "M", "Ganbold Lhagva"),
    ("Mönkhtsetseg Dash", "Munkhcetseg Dash", "F", "Munkhzul Dash"),
    ("Batzorig Jargalyn", "Batzorig Jargal", "M", "Batbayar Jargal"),
    ("Ürantsetseg Davaa", "Urancetseg Dava", "F", "Urantuya Dava"),
    ("Tsogtbaatar Damdiny", "Tsogtbatar Damdin", "M", "Tsogtsaikhan Damdin"),
    ("Enkhtuya Tsend", "Enhtuya Cend", "F", "Enhjargal Cend"),
    ("Altankhuyag Gombo", "Altanhuyag Gomboo", "M", "Altangerel Gomboo"),
    ("Bayarmaa Nyamaagiin", "Bayarmaa Nyamaa", "F", "Bayarsaikhan Nyamaa"),
    ("Tömör Ochir", "Toemoer Ochir", "M", "Temuulen Ochir"),
]
for i, (a, b, s, sib) in enumerate(ml):
    y = 1958 + i * 2
    d = "%d-0%d-2%d" % (y, 1 + i % 9, i % 8)
    add("mn_latin_variants", "mn_latin_variants", a, s, d, b, s, d if i % 3 else str(y), "1")
    neg("mn_latin_variants", i, a, sib, s, d)

# --- Mongolian across scripts (Cyrillic against Latin, both ways) --------
cx = [  # Cyrillic, Latin as typed, sex, sibling Latin
    ("Сүхбаатар Дорж", "Suhbatar Dorj", "M", "Suhbat Dorj"),
    ("Болдын Батбаяр", "Bold Batbaiar", "M", "Bold Batzorig"),
    ("Цэцэг Содном", "Cecег Sodnom".replace("Cecег", "Ceceg"), "F", "Tsetsgee Sodnom"),
    ("Төмөрбаатар Ганболд", "Toemoerbaatar Ganbold", "M", "Tumurbat Ganbold"),
    ("Түвшинжаргал Энх", "Tuevshinjargal Enh", "F", "Tuvshintuya Enh"),
    ("Оюунчимэг Бямбын", "Oyunchimeg Byamba", "F", "Oyuntuya Byamba"),
    ("Хонгорзул Пүрэвийн", "Hongorzul Purev", "F", "Hongor Purev"),
    ("Лхагвын Ганбат", "Lkhagva Ganbat", "M", "Lkhagva Ganbold"),
    ("Мөнхцэцэг Даш", "Munkhcetseg Dash", "F", "Munkhzul Dash"),
    ("Жаргалын Батзориг", "Jargal Batzorig", "M", "Jargal Batbayar"),
    ("Дамдины Цогтбаатар", "Damdin Tsogtbatar", "M", "Damdin Tsogtsaikhan"),
    ("Энхтуяа Цэнд", "Enhtuya Tsend", "F", "Enhjargal Tsend"),
    ("Алтанхуяг Гомбо", "Altanhuyag Gombo", "M", "Altangerel Gombo"),
    ("Нямаагийн Баярмаа", "Nyamaa Bayarma", "F", "Nyamaa Bayarsaikhan"),
    ("Тэмүүлэн Очир", "Temuulen Ochir", "M", "Temuujin Ochir"),
    ("Сарангэрэл Жаргал", "Sarangerel Jargal", "F", "Saruul Jargal"),
]
for i, (c, l, s, sib) in enumerate(cx):
    y = 1962 + i * 2
    d = "%d-1%d-1%d" % (y, i % 3, i % 9)
    a, b = (c, l) if i % 2 else (l, c)
    add("cross_script_mn", "cross_script_mn", a, s, d, b, s, d if i % 3 else str(y), "1")
    neg("cross_script_mn", i, c, sib, s, d)

# --- Khmer against Latin, irregular romanisation -------------------------
kl = [  # Khmer, Latin as typed, sex, sibling Latin
    ("ញឹម បញ្ញា", "Gnim Pagna", "M", "Gnim Pagnarith"),
    ("ញឹម សុផល", "Nyim Sophal", "M", "Nyim Sopheap"),
    ("សេង ពៅ", "Seng Pau", "F", "Seng Pich"),
    ("ម៉ៅ សុភា", "Mau Sophea", "F", "Mau Sophy"),
    ("លៀង ដារ៉ា", "Lieung Dara", "M", "Lieung Dary"),
    ("វៀង ស្រីនាង", "Vieng Sreyneang", "F", "Vieng Sreynich"),
    ("ចាន់ ញ៉ាញ់", "Chan Nhanh", "F", "Chan Nhean"),
    ("កែវ បញ្ញា", "Keo Panha", "M", "Keo Panharith"),
    ("ម៉ៅ រិទ្ធ", "Mov Rith", "M", "Mov Rithy"),
    ("ស៊ៀង សំណាង", "Sieng Samnang", "M", "Sieng Samnam"),
    ("ពៅ ចន្ធា", "Pao Chantha", "F", "Pao Chanthy"),
    ("ញឹក សុខា", "Nhoek Sokha", "M", "Nhoek Sokhom"),
    ("លី ស្រីពៅ", "Ly Sreypau", "F", "Ly Sreypich"),
    ("ហេង វៀត", "Heng Vieut", "M", "Heng Vuthy"),
    ("ជា ចៅ", "Chea Chav", "M", "Chea Chan"),
    ("ទេព ញាណ", "Tep Gnean", "M", "Tep Gnoy"),
]
for i, (k, l, s, sib) in enumerate(kl):
    y = 1968 + i * 2
    d = "%d-0%d-0%d" % (y, 1 + i % 9, 1 + i % 8)
    a, b = (k, l) if i % 2 else (l, k)
    add("khmer_latin_irregular", "khmer_latin_irregular", a, s, d, b, s, d if i % 3 else str(y), "1")
    neg("khmer_latin_irregular", i, k, sib, s, d)

# --- two forms at once, with a year only or another village --------------
cb = [
    ("លោក សុខស្រី មុំ", "សុខ ស្រីមុំ", "F", "សុខ ស្រីនាង"),
    ("អ្នកស្រីកែវសុ ភា", "កែវ សុភា", "F", "កែវ សុភី"),
    ("លោក ចាន់វិ ចិត្រ", "ចាន់ វិចិត្រ", "M", "ចាន់ វិបុល"),
    ("ноён Болдын Батбаяр", "Bold Batbaiar", "M", "Bold Batzorig"),
    ("Бямбын Оюунчимэг", "Oyunchimeg Byamba", "F", "Oyuntuya Byamba"),
    ("Lhagvyn Ganbat", "Лхагва Ганбат", "M", "Лхагва Ганболд"),
    ("Mr Gnim Pagna", "ញឹម បញ្ញា", "M", "ញឹម បញ្ញារិទ្ធ"),
    ("Lok Mau Sophea", "ម៉ៅ សុភា", "M", "ម៉ៅ សុភី"),
    ("хатагтай Цэцэг Содномын", "Ceceg Sodnom", "F", "Tsetsgee Sodnom"),
    ("Suhbaataryn Dorj", "Сүхбаатар Дорж", "M", "Сүхбат Дорж"),
    ("លោកស្រី ញឹមស្រី ពៅ", "Nhim Sreypov", "F", "Nhim Sreypich"),
    ("Дулмаагийн Нарантуяа", "Narantuya Dulmaa", "F", "Narantsetseg Dulmaa"),
    ("Mrs. Vieng Sreyneang", "វៀង ស្រីនាង", "F", "វៀង ស្រីនិច"),
    ("Гомбын Тэмүүлэн", "Temulen Gombo", "M", "Temuujin Gombo"),
    ("លោក ហេងដា រ៉ា", "Heng Dara", "M", "Heng Dary"),
    ("Tömör Ochiryn", "Төмөр Очир", "M", "Тэмүүлэн Очир"),
]
for i, (a, b, s, sib) in enumerate(cb):
    y = 1955 + i * 3
    d = "%d-0%d-1%d" % (y, 1 + i % 9, i % 9)
    add("combined", "combined", a, s, d, b, s, str(y + (i % 2)), "1", "V101",
        "V104" if i % 2 == 0 else "V101")
    neg("combined", i, a, sib, s, d)

w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["pair", "name_a", "sex_a", "born_a", "area_a", "nid_a", "name_b",
            "sex_b", "born_b", "area_b", "nid_b", "same", "kind", "form"])
for i, r in enumerate(rows):
    w.writerow([i + 1] + r)
