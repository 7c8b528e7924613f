"""Text that is shown but never spoken: formatting tags, sound labels, speaker labels.

See :mod:`aligner_core.transcripts` for the whole design. Formatting tags (``<i>``,
``<font color=...>``, ``{\\an8}``, :data:`MARKUP_RE`) attach to the word they format like
punctuation and add no units; bracketed sound labels ("[music]", "(laughs)",
:func:`is_sound_label`) and speaker labels at a line's start ("JOHN:") are tokens of their own
with no units (:func:`is_speech` is false for them).
"""

from __future__ import annotations

import re

from ..document import Token

#: Formatting that subtitle files carry inside their text: SRT/VTT tags (``<i>``, ``</i>``,
#: ``<font color="#ff0">``, ``<c.yellow>``, ``<v Roger>``) and ASS override blocks (``{\an8}``,
#: ``{\i1}``). Only these tag names, so "a <b and c> d" in prose is not taken for a tag.
MARKUP_RE = re.compile(
    r"</?(?:[ibus]|ruby|rt|rp)>|</(?:font|span|c|v|lang)>|<(?:font|span)\s[^<>\n]*>|<c(?:\.[\w-]+)*>"
    r"|<(?:v|lang)(?:\.[\w-]+)*\s[^<>\n]+>|\{\\[^{}\n]*\}",
    re.IGNORECASE,
)
# While tokenizing, each tag stands in as one punctuation character, so it sticks to the word
# it formats (an opening tag to the next word, a closing one to the previous word) exactly as
# "(" and ")" do, whatever spaces the tag itself holds. Private-use characters: no real text
# uses them, and stray ones are carried through like tags.
TAG_OPEN, TAG_CLOSE = "\ue000", "\ue001"
_OPENERS = "[(（【［〔"
_CLOSERS = "])）】］〕"
# A bracketed run is a sound label ("[music]", "(laughs)", "(door slams)", "【音乐】"): square
# brackets hold editorial notes of any length; round ones only short descriptions, since a
# longer parenthesis is usually speech ("the others (all of them) agreed").
_MAX_LABEL_TOKENS = {"[": 8, "(": 3, "（": 6, "【": 8, "［": 8, "〔": 8}


def _bracketed(text: str) -> tuple[str, str] | None:
    """(opening bracket, text inside) when ``text`` is one bracketed run with nothing spoken
    around it (marks and symbols may be: "- [music]", "(laughs).", "[music] ♪"), else None."""
    s = text.strip()
    i = 0
    while i < len(s) and not s[i].isalnum() and s[i] not in _OPENERS and s[i] not in _CLOSERS:
        i += 1
    if i >= len(s) or s[i] not in _OPENERS:
        return None
    opener = s[i]
    closer = _CLOSERS[_OPENERS.index(opener)]
    j = s.find(closer, i + 1)
    if j < 0:
        return None
    inner = s[i + 1 : j]
    if opener in inner or any(c.isalnum() or c in _OPENERS or c in _CLOSERS for c in s[j + 1 :]):
        return None
    return opener, inner.strip()


def strip_markup(text: str) -> str:
    """``text`` without subtitle formatting tags (what a viewer reads)."""
    return MARKUP_RE.sub("", text) if ("<" in text or "{" in text) else text


# First words of the sound descriptions subtitles put in round brackets ("(laughs)", "(door
# slams)", "(MAN SPEAKING)" is known by its capitals): a parenthesis starting otherwise is taken
# for speech ("(hello)", "(all of them)", "(3.5 kg)"), which is aligned rather than lost.
_SOUND_WORDS = frozenset(
    """laugh laughs laughing laughter chuckle chuckles chuckling giggle giggles giggling applause applauding clapping
    music musical singing sings song humming hums whistle whistles whistling instrumental theme upbeat dramatic tense
    ominous gentle soft sigh sighs sighing cough coughs coughing clears sniff sniffs sniffing sob sobs sobbing cry cries
    crying scream screams screaming shout shouts shouting yell yells yelling gasp gasps gasping groan groans grunt
    grunts whisper whispers whispering cheer cheers cheering chatter chattering indistinct inaudible unintelligible
    crosstalk silence pause static beep beeps bleep bell bells ringing rings phone door doors footsteps knock knocks
    knocking thunder wind engine dog dogs bark barks barking birds siren sirens gunshot gunshots explosion crowd
    audience background muffled distant loud snoring snores yawn yawns exhales inhales breathing panting speaking
    speaks continues narrator off offscreen foreign silent 笑 笑声 大笑 笑い 音乐 音楽 背景音乐 歌声 掌声 鼓掌 拍手
    叹气 咳嗽 咳 欢呼 哭 哭声 沉默 停顿 听不清 敲门声 脚步声 电话铃声""".split()
)


def is_sound_label(surface: str) -> bool:
    """True for a bracketed non-speech cue such as "[music]", "(laughs)" or "（笑）" (tags aside).

    Square and lenticular brackets always hold one (editorial notes: "[music]", "[inaudible]",
    "【音乐】"), as long as they hold a letter; round brackets only when the text in them is in
    capitals or starts with a word that describes a sound, and never with digits in it.
    """
    found = _bracketed(strip_markup(surface))
    if found is None:
        return False
    opener, inner = found
    if not any(c.isalpha() for c in inner):
        return False
    if opener not in "(（":
        return True
    if any(c.isdigit() for c in inner):
        return False
    cased = [c for c in inner if c.lower() != c.upper()]
    if len(cased) >= 2 and all(c.isupper() for c in cased):
        return True
    first = re.split(r"[\s,.;:!?'’-]+", inner.lower(), maxsplit=1)[0]
    return first in _SOUND_WORDS or inner in _SOUND_WORDS


def is_speech(token: Token) -> bool:
    """Whether a token is spoken: it has aligner units. Markup-only tokens, sound labels and
    speaker labels have none; they are never aligned, never counted as missed words, and
    take no times (their cue's times come from its spoken words)."""
    return bool(token.units)


# Stray placeholder characters already in the text are hidden and restored like tags, so they
# come back unchanged and the restoring stays in step.
_HIDE_RE = re.compile(f"{MARKUP_RE.pattern}|[{TAG_OPEN}{TAG_CLOSE}]", re.IGNORECASE)


def hide_markup(text: str) -> tuple[str, list[str]]:
    if "<" not in text and "{" not in text and TAG_OPEN not in text and TAG_CLOSE not in text:
        return text, []
    tags: list[str] = []

    def hide(m: re.Match[str]) -> str:
        tag = m.group()
        tags.append(tag)
        return TAG_CLOSE if tag.startswith("</") or tag == TAG_CLOSE else TAG_OPEN

    return _HIDE_RE.sub(hide, text), tags


def restore_markup(texts: list[str], tags: list[str]) -> None:
    """Put the tags back in order: the builder only ever concatenates, never reorders."""
    it = iter(tags)
    for k, t in enumerate(texts):
        if TAG_OPEN in t or TAG_CLOSE in t:
            texts[k] = "".join(next(it) if ch in (TAG_OPEN, TAG_CLOSE) else ch for ch in t)


OPENER_RE = re.compile(f"[{re.escape(_OPENERS)}]")


def merge_labels(texts: list[str], seps: list[str], brks: list[int]) -> set[int]:
    """Join the tokens of each sound label ("[door", "slams]") and each speaker label at the
    start of a line ("DR.", "SMITH:") into one token; returns the indices of those tokens,
    which get no aligner units. Only tokens with a bracket and line starts are looked at: a
    megabyte of plain prose costs one scan."""
    search = OPENER_RE.search
    candidates = {k for k, t in enumerate(texts) if search(t)}
    if any(t.endswith(":") for t in texts):
        candidates.update(k for k, b in enumerate(brks) if b)
        candidates.add(0)
    if not candidates:
        return set()
    out_t: list[str] = []
    out_s: list[str] = []
    out_b: list[int] = []
    silent: set[int] = set()
    done = 0  # tokens before this index are in the output
    for i in sorted(candidates):
        if i < done:
            continue  # inside a label merged already
        kind = "sound"
        j = _label_end(texts, brks, i)
        if j is None:
            kind = "speaker"
            j = _speaker_end(texts, brks, i)
        if j is None:
            continue
        joined = [texts[i]]
        for k in range(i + 1, j + 1):
            joined.append(seps[k])
            joined.append(texts[k])
        merged = "".join(joined)
        if kind == "sound" and not is_sound_label(merged):
            continue
        out_t.extend(texts[done:i])
        out_s.extend(seps[done:i])
        out_b.extend(brks[done:i])
        silent.add(len(out_t))
        out_t.append(merged)
        out_s.append(seps[i])
        out_b.append(brks[i])
        done = j + 1
    if not silent:
        return silent
    out_t.extend(texts[done:])
    out_s.extend(seps[done:])
    out_b.extend(brks[done:])
    texts[:], seps[:], brks[:] = out_t, out_s, out_b
    return silent


def _label_end(texts: list[str], brks: list[int], i: int) -> int | None:
    """The last token of a bracketed run starting at token ``i`` on the same line (whether the
    run is a sound label is :func:`is_sound_label`'s to say)."""
    head = strip_markup(texts[i])
    k = next((n for n, c in enumerate(head) if c.isalnum() or c in _OPENERS or c in _CLOSERS), len(head))
    if k >= len(head) or head[k] not in _OPENERS:
        return None
    opener = head[k]
    closer = _CLOSERS[_OPENERS.index(opener)]
    if closer in head[k:]:
        return i
    for j in range(i + 1, min(len(texts), i + _MAX_LABEL_TOKENS[opener])):
        if brks[j]:
            return None  # a label never runs over a line break
        body = strip_markup(texts[j])
        if closer in body:
            return j
        if opener in body:
            return None
    return None


_SPEAKER_MAX_TOKENS = 3


def _speaker_end(texts: list[str], brks: list[int], i: int) -> int | None:
    """A speaker label: at a line's start, up to three words in capitals ending with ":"
    ("JOHN:", "DR. SMITH:", ">> ANNA:"), followed by speech in mixed case on the same line (an
    all-capitals caption line could be speech: "I SAID: NO" stays words), or one in any case
    after ">>" or a dialogue dash."""
    if i and not brks[i]:
        return None
    for j in range(i, min(len(texts), i + _SPEAKER_MAX_TOKENS)):
        if j > i and brks[j]:
            return None
        if texts[j].endswith(":"):
            break
    else:
        return None
    if j + 1 >= len(texts) or brks[j + 1]:
        return None  # nothing said after it on this line
    label = " ".join(strip_markup(t) for t in texts[i : j + 1])
    letters = [c for c in label if c.isalpha()]
    if len(letters) < 2:
        return None
    marked = label.lstrip().startswith((">>", "-", "–", "—"))
    if all(c.isupper() for c in letters if c.lower() != c.upper()):
        rest = []
        k = j + 1
        while k < len(texts) and not brks[k]:
            rest.append(texts[k])
            k += 1
        if marked or any(c.islower() for c in "".join(rest)):
            return j
    return None
