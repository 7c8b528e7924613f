"""Cue segmentation and rule checks: properties over random documents plus hand-made cases."""

from __future__ import annotations

import copy
import dataclasses
import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner_core.cues import (
    PROFILES,
    Profile,
    Rule,
    check_cues,
    display_len,
    get_profile,
    layout_lines,
    segment,
)
from aligner_core.document import Break, Cue, Document, Token

from .strategies import documents

GENERAL = get_profile("general")
NETFLIX = get_profile("netflix-en")
ZH = get_profile("netflix-zh-hans")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


# -- helpers ----------------------------------------------------------------------------------------


def timed_doc(texts, word_ms=400, gaps=None, brks=None, language="en", sep=" ", tail=1000) -> Document:
    """Tokens with back-to-back times; ``gaps[i]`` adds silence before token i."""
    gaps, brks = gaps or {}, brks or {}
    tokens, t = [], 0
    for i, text in enumerate(texts):
        t += gaps.get(i, 0)
        tokens.append(Token(text, start=t, end=t + word_ms, sep=sep if i else "", brk=brks.get(i, Break.NONE)))
        t += word_ms
    return Document(tokens, [], t + tail, language)


def cue_texts(doc: Document, cues) -> list[str]:
    return [doc.join(c.first, c.last) for c in cues]


def lines_of(doc: Document, cue: Cue) -> list[str]:
    return doc.cue_lines(cue)


def glued(prev: Token, tok: Token) -> bool:
    """Test-side definition of 'inside a word' for the documents generated here."""
    if tok.brk != Break.NONE:
        return False
    if tok.text[:1] in tuple(",.!?;:，。！？、"):
        return True
    cjk = lambda ch: "\u4e00" <= ch <= "\u9fff"  # noqa: E731
    return tok.sep == "" and not (cjk(prev.text[-1]) or cjk(tok.text[0]))


def line_token_starts(cue: Cue) -> list[int]:
    return [cue.first] + [cue.first + o for o in cue.line_starts]


def line_ranges(cue: Cue) -> list[tuple[int, int]]:
    starts = line_token_starts(cue)
    return list(zip(starts, [s - 1 for s in starts[1:]] + [cue.last]))


# -- strategies -------------------------------------------------------------------------------------


@st.composite
def english_docs(draw, max_words: int = 60):
    """Words (sometimes glued pieces, punctuation tokens, overlong words), partly aligned."""
    n = draw(st.integers(1, max_words))
    tokens, t = [], draw(st.integers(0, 300))
    for i in range(n):
        r = draw(st.integers(0, 19))
        if i and r == 0:
            text, sep = "'" + draw(st.sampled_from(["t", "s", "ll"])), ""  # glued piece
        elif i and r == 1:
            text, sep = draw(st.sampled_from([",", ".", "?"])), ""  # punctuation token
        elif i and r == 2:
            text, sep = "-" + "".join(draw(st.lists(st.sampled_from(LETTERS), min_size=1, max_size=6))), ""
        else:
            size = draw(st.integers(45, 60)) if r == 3 else draw(st.integers(1, 11))
            text = "".join(draw(st.lists(st.sampled_from(LETTERS), min_size=size, max_size=size)))
            text += draw(st.sampled_from(["", "", "", "", ",", ".", "?", ";"]))
            sep = " "
        brk = draw(st.sampled_from([Break.NONE] * 12 + [Break.LINE, Break.PARAGRAPH])) if i else Break.NONE
        if draw(st.integers(0, 5)) == 0:
            start = end = None
        else:
            t += draw(st.sampled_from([0, 0, 0, 10, 80, 300, 900, 2500]))
            start = t
            t += draw(st.integers(0, 700))
            end = t
        tokens.append(Token(text, start=start, end=end, sep=sep if i else "", brk=brk))
    return Document(tokens, [], t + draw(st.integers(0, 2000)), "en")


@st.composite
def chinese_docs(draw, max_chars: int = 80):
    n = draw(st.integers(1, max_chars))
    tokens, t = [], 0
    for i in range(n):
        if i and draw(st.integers(0, 7)) == 0:
            tokens.append(Token(draw(st.sampled_from("，。？、")), sep=""))
            continue
        ch = chr(0x4E00 + draw(st.integers(0, 500)))
        t += draw(st.sampled_from([0, 0, 0, 40, 400]))
        brk = Break.PARAGRAPH if i and draw(st.integers(0, 40)) == 0 else Break.NONE
        tokens.append(Token(ch, start=t, end=t + 200, sep="", brk=brk))
        t += 200
    return Document(tokens, [], t + 500, "zh-Hans")


profiles = st.sampled_from(list(PROFILES.values()) + [dataclasses.replace(GENERAL, name="soft", respect_line_breaks=False, max_lines=3)])


# -- structural properties --------------------------------------------------------------------------


def assert_sound(doc: Document, cues: list[Cue], profile: Profile, first: int = 0, last: int | None = None) -> None:
    last = len(doc.tokens) - 1 if last is None else last
    # every token in exactly one cue, in order
    assert cues, "no cues"
    assert cues[0].first == first and cues[-1].last == last
    for a, b in zip(cues, cues[1:]):
        assert b.first == a.last + 1
    for cue in cues:
        assert cue.first <= cue.last
        # never inside a word: neither a cue nor a line starts at a glued token
        for s in line_token_starts(cue):
            if s > first:
                assert not glued(doc.tokens[s - 1], doc.tokens[s]), (doc.tokens[s - 1], doc.tokens[s])
        # hard limits hold whenever the words fit
        assert len(cue.line_starts) + 1 <= profile.max_lines
        for a, b in line_ranges(cue):
            text = doc.join(a, b)
            if display_len(text) > profile.max_chars_per_line:
                assert all(glued(doc.tokens[k - 1], doc.tokens[k]) for k in range(a + 1, b + 1)), f"line {text!r} too long"
    # user breaks
    starts = {c.first for c in cues}
    for i in range(first + 1, last + 1):
        brk = doc.tokens[i].brk
        if brk == Break.PARAGRAPH or (brk == Break.LINE and profile.respect_line_breaks):
            assert i in starts, f"token {i} should start a cue"
    # times
    test_doc = doc.copy()
    test_doc.cues = cues
    assert not test_doc.problems(), test_doc.problems()
    for k, cue in enumerate(cues):
        words = [t for t in doc.tokens[cue.first : cue.last + 1] if t.aligned]
        if not words:
            assert cue.start is None and cue.end is None
            continue
        assert cue.start == words[0].start
        assert cue.start <= cue.end
        if doc.duration_ms is not None:
            assert cue.end <= doc.duration_ms
        nxt = next((c.start for c in cues[k + 1 :] if c.start is not None), None)
        if nxt is not None:
            assert cue.end <= nxt, "overlaps the next cue"
            if cue.end > words[-1].end:  # extended: keeps the gap
                assert nxt - cue.end >= profile.min_gap_ms
            if cue.end < words[-1].end:  # trimmed for the gap, by at most the gap
                assert nxt - cue.end == profile.min_gap_ms
                assert words[-1].end - cue.end <= profile.min_gap_ms


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(english_docs(), profiles)
def test_segment_properties_english(doc, profile):
    before = copy.deepcopy(doc)
    cues = segment(doc, profile)
    assert doc == before, "segment must not change the document"
    assert_sound(doc, cues, profile)
    assert segment(doc, profile) == cues  # deterministic


@settings(max_examples=80, deadline=None)
@given(chinese_docs(), st.sampled_from([ZH, dataclasses.replace(ZH, name="zh3", max_lines=3)]))
def test_segment_properties_chinese(doc, profile):
    cues = segment(doc, profile)
    assert_sound(doc, cues, profile)
    for cue in cues:
        for line in lines_of(doc, cue):
            assert line[0] not in "，。？、", f"line starts with punctuation: {line!r}"


@settings(max_examples=60, deadline=None)
@given(documents(max_tokens=20, with_cues=True), profiles)
def test_segment_on_shared_strategy_documents(doc, profile):
    cues = segment(doc, profile)
    assert cues[0].first == 0 and cues[-1].last == len(doc.tokens) - 1 if doc.tokens else cues == []
    if doc.tokens:
        for a, b in zip(cues, cues[1:]):
            assert b.first == a.last + 1
        d = doc.copy()
        d.cues = cues
        assert not d.problems()


@settings(max_examples=40, deadline=None)
@given(english_docs(max_words=40), st.data())
def test_segment_subrange(doc, data):
    n = len(doc.tokens)
    first = data.draw(st.integers(0, n - 1))
    last = data.draw(st.integers(first, n - 1))
    cues = segment(doc, GENERAL, first, last)
    assert_sound(doc, cues, GENERAL, first, last)
    # extended cue ends keep clear of what follows the range
    nxt = next((t.start for t in doc.tokens[last + 1 :] if t.aligned), None)
    if nxt is not None and cues[-1].end is not None:
        assert cues[-1].end <= nxt


def test_empty_and_bad_ranges():
    assert segment(Document(), GENERAL) == []
    doc = timed_doc(["a", "b"])
    assert segment(doc, GENERAL, 1, 0) == []
    with pytest.raises(IndexError):
        segment(doc, GENERAL, 0, 5)


# -- break preferences ------------------------------------------------------------------------------

# 16 plain words of 7 letters: 127 characters, too many for one 84-character cue.
PLAIN = ["lorem" + a + b for a, b in zip("abcdefghijklmnop", "qrstuvwxyzabcdef")]


def _first_cue_end(texts, gaps=None) -> int:
    doc = timed_doc(texts, word_ms=500, gaps=gaps)
    cues = segment(doc, NETFLIX)
    assert_sound(doc, cues, NETFLIX)
    assert len(cues) == 2, cue_texts(doc, cues)
    return cues[0].last


def test_sentence_end_beats_comma_beats_pause():
    texts = list(PLAIN)
    texts[7] += "."  # sentence end after word 7
    texts[8] += ","  # comma after word 8
    gaps = {7: 400}  # pause after word 6
    assert _first_cue_end(texts, gaps) == 7
    texts[7] = PLAIN[7]
    assert _first_cue_end(texts, gaps) == 8
    texts[8] = PLAIN[8]
    assert _first_cue_end(texts, gaps) == 6


def test_clause_punctuation_in_chinese():
    s1 = "今天我们一起去公园散步，然后在湖边吃午饭。"  # 21 characters
    s2 = "下午天气变得很冷，所以大家早早回家休息了。"  # 21 characters
    texts = list(s1 + s2)
    tokens, t = [], 0
    for ch in texts:
        if ch in "，。":
            tokens.append(Token(ch, sep=""))
        else:
            tokens.append(Token(ch, start=t, end=t + 250, sep=""))
            t += 250
    doc = Document(tokens, [], t + 1000, "zh-Hans")
    cues = segment(doc, ZH)
    assert_sound(doc, cues, ZH)
    assert cue_texts(doc, cues) == [s1, s2]
    # balanced two lines, broken after the comma
    assert lines_of(doc, cues[0]) == ["今天我们一起去公园散步，", "然后在湖边吃午饭。"]
    assert lines_of(doc, cues[1]) == ["下午天气变得很冷，", "所以大家早早回家休息了。"]


def test_long_silence_starts_a_new_cue():
    doc = timed_doc(["one", "two", "three", "four", "five", "six"], gaps={3: 3000})
    cues = segment(doc, GENERAL)
    assert cue_texts(doc, cues) == ["one two three", "four five six"]


def test_never_ends_on_an_article_when_avoidable():
    words = "we walked along the river until the sun went down and the first stars came out over the quiet town".split()
    doc = timed_doc(words, word_ms=350)
    for cue in segment(doc, NETFLIX):
        for a, b in line_ranges(cue):
            assert doc.tokens[b].text not in ("the", "a", "an"), doc.cue_lines(cue)


# -- user line breaks -------------------------------------------------------------------------------


def test_user_line_breaks_start_cues_by_default():
    doc = timed_doc(["Hello", "there.", "How", "are", "you?"], brks={2: Break.LINE})
    assert cue_texts(doc, segment(doc, GENERAL)) == ["Hello there.", "How are you?"]
    doc = timed_doc(["Hello", "there", "how", "are", "you"], brks={2: Break.LINE})
    assert cue_texts(doc, segment(doc, GENERAL)) == ["Hello there", "how are you"]


def test_user_line_breaks_as_preference():
    soft = dataclasses.replace(GENERAL, name="soft", respect_line_breaks=False)
    doc = timed_doc(["Hello", "there", "how", "are", "you"], brks={2: Break.LINE}, word_ms=300)
    cues = segment(doc, soft)
    assert len(cues) == 1
    assert lines_of(doc, cues[0]) == ["Hello there", "how are you"]
    # a paragraph break still always splits
    doc = timed_doc(["Hello", "there", "how", "are", "you"], brks={2: Break.PARAGRAPH}, word_ms=300)
    assert len(segment(doc, soft)) == 2


def test_user_line_break_is_the_preferred_cue_break_when_soft():
    soft = dataclasses.replace(NETFLIX, name="soft", respect_line_breaks=False)
    texts = list(PLAIN)
    texts[8] += ","
    doc = timed_doc(texts, word_ms=500, brks={6: Break.LINE})
    cues = segment(doc, soft)
    assert [c.first for c in cues] == [0, 6]


# -- line layout ------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 14), min_size=2, max_size=14))
def test_two_line_balance(lengths):
    rnd = random.Random(sum(lengths))
    # plain letter words: no punctuation or English function words, so only balance counts
    words = ["".join(rnd.choice("bcdfghjklmnpqrstvwxz") for _ in range(n)) for n in lengths]
    total = sum(lengths) + len(lengths) - 1
    doc = Document([Token(w, sep=" " if i else "") for i, w in enumerate(words)], [], None, "en")
    starts = layout_lines(doc, 0, len(words) - 1, GENERAL)
    if total <= 42:
        assert starts == ()
        return
    feasible = []
    for k in range(1, len(words)):
        l1, l2 = len(" ".join(words[:k])), len(" ".join(words[k:]))
        if l1 <= 42 and l2 <= 42:
            feasible.append((k, abs(l1 - l2)))
    if not feasible:
        return  # needs three lines
    assert len(starts) == 1
    k = starts[0]
    no_orphan = [(kk, d) for kk, d in feasible if 1 < kk < len(words) - 1]
    if no_orphan and len(words) > 2:
        assert 1 < k < len(words) - 1, "one-word line although avoidable"
        assert dict(no_orphan)[k] == min(d for _, d in no_orphan)
    else:
        assert dict(feasible)[k] == min(d for _, d in feasible)


def test_line_break_prefers_punctuation_and_conjunctions():
    doc = Document([Token(w, sep=" " if i else "") for i, w in enumerate("I went down to the market, and I bought some apples there".split())])
    assert doc.cue_lines(Cue(0, len(doc.tokens) - 1, None, None, layout_lines(doc, 0, len(doc.tokens) - 1, GENERAL))) == [
        "I went down to the market,",
        "and I bought some apples there",
    ]
    doc = Document([Token(w, sep=" " if i else "") for i, w in enumerate("She told me she would meet her brother and his wife later".split())])
    lines = doc.cue_lines(Cue(0, len(doc.tokens) - 1, None, None, layout_lines(doc, 0, len(doc.tokens) - 1, GENERAL)))
    assert lines == ["She told me she would meet", "her brother and his wife later"]


def test_orphan_avoided_even_at_a_cost_in_balance():
    words = ["a" * 35, "bb", "cc", "dd", "ee", "ff"]  # 50 characters
    doc = Document([Token(w, sep=" " if i else "") for i, w in enumerate(words)])
    # after word 1 would balance better (35/14) but leave a one-word line
    assert layout_lines(doc, 0, 5, GENERAL) == (2,)


def test_three_lines_and_long_words():
    three = dataclasses.replace(GENERAL, name="three", max_lines=3, max_chars_per_line=20)
    words = "alpha beta gamma delta epsilon zeta eta theta iota".split()  # 50 characters
    doc = Document([Token(w, sep=" " if i else "") for i, w in enumerate(words)])
    starts = layout_lines(doc, 0, len(words) - 1, three)
    cue = Cue(0, len(words) - 1, None, None, starts)
    lines = doc.cue_lines(cue)
    assert len(lines) == 3 and all(len(line) <= 20 for line in lines), lines
    assert max(map(len, lines)) - min(map(len, lines)) <= 8, lines
    # a word longer than a line gets a line of its own; check_cues reports it
    doc = timed_doc(["short", "x" * 50, "tail"])
    doc.cues = segment(doc, GENERAL)
    assert any("x" * 50 in doc.cue_lines(c) for c in doc.cues)
    assert [v.rule for v in check_cues(doc, GENERAL) if v.rule == Rule.LINE_LENGTH] == [Rule.LINE_LENGTH]


def test_glued_tokens_stay_together():
    doc = timed_doc(["I", "don", "'t", "know", "well", "-known", "things", ",", "really"], word_ms=200)
    doc.tokens[2] = dataclasses.replace(doc.tokens[2], sep="")
    doc.tokens[5] = dataclasses.replace(doc.tokens[5], sep="")
    doc.tokens[7] = dataclasses.replace(doc.tokens[7], sep="")
    one = dataclasses.replace(GENERAL, name="tiny", max_chars_per_line=6, max_lines=1)
    cues = segment(doc, one)
    assert_sound(doc, cues, one)
    assert "don't" in cue_texts(doc, cues)
    assert "well-known" in cue_texts(doc, cues)
    assert "things," in cue_texts(doc, cues)


# -- times ------------------------------------------------------------------------------------------


def _two_cues(next_start: int, profile: Profile) -> list[Cue]:
    doc = Document(
        [Token("Yes.", start=0, end=300), Token("No.", start=next_start, end=next_start + 400, brk=Break.PARAGRAPH)],
        [],
        next_start + 5000,
        "en",
    )
    cues = segment(doc, profile)
    assert_sound(doc, cues, profile)
    return cues


def test_min_duration_extension_keeps_gap():
    assert _two_cues(2000, NETFLIX)[0].end == 833
    assert _two_cues(2000, GENERAL)[0].end == 1000
    assert _two_cues(500, NETFLIX)[0].end == 500 - 83  # stops short of the next cue
    assert _two_cues(300, NETFLIX)[0].end == 300 - 83  # trimmed to keep the gap
    assert _two_cues(1200, NETFLIX)[0].end == 1200 - 83  # Netflix closes gaps under half a second
    assert _two_cues(1200, GENERAL)[0].end == 1000
    no_trim = dataclasses.replace(GENERAL, name="no-trim", trim_to_gap=False)
    assert _two_cues(300, no_trim)[0].end == 300
    assert _two_cues(2000, NETFLIX)[1].end == 2000 + 833


def test_extension_for_reading_speed_and_duration_cap():
    words = ["Extraordinarily", "complicated", "circumstances."]  # 42 characters
    doc = Document([Token(w, start=i * 300, end=i * 300 + 300, sep=" " if i else "") for i, w in enumerate(words)], [], 60_000)
    (cue,) = segment(doc, NETFLIX)
    assert cue.end == 2100  # 42 characters at 20 cps
    doc.duration_ms = 1500
    (cue,) = segment(doc, NETFLIX)
    assert cue.end == 1500  # never past the audio


def test_unaligned_tokens_get_cues_without_times():
    doc = timed_doc(["Hello", "there."] + ["word"] * 30 + ["end."])
    tokens = list(doc.tokens)
    for i in range(2, 32):
        tokens[i] = tokens[i].with_times(None, None)
    doc.tokens = tokens
    cues = segment(doc, GENERAL)
    assert_sound(doc, cues, GENERAL)
    assert any(c.start is None for c in cues)
    assert sum(c.last - c.first + 1 for c in cues) == len(tokens)


def test_max_duration_drives_splits():
    # 40 words over 16 s with no punctuation or pauses: split into cues of at most 7 s
    words = ["word" + LETTERS[i % 26] for i in range(40)]
    doc = timed_doc(words, word_ms=400, tail=20000)
    doc.cues = segment(doc, NETFLIX)
    assert len(doc.cues) >= 3
    assert check_cues(doc, NETFLIX) == []


def test_fast_speech_borrows_reading_time_from_the_silence_after():
    # each phrase: 10 words of 5 letters (59 characters) in 2 s = 30 cps, then 2 s of silence
    words = ["word" + LETTERS[i] for i in range(20)]
    words[9] += "."
    doc = timed_doc(words, word_ms=200, gaps={10: 2000}, tail=3000)
    doc.cues = segment(doc, NETFLIX)
    assert cue_texts(doc, doc.cues) == [" ".join(words[:10]), " ".join(words[10:])]
    assert doc.cues[0].end == doc.cues[0].start + 2950  # 59 characters (line break excluded) at 20 cps
    assert check_cues(doc, NETFLIX) == []


# -- rule checks ------------------------------------------------------------------------------------


def test_check_cues_reports_each_rule():
    long_line = "x" * 45
    tokens = [
        Token("a", start=0, end=100),  # cue 0: too short
        Token("b", start=150, end=1200),  # cue 1: gap 50 < 80
        Token(long_line, start=1400, end=3000),  # cue 2: line too long, cps 45/1.6 s > 21
        Token("c", start=3100, end=11000),  # cue 3: too long
        Token("d"),  # cue 4: unaligned
        Token("e", start=11200, end=12500),
        Token("f", start=12600, end=13000),
        Token("g", start=13100, end=14500),  # cue 5: three lines
        Token("", start=15000, end=16000),  # cue 6: empty
    ]
    cues = [
        Cue(0, 0),
        Cue(1, 1),
        Cue(2, 2),
        Cue(3, 3),
        Cue(4, 4),
        Cue(5, 7, None, None, (1, 2)),
        Cue(8, 8),
    ]
    doc = Document(tokens, cues, 20000)
    assert not doc.problems()
    found = {(v.cue_index, v.rule) for v in check_cues(doc, GENERAL)}
    assert found >= {
        (0, Rule.TOO_SHORT),
        (1, Rule.GAP),
        (2, Rule.LINE_LENGTH),
        (2, Rule.CPS),
        (3, Rule.TOO_LONG),
        (4, Rule.UNALIGNED),
        (5, Rule.LINES),
        (6, Rule.EMPTY),
    }, found
    assert (5, Rule.GAP) not in found  # the gap is measured to the previous *timed* cue
    v = next(v for v in check_cues(doc, GENERAL) if v.rule == Rule.LINE_LENGTH)
    assert (v.value, v.limit) == (45, 42) and "45" in v.message
    # overlap is reported (a document can hold it if the cue times say so)
    doc.cues[1] = Cue(1, 1, 50, 1200)
    assert (1, Rule.OVERLAP) in {(v.cue_index, v.rule) for v in check_cues(doc, GENERAL)}
    assert {v.cue_index for v in check_cues(doc, GENERAL, [2])} == {2}


def test_check_counts_spaces_not_line_breaks():
    # 20 characters + 1 line break in exactly 1 s: 20 cps is within Netflix's limit
    tokens = [Token("aaaaaaaaaa", start=0, end=500), Token("bbbbbbbbbb", start=500, end=1000)]
    doc = Document(tokens, [Cue(0, 1, 0, 1000, (1,))], 5000)
    assert not [v for v in check_cues(doc, NETFLIX) if v.rule == Rule.CPS]
    doc.cues = [Cue(0, 1, 0, 1000)]  # one line: the space counts, 21 characters
    assert [v.rule for v in check_cues(doc, NETFLIX)] == [Rule.CPS]


def test_segmented_documents_mostly_pass_their_checks():
    doc = timed_doc(("Four score and seven years ago our fathers brought forth on this continent, a new nation, conceived in Liberty, "
                     "and dedicated to the proposition that all men are created equal. Now we are engaged in a great civil war, "
                     "testing whether that nation, or any nation so conceived and so dedicated, can long endure.").split(), word_ms=330)
    for profile in (GENERAL, NETFLIX):
        doc.cues = segment(doc, profile)
        assert check_cues(doc, profile) == [], [doc.cue_text(c) for c in doc.cues]


# -- profiles ---------------------------------------------------------------------------------------


def test_profiles():
    assert {"general", "netflix-en", "netflix-zh-hans", "one-line", "karaoke"} <= set(PROFILES)
    assert (NETFLIX.max_chars_per_line, NETFLIX.max_lines, NETFLIX.max_cps, NETFLIX.min_duration_ms, NETFLIX.max_duration_ms, NETFLIX.min_gap_ms) == (
        42, 2, 20.0, 833, 7000, 83)
    assert (ZH.max_chars_per_line, ZH.max_cps) == (16, 9.0)
    with pytest.raises(KeyError, match="general"):
        get_profile("nope")
    with pytest.raises(ValueError):
        Profile("bad", "Bad", max_chars_per_line=0)
    with pytest.raises(ValueError):
        Profile("bad", "Bad", min_duration_ms=8000, max_duration_ms=7000)


def test_display_len():
    assert display_len("你好，世界") == 5
    assert display_len("cafe\u0301") == 4
    assert display_len("a\u200bb") == 2


# -- speed ------------------------------------------------------------------------------------------


def test_30000_words_segment(capsys):
    rnd = random.Random(0)
    tokens, t = [], 0
    for i in range(30_000):
        word = "".join(rnd.choice(LETTERS) for _ in range(rnd.randint(1, 9)))
        word += rnd.choice(["", "", "", "", "", "", ",", "."])
        tokens.append(Token(word, start=t, end=t + 300, sep=" " if i else ""))
        t += 300 + rnd.choice([0, 0, 20, 300])
    doc = Document(tokens, [], t + 1000, "en")
    t0 = time.perf_counter()
    cues = segment(doc, NETFLIX)
    secs = time.perf_counter() - t0
    with capsys.disabled():
        print(f"\n[cues] segmented 30,000 words into {len(cues)} cues in {secs * 1000:.0f} ms")
    assert cues[-1].last == len(tokens) - 1
    # how fast: bench/cues_speed.py (about 0.25 s on an idle core)
