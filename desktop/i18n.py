"""Which language the editor speaks, and the translators that make it so.

The choice, first match wins: ``WORDSYNC_LANG`` (``zh_CN``, ``en``...), the ``ui/language``
setting (View → Language), the system locale. Simplified Chinese (zh_CN, zh_SG, zh_Hans...) gets
our ``resources/i18n/wordsync_zh_CN.qm`` plus Qt's own ``qtbase_zh_CN.qm``, so standard buttons
and dialogs (OK, Cancel, file dialogs) speak it too; anything else is English, the source language.

Translators are installed before the window is built: widgets call ``tr()`` when they are made,
so a change of language applies at the next start (the menu says so) instead of half-applying.
The ``.qm`` is compiled from ``resources/i18n/wordsync_zh_CN.ts`` by ``packaging/translations.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator, Slot
from PySide6.QtGui import QAction, QActionGroup

from . import settings

I18N_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"
ENV = "WORDSYNC_LANG"
ENGLISH = "en"
CHINESE = "zh_CN"
# shipped languages, each named in itself (a user who can't read the current UI still finds theirs)
LANGUAGES: dict[str, str] = {ENGLISH: "English", CHINESE: "简体中文"}

_installed: list[QTranslator] = []  # Qt does not own installed translators: keep them alive here


def resolve(name: str | None) -> str | None:
    """The shipped language for a locale name ("zh-CN", "zh_Hans_SG", "en_GB.UTF-8"), None when unset."""
    if not name or not name.strip():
        return None
    name = name.strip().split(".")[0].split("@")[0].replace("-", "_")
    if name in ("C", "POSIX"):
        return ENGLISH
    locale = QLocale(name)
    if locale.language() == QLocale.Language.Chinese:
        # zh_TW / zh_HK default to Traditional script, which we do not ship: English reads better
        # than the wrong script for most of those users, and Qt says which script a name means.
        return CHINESE if locale.script() == QLocale.Script.SimplifiedHanScript else ENGLISH
    return ENGLISH


def choose_language(env: str | None = None, setting: str | None = None, system: QLocale | None = None) -> str:
    for candidate in (env, setting):
        chosen = resolve(candidate)
        if chosen is not None:
            return chosen
    system = system if system is not None else QLocale.system()
    return resolve(system.name()) or ENGLISH


def current_choice() -> str:
    return choose_language(os.environ.get(ENV), settings.value(settings.LANGUAGE, ""), QLocale.system())


def install_translators(app: QCoreApplication, language: str | None = None) -> str:
    """Install the translators for ``language`` (default: :func:`current_choice`); returns the language.

    Calling it again replaces the previous ones (tests switch languages in one process).
    """
    language = language or current_choice()
    from .messages import forget_translations

    forget_translations()  # the core's messages are worded again in the new language
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if language == ENGLISH:
        QLocale.setDefault(QLocale.system())  # English words, the user's own number formats
        return language
    locale = QLocale(language)
    QLocale.setDefault(locale)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{language}", qt_dir), (f"wordsync_{language}", str(I18N_DIR))):
        translator = QTranslator()
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
    return language


def installed_files() -> list[str]:
    return [t.filePath() for t in _installed]


class LanguageMenu(QObject):
    """View → Language: System default / English / 简体中文, stored in the settings for the next start."""

    def __init__(self, host):
        super().__init__(host.widget)
        self.host = host
        menu = host.menus["view"].addMenu(self.tr("&Language"))
        menu.setObjectName("menu-language")
        self.menu = menu
        self.group = QActionGroup(self)
        saved = resolve(settings.value(settings.LANGUAGE, "")) or ""
        for code, name in (("", self.tr("System default")), *LANGUAGES.items()):
            action = QAction(name, self)
            action.setCheckable(True)
            action.setChecked(code == saved)
            action.setData(code)
            action.setObjectName(f"language-{code or 'system'}")
            self.group.addAction(action)
            menu.addAction(action)
        self.group.triggered.connect(self._chosen)

    @Slot(QAction)
    def _chosen(self, action: QAction) -> None:
        code = action.data() or ""
        settings.set_value(settings.LANGUAGE, code)
        shown = code or resolve(QLocale.system().name()) or ENGLISH
        message = self.tr("The language changes to {0} when you restart Wordsync.").format(LANGUAGES[shown])
        if os.environ.get(ENV):
            message = self.tr("{0} is set and overrides this choice.").format(ENV)
        self.host.status(message)
