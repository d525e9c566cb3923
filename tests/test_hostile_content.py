"""Content written to hurt: templates that would run without end or fill the
memory, Markdown nested past what markdown-it keeps, layouts that extend
each other without end, broken fonts, and files that are devices, FIFOs or
links out of the content folder. Each must end in a located message (exit 1)
or a build (exit 0), never a hang, an internal error (exit 3) or lost text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from edits import replace, write
from html_readback import parse
from readback import docx_paragraphs, pdf_text

from builder.build import build, prepare
from builder.diagnostics import ContentError
from builder.formula_cells import neutralised
from builder.rolling import roll

try:
    import resource
except ImportError:  # Windows
    resource = None

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "layouts" / "fonts"
TEXT = "text/innledning.md"
REFERENCE_TEXT = ROOT / "tests" / "fixtures" / "oversikt-2019.txt"
MEMORY_LIMIT = 1024**3
TIME_LIMIT = 30
needs_links = pytest.mark.skipif(os.name != "posix", reason="needs POSIX symbolic links and devices")
needs_fifos = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo (POSIX)")


def text_with(line: str) -> object:
    """The base edition's text, with ``line`` as its line 3 and a paragraph after it."""
    return write(TEXT, f"# Innledning\n\n{line}\n\nTeksten etter.\n")


def errors(content: Path) -> list[str]:
    with pytest.raises(ContentError) as raised:
        prepare(content)
    return [str(d) for d in raised.value.diagnostics.errors]


def _limited() -> None:  # runs in the child before it starts Python
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


# A terminal that takes strict UTF-8 and nothing else: what the command
# prints must encode, whatever the content's names and values are
STRICT_TERMINAL = {"PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8"}
# What may not reach a terminal raw (builder/terminal.py): C0 controls but
# tab and line feed, DEL, C1 controls, the bidirectional overrides and isolates
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def run_oversikt(*args: str | bytes, cwd: Path) -> subprocess.CompletedProcess:
    """``python -m builder`` as an editor runs it, with at most 1 GiB of memory
    and 30 s, printing to a strict UTF-8 terminal; its output is read as bytes
    and decoded strictly, so a byte that is not UTF-8 fails the test."""
    result = subprocess.run(
        [sys.executable, "-m", "builder", *args],
        cwd=cwd,
        capture_output=True,
        timeout=TIME_LIMIT,
        preexec_fn=_limited,
        env={**os.environ, "PYTHONPATH": str(ROOT), **STRICT_TERMINAL},
    )
    result.stdout, result.stderr = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    return result


def assert_ends_well(result: subprocess.CompletedProcess) -> None:
    """No internal error, no traceback, nothing a terminal would run."""
    assert "intern feil" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert not RAW_CONTROLS.search(result.stdout + result.stderr), repr(result.stdout + result.stderr)


# --- the corpus -------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    place: str  # what the first message begins with: the file, and its line where there is one
    words: str  # what it says


def _layout_chain(content: Path) -> None:
    layouts = content / "layouts"
    layouts.mkdir()
    for number in range(3000):
        (layouts / f"kjede{number}.yaml").write_text(f"extends: kjede{number + 1}\n", "utf-8")
    with (content / "report.yaml").open("a", encoding="utf-8") as report:
        report.write("layout: kjede0\n")


def _broken_font(content: Path) -> None:
    layouts = content / "layouts"
    (layouts / "fonts").mkdir(parents=True)
    good = (FONTS / "Carlito-Regular.ttf").read_bytes()
    (layouts / "fonts" / "halv.ttf").write_bytes(good[: len(good) // 2])
    shipped = (ROOT / "layouts" / "oversikt.yaml").read_text("utf-8")
    layout = shipped.replace("fonts/Carlito-Regular.ttf", "fonts/halv.ttf")
    for face in ("Bold", "Italic", "BoldItalic"):
        layout = layout.replace(f"fonts/Carlito-{face}.ttf", str(FONTS / f"Carlito-{face}.ttf"))
    (layouts / "skadet.yaml").write_text(layout, "utf-8")
    with (content / "report.yaml").open("a", encoding="utf-8") as report:
        report.write("layout: skadet\n")


def _text_to_device(content: Path) -> None:
    (content / TEXT).unlink()
    os.symlink("/dev/zero", content / TEXT)


def _text_is_fifo(content: Path) -> None:
    (content / TEXT).unlink()
    os.mkfifo(content / TEXT)


def _text_folder_elsewhere(content: Path) -> None:
    elsewhere = content.parent / f"{content.name}-andre"
    (content / "text").rename(elsewhere)
    os.symlink(elsewhere, content / "text")


def _agreement_line(line: str) -> object:
    """The base edition with ``line`` added to 'Borgerlig vigsel', as its line 9 (agreements.yaml)."""
    return replace("agreements.yaml", "        form: Avtale\n", f"        {line}\n        form: Avtale\n")


def _text_entry(name: str) -> object:
    """report.yaml's 'text' naming ``name`` (line 5, column 8)."""
    return replace("report.yaml", "text: [innledning.md]", f"text: [{name}]")


def layout_with(text: str, report_line: str = "layout: fiendtlig") -> object:
    """The edition with a layout of its own, layouts/fiendtlig.yaml, holding ``text``."""

    def hurt(content: Path) -> None:
        (content / "layouts").mkdir()
        (content / "layouts" / "fiendtlig.yaml").write_text(text, "utf-8")
        with (content / "report.yaml").open("a", encoding="utf-8") as report:
            report.write(report_line + "\n")

    return hurt


LAYOUT = "layouts/fiendtlig.yaml"
HOSTILE_FONT_NAME = "x}</style><script>alert(1)</script><style>"

# Layout values of the wrong kind or size, each refused where it stands.
HOSTILE_LAYOUTS = {
    "page size A5": (
        layout_with("extends: oversikt\npage:\n  size: A5\n"),
        Expected(f"{LAYOUT}:3", "'size' kan ikke være 'A5'"),
    ),
    "space_after abc": (
        layout_with("extends: oversikt\ntext:\n  space_after: abc\n"),
        Expected(f"{LAYOUT}:3", "'space_after' skal være et tall fra 0 til 36 pt, ikke 'abc'"),
    ),
    "line_spacing a list": (
        layout_with("extends: oversikt\ntext:\n  line_spacing: [1]\n"),
        Expected(f"{LAYOUT}:3", "'line_spacing' skal være et tall fra 0,8 til 3, ikke en liste"),
    ),
    "cell_padding text": (
        layout_with('extends: oversikt\ntable:\n  cell_padding: "x"\n'),
        Expected(f"{LAYOUT}:3", "'cell_padding' skal være et tall fra 0 til 12 pt, ikke 'x'"),
    ),
    "font family a number": (
        layout_with("extends: oversikt\nfonts:\n  family: 12\n"),
        Expected(f"{LAYOUT}:3", "'family' skal være tekst, men er et tall"),
    ),
    "font size 0": (
        layout_with("extends: oversikt\nfonts:\n  size: {body: 0}\n"),
        Expected(f"{LAYOUT}:3", "'body' skal være et tall fra 4 til 36 pt, ikke '0'"),
    ),
    "font size .inf": (
        layout_with("extends: oversikt\nfonts:\n  size: {table: .inf}\n"),
        Expected(f"{LAYOUT}:3", "'table' skal være et tall fra 4 til 24 pt, ikke 'inf'"),
    ),
    "font size 1.0e+6": (
        layout_with("extends: oversikt\nfonts:\n  size: {title: 1.0e+6}\n"),
        Expected(f"{LAYOUT}:3", "'title' skal være et tall fra 4 til 36 pt, ikke '1000000.0'"),
    ),
    "label padded to 300 MB": (
        layout_with('extends: oversikt\nlabels:\n  nb:\n    title: "Oversikt {region:>300000000}"\n'),
        Expected(f"{LAYOUT}:4", "plassholderen '{region:>300000000}' i teksten kan ikke ha formatering"),
    ),
    "shading not a colour": (
        layout_with('extends: oversikt\ntable:\n  header_shading: "rød"\n'),
        Expected(f"{LAYOUT}:3", "'rød' er ingen farge"),
    ),
    "colour not hexadecimal": (
        layout_with('extends: oversikt\ntext:\n  color: "GGGGGG"\n'),
        Expected(f"{LAYOUT}:3", "'GGGGGG' er ingen farge"),
    ),
    "orientation sideways": (
        layout_with("extends: oversikt\npage:\n  orientation: sideways\n"),
        Expected(f"{LAYOUT}:3", "'orientation' kan ikke være 'sideways'"),
    ),
    "font family ends the style": (
        layout_with(f"extends: oversikt\nfonts:\n  family: '{HOSTILE_FONT_NAME}'\n"),
        Expected(f"{LAYOUT}:3", "skriftnavnet 'x}</style><script>alert(1)</script><style>' kan bare ha bokstaver"),
    ),
    "layout as a path": (
        layout_with("extends: oversikt\n", f"layout: {ROOT / 'layouts' / 'oversikt.yaml'}"),
        Expected("report.yaml:6", "oppsettet skal nevnes med navnet sitt, ikke"),
    ),
    "layout up a folder": (
        layout_with("extends: oversikt\n", "layout: ../content1/layouts/fiendtlig"),
        Expected("report.yaml:6", "oppsettet skal nevnes med navnet sitt, ikke '../content1/layouts/fiendtlig'"),
    ),
    "extends a path": (
        layout_with(f"extends: {ROOT / 'layouts' / 'oversikt'}\n"),
        Expected(f"{LAYOUT}:1", "'extends': oppsettet skal nevnes med navnet sitt"),
    ),
}

LIST_10_DEEP = "\n".join("  " * level + f"- nivå {level + 1}" for level in range(10))

# (edits or a function making the content hostile, what the message says)
CORPUS = {
    "power": (text_with("{{ 9 ** (9 ** 9) }}"), Expected(f"{TEXT}:3", "for mange sifre")),
    "repeated text": (text_with('{{ "x" * 10**9 }}'), Expected(f"{TEXT}:3", "teksten blir for lang")),
    "repeated list": (text_with("{{ [1, 2] * 10**9 }}"), Expected(f"{TEXT}:3", "teksten blir for lang")),
    "nested loops": (
        text_with("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"),
        Expected(f"{TEXT}:3", "for mange steg"),
    ),
    "recursive macro": (
        text_with("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(1) }}"),
        Expected(f"{TEXT}:3", "for mange kall inne i hverandre"),
    ),
    "recursive loop": (
        text_with("{% for a in agreements recursive %}{{ loop(agreements) }}{% endfor %}"),
        Expected(f"{TEXT}:3", "for mange kall inne i hverandre"),
    ),
    "doubling text": (
        text_with('{% set ns = namespace(s="xy") %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}'),
        Expected(f"{TEXT}:3", "teksten blir for lang"),
    ),
    "padded format": (text_with('{{ "%0999999999d" % 1 }}'), Expected(f"{TEXT}:3", "bredden 999999999")),
    "centred": (text_with('{{ "x" | center(10**9) }}'), Expected(f"{TEXT}:3", "bredden 1000000000")),
    "replace everywhere": (
        text_with('{{ ("x" * 1000000).replace("", "yy") }}'),
        Expected(f"{TEXT}:3", "teksten blir for lang"),
    ),
    "deep parentheses": (
        text_with("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}"),
        Expected(f"{TEXT}:", "for mange nivåer"),
    ),
    "includes itself": (text_with('{% include "content1/' + TEXT + '" %}'), Expected(f"{TEXT}:", "for mange nivåer")),
    "list 10 deep": (text_with(LIST_10_DEEP), Expected(f"{TEXT}:6", "flere enn 3 nivåer")),
    "quote 300 deep": (text_with(">" * 300 + " sitat"), Expected(f"{TEXT}:", "for mange nivåer")),
    "many list items": (
        text_with("{% for i in range(100000) %}\n- punkt{% endfor %}"),
        Expected(f"{TEXT}:", "flere enn 20 000 avsnitt"),
    ),
    "brackets": (text_with("![" * 100_000), Expected(f"{TEXT}:3", "for mange klammeparenteser")),
    "mutating the data": (text_with("{{ agreements.clear() }}"), Expected(f"{TEXT}:3", "'clear'")),
    "layout chain": (_layout_chain, Expected("layouts/kjede20.yaml:1", "i mer enn 20 ledd")),
    "broken font": (_broken_font, Expected("layouts/fonts/halv.ttf", "oppsettet 'skadet'")),
    "text links to /dev/zero": (_text_to_device, Expected("report.yaml:5", "utenfor mappen")),
    "text is a FIFO": (_text_is_fifo, Expected(TEXT, "FIFO")),
    "text folder elsewhere": (_text_folder_elsewhere, Expected(TEXT, "utenfor")),
    # values no file or terminal can carry, and dates no writer can stamp
    "lone surrogate in id": (_agreement_line('id: "vigsel\\udc80"'), Expected("agreements.yaml:9:13", "U+DC80")),
    "surrogate in a text name": (_text_entry('"innledning\\udc80.md"'), Expected("report.yaml:5:8", "U+DC80")),
    "NUL in a text name": (_text_entry('"innledning\\0.md"'), Expected("report.yaml:5:8", "U+0000")),
    "text name over 255": (_text_entry("a" * 300 + ".md"), Expected("report.yaml:5:8", "filnavnet er for langt")),
    "as_of in 2108": (
        replace("report.yaml", "as_of: 2019-01-01", "as_of: 2108-01-01"),
        Expected("report.yaml:1:8", "'as_of' er i år 2108"),
    ),
    "since 20199": (_agreement_line("since: 20199"), Expected("agreements.yaml:9:16", "'since' er 20199")),
    "since in 2199": (_agreement_line("since: 01.01.2199"), Expected("agreements.yaml:9:16", "i år 2199")),
    # what a terminal would run: clear the screen, set the title, hide text, turn the line around
    "escapes in a key": (
        replace("report.yaml", "language: nb", 'language: nb\n"\\e[2J\\e]0;tittel\\a\\e[8m": 1'),
        Expected("report.yaml:5:1", "ukjent nøkkel '\\x1b[2J\\x1b]0;tittel\\x07\\x1b[8m'"),
    ),
    "escapes in a value": (
        replace("report.yaml", "language: nb", 'language: "\\e[8mnb\\u202e\\x9b\\r"'),
        Expected("report.yaml:4:11", "ukjent språk '\\x1b[8mnb\\u202e\\x9b\\x0d'"),
    ),
    **HOSTILE_LAYOUTS,
}


@pytest.mark.skipif(resource is None, reason="RLIMIT_AS needs the resource module (POSIX)")
@needs_links
@needs_fifos
@pytest.mark.parametrize("verb", ["check", "build"])
@pytest.mark.parametrize("case", list(CORPUS), ids=list(CORPUS))
def test_hostile_content_ends_in_a_located_message(case, verb, make_edition, tmp_path):
    hurt, expected = CORPUS[case]
    if callable(hurt):
        content = make_edition()
        hurt(content)
    else:
        content = make_edition(hurt)
    out = tmp_path / "ut"
    args = ["build", "content1", "--out", str(out)] if verb == "build" else ["check", "content1"]
    result = run_oversikt(*args, cwd=content.parent)
    assert result.returncode == 1, result.stderr
    assert_ends_well(result)
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"content1/{expected.place}") or first.startswith(str(content / expected.place)), first
    assert ": error: " in first and expected.words in first, first
    assert not out.exists() or not any(out.iterdir())


# --- what must not be lost or changed -----------------------------------------


def test_a_template_cannot_change_what_the_next_one_or_the_table_sees(make_edition, tmp_path):
    """Whatever a file tries on the shared values, the next file and the table see them whole."""
    content = make_edition(
        replace("report.yaml", "text: [innledning.md]", "text: [innledning.md, andre.md]"),
        text_with(
            "{% if agreements.clear is defined %}{{ agreements.clear() }}{% endif %}Først: {{ agreements|length }}"
        ),
        write("text/andre.md", "Så: {{ agreements | length }} av {{ members | length }}\n"),
    )
    written, _ = build(content, tmp_path)
    docx_file, pdf_file = sorted(written)
    paragraphs = [text for _, text in docx_paragraphs(docx_file)]
    assert "Først: 4" in paragraphs and "Så: 4 av 3" in paragraphs
    pdf = pdf_text(pdf_file)
    assert "Først: 4" in pdf and "Så: 4 av 3" in pdf
    assert "Legevaktsamarbeid" in pdf  # the table's last row


def test_a_mutating_call_is_refused_where_it_stands(make_edition):
    content = make_edition(text_with("{{ members.append('Ringebu') }}"))
    (error,) = errors(content)
    assert error.startswith(f"{content / TEXT}:3:") and "'append'" in error


def test_a_list_three_deep_and_what_follows_it_reach_both_outputs(make_edition, tmp_path):
    nested = "- ett\n  - to\n    - tre\n\n```\nkode i teksten\n```\n"
    in_item = "- punkt med kode:\n\n      innrykket kode\n"
    content = make_edition(text_with(nested + "\n" + in_item))
    written, diagnostics = build(content, tmp_path)
    docx_file, pdf_file = sorted(written)
    paragraphs = [text for _, text in docx_paragraphs(docx_file)]
    pdf = pdf_text(pdf_file)
    for words in ("tre", "kode i teksten", "innrykket kode", "Teksten etter."):
        assert any(words in p for p in paragraphs), words
        assert words in pdf, words
    assert [d.location.line for d in diagnostics.warnings if "kodeblokk" in d.message] == [7, 13]


def test_a_list_too_deep_is_refused_not_cut(make_edition):
    content = make_edition(text_with(LIST_10_DEEP))
    (error,) = errors(content)
    assert error.startswith(f"{content / TEXT}:6: error: listen har flere enn 3 nivåer")


def test_the_limits_leave_a_real_text_alone(make_edition, tmp_path):
    """Loops, macros, formats and arithmetic of a size a text has are not refused."""
    content = make_edition(
        text_with(
            "{% macro teller(n) %}{{ n }}{% if n > 1 %} {{ teller(n - 1) }}{% endif %}{% endmacro %}"
            "{{ teller(20) }}. {{ '%05.1f' % 2.5 }} {{ '{:>6}'.format('ok') | trim }} {{ 2 ** 100 }} "
            "{% for m in members %}{% for a in agreements | taking_part(m) %}{% endfor %}{% endfor %}"
            "{{ ('ab' * 1000) | length }}"
        )
    )
    written, _ = build(content, tmp_path, ("docx",))
    paragraphs = [text for _, text in docx_paragraphs(written[0])]
    countdown = " ".join(str(n) for n in range(20, 0, -1))
    assert f"{countdown}. 002.5 ok {2**100} 2000" in paragraphs


# The filters that make text from a width, a count or a separator, each
# just past its limit (MAX_WIDTH 1 000, MAX_TEXT 1 000 000 characters): small
# enough to render if a limit were lost, so that the test then fails (and
# reduced to a length, where the limit is what stops the text being made)
FILTERS_PAST_THEIR_LIMITS = {
    "indent": ('{{ "a\\nb" | indent(1001) }}', "bredden 1001 er for stor"),
    "indent by a text": ('{{ "a\\nb" | indent("x" * 1001) }}', "bredden 1001 er for stor"),
    "slice": ("{{ [1, 2] | slice(1001) | list }}", "bredden 1001 er for stor"),
    "join": ('{{ range(1001) | join("x" * 1000) | length }}', "teksten blir for lang"),  # refused before it is made
    "sum": ("{{ [[1], [2]] | sum(start=[]) }}", "sum kan bare legge sammen tall"),
    "format": ('{{ "%1001d" | format(1) }}', "bredden 1001 er for stor"),
}


@pytest.mark.parametrize("case", list(FILTERS_PAST_THEIR_LIMITS))
def test_a_filter_past_its_limit_is_refused_where_it_stands(case, make_edition):
    template, words = FILTERS_PAST_THEIR_LIMITS[case]
    content = make_edition(text_with(template))
    (error,) = errors(content)
    assert error.startswith(f"{content / TEXT}:3:") and f" error: {words}" in error, error


def test_the_filters_at_their_limits_make_their_text(make_edition, tmp_path):
    content = make_edition(
        text_with(
            '{{ ("a\\nb" | indent(1000)) | length }} {{ [1, 2] | slice(1000) | list | length }}'
            ' {{ range(990) | join("x" * 1000) | length }} {{ [1, 2] | sum(start=3) }}'
            ' {{ ("%1000d" | format(1)) | length }}'
        )
    )
    written, _ = build(content, tmp_path, ("docx",))
    paragraphs = [text for _, text in docx_paragraphs(written[0])]
    joined = 989 * 1000 + len("".join(str(number) for number in range(990)))  # 991 860 characters
    assert f"1003 1000 {joined} 6 1000" in paragraphs


# --- files that are not what they seem ----------------------------------------


@needs_links
def test_a_text_folder_that_links_out_is_refused(make_edition):
    content = make_edition()
    _text_folder_elsewhere(content)
    (error,) = errors(content)
    assert error.startswith(f"{content / TEXT}: error: filen er en lenke til") and "utenfor" in error


@needs_fifos
def test_report_yaml_as_a_fifo_is_refused_without_waiting(make_edition):
    content = make_edition()
    (content / "report.yaml").unlink()
    os.mkfifo(content / "report.yaml")
    message = "dette er en FIFO (navngitt rør), ikke en vanlig fil (bruk en vanlig fil)"
    assert errors(content)[0] == f"{content / 'report.yaml'}: error: {message}"


def test_a_file_too_large_is_refused_unread(make_edition):
    content = make_edition()
    with (content / "agreements.yaml").open("r+b") as stream:
        stream.truncate(65 * 1024 * 1024)  # sparse: large, but costs no disk
    (error,) = errors(content)
    assert error.startswith(f"{content / 'agreements.yaml'}: error: filen er større enn 64 MB")


@needs_links
def test_a_font_that_is_a_device_is_refused_by_the_layout_check(make_edition):
    content = make_edition()
    _broken_font(content)
    (content / "layouts" / "fonts" / "halv.ttf").unlink()
    os.symlink("/dev/zero", content / "layouts" / "fonts" / "halv.ttf")
    (error,) = errors(content)
    assert error.startswith(f"{content / 'layouts' / 'skadet.yaml'}:") and "er en enhet, ikke en vanlig fil" in error


def test_a_broken_font_names_the_file_and_the_layout(make_edition, tmp_path):
    content = make_edition()
    _broken_font(content)
    font = content / "layouts" / "fonts" / "halv.ttf"
    for attempt in (lambda: prepare(content), lambda: build(content, tmp_path)):
        with pytest.raises(ContentError) as raised:
            attempt()
        (error,) = raised.value.diagnostics.errors
        assert error.location.path == font
        assert "skriftfilen i oppsettet 'skadet' kan ikke leses som en TrueType-skrift" in error.message


# --- roll ------------------------------------------------------------------


@needs_links
@needs_fifos
def test_roll_copies_files_never_what_a_link_points_to(make_edition, tmp_path):
    content = make_edition()
    os.symlink("/dev/zero", content / "text" / "null.md")
    os.symlink(tmp_path, content / "lenket-mappe")
    os.mkfifo(content / "rør")
    rolled = roll(content, dt.date(2020, 1, 1), tmp_path / "neste")
    copied = sorted(str(p.relative_to(rolled.target)) for p in rolled.target.rglob("*"))
    assert copied == ["agreements.yaml", "report.yaml", "text", TEXT]
    skipped = {d.location.path: d.message for d in rolled.diagnostics.warnings if "kopieres ikke" in d.message}
    assert skipped == {
        content / "text" / "null.md": "en lenke kopieres ikke til den nye utgaven",
        content / "lenket-mappe": "en lenke kopieres ikke til den nye utgaven",
        content / "rør": "en FIFO (navngitt rør) kopieres ikke til den nye utgaven",
    }


@pytest.mark.parametrize(
    ("target", "where"),
    [("fil", "fil"), ("fil/under", "fil"), pytest.param("/dev/null", "/dev/null", marks=needs_links)],
)
def test_roll_into_what_is_no_folder_is_a_located_error(target, where, make_edition, tmp_path):
    (tmp_path / "fil").write_text("behold meg")
    result = subprocess.run(
        [sys.executable, "-m", "builder", "roll", str(make_edition()), "--to", "2020-01-01", "--into", target],
        cwd=tmp_path, capture_output=True, text=True, timeout=TIME_LIMIT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"{where}: error: --into: {where} er ")
    assert "ikke en mappe" in result.stderr.splitlines()[0]
    assert (tmp_path / "fil").read_text() == "behold meg"


# --- publish: data that opens safely, names and paths -------------------------

FORMULAS = {
    "name": '=HYPERLINK("http://example.invalid/?"&A1, "Klikk")',
    "comment": "+47 22 00 00 00",
    "category": "-Diverse",
    "member": "@Sel",
}


def _formula_edition(make_edition) -> Path:
    return make_edition(
        replace("agreements.yaml", "- name: Borgerlig vigsel", f"- name: '{FORMULAS['name']}'"),
        replace("agreements.yaml", "comment: Med Ringebu", f"comment: '{FORMULAS['comment']}'"),
        replace("agreements.yaml", "- name: Helse og omsorg", f"- name: '{FORMULAS['category']}'"),
        replace(
            "report.yaml",
            "members: [Lillehammer, Gausdal, Øyer]",
            f"members: [Lillehammer, Gausdal, Øyer, '{FORMULAS['member']}']",
        ),
    )


def _published(content: Path, site: Path, *options: str) -> subprocess.CompletedProcess:
    return run_oversikt("publish", content.name, "--out", str(site), *options, cwd=content.parent)


@pytest.mark.skipif(resource is None, reason="RLIMIT_AS needs the resource module (POSIX)")
def test_no_published_csv_cell_runs_as_a_formula(make_edition, tmp_path):
    content, site = _formula_edition(make_edition), tmp_path / "nettsted"
    result = _published(content, site)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO((site / "oversikt-2019.csv").read_text("utf-8-sig"), newline="")))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    for value in FORMULAS.values():
        assert f"'{value}" in cells, value
    data = json.loads((site / "oversikt-2019.json").read_text("utf-8"))
    agreements = [a for c in data["categories"] for a in c["agreements"]]
    assert FORMULAS["member"] in data["members"] and FORMULAS["category"] in [c["name"] for c in data["categories"]]
    assert FORMULAS["name"] in [a["name"] for a in agreements], "the JSON keeps the exact value"
    assert FORMULAS["comment"] in [a["comment"] for a in agreements]
    schema = json.loads((site / "oversikt-data.schema.json").read_text("utf-8"))
    assert "apostrophe" in schema["description"] and "RFC 4180" in schema["description"]


def test_a_tab_or_carriage_return_first_is_neutralised_too():
    # content cannot hold them (the readers refuse control characters), but the rule is the whole OWASP list
    assert [neutralised(cell) for cell in ("\t=1", "\r=1", "a=1", "", "1-2")] == ["'\t=1", "'\r=1", "a=1", "", "1-2"]


MEMBERS_LIKE_FILES = ["Index", "index", "Oversikt-2019", "?!"]


@pytest.mark.skipif(resource is None, reason="RLIMIT_AS needs the resource module (POSIX)")
def test_members_named_like_the_sites_own_files_get_pages_of_their_own(make_edition, tmp_path):
    members = ["Lillehammer", "Gausdal", "Øyer", *MEMBERS_LIKE_FILES]
    listed = ", ".join(f"'{m}'" for m in members)
    content = make_edition(replace("report.yaml", "members: [Lillehammer, Gausdal, Øyer]", f"members: [{listed}]"))
    site = tmp_path / "nettsted"
    result = _published(content, site)
    assert result.returncode == 0, result.stderr
    names = [path.name for path in site.iterdir()]
    assert len({name.casefold() for name in names}) == len(names), "distinct on Windows and macOS too"
    index = parse(site / "index.html")
    assert "for " not in index.findtext(".//title"), "index.html is the region's page"
    links = dict(zip(index.xpath("//a/text()"), index.xpath("//a/@href"), strict=True))
    pages = [links[member] for member in members]
    assert len(set(pages)) == len(members) and "index.html" not in pages
    for member, page in zip(members, pages, strict=True):
        own = parse(site / page)
        assert own.findtext(".//title").startswith(f"Oversikt over interkommunale samarbeid for {member} per")
        for href in own.xpath("//a/@href"):
            assert (site / href.split("#")[0]).is_file() or href.startswith("#"), (page, href)
        assert own.xpath("//a[@href='index.html']"), "back to the region's page"
    marker = (site / ".oversikt-publisert").read_text("utf-8").splitlines()
    assert sorted(line for line in marker if not line.startswith("#")) == sorted(set(names) - {".oversikt-publisert"})


@pytest.mark.skipif(resource is None, reason="RLIMIT_AS needs the resource module (POSIX)")
def test_publish_writes_over_no_file_it_did_not_make_unless_forced(make_edition, tmp_path):
    content, site = make_edition(), tmp_path / "nettsted"
    site.mkdir()
    (site / "index.html").write_text("kommunens egen forside")
    (site / "Oyer.html").write_text("egen side")  # the page oyer.html, where the file system folds case
    (site / "logo.png").write_bytes(b"eget bilde")
    refused = _published(content, site)
    assert refused.returncode == 2, refused.stderr
    (message,) = refused.stderr.splitlines()
    assert message.startswith(f"oversikt: {site} har filer som ikke er laget av oversikt publish")
    assert "index.html" in message and "--force" in message and len(message) < 400
    assert sorted(p.name for p in site.iterdir()) == ["Oyer.html", "index.html", "logo.png"], "nothing written"
    assert (site / "index.html").read_text() == "kommunens egen forside"

    forced = _published(content, site, "--force")
    assert forced.returncode == 0, forced.stderr
    assert "Lillehammer-regionen" in (site / "index.html").read_text("utf-8")
    assert (site / "logo.png").read_bytes() == b"eget bilde", "a file in no page's way is left alone"
    again = _published(content, site)
    assert again.returncode == 0, "the files the marker lists are ours to replace: " + again.stderr


@pytest.mark.skipif(resource is None, reason="RLIMIT_AS needs the resource module (POSIX)")
def test_publish_removes_the_files_it_made_and_no_longer_makes_and_nothing_else(make_edition, tmp_path):
    content = make_edition(replace("report.yaml", "Gausdal, Øyer]", "Gausdal, Øyer, Sel]"))
    site = tmp_path / "nettsted"
    assert _published(content, site).returncode == 0
    assert (site / "sel.html").is_file()
    (tmp_path / "utenfor.txt").write_text("behold")
    (site / "logo.png").write_bytes(b"eget bilde")
    with (site / ".oversikt-publisert").open("a", encoding="utf-8") as marker:  # an edited marker
        marker.write(f"../utenfor.txt\n{tmp_path / 'utenfor.txt'}\n.\n..\n")
    replace("report.yaml", "Gausdal, Øyer, Sel]", "Gausdal, Øyer]").apply(content)
    result = _published(content, site)
    assert result.returncode == 0, result.stderr
    left = {p.name for p in site.iterdir()}
    assert not {"sel.html", "oversikt-2019-sel.pdf", "oversikt-2019-sel.docx"} & left
    assert {"oyer.html", "logo.png"} <= left
    assert (tmp_path / "utenfor.txt").read_text() == "behold", "the marker names nothing outside the folder"
    assert "sel.html" not in (site / ".oversikt-publisert").read_text("utf-8")


def _into_itself(content: Path) -> list[tuple[list[str], Path]]:
    """Each verb that writes, asked to write into the content or around it: (arguments, what must stay unmade)."""
    inside = content / "ut"
    return [
        (["roll", content.name, "--to", "2020-01-01", "--into", f"{content.name}/neste"], content / "neste"),
        (["build", content.name, "--out", f"{content.name}/ut"], inside),
        (["build", content.name, "--out", content.name], content / "oversikt-2019.pdf"),
        (["build", content.name, "--out", "."], content.parent / "oversikt-2019.pdf"),
        (["publish", content.name, "--out", f"{content.name}/./nettsted"], content / "nettsted"),
        (["publish", content.name, "--out", "."], content.parent / "index.html"),
        (["import", str(REFERENCE_TEXT), "--into", f"{content.name}/text/importert"], content / "text" / "importert"),
    ]


@pytest.mark.skipif(resource is None, reason="RLIMIT_AS needs the resource module (POSIX)")
@pytest.mark.parametrize("case", range(7), ids=["roll", "build in", "build same", "build around", "publish in",
                                                "publish around", "import in"])  # fmt: skip
def test_no_verb_writes_into_the_content_or_around_it(case, make_edition):
    content = make_edition()
    args, unmade = _into_itself(content)[case]
    before = sorted(content.parent.rglob("*"))
    result = run_oversikt(*args, cwd=content.parent)
    assert result.returncode == 2, result.stderr
    (message,) = result.stderr.splitlines()
    assert message.startswith("oversikt: ") and "innholdsmappen" in message and len(message) < 300, message
    assert not unmade.exists()
    assert sorted(content.parent.rglob("*")) == before, "nothing written"


@pytest.mark.skipif(resource is None, reason="RLIMIT_AS needs the resource module (POSIX)")
@needs_fifos
def test_a_marker_that_is_a_fifo_is_no_list_and_no_wait(make_edition, tmp_path):
    content, site = make_edition(), tmp_path / "nettsted"
    site.mkdir()
    os.mkfifo(site / ".oversikt-publisert")
    result = _published(content, site)  # within the time limit: the marker is not read
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"{site / '.oversikt-publisert'}: error: kan ikke skrive utdata")
    assert [p.name for p in site.iterdir()] == [".oversikt-publisert"]


# --- the command line: what it prints, and how it ends ------------------------


@pytest.mark.skipif(resource is None, reason="RLIMIT_AS needs the resource module (POSIX)")
def test_publish_refuses_a_lone_surrogate_in_an_id_where_it_stands(make_edition, tmp_path):
    hurt, expected = CORPUS["lone surrogate in id"]
    content = make_edition(hurt)
    result = run_oversikt("publish", "content1", "--out", str(tmp_path / "nettsted"), cwd=content.parent)
    assert result.returncode == 1, result.stderr
    assert_ends_well(result)
    assert result.stderr.startswith(f"content1/{expected.place}: error: tegnet {expected.words}")
    assert not (tmp_path / "nettsted").exists()


def _folder_not_utf8(parent: Path, name: bytes) -> Path:
    """A folder named with bytes that are not UTF-8, as os.fsdecode gives its name."""
    folder = parent / os.fsdecode(name)
    try:
        folder.mkdir()
    except (OSError, UnicodeEncodeError) as refused:  # macOS' and Windows' file systems take UTF-8 names only
        pytest.skip(f"this file system refuses a name that is not UTF-8 ({refused})")
    return folder


@pytest.mark.skipif(resource is None, reason="RLIMIT_AS needs the resource module (POSIX)")
def test_names_that_are_not_utf8_print_as_escapes_on_a_strict_terminal(make_edition, tmp_path):
    """A folder named with the byte 0xFF (a Latin-1 'ÿ' on an old disk) is
    printed as \\xff, in what the command says is in order, in a located
    message and in the files a build wrote."""
    content = _folder_not_utf8(tmp_path, b"innhold\xff")
    shutil.copytree(make_edition(), content, dirs_exist_ok=True)
    checked = run_oversikt("check", content.name, cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout == "innhold\\xff: i orden (0 feil, 0 advarsler)\n"

    built = run_oversikt("build", content.name, "--out", os.fsdecode(b"ut\xfe"), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert built.stdout.splitlines() == ["ut\\xfe/oversikt-2019.docx", "ut\\xfe/oversikt-2019.pdf"]
    assert sorted(os.listdir(os.fsencode(tmp_path / "ut\udcfe"))) == [b"oversikt-2019.docx", b"oversikt-2019.pdf"]

    with (content / "report.yaml").open("a", encoding="utf-8") as report:
        report.write("sprak: nb\n")
    mistaken = run_oversikt("check", content.name, cwd=tmp_path)
    assert mistaken.returncode == 1
    assert_ends_well(mistaken)
    assert mistaken.stderr.startswith("innhold\\xff/report.yaml:6:1: error: ukjent nøkkel 'sprak'")


# SIGTERM (a CI job's time-out) at any moment: exit code 143 and no
# traceback. Only while Python itself starts, before oversikt's first line
# runs, does the signal's default action end the process (-15 here); a
# shell reports that as 143 too.
TERMINATED = 128 + signal.SIGTERM
KILLED_BY_SIGTERM = -signal.SIGTERM
needs_signals = pytest.mark.skipif(os.name != "posix", reason="on Windows SIGTERM ends a process without a handler")


def _catches_sigterm(pid: int) -> bool | None:
    """Whether the process has a handler for SIGTERM now (Linux's /proc), or None where that cannot be seen."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    caught = next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught, 16) & (1 << (signal.SIGTERM - 1)))


@pytest.fixture(scope="module")
def register(tmp_path_factory) -> Path:
    """5,000 agreements: a check takes over half a second, so each signal comes while it runs."""
    from synthetic import generate

    return generate(tmp_path_factory.mktemp("register") / "innhold", 5000, 10)


@needs_signals
@pytest.mark.parametrize("delay_ms", [0, 20, 50, 100, 200])
@pytest.mark.parametrize("verb", ["check", "build"])
def test_sigterm_at_any_moment_ends_with_143_and_no_traceback(verb, delay_ms, register, tmp_path):
    import time

    args = ["check", str(register)] if verb == "check" else ["build", str(register), "--out", str(tmp_path / "ut")]
    command = subprocess.Popen(
        [sys.executable, "-m", "builder", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    time.sleep(delay_ms / 1000)
    assert command.poll() is None, "the command ended before the signal: make the register larger"
    handled = _catches_sigterm(command.pid)
    command.send_signal(signal.SIGTERM)
    out, err = command.communicate(timeout=TIME_LIMIT)
    assert "Traceback" not in err and "intern feil" not in err, err
    if handled:
        assert command.returncode == TERMINATED, err
    else:
        assert command.returncode in (TERMINATED, KILLED_BY_SIGTERM), err
    assert not (tmp_path / "ut").exists() or not list((tmp_path / "ut").iterdir())


# Runs the command, sending it SIGTERM the moment it first imports a module
_TERMINATED_AT_IMPORT = textwrap.dedent(
    """
    import os, signal, sys

    moment = sys.argv.pop(1)

    class SigtermAt:
        def find_spec(self, name, path=None, target=None):
            if name == moment:
                os.kill(os.getpid(), signal.SIGTERM)
            return None

    sys.meta_path.insert(0, SigtermAt())
    from builder.cli import run
    run()
    """
)


@needs_signals
@pytest.mark.parametrize(
    ("moment", "verb", "code"),
    [
        ("builder.processes", "check", KILLED_BY_SIGTERM),  # before oversikt's handler: the default action
        ("builder.terminal", "check", TERMINATED),  # main() begins
        ("builder.commands.build", "check", TERMINATED),  # the parser is being made
        ("builder.build", "check", TERMINATED),  # the verb runs
        ("builder.readers.edition", "build", TERMINATED),  # the render processes are started
    ],
)
def test_sigterm_while_the_command_loads_ends_it_without_a_traceback(moment, verb, code, make_edition, tmp_path):
    content = make_edition()
    args = [verb, str(content)] + (["--out", str(tmp_path / "ut")] if verb == "build" else [])
    result = subprocess.run(
        [sys.executable, "-c", _TERMINATED_AT_IMPORT, moment, *args],
        capture_output=True, text=True, timeout=TIME_LIMIT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert result.returncode == code, result.stderr
    assert result.stderr == "" and result.stdout == ""
