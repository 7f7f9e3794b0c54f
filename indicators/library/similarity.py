"""How alike two Chinese texts are, offline: cosine similarity of their
character bigrams. Project names and 资金用途 are short and full of the
same two-character words (参保, 经办, 培训), which bigrams catch without a
segmenter or its dictionary (none to ship or keep up to date)."""

import math
import re
from collections import Counter

_NOT_WORD = re.compile(r"[\W_]+")


def grams(text: str) -> Counter:
    """The character bigrams of a text, punctuation and spaces dropped; a
    text of one character is its own gram."""
    letters = _NOT_WORD.sub("", text or "")
    if len(letters) < 2:
        return Counter([letters] if letters else [])
    return Counter(letters[i : i + 2] for i in range(len(letters) - 1))


def similarity(a: Counter, b: Counter) -> float:
    """0 (nothing shared) to 1 (the same bigrams as often)."""
    if not a or not b:
        return 0.0
    shared = sum(count * b[gram] for gram, count in a.items() if gram in b)
    if not shared:
        return 0.0
    norm = math.sqrt(sum(c * c for c in a.values()) * sum(c * c for c in b.values()))
    return shared / norm


def likeness(wanted: frozenset, text: str) -> float:
    """How alike a text is to a set of bigrams (0 to 1), each bigram
    counted once: cheaper than `similarity` where a thousand texts are
    ranked against one project."""
    letters = _NOT_WORD.sub("", text or "")
    count = len(letters) - 1
    if count < 1 or not wanted:
        return 0.0
    shared = sum(1 for i in range(count) if letters[i : i + 2] in wanted)
    return shared / math.sqrt(count * len(wanted))
