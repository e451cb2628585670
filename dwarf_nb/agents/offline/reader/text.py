"""Sentences and tokens of a requirements text, with offsets into the original text.

Sentences do not depend on line wrapping: a line break inside a paragraph is a space,
while a blank line, a bullet or a "Label:" line starts a new sentence. Tokens keep the
characters they came from, so every fact can point at its exact span and quote the
whole sentence around it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import data, lemma

# Digits with thousands commas and a decimal part; words (with inner hyphens or
# apostrophes split off later); currency and other single symbols.
_TOKEN = re.compile(r"[0-9]+(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|[A-Za-z][A-Za-z]*(?:['’][a-z]+)?|[^\sA-Za-z0-9]")
_BREAK = re.compile(r"\n[ \t]*\n|\n[ \t]*(?=[-*•·▪‣–]\s|\d{1,2}[.)]\s|[A-Z][A-Za-z /&-]{1,30}:\s)")
# End of sentence: . ! ? followed by space (or end) - not inside "1.5", "e.g." or "Dr.".
_END = re.compile(r"[.!?]+[)\"'’”]*(?=\s|$)")
_ABBREV = frozenset("e.g i.e etc vs approx ca dr mr mrs ms st no nr fig incl esp resp min max avg sec hrs mins p.a".split())


@dataclass(slots=True)
class Token:
    text: str
    low: str
    start: int
    end: int
    kind: str  # num | word | sym
    lemma: str = ""
    glued: bool = False  # no space before this token ("5k", "400KB", "$15")


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str  # the sentence as written, line breaks turned into spaces
    tokens: list[Token] = field(default_factory=list)

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def evidence(self) -> str:
        """The whole sentence, whitespace tidied, as a quote for a fact."""
        return " ".join(self.text.split())


def tokens_of(text: str, offset: int) -> list[Token]:
    out: list[Token] = []
    prev_end = -1
    for m in _TOKEN.finditer(text):
        s = m.group(0)
        c = s[0]
        kind = "num" if "0" <= c <= "9" else "word" if c.isalpha() else "sym"
        low = s.lower()
        out.append(Token(s, low, offset + m.start(), offset + m.end(), kind,
                         lemma(low) if kind == "word" else low, glued=m.start() == prev_end))
        prev_end = m.end()
    return out


def _pieces(text: str) -> list[tuple[int, int]]:
    """Paragraph-like pieces: split at blank lines, bullets and label lines."""
    spans, start = [], 0
    for m in _BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, s = [], start
    for m in _END.finditer(text, start, end):
        before = text[max(s, m.start() - 6): m.start()].split()
        word = before[-1].lower().strip("(") if before else ""
        if m.group(0) == "." and (word in _ABBREV or (len(word) == 1 and word.isalpha())):
            continue
        out.append((s, m.end()))
        s = m.end()
    out.append((s, end))
    return [piece for span in out for piece in _bounded(text, *span)]


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """`start:end` in pieces no longer than the longest sentence: cut at the last comma or
    semicolon inside the limit, else at the last space, else where the limit falls."""
    longest = data()["sentences"]["longest"]
    out = []
    while end - start > longest:
        window = text[start:start + longest]
        cut = max(window.rfind(", "), window.rfind("; "))
        cut = cut + 1 if cut > 0 else window.rfind(" ")
        cut = start + (cut if cut > 0 else longest)
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


@lru_cache(maxsize=2)
def sentences(text: str) -> tuple[Sentence, ...]:
    """The sentences of `text`, in order, each with its tokens (kept for the last two texts:
    the reader and the planner ask for the same text's sentences more than once)."""
    out: list[Sentence] = []
    flat = text.replace("\r", " ").replace("\t", " ")
    for ps, pe in _pieces(flat):
        for s, e in _split(flat, ps, pe):
            chunk = flat[s:e]
            lead = len(chunk) - len(chunk.lstrip())
            body = chunk.strip()
            if not body or not any(ch.isalnum() for ch in body):
                continue
            body = body.replace("\n", " ")
            st = s + lead
            out.append(Sentence(len(out), st, st + len(body), body, tokens_of(body, st)))
    return tuple(out)


def sentence_at(text: str, pos: int) -> Sentence | None:
    """The sentence holding character `pos` (or the first after it)."""
    found = sentences(text)
    k = bisect_right([s.end for s in found], pos)
    return found[k] if k < len(found) else None


@lru_cache(maxsize=1024)
def _phrases_re(phrases: tuple[str, ...]) -> re.Pattern:
    alts = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(r"(?<![a-z0-9])(?:" + alts + r")(?![a-z0-9])")


@lru_cache(maxsize=1024)
def _first_words(phrases: tuple[str, ...]) -> frozenset:
    return frozenset(re.split(r"[^a-z0-9]+", p.lower().strip())[0] for p in phrases)


def find(phrases, low: str) -> "re.Match | None":
    """The first of `phrases` in the lower-case text `low`, as whole words (longest phrase first at a place).

    Texts in which no phrase's first word occurs are answered without running the pattern."""
    key = tuple(phrases)
    if not key:
        return None
    firsts = _first_words(key)
    if "" not in firsts and firsts.isdisjoint(re.split(r"[^a-z0-9]+", low)):
        return None
    return _phrases_re(key).search(low)


def has(low: str, phrases) -> "str | None":
    """The phrase of `phrases` that occurs first in `low` as whole words, or None."""
    m = find(phrases, low)
    return m.group(0) if m else None
