"""Writes an imported edition as the content files an editor keeps:
``report.yaml``, ``agreements.yaml`` and ``text/*.md``.

The YAML is written as text, in the order and style of ``content/``, so that
it reads like a hand-written file and every guess can stand beside its value
as a comment. PyYAML's emitter quotes each value, so a name such as
"Næringsenhet: Vekst" or "5 eierkommuner" always reads back as written.
"""

from __future__ import annotations

import re
import unicodedata

import yaml

from builder.importing.imported import ImportedAgreement, ImportedEdition
from builder.importing.markdown import to_markdown
from builder.model import Block, Heading
from builder.readers.edition import AGREEMENTS_FILE, ALL_MEMBERS, REPORT_FILE, TEXT_DIR

DEFAULT_LAYOUT = "oversikt"
FIRST_TEXT = "innledning"
GUESSES = '# Comments saying "guessed" mark what the import had to guess: check those values.'
REPORT_ALIGN = 38  # comments start in one column, as in content/report.yaml
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_ONE_LINE = 2**31 - 1  # no line is folded (the largest width libyaml takes)


def content_files(edition: ImportedEdition) -> dict[str, str]:
    """Relative path -> file text, for every file of the edition."""
    texts = narrative_files(edition.narrative)
    files = {
        REPORT_FILE: report_yaml(edition, list(texts)),
        AGREEMENTS_FILE: agreements_yaml(edition),
    }
    files.update({f"{TEXT_DIR}/{name}": to_markdown(blocks) for name, blocks in texts.items()})
    return files


def narrative_files(narrative: tuple[Block, ...]) -> dict[str, tuple[Block, ...]]:
    """The narrative split where a heading starts, each part named after it."""
    parts: dict[str, list[Block]] = {}
    name = f"{FIRST_TEXT}.md"
    for block in narrative:
        if isinstance(block, Heading) or not parts:
            if isinstance(block, Heading) and parts:
                name = _unique(_file_name(block), parts)
            parts.setdefault(name, [])
        parts[name].append(block)
    return {name: tuple(blocks) for name, blocks in parts.items()}


def _file_name(heading: Heading) -> str:
    text = "".join(run.text for run in heading.runs).casefold()
    text = text.replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w][:4]
    return "-".join(words) or "tekst"


def _unique(stem: str, taken: dict[str, list[Block]]) -> str:
    name, number = f"{stem}.md", 2
    while name in taken:
        name, number = f"{stem}-{number}.md", number + 1
    return name


def report_yaml(edition: ImportedEdition, text_files: list[str]) -> str:
    notes = edition.notes
    lines = [
        f"# The edition, imported by `oversikt import` from {_one_line(edition.source.name)}.",
        GUESSES,
        _line("as_of", edition.as_of.isoformat(), notes.get("as_of"), align=REPORT_ALIGN),
        _line("region", scalar(edition.region), notes.get("region"), align=REPORT_ALIGN),
        _line("members", flow_list(edition.members), notes.get("members"), align=REPORT_ALIGN),
    ]
    if edition.title is not None:
        lines.append(_line("title", scalar(edition.title), notes.get("title"), align=REPORT_ALIGN))
    lines.append(_line("language", edition.language, notes.get("language"), align=REPORT_ALIGN))
    lines.append(f"layout: {DEFAULT_LAYOUT}")
    if text_files:
        lines.append(f"{'text:'.ljust(REPORT_ALIGN)}  # the narrative, in this order, from text/")
        lines += [f"  - {scalar(name)}" for name in text_files]
    return "\n".join(lines) + "\n"


def agreements_yaml(edition: ImportedEdition) -> str:
    lines = [
        f"# The agreements, category by category, in the order of the table in {_one_line(edition.source.name)}.",
        GUESSES,
        "categories:",
    ]
    for category in edition.categories:
        lines.append(_line("  - name", scalar(category.name), category.notes.get("name")))
        lines.append("    agreements:")
        for agreement in category.agreements:
            lines += _agreement_lines(agreement, edition.members)
    return "\n".join(lines) + "\n"


def _agreement_lines(agreement: ImportedAgreement, members: tuple[str, ...]) -> list[str]:
    notes = agreement.notes
    indent = " " * 8
    lines = [_line("      - name", scalar(agreement.name), notes.get("name"))]
    if agreement.id is not None:
        lines.append(_line(f"{indent}id", scalar(agreement.id), notes.get("id")))
    if agreement.part_of is not None:
        lines.append(_line(f"{indent}part_of", scalar(agreement.part_of), notes.get("part_of")))
    if agreement.form is not None:
        lines.append(_line(f"{indent}form", scalar(agreement.form), notes.get("form")))
    elif "form" in notes:
        lines.append(f"{indent}# form: {_one_line(notes['form'])}")
    taking_part = ALL_MEMBERS if members and agreement.members == members else flow_list(agreement.members)
    lines.append(_line(f"{indent}members", taking_part, notes.get("members")))
    if agreement.partners:
        lines.append(_line(f"{indent}partners", flow_list(agreement.partners), notes.get("partners")))
    if agreement.host is not None:
        lines.append(_line(f"{indent}host", scalar(agreement.host), notes.get("host")))
    if agreement.status is not None:
        lines.append(_line(f"{indent}status", agreement.status, notes.get("status")))
    if agreement.comment:
        lines.append(_line(f"{indent}comment", scalar(agreement.comment), notes.get("comment")))
    return lines


def _line(prefix: str, value: str, note: str | None, *, align: int = 0) -> str:
    text = f"{prefix}: {value}"
    if note:
        text = f"{text.ljust(align)}  # {_one_line(note)}"
    return text


def scalar(value: str) -> str:
    """``value`` as a YAML scalar that reads back as exactly this text."""
    return _dump(value).removesuffix("\n...\n").removesuffix("\n")


def flow_list(values: tuple[str, ...]) -> str:
    """``[A, B]`` with each item quoted where YAML needs it."""
    return _dump(list(values)).rstrip("\n")


def _dump(value: str | list[str]) -> str:
    # libyaml's emitter where PyYAML has it: the Python one took seconds for a
    # table of thousands of rows
    return yaml.dump(value, Dumper=_DUMPER, allow_unicode=True, width=_ONE_LINE, default_flow_style=True)


def _one_line(text: str) -> str:
    return " ".join(text.split())
