"""Line breaking for zh-TW text in PDFs: closing punctuation never starts a line.

reportlab's paragraph wrapping knows the Japanese 禁則 list, which lacks the full-width ，：；
Chinese uses; tables built with platypus pre-wrap their cells through :func:`wrap_text` instead
(explicit line breaks), so a 「）」 or 「，」 never lands at the start of a line and an opening
「（」 never ends one. Latin words and numbers (114/09/29, B100000011) are kept whole where possible.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics

from desktop_app.exports.fonts import FontChain

NO_LINE_START = set("。，、：；）」』】〉》！？…‧·．,.:;)]}!?%－—～")
NO_LINE_END = set("（「『【〈《([{")


def _is_word_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "/-_.:+")


def wrap_text(chain: FontChain, text: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points at ``size`` (explicit \\n kept)."""
    out: list[str] = []
    widths: dict[str, float] = {}

    def char_w(char: str) -> float:
        w = widths.get(char)
        if w is None:
            font = chain.font_for(char) or chain.primary
            w = pdfmetrics.stringWidth(char, font.name, size)
            widths[char] = w
        return w

    for para in text.split("\n"):
        start, acc = 0, 0.0
        i = 0
        while i < len(para):
            w = char_w(para[i])
            if acc + w > width and i > start:
                cut = i
                # pull back so the next line does not start with closing punctuation and this
                # one does not end with an opening bracket (at most a few characters)
                for _ in range(4):
                    if cut - 1 > start and (para[cut] in NO_LINE_START or para[cut - 1] in NO_LINE_END):
                        cut -= 1
                    else:
                        break
                # keep a Latin word / number whole when it started on this line
                if _is_word_char(para[cut]) and _is_word_char(para[cut - 1]):
                    j = cut - 1
                    while j > start and _is_word_char(para[j - 1]):
                        j -= 1
                    if j > start:
                        cut = j
                        # the word's line break may leave an opening bracket at the line's end:
                        # 「會議（」 / 「115/09/10 起）」 — the bracket goes down with the word
                        while cut - 1 > start and para[cut - 1] in NO_LINE_END:
                            cut -= 1
                out.append(para[start:cut].rstrip())
                start = cut
                while start < len(para) and para[start] == " ":
                    start += 1
                acc = sum(char_w(c) for c in para[start : i + 1])
                i += 1
                continue
            acc += w
            i += 1
        out.append(para[start:])
    return out
