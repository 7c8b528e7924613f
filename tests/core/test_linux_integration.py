"""packaging/linux: the desktop entry, AppStream metainfo and MIME type are valid and agree.

The validators come from the desktop-file-utils and appstream Debian packages (packaging/dev.sh
installs them); without them those checks are skipped, the consistency checks still run.
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from aligner_core.project import EXTENSION

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
APP_ID = "io.github.wordsync.Wordsync"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MIME = LINUX / f"{APP_ID}.mime.xml"
MIME_TYPE = "application/x-wordsync-project"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def _run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_file_validates():
    result = _run("desktop-file-validate", str(DESKTOP))
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_metainfo_validates():
    result = _run("appstreamcli", "validate", "--no-net", str(METAINFO))
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_entry_opens_projects_with_the_editor():
    entry = _desktop_entry()
    assert entry["Exec"].split()[0] == "wordsync-editor" and "%F" in entry["Exec"]
    assert entry["Icon"] == APP_ID
    assert MIME_TYPE in entry["MimeType"].split(";")
    assert entry["Terminal"] == "false"


def test_mime_type_claims_the_project_extension():
    root = ET.parse(MIME).getroot()
    (mime,) = root.findall(f"{MIME_NS}mime-type")
    assert mime.get("type") == MIME_TYPE
    assert [g.get("pattern") for g in mime.findall(f"{MIME_NS}glob")] == [f"*{EXTENSION}"]


def test_metainfo_names_the_desktop_file_screenshots_and_mime_type():
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == DESKTOP.name
    assert root.find("content_rating") is not None and root.find("releases/release") is not None
    assert MIME_TYPE in [m.text for m in root.findall("provides/mediatype")]
    shots = [Path(i.text).name for i in root.findall("screenshots/screenshot/image")]
    assert shots, "no screenshots"
    for name in shots:  # each one is a README picture that exists in the repository
        assert (ROOT / "resources" / "screenshots" / name).is_file(), name
        assert f"resources/screenshots/{name}" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("update-mime-database") is None, reason="shared-mime-info not installed")
def test_install_script_registers_the_mime_type_and_icons(tmp_path):
    env = dict(os.environ, PREFIX=str(tmp_path))
    result = subprocess.run(["bash", str(LINUX / "install.sh")], check=False, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    share = tmp_path / "share"
    assert f"{MIME_TYPE}:*{EXTENSION}" in (share / "mime" / "globs2").read_text(encoding="utf-8")
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (share / "applications" / DESKTOP.name).is_file()
