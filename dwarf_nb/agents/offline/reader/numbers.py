"""Numbers in a sentence, however they are written: '1,500', '2.5k', '5B', '$15', '99.9%',
'two hundred thousand', 'a couple of million', 'tens of thousands', 'one in five', 'twice'.

`numbers_in(sentence)` returns `Num`s with their value, the tokens and characters they
cover, and their form (count, percent, money, share, times). What a number counts is the
next stage's business (`quantities`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .lexicon import data, numbers, units
from .text import Sentence, Token

_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}
_GLUED_SCALE = {"k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9}
# "tens of thousands": a vague count as an engineer would size it.
_VAGUE = {"ten": 30, "dozen": 36, "hundred": 300, "thousand": 3_000, "million": 3_000_000, "billion": 3_000_000_000}


@dataclass
class Num:
    value: float
    i: int  # first token
    j: int  # one past the last token
    start: int
    end: int
    form: str = "count"  # count | percent | money | share | times
    currency: Optional[str] = None
    low: Optional[float] = None  # the lower end of a range ("3-5", "10 to 20")
    vague: bool = False
    tags_noun: Optional[int] = None  # token of the noun inside "one post in ten"
    implied: bool = False  # "every minute": a one the text leaves unsaid
    capped: bool = False  # past the largest figure taken as written, and cut down to it

    def text(self, sentence: Sentence) -> str:
        return sentence.text[self.start - sentence.start: self.end - sentence.start]


def _digits(tok: Token) -> float:
    return float(tok.text.replace(",", ""))


def _scale_after(toks: list[Token], k: int) -> tuple[float, int]:
    """A scale word at token k ('million', glued 'k'), as (factor, tokens used)."""
    if k >= len(toks) or toks[k].kind != "word":
        return 1.0, 0
    low = toks[k].low
    scales = numbers()[1]
    if toks[k].glued and low in _GLUED_SCALE:
        # "5m users" is five million; "5m" before a time word would be minutes, read elsewhere.
        return _GLUED_SCALE[low], 1
    if low in scales and low not in ("k", "m", "b", "mn", "bn") or (low in ("k", "bn", "mn") and not toks[k].glued):
        factor = scales[low]
        used = 1
        # "1.5 hundred thousand" is rare; "two hundred thousand" is handled by the word reader.
        if k + 1 < len(toks) and toks[k + 1].low in scales and scales[toks[k + 1].low] > factor and toks[k + 1].low not in ("k", "m", "b"):
            factor *= scales[toks[k + 1].low]
            used = 2
        return factor, used
    return 1.0, 0


def _word_number(toks: list[Token], i: int) -> Optional[tuple[float, int, bool]]:
    """A number written in words starting at token i: (value, tokens used, vague)."""
    words, scales, _ = numbers()
    k = i
    low = toks[k].low
    # "tens of thousands", "hundreds of millions", "thousands of"
    if low in ("tens", "dozens", "hundreds", "thousands", "millions", "billions"):
        base = _VAGUE[low[:-1]]
        if k + 2 < len(toks) and toks[k + 1].low == "of" and toks[k + 2].low in ("thousands", "millions", "billions"):
            return _VAGUE[low[:-1]] / 3 * _VAGUE[toks[k + 2].low[:-1]], 3, True
        if k + 1 < len(toks) and toks[k + 1].low == "of":
            return float(base), 2, True
        return None
    if low in ("a", "an"):
        if k + 1 >= len(toks):
            return None
        nxt = toks[k + 1].low
        if nxt in ("couple", "few", "handful"):
            used = 3 if k + 2 < len(toks) and toks[k + 2].low == "of" else 2
            value, vague = float(words[nxt]), True
            return _scaled(toks, k + used, value, used, vague)
        if nxt in ("dozen", "hundred", "thousand", "million", "billion"):
            return _compose(toks, k + 1, 1.0, 1)
        if nxt == "half" and k + 2 < len(toks) and toks[k + 2].low in ("million", "billion", "thousand", "dozen"):
            return 0.5 * float(scales.get(toks[k + 2].low) or words[toks[k + 2].low]), 3, False
        return None
    if low == "half" and k + 2 < len(toks) and toks[k + 1].low in ("a", "an") and toks[k + 2].low in ("million", "billion", "thousand", "dozen"):
        return 0.5 * float(scales.get(toks[k + 2].low) or words[toks[k + 2].low]), 3, False
    if low not in words or low in ("once", "twice", "thrice"):
        return None
    # "one-off", "one-time", "two-factor": a word, not a number
    if k + 2 < len(toks) and toks[k + 1].text == "-" and toks[k + 1].glued and toks[k + 2].low not in words and toks[k + 2].low not in scales:
        return None
    if low in ("few", "several", "couple", "handful"):
        used = 2 if k + 1 < len(toks) and toks[k + 1].low == "of" else 1
        return _scaled(toks, k + used, float(words[low]), used, True)
    return _compose(toks, k, 0.0, 0)


def _compose(toks: list[Token], k: int, current: float, used: int) -> tuple[float, int, bool]:
    """'three hundred and fifty thousand', 'two million four hundred thousand', 'twenty-five'."""
    words, scales, _ = numbers()
    total = 0.0
    i = k
    last_ok = k
    while i < len(toks):
        t = toks[i].low
        if t in words and t not in ("once", "twice", "thrice", "few", "several", "couple", "handful") and words[t] < 100 and t != "dozen":
            current += words[t]
        elif t == "dozen":
            current = (current or 1) * 12
        elif t == "hundred":
            current = (current or 1) * 100
        elif t in ("thousand", "million", "billion", "trillion"):
            total += (current or 1) * scales[t]
            current = 0.0
        elif t == "-" and toks[i].glued and i + 1 < len(toks) and toks[i + 1].low in words and i > k:
            i += 1
            continue
        elif t == "and" and i > k and i + 1 < len(toks) and (toks[i + 1].low in words or toks[i + 1].low == "a"):
            if toks[i + 1].low == "a" and i + 2 < len(toks) and toks[i + 2].low == "half":
                current += 0.5 if current else 0
                total = total * 1.5 if not current and total else total
                i += 3
                last_ok = i
                continue
            i += 1
            continue
        else:
            break
        i += 1
        last_ok = i
    value = total + current
    return value, used + (last_ok - k), False


def _scaled(toks: list[Token], k: int, value: float, used: int, vague: bool) -> tuple[float, int, bool]:
    """'a few hundred', 'several thousand', 'a couple of million'."""
    _, scales, _ = numbers()
    while k < len(toks) and toks[k].low in ("hundred", "thousand", "million", "billion"):
        value *= scales[toks[k].low]
        k += 1
        used += 1
    return value, used, vague


def numbers_in(s: Sentence) -> list[Num]:
    """Every number of the sentence, left to right."""
    toks = s.tokens
    words, scales, fractions = numbers()
    out: list[Num] = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        num: Optional[Num] = None
        if t.kind == "num":
            value = _digits(t)
            factor, used = _scale_after(toks, i + 1)
            j = i + 1 + used
            num = Num(value * factor, i, j, t.start, toks[j - 1].end)
            # "3-5 days", "10 to 20 requests": a range, sized at its upper end.
            if j + 1 < n and toks[j].text in ("-", "–") and toks[j + 1].kind == "num" and toks[j].glued and toks[j + 1].glued:
                hi = _digits(toks[j + 1])
                f2, u2 = _scale_after(toks, j + 2)
                num = Num(hi * (f2 if u2 else factor), i, j + 2 + u2, t.start, toks[j + 1 + u2].end, low=num.value)
            elif j + 1 < n and toks[j].low == "to" and toks[j + 1].kind == "num" and (i == 0 or toks[i - 1].low not in ("from",)):
                hi = _digits(toks[j + 1])
                f2, u2 = _scale_after(toks, j + 2)
                if hi * (f2 if u2 else factor) > num.value:
                    num = Num(hi * (f2 if u2 else factor), i, j + 2 + u2, t.start, toks[j + 1 + u2].end, low=num.value)
            if i > 0 and toks[i - 1].text in _CURRENCY_SYMBOLS:
                num.form, num.currency, num.start, num.i = "money", _CURRENCY_SYMBOLS[toks[i - 1].text], toks[i - 1].start, i - 1
        elif t.kind == "word" and t.low in ("second", "minute", "hour") and i > 0 and toks[i - 1].low in ("every", "each"):
            # "reports every minute": an interval of one unit, the number left unsaid (it takes no tokens)
            num = Num(1.0, i, i, t.start, t.end, implied=True)
        elif t.kind == "word" and t.low in ("once", "twice", "thrice"):
            num = Num(float(words[t.low]), i, i + 1, t.start, t.end, form="times")
        elif t.kind == "word":
            # "one in five", "1 in 8" are read below as shares; here the plain word numbers.
            got = _word_number(toks, i)
            if got is not None:
                value, used, vague = got
                num = Num(value, i, i + used, t.start, toks[i + used - 1].end, vague=vague)
            elif t.low in fractions or (t.low.endswith("s") and t.low[:-1] in fractions):
                num = _fraction(toks, i, fractions)
        if num is None:
            i += 1
            continue
        largest = data()["numbers"]["limits"]["largest"]
        if not num.value <= largest:  # also catches inf and nan
            num.value, num.vague, num.capped = largest, True, True
        _form(num, toks, words)
        out.append(num)
        i = max(num.j, i + 1)
    return out


def _fraction(toks: list[Token], i: int, fractions: dict) -> Optional[Num]:
    """'half', 'a third', 'two thirds of' as a share; a bare 'half' only before 'of' or 'the'."""
    t = toks[i]
    base = fractions.get(t.low) or fractions[t.low[:-1]]
    if i + 1 < len(toks) and toks[i + 1].low in ("of", "the", "their", "our", "its", "all", "them"):
        return Num(base, i, i + 1, t.start, t.end, form="share")
    return None


def _form(num: Num, toks: list[Token], words: dict) -> None:
    """Percent, money, shares ('one in five', 'a third of', 'two thirds'), times ('3 times a day')."""
    n = len(toks)
    j = num.j
    if num.form == "count" and j < n:
        nxt = toks[j].low
        if nxt == "%" or (nxt == "percent") or (nxt == "per" and j + 1 < n and toks[j + 1].low == "cent"):
            num.form = "percent"
            extra = 2 if nxt == "per" else 1
            num.j, num.end = j + extra, toks[j + extra - 1].end
            return
        money = units()["money"]
        if nxt in money and nxt not in ("$", "€", "£") or (toks[j].text in _CURRENCY_SYMBOLS and toks[j].glued):
            num.form, num.currency = "money", money.get(nxt) or _CURRENCY_SYMBOLS[toks[j].text]
            num.j, num.end = j + 1, toks[j].end
            return
        if nxt.endswith("s") and nxt[:-1] in money and nxt[:-1] not in ("$",):
            num.form, num.currency = "money", money[nxt[:-1]]
            num.j, num.end = j + 1, toks[j].end
            return
        # "one in five", "1 in 8", "one out of ten": a share
        if nxt in ("in", "out") and num.value == 1:
            k = j + (2 if nxt == "out" and j + 1 < n and toks[j + 1].low == "of" else 1)
            if nxt == "in" or k == j + 2:
                of = _count_at(toks, k, words)
                if of:
                    num.form, num.value = "share", 1.0 / of[0]
                    num.j, num.end = k + of[1], toks[k + of[1] - 1].end
                    return
        # "one post in ten carries ...": the share names its noun in the middle
        if num.value == 1 and toks[j].kind == "word" and j + 2 < n and toks[j + 1].low == "in":
            of = _count_at(toks, j + 2, words)
            if of and of[0] > 1:
                num.form, num.value = "share", 1.0 / of[0]
                num.tags_noun = j
                num.j, num.end = j + 2 + of[1], toks[j + 1 + of[1]].end
                return
        if nxt in ("time", "times") and num.value < 1000:
            num.form = "times"
            num.j, num.end = j + 1, toks[j].end
            return
    if num.form == "count" and num.i > 0 and num.value in (1, 2, 3) and j < n:
        # "two thirds of", "three quarters of"
        nxt = toks[j].low
        fr = numbers()[2]
        if nxt in fr or (nxt.endswith("s") and nxt[:-1] in fr):
            num.form, num.value = "share", num.value * (fr.get(nxt) or fr[nxt[:-1]])
            num.j, num.end = j + 1, toks[j].end
    elif num.form == "count" and j < n and num.value in (1, 2, 3):
        nxt = toks[j].low
        fr = numbers()[2]
        if nxt in fr or (nxt.endswith("s") and nxt[:-1] in fr):
            num.form, num.value = "share", num.value * (fr.get(nxt) or fr[nxt[:-1]])
            num.j, num.end = j + 1, toks[j].end
    if num.form == "count" and num.i > 0 and toks[num.i - 1].low in ("a", "one") and num.value in (3, 4, 5, 10):
        pass


def _count_at(toks: list[Token], k: int, words: dict) -> Optional[tuple[float, int]]:
    if k >= len(toks):
        return None
    t = toks[k]
    if t.kind == "num":
        f, u = _scale_after(toks, k + 1)
        return _digits(t) * f, 1 + u
    got = _word_number(toks, k)
    if got:
        return got[0], got[1]
    return None
