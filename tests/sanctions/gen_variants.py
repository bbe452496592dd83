#!/usr/bin/env python3
"""Builds tests/sanctions/variants.tsv: the widened evaluation set (issue 13), from OFAC's
sdn.csv (../shared/data/ofac/).

Independent of the matcher: the spellings below come from how names are really written
(BGN/PCGN, ISO 9, passport and press spellings of the same names), not from
src/sanctions/matcher.rs's folding, so a test on them is not the matcher checking itself.

Rows: split<TAB>kind<TAB>uids<TAB>donor kind<TAB>first_name<TAB>last_name
  split   `dev` (about two thirds: tune on these) or `held` (the rest, by a hash of the uid:
          never look at its failures while tuning; report it apart)
  uids    the entries whose name (primary or alias) the variant was made from: an entry with
          the very same name counts as the right answer
  donor   `individual` (first_name + last_name) or `organization` (the name in last_name)
Kinds, individuals: order (Given + Last), reversed (surname in first_name), no_middle (first
given name only), caps_punct (case, hyphens and apostrophes, diacritics), translit (one
transliteration change), translit2 (two), typo (one edit: substitution, deletion, insertion,
transposition), alias (an a.k.a. name of two tokens or more), combo (no_middle + translit +
case), extra_given (a middle name the entry lacks). Entities: ent_name, ent_nosuffix (legal form dropped), ent_suffix (legal form written
another way), ent_punct, ent_alias, ent_typo.
Deterministic (sha256 of the uid and the kind). Negatives are not committed: the eval reads
real FEC names at test time.
"""
import csv, hashlib, os, re, sys, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SDN = os.path.join(HERE, "..", "..", "..", "shared", "data", "ofac", "sdn-2024-05-03.csv")


def h(*parts):
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:12], 16)


def rows():
    with open(SDN, encoding="latin-1", newline="") as f:
        for r in csv.reader(f):
            if len(r) >= 4:
                yield [c.strip() for c in r]


def aliases(remarks):
    """`a.k.a. 'X'` / `a.k.a. "X"`: the closing quote is one not followed by a letter."""
    out = []
    for m in re.finditer(r"\b[afn]\.k\.a\. (['\"])", remarks):
        q = m.group(1)
        rest = remarks[m.end():]
        for i, c in enumerate(rest):
            if c == q and not (i + 1 < len(rest) and rest[i + 1].isalnum()):
                a = rest[:i].strip()
                if a:
                    out.append(a)
                break
    return out


def key(name):
    """Crude identity of a name, to find entries that share it (sorted lower-case words)."""
    return " ".join(sorted(re.findall(r"[a-z0-9]+", name.lower())))


# Whole-name spellings of the same given name (any one may stand for another).
NAME_SETS = [
    ["Yevgeniy", "Evgeny", "Evgeniy", "Yevgeny", "Evgenii", "Evgenij", "Yevgenii", "Eugene"],
    ["Aleksandr", "Alexander", "Alexandr", "Oleksandr", "Aleksander"],
    ["Mohammad", "Mohammed", "Muhammad", "Mohamed", "Muhammed", "Mohamad", "Mohammod", "Mehmed"],
    ["Aleksey", "Alexey", "Alexei", "Aleksei", "Oleksiy", "Oleksii"],
    ["Sergey", "Sergei", "Serhiy", "Sergiy", "Serhii"],
    ["Dmitry", "Dmitriy", "Dmitri", "Dmitrii", "Dmytro"],
    ["Yuriy", "Yuri", "Yury", "Iurii", "Yurii", "Jurij"],
    ["Andrey", "Andrei", "Andrii", "Andriy"],
    ["Mikhail", "Mihail", "Michail", "Mykhailo"],
    ["Yusuf", "Yousef", "Youssef", "Yousuf", "Jusuf", "Yosef"],
    ["Ahmad", "Ahmed", "Ahmet"],
    ["Husayn", "Hussein", "Husain", "Hussain", "Hosein", "Hossein", "Husein"],
    ["Hasan", "Hassan"],
    ["Umar", "Omar", "Omer"],
    ["Usama", "Osama", "Ousama"],
    ["Yuliya", "Yulia", "Julia", "Iuliia"],
    ["Natalya", "Natalia", "Nataliya"],
    ["Tatyana", "Tatiana", "Tetiana"],
    ["Mariya", "Maria"],
    ["Pyotr", "Petr", "Piotr", "Petro"],
    ["Fyodor", "Fedor", "Fiodor"],
    ["Vyacheslav", "Viacheslav"],
    ["Anatoliy", "Anatoly", "Anatolii", "Anatolij"],
    ["Vitaliy", "Vitaly", "Vitalii"],
    ["Valeriy", "Valery", "Valerii"],
    ["Grigoriy", "Grigory", "Grigorii"],
    ["Nikolay", "Nikolai", "Mykola"],
    ["Gennadiy", "Gennady", "Gennadii"],
    ["Ali", "Aly"],
    ["Abdallah", "Abdullah", "Abdulla"],
    ["Yahya", "Yehia", "Yahia"],
    ["Ibrahim", "Ebrahim", "Ibraheem"],
    ["Mustafa", "Mostafa", "Moustafa"],
    ["Mahmoud", "Mahmud", "Mahmood"],
    ["Khalid", "Khaled", "Halid"],
    ["Ilya", "Ilia", "Ilja"],
    ["Igor", "Ihor"],
    ["Vladimir", "Volodymyr", "Wladimir"],
]

# Letter changes between transliteration systems, both ways: (pattern, replacement).
LETTER_RULES = [
    (r"dzh", "j"), (r"Dzh", "J"), (r"(?<=[a-z])j", "dzh"),
    (r"kh", "h"), (r"Kh", "H"), (r"(?<=[aeiou])h", "kh"),
    (r"ks", "x"), (r"(?<=[a-z])x", "ks"),
    (r"iy\b", "y"), (r"iy\b", "ii"), (r"iy\b", "i"), (r"(?<=[a-z])y\b", "iy"), (r"ii\b", "iy"),
    (r"ou", "u"), (r"(?<=[bcdfghjklmnprstvz])u", "ou"),
    (r"\bYe", "E"), (r"\bE(?=[vl])", "Ye"),
    (r"yu", "iu"), (r"Yu", "Iu"), (r"ya", "ia"), (r"Ya", "Ia"),
    (r"shch", "sch"), (r"shch", "shh"),
    (r"ts", "tz"), (r"ov\b", "off"), (r"ev\b", "eff"),
    (r"zh", "j"), (r"Zh", "J"),
    (r"ey", "ei"), (r"ay\b", "ai"), (r"ai\b", "ay"),
    (r"q", "k"), (r"ph", "f"), (r"(?<=[a-z])w", "v"),
    (r"ee", "i"), (r"oo", "u"), (r"aa", "a"),
    (r"(?<=[a-z])([bdfgklmnprst])\1", r"\1"), (r"(?<=[aeiou])([lmnrst])(?=[aeiou])", r"\1\1"),
]


def name_set_swap(text, seed):
    words = text.split(" ")
    for i, w in enumerate(words):
        for s in NAME_SETS:
            if w.lower() in (x.lower() for x in s):
                others = [x for x in s if x.lower() != w.lower()]
                alt = others[seed % len(others)]
                words[i] = alt.upper() if w.isupper() else alt
                return " ".join(words)
    return None


def letter_change(text, seed, skip=None):
    opts = []
    for n, (pat, rep) in enumerate(LETTER_RULES):
        if n == skip:
            continue
        for m in re.finditer(pat, text):
            opts.append((n, m.start(), m.end(), m.expand(rep) if "\\" in rep else rep))
    if not opts:
        return None, None
    n, a, b, rep = opts[seed % len(opts)]
    return text[:a] + rep + text[b:], n


def translit(given, last, seed, changes=1):
    text = given + "|" + last
    done = 0
    rule = None
    if seed % 3 == 0:
        t = name_set_swap(text.replace("|", " | "), seed)
        if t:
            text = t.replace(" | ", "|")
            done += 1
    while done < changes:
        t, rule = letter_change(text, seed + done * 7, skip=rule)
        if t is None or t == text:
            if done == 0:
                t = name_set_swap(text.replace("|", " | "), seed)
                if t:
                    text = t.replace(" | ", "|")
                    done += 1
                    continue
            break
        text = t
        done += 1
    if done < changes:
        return None
    g, l = text.split("|")
    return g.strip(), l.strip()


KEYBOARD = {c: n for c, n in zip("qwertyuiopasdfghjklzxcvbnm", "wqrtyuoipoafsgfhjkkxzvcbnm")}


def typo(word, seed):
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    if len(letters) < 5:
        return None
    i = letters[1 + seed % (len(letters) - 1)]
    c = word[i]
    op = (seed // 7) % 4
    up = c.isupper()
    if op == 0:  # substitution by a keyboard neighbour
        r = KEYBOARD.get(c.lower(), "e")
        return word[:i] + (r.upper() if up else r) + word[i + 1:]
    if op == 1:  # deletion
        return word[:i] + word[i + 1:]
    if op == 2:  # insertion (doubling)
        return word[:i] + c + word[i:]
    j = i - 1 if i == letters[-1] else i + 1  # transposition
    a, b = sorted((i, j))
    return word[:a] + word[b] + word[a] + word[b + 1:]


DIAC = {"e": "é", "a": "á", "o": "ö", "u": "ü", "i": "í", "c": "ç", "n": "ñ", "s": "š", "z": "ž"}


def caps_punct(given, last, seed):
    g, l = given, last
    style = seed % 4
    if "-" in l or "'" in l or "-" in g:
        sep = [" ", "", "-"][seed % 3]
        l = l.replace("'", "").replace("-", sep) if sep != "-" else l.replace("'", "")
        g = g.replace("-", " ")
    if style == 0:
        g, l = g.lower(), l.lower()
    elif style == 1:
        g, l = g.upper(), l.upper()
    elif style == 2:
        l = l.title()
    else:
        g, l = g.lower(), l.title()
    # a diacritic on one letter of the surname (as the donor's keyboard may put it)
    idx = [i for i, c in enumerate(l) if c.lower() in DIAC]
    if idx:
        i = idx[seed % len(idx)]
        d = DIAC[l[i].lower()]
        l = l[:i] + (d.upper() if l[i].isupper() else d) + l[i + 1:]
    if seed % 5 == 0 and " " in g:
        first, rest = g.split(" ", 1)
        g = first + " " + rest[0] + "."  # middle initial
    return g, l


SUFFIX_WORDS = [
    "LIMITED LIABILITY COMPANY", "LIMITED LIABILITY PARTNERSHIP", "JOINT STOCK COMPANY",
    "OPEN JOINT STOCK COMPANY", "CLOSED JOINT STOCK COMPANY", "PUBLIC JOINT STOCK COMPANY",
    "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU", "AKTSIONERNOE OBSHCHESTVO",
    "CO., LTD.", "CO., LTD", "CO. LTD.", "CO LTD", "CO., LIMITED", "COMPANY LIMITED",
    "L.L.C.", "LLC", "LTD.", "LTD", "LIMITED", "INC.", "INC", "CORPORATION", "CORP.", "CORP",
    "OOO", "OAO", "ZAO", "PAO", "AO", "JSC", "OJSC", "PJSC", "CJSC", "S.A. DE C.V.", "S.A.S.",
    "S.A.", "SA", "GMBH", "FZE", "FZCO", "FZ-LLC", "L.L.P.", "LLP", "PTY", "PTE", "SDN BHD",
    "PLC", "S.R.L.", "SRL", "B.V.", "BV", "AG", "COMPANY",
]
SUFFIX_ALT = {
    "LLC": ["L.L.C.", "Limited Liability Company", "OOO"], "L.L.C.": ["LLC"],
    "LIMITED LIABILITY COMPANY": ["LLC", "OOO", "L.L.C."], "OOO": ["LLC", "Limited Liability Company"],
    "LTD": ["Limited", "Ltd."], "LTD.": ["Limited", "Ltd"], "LIMITED": ["Ltd", "Ltd."],
    "CO., LTD.": ["Company Limited", "Co Ltd"], "CO., LTD": ["Co. Ltd.", "Company Limited"],
    "CO. LTD.": ["Co., Ltd"], "CO LTD": ["Co., Ltd."], "COMPANY LIMITED": ["Co., Ltd."],
    "INC.": ["Inc", "Incorporated"], "INC": ["Inc.", "Incorporated"], "CORPORATION": ["Corp."],
    "CORP.": ["Corporation"], "CORP": ["Corporation"], "JSC": ["Joint Stock Company", "AO"],
    "JOINT STOCK COMPANY": ["JSC", "AO"], "AO": ["JSC"], "OJSC": ["OAO", "Open Joint Stock Company"],
    "OAO": ["OJSC"], "PJSC": ["PAO", "Public Joint Stock Company"], "PAO": ["PJSC"],
    "CJSC": ["ZAO"], "ZAO": ["CJSC"], "AKTSIONERNOE OBSHCHESTVO": ["JSC", "AO"],
    "S.A.": ["SA"], "SA": ["S.A."], "S.A. DE C.V.": ["SA de CV"], "GMBH": ["G.m.b.H."],
    "FZE": ["F.Z.E."], "LLP": ["L.L.P."], "PLC": ["P.L.C."], "COMPANY": ["Co."],
}


def split_suffix(name):
    """(prefix form, core, suffix form) of an entity name, or None without a legal form."""
    up = name.upper()
    for s in SUFFIX_WORDS:
        if up.endswith(" " + s) or up.endswith("," + s) or up.endswith(", " + s):
            core = name[: len(name) - len(s)].rstrip(" ,")
            return ("", core, s)
        if up.startswith(s + " "):
            return (s, name[len(s) + 1:], "")
    return None


def main():
    out = []
    recs = list(rows())
    by_key = {}
    inds, ents = [], []
    for r in recs:
        uid, name, typ = r[0], r[1], r[2]
        if typ not in ("individual", "-0-"):
            continue
        names = [name] + aliases(r[11] if len(r) > 11 else "")
        for n in names:
            by_key.setdefault((typ, key(n)), set()).add(uid)
        eo = "ELECTION-EO13848" in r[3]
        (inds if typ == "individual" else ents).append((uid, name, names[1:], eo))

    def uids(typ, name, uid):
        return ",".join(sorted(by_key.get((typ, key(name)), set()) | {uid}, key=int))

    def emit(kind, uid, typ, src, first, last):
        split = "held" if h("split", uid) % 3 == 0 else "dev"
        donor = "individual" if typ == "individual" else "organization"
        out.append((split, kind, uids(typ, src, uid), donor, first, last))

    for uid, name, als, eo in inds:
        if not (eo or h("sample", uid) % 9 == 0):
            continue
        if "," not in name:
            continue
        last, given = [x.strip() for x in name.split(",", 1)]
        if not last or not given:
            continue
        s = h("seed", uid)
        emit("order", uid, "individual", name, given, last.title())
        emit("reversed", uid, "individual", name, last, given)
        if len(given.split()) > 1:
            emit("no_middle", uid, "individual", name, given.split()[0], last.title())
        g, l = caps_punct(given, last, s)
        emit("caps_punct", uid, "individual", name, g, l)
        t = translit(given.title(), last.title(), s, 1)
        if t:
            emit("translit", uid, "individual", name, t[0], t[1])
        t = translit(given.title(), last.title(), s + 1, 2)
        if t:
            emit("translit2", uid, "individual", name, t[0], t[1])
        words = [last.title(), given.split()[0]]
        which = s % 2
        ty = typo(words[which], s)
        if ty:
            if which == 0:
                emit("typo", uid, "individual", name, given.split()[0], ty)
            else:
                emit("typo", uid, "individual", name, ty, last.title())
        if len(given.split()) == 1:
            # a middle name the list does not give (the donor's form has room for it)
            extra = ["Ivan", "Ali", "Maria", "Jose", "Lee", "Ahmed", "Anne", "Petrovich"][s % 8]
            emit("extra_given", uid, "individual", name, given + " " + extra, last.title())
        t = translit(given.split()[0], last.title(), s + 2, 1)
        if t:
            emit("combo", uid, "individual", name, t[0].lower(), t[1].lower())
        for a in als:
            if len(a.replace(",", " ").split()) < 2 or len(re.findall(r"[A-Za-z]{2,}", a)) < 2:
                continue
            if "," in a:
                al, ag = [x.strip() for x in a.split(",", 1)]
            else:
                parts = a.split()
                ag, al = " ".join(parts[:-1]), parts[-1]
            if not ag.strip() or not al.strip():
                continue
            emit("alias", uid, "individual", a, ag, al.title())

    for uid, name, als, eo in ents:
        if not (eo or h("sample", uid) % 12 == 0):
            continue
        s = h("seed", uid)
        emit("ent_name", uid, "-0-", name, "", name.title())
        sp = split_suffix(name)
        if sp:
            pre, core, suf = sp
            if len(re.findall(r"[A-Za-z0-9]{2,}", core)) >= 1:
                emit("ent_nosuffix", uid, "-0-", name, "", core.title())
                form = pre or suf
                alts = SUFFIX_ALT.get(form)
                if alts:
                    alt = alts[s % len(alts)]
                    # the donor writes the legal form at the end, as U.S. forms do
                    emit("ent_suffix", uid, "-0-", name, "", core.title() + " " + alt)
        p = re.sub(r"[.,'\"()&-]", " ", name)
        p = re.sub(r"\s+", " ", p).strip().lower()
        if p != name.lower():
            emit("ent_punct", uid, "-0-", name, "", p)
        toks = name.split()
        longest = max(range(len(toks)), key=lambda i: len(toks[i]))
        ty = typo(toks[longest], s)
        if ty and len(toks[longest]) >= 6:
            emit("ent_typo", uid, "-0-", name, "", " ".join(toks[:longest] + [ty] + toks[longest + 1:]).title())
        for a in als:
            if len(re.findall(r"[A-Za-z0-9]{2,}", a)) < 2 and len(a) < 8:
                continue
            emit("ent_alias", uid, "-0-", a, "", a)

    path = os.path.join(HERE, "variants.tsv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("# split\tkind\tuids\tdonor\tfirst_name\tlast_name (gen_variants.py, sdn-2024-05-03.csv)\n")
        for row in out:
            f.write("\t".join(row) + "\n")
    print(f"{len(out)} rows -> {path}", file=sys.stderr)


main()
