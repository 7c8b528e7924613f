"""Long recordings: plan chunks at pauses, place the words, align chunk by chunk, mend, stitch.

Any length, memory that does not grow with it (the 16 kHz samples, a few arrays per 10 ms
frame, and one chunk's audio at a time), and no drift: every chunk is aligned on its own, so an
error cannot carry over from one chunk to the next.

1. **Speech regions** (:mod:`aligner_core.align.vad`): stretches of speech between pauses of at
   least 200 ms; broadband noise is marked. No region is longer than 15 s (long ones are split
   at their deepest dip).
2. **Word placement** (:func:`place_words`, :mod:`.placement`): a dynamic programme matches the
   transcript to the regions. Each word has an expected length from its letters (digits and CJK
   characters count as several); a region takes a run of consecutive words whose expected length
   fits its duration (log-normal error, tighter for longer runs), or none (noise, or speech the
   transcript lacks: a cost per second); runs of words may be left out (text the audio lacks: a
   cost per word). A pause is cheap where the text has a sentence end or a line break, which is
   what pins most splits down. The speaking rate is re-estimated and the programme run again. It
   is banded around its best state: O(regions x band), never the whole recording at once.
3. **Chunks** (:func:`plan_cuts`, :mod:`.planning`): every pause of at least ``hard_cut_s`` is a
   cut; longer stretches are cut again in their longest pauses, to about ``target_s``. A chunk
   gets the words the placement put in its regions, and its audio with long pauses, noise and
   long untranscribed speech cut out (a short pause stays; seams are faded).
4. **Alignment** of every chunk, independent of the others: in this process
   (:class:`SerialRunner`) or in worker processes (:class:`PoolRunner`, ``jobs``);
   :mod:`.runners`.
5. **Checks and mending** (:mod:`.checks`, :mod:`.mending`). A chunk whose words came out
   collapsed (too many per second of speech, many equal or zero-length times, many not found) is
   merged with its neighbours and redone with all its speech kept. A cut whose nearest words
   look wrong (not found, low confidence, crammed or stretched) is re-aligned by a *bridge*: a
   window from a pause well inside the left chunk to one well inside the right chunk, where both
   chunks' own words are trusted, so a word the placement put on the wrong side of the cut finds
   its place.
6. **Mismatch** (:mod:`.mismatch`): a cluster of doubtful words is re-aligned without each
   nearby phrase in turn; a phrase whose absence makes the rest fit clearly better is text the
   audio does not hold: its words come back not aligned, and its neighbours get their time back.
   Speech the transcript lacks is left to the aligner's silence/noise model, cut out when the
   placement finds a long wordless region, and words stretched over it are flagged low
   confidence.

The package: :mod:`.weights` (what the text predicts), :mod:`.placement`, :mod:`.chunks` and
:mod:`.planning`, :mod:`.runners`, :mod:`.checks`, :mod:`.mending`, :mod:`.mismatch`, all around
one :class:`~.job.LongformJob`; :mod:`.driver` runs them in order. The names below are the public
face the rest of the engine and the tests use.
"""

from .chunks import Chunk, chunk_audio, map_back
from .driver import align_long
from .job import LongformJob, LongformParams, LongformStats
from .placement import Placement, PlaceParams, place_words
from .planning import Plan, plan_cuts
from .runners import PoolRunner, Runner, SerialRunner, Task
from .weights import pause_costs, word_weight

__all__ = [
    "Chunk",
    "LongformJob",
    "LongformParams",
    "LongformStats",
    "Placement",
    "PlaceParams",
    "Plan",
    "PoolRunner",
    "Runner",
    "SerialRunner",
    "Task",
    "align_long",
    "chunk_audio",
    "map_back",
    "pause_costs",
    "place_words",
    "plan_cuts",
    "word_weight",
]
