"""Content written to hurt: templates that would run without end or fill the
memory, Markdown nested past what markdown-it keeps, layouts that extend
each other without end, broken fonts, and files that are devices, FIFOs or
links out of the content folder. Each must end in a located message (exit 1)
or a build (exit 0), never a hang, an internal error (exit 3) or lost text.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from edits import replace, write
from readback import docx_paragraphs, pdf_text

from builder.build import build, prepare
from builder.diagnostics import ContentError
from builder.rolling import roll

try:
    import resource
except ImportError:  # Windows
    resource = None

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "layouts" / "fonts"
TEXT = "text/innledning.md"
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


def run_oversikt(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """``python -m builder`` as an editor runs it, with at most 1 GiB of memory and 30 s."""
    return subprocess.run(
        [sys.executable, "-m", "builder", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_limited,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


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
    assert "intern feil" not in result.stderr
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
