"""The spectrogram on the timeline: tiles computed in a worker thread, cached, drawn as images.

The visible range at the zoom shown is cut into tiles of the core's grid
(:mod:`aligner_core.spectrogram`: a level is a power-of-two count of samples per column, a tile
is :data:`TILE_COLUMNS` columns of it). :class:`SpectrogramTiles` keeps the tiles (an LRU keyed by
audio, settings, level and index) and the one worker thread that computes them; the GUI thread
only asks, and draws what has arrived. Until a tile arrives, the nearest coarser level that holds
its stretch is drawn stretched over it, so zooming in never flashes blank.

The worker is a plain daemon thread rather than a job on the window's task runner: that runner
serves the user's jobs (one at a time, with progress and cancel); tiles are a cache that must
keep filling while an alignment runs, drops requests the view has scrolled away from, and has
no result worth keeping when the application quits.
"""

from __future__ import annotations

import os
import threading
import traceback
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject

from aligner_core.spectrogram import (
    MIN_HOP,
    TILE_COLUMNS,
    SpectrogramSettings,
    hop_for,
    reference_db,
    tile,
    tile_range,
)

CACHE_TILES = 160  # 256x256 RGB32 tiles: 256 KB each, 40 MB at most
COARSER_LEVELS = 10  # how far up the pyramid a missing tile looks for a stand-in
FINER_LEVELS = 2  # and down: 4 finer tiles at most stand in for one
PREFETCH = 1  # tiles either side of the view asked for after the visible ones

GREY, COLOUR = "grey", "colour"  # the colour maps (settings values)
PALETTES = (GREY, COLOUR)


@lru_cache(maxsize=None)
def _palette_table(name: str) -> np.ndarray:
    """256 RGB32 colours from the floor (0) to full intensity (255)."""
    v = np.arange(256) / 255.0
    if name == COLOUR:  # dark to bright through purple and orange, readable in greyscale too
        stops = np.array([[0, 0, 4], [40, 11, 84], [101, 21, 110], [159, 42, 99], [212, 72, 66],
                          [245, 125, 21], [250, 193, 39], [252, 255, 164]], float)
        pos = np.linspace(0.0, 1.0, len(stops))
        rgb = np.stack([np.interp(v, pos, stops[:, c]) for c in range(3)], axis=1)
    else:  # Praat's: white paper, loud is dark
        rgb = np.repeat(((1.0 - v) * 255.0)[:, None], 3, axis=1)
    rgb = np.round(rgb).astype(np.uint32)
    return (0xFF000000 | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]).astype(np.uint32)


@dataclass(frozen=True)
class TileKey:
    generation: int  # which audio
    settings: SpectrogramSettings
    palette: str
    hop: int
    index: int


@dataclass(frozen=True)
class _Job:
    key: TileKey
    samples: np.ndarray
    sample_rate: int


def render_tile(job: _Job, ref_db: float) -> QImage:
    """The tile as an RGB32 image, highest frequency at the top (runs in the worker thread)."""
    k = job.key
    levels = tile(job.samples, job.sample_rate, k.hop, k.index * TILE_COLUMNS, TILE_COLUMNS, k.settings, ref_db)
    argb = np.ascontiguousarray(_palette_table(k.palette)[levels[::-1]])
    rows, cols = argb.shape
    # RGB32, the format of opaque pixmaps and of the window's backing store: measured in the plot,
    # it drew 1 ms faster a frame than the same bits as premultiplied ARGB (blended, not copied)
    return QImage(argb.data, cols, rows, cols * 4, QImage.Format.Format_RGB32).copy()  # owns its pixels


class TileCache:
    """The most recently used tiles, at most ``capacity``; counts hits and misses."""

    def __init__(self, capacity: int = CACHE_TILES) -> None:
        self.capacity = capacity
        self._tiles: OrderedDict[TileKey, QImage] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: TileKey) -> QImage | None:
        image = self._tiles.get(key)
        if image is None:
            self.misses += 1
            return None
        self.hits += 1
        self._tiles.move_to_end(key)
        return image

    def peek(self, key: TileKey) -> QImage | None:
        """The tile without counting or refreshing it (a stand-in looked up while painting)."""
        return self._tiles.get(key)

    def put(self, key: TileKey, image: QImage) -> None:
        self._tiles[key] = image
        self._tiles.move_to_end(key)
        while len(self._tiles) > self.capacity:
            self._tiles.popitem(last=False)

    def clear(self) -> None:
        self._tiles.clear()

    def __contains__(self, key: TileKey) -> bool:
        return key in self._tiles

    def __len__(self) -> int:
        return len(self._tiles)


def _halt(cond: threading.Condition, stopping: threading.Event) -> None:
    with cond:
        stopping.set()
        cond.notify()


class TileWorker(QObject):
    """One thread computing the tiles asked for, most wanted first; a new ask replaces the old."""

    ready = Signal(object, object)  # TileKey, QImage

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cond = threading.Condition()
        self._queue: list[_Job] = []
        self._stopping = threading.Event()
        self._working = 0
        self._thread: threading.Thread | None = None
        self._refs: dict[int, float] = {}  # generation -> the recording's reference level
        #: the threads tiles were computed on (a test proves the GUI thread is never one)
        self.compute_threads: set[int] = set()
        self.computed = 0
        # the thread ends with this object (a window closed), whoever deletes it: a plain function
        # of plain objects, safe to call while Qt destroys the QObject
        self.destroyed.connect(partial(_halt, self._cond, self._stopping))

    def want(self, jobs: list[_Job]) -> None:
        with self._cond:
            self._queue = [] if self._stopping.is_set() else list(jobs)
            if not self._queue:
                return  # nothing to wake the thread for: a wake-up costs the GUI thread a GIL hand-over
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="spectrogram-tiles", daemon=True)
                self._thread.start()
            self._cond.notify()

    def pending(self) -> int:
        """Tiles asked for and not delivered yet (queued or being computed)."""
        with self._cond:
            return len(self._queue) + self._working

    def stop(self, timeout: float = 2.0) -> None:
        _halt(self._cond, self._stopping)
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        try:  # on a busy machine the GUI thread's frames come first (Linux: a thread's own nice)
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        except (AttributeError, OSError):
            pass
        while True:
            with self._cond:
                while not self._queue and not self._stopping.is_set():
                    self._cond.wait()
                if self._stopping.is_set():
                    return
                job = self._queue.pop(0)
                self._working = 1
            try:
                ref = self._refs.get(job.key.generation)
                if ref is None:
                    ref = self._refs[job.key.generation] = reference_db(job.samples)
                self.compute_threads.add(threading.get_ident())
                image = render_tile(job, ref)
                self.computed += 1
            except Exception:  # a bug: say so on the terminal, keep serving the other tiles
                traceback.print_exc()
                image = None
            try:
                if image is not None:
                    self.ready.emit(job.key, image)
            except RuntimeError:  # the receiving side is gone (the window closed)
                return
            finally:
                with self._cond:
                    self._working = 0


class SpectrogramTiles(QObject):
    """The cache and the worker for one timeline, and what the view currently shows."""

    tile_arrived = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache = TileCache()
        self.worker = TileWorker(self)
        self.worker.ready.connect(self._on_ready)
        self.settings = SpectrogramSettings()
        self.palette = GREY
        self.generation = 0
        self.audio = None
        self._shown = self.settings

    def set_audio(self, audio) -> None:
        self.generation += 1
        self.audio = audio
        self._shown = self.shown()
        self.cache.clear()
        self.worker.want([])

    def set_settings(self, settings: SpectrogramSettings, palette: str) -> None:
        if settings == self.settings and palette == self.palette:
            return
        self.settings, self.palette = settings, palette if palette in PALETTES else GREY
        self._shown = self.shown()
        self.cache.clear()  # tiles of other settings would never be drawn again
        self.worker.want([])

    def shown(self) -> SpectrogramSettings:
        """The settings as drawn: kept inside what the audio holds (a hand-edited 96 kHz is 8 kHz)."""
        rate = self.audio.sample_rate if self.audio is not None else 16000
        return self.settings.clamped(rate)

    def key(self, hop: int, index: int) -> TileKey:
        return TileKey(self.generation, self._shown, self.palette, hop, index)

    def request(self, hop: int, indices: list[int]) -> int:
        """Ask the worker for the tiles of ``indices`` not cached (in that order); returns how many."""
        audio = self.audio
        if audio is None:
            return 0
        jobs = [_Job(self.key(hop, i), audio.samples, audio.sample_rate) for i in indices if self.key(hop, i) not in self.cache]
        self.worker.want(jobs)
        return len(jobs)

    @Slot(object, object)
    def _on_ready(self, key: TileKey, image: QImage) -> None:
        if key.generation != self.generation or key.settings != self._shown or key.palette != self.palette:
            return  # asked for before the audio or the settings changed
        self.cache.put(key, image)
        self.tile_arrived.emit()

    def shutdown(self) -> None:
        self.worker.stop()


class SpectrogramView(QGraphicsObject):
    """The spectrogram of the visible range in a band of the plot (pixel coordinates of the layer)."""

    def __init__(self, parent: QGraphicsItem, tiles: SpectrogramTiles) -> None:
        super().__init__(parent)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
        self.setZValue(-5)  # under the words' lines and labels, which stay draggable over it
        self.tiles = tiles
        self._rect = QRectF()
        self._frame = (0.0, 1.0, 0.0)  # t0 ms, t1 ms, width px
        self.hop = 0
        self.indices: range = range(0)
        self._label = ""

    def set_frame(self, rect: QRectF, t0_ms: float, t1_ms: float) -> None:
        """Show ``t0..t1`` ms across ``rect``; asks for the tiles that are missing."""
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = QRectF(rect)
        self._frame = (t0_ms, t1_ms, rect.width())
        audio = self.tiles.audio
        if audio is not None and rect.width() > 0 and t1_ms > t0_ms:
            rate = audio.sample_rate
            s0, s1 = t0_ms * rate / 1000.0, t1_ms * rate / 1000.0
            self.hop = hop_for((s1 - s0) / rect.width())
            last = (len(audio.samples) - 1) // (self.hop * TILE_COLUMNS)
            shown = tile_range(s0, s1, self.hop)
            self.indices = range(shown.start, max(shown.start, min(shown.stop, last + 1)))  # none past the end
            # the visible tiles from the middle out, then one beyond each edge for the next scroll
            middle = (self.indices.start + self.indices.stop - 1) / 2.0
            wanted = sorted(self.indices, key=lambda i: abs(i - middle))
            wanted += [self.indices.start - PREFETCH, self.indices.stop - 1 + PREFETCH]
            self.tiles.request(self.hop, [i for i in wanted if 0 <= i <= last])
        s = self.tiles.shown()
        self._label = QCoreApplication.translate("SpectrogramView", "{0:g} kHz").format(round(s.max_hz / 1000.0, 1))
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._rect

    def visible_tiles(self) -> list[tuple[TileKey, QImage | None]]:
        """The tiles the view needs, each with its image if it has arrived."""
        return [(k, self.tiles.cache.get(k)) for k in (self.tiles.key(self.hop, i) for i in self.indices)]

    def _stand_in(self, painter: QPainter, i: int, target: QRectF) -> None:
        """Draw tile ``i`` of the current level from other levels until it arrives: the nearest
        coarser tile that holds its stretch (zooming in), else the finer ones cached (zooming out)."""
        span = self.hop * TILE_COLUMNS
        for up in range(1, COARSER_LEVELS + 1):
            hop = self.hop << up
            j = (i * span) // (hop * TILE_COLUMNS)
            coarse = self.tiles.cache.peek(self.tiles.key(hop, j))
            if coarse is not None:
                col = (i * span - j * hop * TILE_COLUMNS) / hop
                painter.drawImage(target, coarse, QRectF(col, 0.0, TILE_COLUMNS / (1 << up), coarse.height()))
                return
        for down in range(1, FINER_LEVELS + 1):
            hop, parts = self.hop >> down, 1 << down
            if hop < MIN_HOP:
                return
            fine = [self.tiles.cache.peek(self.tiles.key(hop, i * parts + k)) for k in range(parts)]
            if any(image is not None for image in fine):
                w = target.width() / parts
                for k, image in enumerate(fine):
                    if image is not None:
                        painter.drawImage(QRectF(target.left() + k * w, target.top(), w, target.height()), image,
                                          QRectF(image.rect()))
                return

    def paint(self, painter: QPainter, _option, _widget=None) -> None:
        rect, audio = self._rect, self.tiles.audio
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)  # columns stay crisp
        # on whole pixels (below) antialiasing gains nothing and takes drawImage off its fast scaling path
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillRect(rect, QColor.fromRgb(int(_palette_table(self.tiles.palette)[0])))
        if audio is None or not self.hop:
            return
        t0, t1, width = self._frame
        px_per_sample = width / max((t1 - t0) * audio.sample_rate / 1000.0, 1e-9)
        first_sample = t0 * audio.sample_rate / 1000.0
        end_x = rect.left() + (len(audio.samples) - first_sample) * px_per_sample
        painter.save()
        painter.setClipRect(QRectF(rect.left(), rect.top(), max(0.0, min(rect.width(), end_x - rect.left())), rect.height()))
        for i in self.indices:
            span = self.hop * TILE_COLUMNS
            # each edge rounded by the same formula: neighbours meet with no gap and no overlap
            x0 = round(rect.left() + (i * span - first_sample) * px_per_sample)
            x1 = round(rect.left() + ((i + 1) * span - first_sample) * px_per_sample)
            target = QRectF(x0, round(rect.top()), x1 - x0, round(rect.bottom()) - round(rect.top()))
            image = self.tiles.cache.get(self.tiles.key(self.hop, i))
            if image is not None:
                painter.drawImage(target, image, QRectF(image.rect()))
                continue
            self._stand_in(painter, i, target)
        painter.restore()
        painter.setPen(QColor(120, 120, 120))
        painter.drawText(QRectF(rect.left() + 4, rect.top() + 2, 80, 16), Qt.AlignmentFlag.AlignLeft, self._label)
