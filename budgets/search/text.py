"""How names become search tokens and typed words become queries, the same on both databases.

Chinese has no spaces, and the words people type are mostly two characters (接待, 车辆, 人防):
a name is indexed as its overlapping character pairs (公务接待费 → 公务 务接 接待 待费, plus its last
character alone so that one character finds it too), and a typed word of n characters must
find its n−1 pairs one after the other: a phrase, which is exactly "the name contains the
word". Punctuation and spaces are dropped on both sides (因公出国（境）费 is found by 出国境费).
Places also carry their pinyin, whole and as initials (高邑县: gaoyixian, gyx), matched as a
prefix (gaoyi). A short list of synonyms (budgets/data/synonyms.csv) turns a word into the
words disclosures print for it (人防 → 人民防空).

`Term` is one typed word with its variants; `Query` is the words that must all match, each by
any of its variants, written as an FTS5 query for SQLite and a tsquery for PostgreSQL, and also
evaluated in Python over an entry's tokens (the page sorts places without asking again).
"""

import csv
import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pypinyin import Style, pinyin

SYNONYMS_PATH = Path(__file__).resolve().parent.parent / "data" / "synonyms.csv"
# What is dropped from names and words: everything but letters and digits of any script.
_NOT_WORD = re.compile(r"[\W_]+")
_LATIN = re.compile(r"^[a-z]+$")
# A polyphonic place name gives one pinyin per reading (长治 changzhi, zhangzhi), up to this many.
MAX_READINGS = 8
# Variants of one typed word, the word itself first.
MAX_VARIANTS = 12
# Years a typed number is taken for (BudgetYear's check constraint).
YEARS = range(1990, 2101)


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, nothing but letters and digits: （境） → 境."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text or "").lower())


def grams(text: str) -> list[str]:
    """The tokens of a name: its character pairs in order and its last character."""
    text = normalize(text)
    if not text:
        return []
    return [text[i : i + 2] for i in range(len(text) - 1)] + [text[-1]]


def readings(name: str) -> list[str]:
    """Pinyin of a place name, whole and as initials, for each reading: 高邑县 → gaoyixian, gyx."""
    syllables = pinyin(normalize(name), style=Style.NORMAL, heteronym=True, errors="ignore")
    found = []
    for combination in itertools.islice(itertools.product(*syllables), MAX_READINGS):
        for word in ("".join(combination), "".join(s[0] for s in combination if s)):
            word = normalize(word)
            if word and word not in found:
                found.append(word)
    return found


def document(*names: str, pinyin_of: tuple[str, ...] = ()) -> str:
    """The tokens column of an entry: the grams of each name, then the readings of `pinyin_of`.
    A pair never spans two names, so a phrase never matches across them."""
    tokens = [token for name in names for token in grams(name)]
    tokens += [reading for name in pinyin_of for reading in readings(name)]
    return " ".join(tokens)


@cache
def _synonym_groups() -> tuple[tuple[str, ...], ...]:
    with SYNONYMS_PATH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    return tuple(tuple(normalize(word) for word in row if normalize(word)) for row in rows if row)


def variants(word: str) -> list[str]:
    """The word and what the synonym list says for it, also inside a longer word:
    人防 → 人民防空; 高邑县政府办 → 高邑县人民政府办公室."""
    found = [word]
    for group in _synonym_groups():
        for same in group:
            if same in word:
                for other in group:
                    if other != same and word.replace(same, other) not in found:
                        found.append(word.replace(same, other))
    return found[:MAX_VARIANTS]


@dataclass(frozen=True)
class Term:
    """One typed word: as typed, normalized, and its variants."""

    typed: str
    word: str
    variants: tuple[str, ...]

    @classmethod
    def of(cls, typed: str) -> "Term":
        word = normalize(typed)
        return cls(typed, word, tuple(variants(word)))

    @property
    def year(self) -> int | None:
        """A four-digit year is where, not what: 高邑 接待 2022."""
        return (
            int(self.word)
            if len(self.word) == 4 and self.word.isdigit() and int(self.word) in YEARS
            else None
        )

    @property
    def digits(self) -> bool:
        """Digits also begin a classification code (208, 2080501)."""
        return self.word.isdigit()

    @property
    def latin(self) -> bool:
        """Latin letters are also pinyin of a place name (gaoyi, gyx)."""
        return bool(_LATIN.match(self.word))

    def alternatives(self):
        """(kind, tokens): each way the word can be found — a phrase of pairs, one character as
        a prefix, Latin letters as the prefix of a pinyin reading."""
        for variant in self.variants:
            if len(variant) == 1:
                yield "prefix", (variant,)
            else:
                yield "phrase", tuple(variant[i : i + 2] for i in range(len(variant) - 1))
        if self.latin and len(self.word) > 2:
            yield "prefix", (self.word,)

    def found_in(self, tokens: list[str]) -> bool:
        """Whether an entry's tokens hold the word: what the databases answer, in Python."""
        for kind, parts in self.alternatives():
            if kind == "prefix":
                if any(token.startswith(parts[0]) for token in tokens):
                    return True
            elif any(tokens[i : i + len(parts)] == list(parts) for i in range(len(tokens))):
                return True
        return False


def terms_of(query: str, limit: int = 8) -> list[Term]:
    """The words of a typed query, each once, without those that hold no letter or digit."""
    terms, seen = [], set()
    for typed in query.split():
        term = Term.of(typed)
        if term.word and term.word not in seen:
            seen.add(term.word)
            terms.append(term)
    return terms[:limit]


def fts5(terms) -> str:
    """An FTS5 MATCH expression: every term, each by any of its alternatives."""

    def alternative(kind, parts):
        return f'"{parts[0]}"*' if kind == "prefix" else '"' + " ".join(parts) + '"'

    return " AND ".join(
        "(" + " OR ".join(alternative(*a) for a in term.alternatives()) + ")" for term in terms
    )


def tsquery(terms) -> str:
    """A PostgreSQL tsquery: pairs in a row joined by <->, a prefix as :*."""

    def alternative(kind, parts):
        if kind == "prefix":
            return f"'{parts[0]}':*"
        return "(" + " <-> ".join(f"'{part}'" for part in parts) + ")"

    return " & ".join("(" + " | ".join(alternative(*a) for a in term.alternatives()) + ")" for term in terms)


def similar_query(term: Term) -> list[Term]:
    """Terms for names that share a pair of characters with a word that found nothing: the
    pairs of the word as alternatives of one term (any of them)."""
    pairs = sorted({term.word[i : i + 2] for i in range(len(term.word) - 1)}) or [term.word]
    return [Term(term.typed, term.word, tuple(pairs))]


def likeness(word: str, text: str) -> float:
    """How many of the word's pairs the text holds, as a share: ranks the suggestions."""
    pairs = {word[i : i + 2] for i in range(len(word) - 1)} or {word}
    held = set(grams(text))
    return len(pairs & held) / len(pairs)
