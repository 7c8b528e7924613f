"""Spell checking in the editor: misspelt words marked in the word table, and Edit → Spell check… (F7).

The dictionary for the document's language is loaded in the background (the task runner's
``spelling`` slot; a real Hunspell dictionary takes a second or two in pure Python) the first
time the user asks for a spell check, then again for a document in another language; from then
on the word table marks misspelt words. When none can be loaded, the status bar and the action's
status tip say why in one sentence (spylls or a dictionary is missing); nothing else changes. The checking itself is the core's
(:mod:`aligner_core.spelling`).

The walk goes from the selection to the next misspelt word (wrapping once), shows suggestions
(found in the background: a real dictionary takes half a second or more per word),
and offers Replace (one undo step; a one-word correction keeps the word's times, as replacing
does), Ignore (this word, until the editor closes) and Add (to the personal word list in the
settings folder, ``personal-words.txt``). The user's own dictionaries folder (setting
``spelling/folder``, default ``dictionaries`` in the settings folder) is searched first.
"""

from __future__ import annotations

from pathlib import Path

from functools import partial

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from aligner_core.replace import Replacement, plan_replace
from aligner_core.spelling import (
    SYSTEM_FOLDERS,
    Speller,
    SpellingError,
    checked_form,
    load_speller,
    read_personal,
    write_personal,
)

from . import settings
from .messages import core_message
from .selection import selection

FOLDER_KEY = "spelling/folder"
BACKGROUND = "spelling"
SUGGEST = "spelling-suggestions"


def settings_folder() -> Path:
    return Path(settings.settings().fileName()).parent


def personal_path() -> Path:
    return settings_folder() / "personal-words.txt"


def dictionary_folders() -> list[Path]:
    user = settings.value(FOLDER_KEY, str(settings_folder() / "dictionaries"))
    return [Path(user), *SYSTEM_FOLDERS]


class SpellCheckController(QObject):
    def __init__(self, host, word_model) -> None:
        super().__init__(host.widget)
        self.host = host
        self.session = host.session
        self.view = host.view
        self.word_model = word_model
        self.speller: Speller | None = None
        self.problem: str | None = None  # why there is no speller, in one sentence
        self.ignored: set[str] = set()
        self.dialog: SpellCheckDialog | None = None
        self._language: str | None = None  # the language of the speller loaded or loading
        self._walk_when_loaded = False
        self._wanted: tuple[int, str] | None = None  # the word whose suggestions the walk shows
        self.action = host.add_action("edit.spell_check", self.tr("Spell c&heck…"), self.start, "edit")
        self.session.document_reset.connect(self._on_document_reset)

    # -- loading -----------------------------------------------------------------------------------
    @Slot()
    def _on_document_reset(self) -> None:
        doc = self.session.document
        if self._language is not None and doc is not None and doc.language != self._language:
            self.load(doc.language)  # the user spell checks: the new document's words are marked too

    def load(self, language: str) -> None:
        """Load the dictionary for ``language`` in the background (a later call wins)."""
        self._language = language
        self.speller, self.problem = None, None
        self.word_model.set_spelling(None)
        folders = dictionary_folders()
        personal = read_personal(personal_path())

        def job(_ctx):
            try:
                return language, load_speller(language, folders, personal)
            except SpellingError as exc:
                return language, exc

        self.host.tasks.detach(BACKGROUND)  # an older load for another language is not waited for
        self.host.tasks.run(job, self.tr("Loading the spelling dictionary"), self._on_loaded, background=BACKGROUND,
                            on_failed=self._on_load_failed)

    @Slot(object)
    def _on_loaded(self, result) -> None:
        language, outcome = result
        if language != self._language:
            return
        if isinstance(outcome, SpellingError):
            self._set_speller(None, core_message(outcome))
        else:
            self._set_speller(outcome, None)
        if self._walk_when_loaded:
            self._walk_when_loaded = False
            self.host.status("")  # 'Loading the spelling dictionary…', said while the user waited, is over
            self.start()

    @Slot(str)
    def _on_load_failed(self, message: str) -> None:
        self._set_speller(None, message)
        if self._walk_when_loaded:
            self._walk_when_loaded = False
            self.host.status(message)

    def _set_speller(self, speller: Speller | None, problem: str | None) -> None:
        self.speller, self.problem = speller, problem
        self.action.setStatusTip(problem or self.tr("Walk the misspelt words: replace, ignore or add them"))
        self.word_model.set_spelling(None if speller is None else self._is_misspelt)

    def _is_misspelt(self, text: str) -> bool:
        return self.speller is not None and checked_form(text) not in self.ignored and self.speller.is_misspelt(text)

    # -- the walk ----------------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        doc = self.session.document
        if doc is None:
            return
        if self.speller is None and self.problem is None:
            # the first spell check (or the load is under way): the walk starts once it is loaded
            self._walk_when_loaded = True
            if self._language != doc.language or self.host.tasks.running(BACKGROUND) is None:
                self.load(doc.language)
            self.host.status(self.tr("Loading the spelling dictionary…"))
            return
        if self.speller is None:
            self.host.status(self.problem)
            return
        if self.dialog is None:
            self.dialog = SpellCheckDialog(self, self.host.widget)
        self.dialog.show()
        self.dialog.raise_()
        self.next_word(inclusive=True)

    def next_word(self, *, inclusive: bool = False) -> int | None:
        """Select the next misspelt word after the selection (wrapping once); None when none is left."""
        doc = self.session.document
        if doc is None or self.dialog is None:
            return None
        words = selection(doc, self.view).tokens
        here = (words.start if inclusive else words.start + 1) if words else 0
        n = len(doc.tokens)
        for k in range(n):
            i = (here + k) % n
            if self._is_misspelt(doc.tokens[i].text):
                self.view.select(tokens=(i, i))
                tok = doc.tokens[i]
                if tok.aligned:
                    self.view.reveal(tok.start, tok.end, readable=True)
                self.dialog.show_word(i, tok.text)
                self._suggest(i, tok.text)
                return i
        self.dialog.show_done()
        return None

    def _suggest(self, index: int, text: str) -> None:
        """Find suggestions in the background (half a second or more with a real dictionary):
        the word shows at once, its suggestions when they come. One search at a time; the
        word shown when one ends is searched next if it is not the one just searched."""
        self._wanted = (index, text)
        speller = self.speller

        def job(_ctx):
            return speller.suggest(text)

        self.host.tasks.run(job, self.tr("Finding spelling suggestions"), partial(self._on_suggestions, index, text),
                            background=SUGGEST, on_failed=self.host.status)

    def _on_suggestions(self, index: int, text: str, found) -> None:
        if self.dialog is None:
            return
        if self._wanted == (index, text):
            self.dialog.show_suggestions(index, list(found))
        elif self._wanted is not None:
            QTimer.singleShot(0, partial(self._suggest, *self._wanted))  # after this job frees its slot

    def replace(self, index: int, text: str) -> bool:
        doc = self.session.document
        if doc is None or not 0 <= index < len(doc.tokens) or not text.strip():
            return False
        old = doc.tokens[index].text
        edit, spans = plan_replace(doc, [Replacement(index, index, old, text.strip())])
        if edit is None:
            return False
        return self.session.push_text_edit(edit, self.tr("Correct spelling"), spans[0] if spans else None)

    def ignore(self, text: str) -> None:
        self.ignored.add(checked_form(text))
        self.word_model.set_spelling(self._is_misspelt)

    def add(self, text: str) -> None:
        if self.speller is None:
            return
        self.speller.add(text)
        try:
            write_personal(personal_path(), self.speller.personal)
        except OSError as exc:
            self.host.status(core_message(exc))
        self.word_model.set_spelling(self._is_misspelt)


class SpellCheckDialog(QDialog):
    """The walk's window (not modal: the word stays selected in the tables and the timeline)."""

    def __init__(self, controller: SpellCheckController, parent=None):
        super().__init__(parent)
        self.setObjectName("spell-check-dialog")
        self.setWindowTitle(self.tr("Spell check"))
        self.controller = controller
        self.index: int | None = None
        self.word_label = QLabel()
        self.word_label.setObjectName("spell-word")
        self.suggestions = QListWidget()
        self.suggestions.setObjectName("spell-suggestions")
        self.suggestions.currentTextChanged.connect(self._on_suggestion)
        self.suggestions.itemDoubleClicked.connect(lambda _item: self.replace())
        self.replacement = QLineEdit()
        self.replacement.setObjectName("spell-replacement")
        self.replace_button = QPushButton(self.tr("&Replace"))
        self.ignore_button = QPushButton(self.tr("&Ignore"))
        self.add_button = QPushButton(self.tr("&Add to my words"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for b in (self.replace_button, self.ignore_button, self.add_button):
            buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
        self.replace_button.clicked.connect(self.replace)
        self.ignore_button.clicked.connect(self.ignore)
        self.add_button.clicked.connect(self.add)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.word_label)
        layout.addWidget(QLabel(self.tr("Suggestions:")))
        layout.addWidget(self.suggestions, 1)
        layout.addWidget(QLabel(self.tr("Change to:")))
        layout.addWidget(self.replacement)
        layout.addWidget(buttons)

    def show_word(self, index: int, text: str) -> None:
        self.index = index
        self.word_label.setText(self.tr("Not in the dictionary: “{0}” (word {1})").format(text, index + 1))
        self.suggestions.clear()
        self.suggestions.setEnabled(False)
        self.suggestions.addItem(self.tr("Finding suggestions…"))
        self.replacement.setText(text)
        for b in (self.replace_button, self.ignore_button, self.add_button):
            b.setEnabled(True)

    def show_suggestions(self, index: int, suggestions: list[str]) -> None:
        if index != self.index:
            return
        self.suggestions.clear()
        self.suggestions.setEnabled(True)
        if not suggestions:
            self.suggestions.addItem(self.tr("No suggestions"))
            self.suggestions.setEnabled(False)
            return
        self.suggestions.addItems(suggestions)
        self.suggestions.setCurrentRow(0)  # fills "Change to"

    def show_done(self) -> None:
        self.index = None
        self.word_label.setText(self.tr("No misspelt words."))
        self.suggestions.clear()
        self.replacement.clear()
        for b in (self.replace_button, self.ignore_button, self.add_button):
            b.setEnabled(False)

    @Slot(str)
    def _on_suggestion(self, text: str) -> None:
        if text and self.suggestions.isEnabled():
            self.replacement.setText(text)

    def _current_text(self) -> str | None:
        doc = self.controller.session.document
        if self.index is None or doc is None or self.index >= len(doc.tokens):
            return None
        return doc.tokens[self.index].text

    @Slot()
    def replace(self) -> None:
        if self.index is not None and self.controller.replace(self.index, self.replacement.text()):
            self.controller.next_word(inclusive=True)

    @Slot()
    def ignore(self) -> None:
        text = self._current_text()
        if text is not None:
            self.controller.ignore(text)
            self.controller.next_word()

    @Slot()
    def add(self) -> None:
        text = self._current_text()
        if text is not None:
            self.controller.add(text)
            self.controller.next_word()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)
