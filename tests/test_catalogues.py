"""The Ukrainian and Russian catalogues hold every string the code marks, each translated.

The catalogues are brought up to date in a copy of the source, as ``make messages`` would: a string
marked in the code but missing from a catalogue comes back untranslated, one whose English changed
comes back fuzzy, and either fails here. ``msgfmt --check-format`` refuses a translation whose
placeholders differ from its English.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ("uk", "ru")
SOURCES = ("accounts", "maps", "ogc", "tracker", "zones", "templates", "locale", "manage.py")
APPS_WITH_PAGES = ("accounts", "maps", "tracker", "zones")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        elif source.exists():
            shutil.copy2(source, copy / name)
    options = ["-l", "uk", "-l", "ru", "--add-location=file", "--no-wrap"]
    for domain in ("django", "djangojs"):
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-d", domain, *options],
            cwd=copy,
            check=True,
            capture_output=True,
        )
    return copy


def catalogues(root: Path) -> list[Path]:
    return sorted(path for path in root.glob("**/locale/*/LC_MESSAGES/*.po"))


def test_every_app_with_pages_has_both_languages():
    for app in APPS_WITH_PAGES:
        for language in LANGUAGES:
            assert (ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po").is_file(), (app, language)


def test_no_string_is_untranslated_or_fuzzy(regenerated):
    missing = []
    for path in catalogues(regenerated):
        catalogue = polib.pofile(str(path))
        name = path.relative_to(regenerated)
        missing += [f"{name}: untranslated: {entry.msgid!r}" for entry in catalogue.untranslated_entries()]
        missing += [f"{name}: fuzzy: {entry.msgid!r}" for entry in catalogue.fuzzy_entries()]
    assert catalogues(regenerated), "no catalogue found"
    assert not missing, f"{len(missing)} messages lack a translation:\n" + "\n".join(missing[:40])


def test_translations_keep_their_placeholders():
    for path in catalogues(ROOT):
        checked = subprocess.run(
            ["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(path)],
            capture_output=True,
            text=True,
        )
        assert checked.returncode == 0, f"{path.relative_to(ROOT)}: {checked.stderr}"
