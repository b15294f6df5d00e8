"""An article's sentences, paragraphs and headings, as spans of its text (quotes stay verbatim)."""
from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? (and their Arabic and Chinese forms) followed by a space or the line's end,
# never inside a number ("2.5", "2,75").
_END = re.compile(r"(?<=[.!?؟。！？；])(?=\s|$)|(?<=[。！？；])")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int
    heading: bool      # a short line of its own without a final stop: a title or a section heading
    index: int


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    pos = 0
    for p, line in enumerate(text.split("\n")):
        stripped = line.strip()
        if stripped:
            heading = len(stripped.split()) <= 14 and stripped[-1] not in ".!?؟。！？:;،,\"”»)" and len(stripped) < 140
            cut = pos
            for m in list(_END.finditer(line)) + [None]:
                end = pos + (m.start() if m else len(line))
                seg = text[cut:end]
                if seg.strip():
                    lead = len(seg) - len(seg.lstrip())
                    s, e = cut + lead, cut + len(seg.rstrip())
                    out.append(Sentence(s, e, p, heading, len(out)))
                cut = end
        pos += len(line) + 1
    return out
