from __future__ import annotations

import compileall
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))

from builder.build import build  # noqa: E402

# Every edition whose outputs the accessibility tests check: the 2019 edition,
# one made here (nynorsk, five members with Sami names, long enough to break
# a paragraph and the table over pages) and each edition under examples/.
EXAMPLES = sorted(path.parent for path in (ROOT / "examples").glob("**/report.yaml"))
EDITIONS = ["content", "sami-nn", *(str(path.relative_to(ROOT)) for path in EXAMPLES)]

SAMI_MEMBERS = ["Guovdageaidnu", "Kárášjohka", "Deatnu", "Porsáŋgu", "Unjárga"]
# Every character the issue names: Norwegian, Sami and typographic
SPECIAL_TEXT = "æ ø å Æ Ø Å, á č đ ŋ š ŧ ž Á Č Đ Ŋ Š Ŧ Ž, ï; § – — « » ’ …"


def pytest_configure(config: pytest.Config) -> None:
    """oversikt's modules byte-compiled once, before the workers start, as
    ``pip install`` leaves them: the tests start some 400 ``python -m
    builder`` processes, and where PYTHONDONTWRITEBYTECODE is set (it is on
    the machines this project is built and tested on) each would otherwise
    compile every module from source again, some 40 ms a process."""
    if not hasattr(config, "workerinput"):  # the controller, or a run without workers
        compileall.compile_dir(ROOT / "builder", quiet=1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files that hold a slow test first, the others after them in their
    usual order: pytest-xdist hands each worker a whole file in this order
    (pyproject's addopts), and a long file started last would leave the other
    worker idle at the end."""
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)  # stable: each file's own order kept


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def content_dir() -> Path:
    return ROOT / "content"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, Path]:
    """content/ built once into both formats, shared by the read-back tests."""
    out = tmp_path_factory.mktemp("build")
    written, _ = build(ROOT / "content", out)
    return {path.suffix.lstrip("."): path for path in written}


@pytest.fixture
def make_edition(tmp_path):
    """A copy of tests/editions/base with the given edits, in a fresh folder."""
    from edits import make_edition as make

    count = 0

    def factory(*edits) -> Path:
        nonlocal count
        count += 1
        return make(tmp_path / f"content{count}", *edits)

    return factory


def write_sami_edition(folder: Path) -> Path:
    """A nynorsk edition of five Sami municipalities, written as an editor would."""
    (folder / "text").mkdir(parents=True)
    report = {
        "as_of": "2024-01-01",
        "region": "Sámi-regionen",
        "members": SAMI_MEMBERS,
        "language": "nn",
        "text": ["innleiing.md", "lang.md"],
    }
    (folder / "report.yaml").write_text(yaml.safe_dump(report, allow_unicode=True, sort_keys=False), "utf-8")
    (folder / "text" / "innleiing.md").write_text(
        "{{ members | alphabetical | and_list }} er med i {{ region }} per {{ as_of | date_long }}.\n\n"
        "# Samarbeid med Snåasen tjïelte\n\n"
        f"Teikn som må kome med: {SPECIAL_TEXT}\n\n"
        "- Fyrste nivå med *utheving*\n"
        "  - Andre nivå\n"
        "    - Tredje nivå\n"
        "- Attende på fyrste nivå, **feit**\n",
        "utf-8",
    )
    sentences = " ".join(f"Setning {number} om samarbeid i Sápmi og Porsáŋgu." for number in range(1, 160))
    (folder / "text" / "lang.md").write_text(sentences + "\n", "utf-8")
    categories = []
    for number in range(1, 7):
        agreements = []
        for index in range(1, 12):
            agreement = {
                "name": f"Ovttasbargu {number}.{index} – Čáhcesuolu",
                "form": ["IKS", "Avtale", "§ 27", "Vertskommunesamarbeid"][index % 4],
                "members": "all" if index % 3 == 0 else SAMI_MEMBERS[: 1 + index % 5],
                "comment": "Med Snåasen tjïelte" if index % 2 else "«Sjå òg» Deatnu’s avtale …",
            }
            if index == 1:
                agreement["id"] = f"ramme{number}"
            elif index in (2, 3):
                agreement["part_of"] = f"ramme{number}"
            agreements.append(agreement)
        categories.append({"name": f"Kategori {number}: Ŧ Ŋ Đ", "agreements": agreements})
    (folder / "agreements.yaml").write_text(
        yaml.safe_dump({"categories": categories}, allow_unicode=True, sort_keys=False), "utf-8"
    )
    return folder


@dataclass(frozen=True)
class BuiltEdition:
    name: str
    content_dir: Path
    pdf: Path
    docx: Path


@pytest.fixture(scope="session")
def _built_editions() -> dict[str, BuiltEdition]:
    return {}


@pytest.fixture(scope="session", params=EDITIONS)
def edition(request, built, tmp_path_factory, _built_editions) -> BuiltEdition:
    """Each edition in EDITIONS, built once per session."""
    return _built_edition(request.param, built, tmp_path_factory, _built_editions)


@pytest.fixture(scope="session")
def sami(built, tmp_path_factory, _built_editions) -> BuiltEdition:
    return _built_edition("sami-nn", built, tmp_path_factory, _built_editions)


def _built_edition(name: str, built, tmp_path_factory, cache: dict[str, BuiltEdition]) -> BuiltEdition:
    if name not in cache:
        if name == "content":
            content, files = ROOT / "content", built
        else:
            content = ROOT / name if name != "sami-nn" else write_sami_edition(tmp_path_factory.mktemp("sami-nn"))
            written, _ = build(content, tmp_path_factory.mktemp("out"))
            files = {path.suffix.lstrip("."): path for path in written}
        cache[name] = BuiltEdition(name, content, files["pdf"], files["docx"])
    return cache[name]


# The environment variables that name the user's data folder, where the
# workbench keeps its save history: XDG on Linux (and macOS), the override
# platformdirs reads on Windows
DATA_HOME = ("XDG_DATA_HOME", "WIN_PD_OVERRIDE_LOCAL_APPDATA")


@pytest.fixture(scope="session", autouse=True)
def _data_home(tmp_path_factory):
    """No test, nor a command it starts, writes into the real user data folder."""
    folder = tmp_path_factory.mktemp("data")
    with pytest.MonkeyPatch.context() as patch:
        for name in DATA_HOME:
            patch.setenv(name, str(folder))
        yield folder


# --- the browser and the workbench, for the tests that drive them -------------


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one for a test module."""
    from platforms import launch_chromium
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def serve(edition, tmp_path):
    """Starts ``oversikt serve`` on the test module's ``edition`` (or the
    folder given), stopped again after the test."""
    from served import Served

    started: list = []

    def start(*options: str, content: Path = edition):
        served = Served(content, *options, log=tmp_path / f"serve{len(started)}")
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


@pytest.fixture
def bench(serve, browser):
    """The workbench on the test module's ``edition``, and a page that opened
    its address with the secret (so it may save)."""
    served = serve()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(served.editing_url)
    yield served, page
    context.close()
