"""Text normalisation shared by header matching and unit resolution."""
from __future__ import annotations

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


def fold(text: object) -> str:
    """Lower case, no diacritics (đ -> d), punctuation to spaces, single spaces, stripped."""
    if text is None:
        return ""
    return _fold(str(text))


@functools.lru_cache(maxsize=1 << 14)
def _fold(text: str) -> str:
    # Cached: a header search folds the same cells once per kind of file, a load the same
    # few hundred unit spellings and values again and again.
    s = text.replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = _PUNCT.sub(" ", s.lower())
    return _SPACES.sub(" ", s).strip()


# Leading words that do not distinguish one unit from another in exports:
# "UBND xã Phước Hậu", "Xã Phước Hậu", "UBND TT Phước Dân", "Ủy ban nhân dân thị trấn Phước Dân".
_UNIT_PREFIXES = ("uy ban nhan dan", "ubnd", "thi tran", "tt", "xa", "phuong")


def unit_key(text: object) -> str:
    """The key an export's unit spelling is matched on."""
    s = fold(text)
    changed = True
    while changed:
        changed = False
        for p in _UNIT_PREFIXES:
            if s.startswith(p + " "):
                s = s[len(p) + 1:]
                changed = True
    return s


def vn_int(n: int) -> str:
    """1234567 -> '1.234.567' (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")
