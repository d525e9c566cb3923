"""Reads a layout (``layouts/<name>.yaml``) into a :class:`Layout`.

A layout is looked up by name: first beside the edition (``<content>/layouts``
and the folder above it), then the layouts shipped with the package, so a
new layout needs no Python and the default works from an installed wheel.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, TypeGuard

from builder.diagnostics import Diagnostics, did_you_mean
from builder.model import (
    COLUMN_ROLES,
    MINIMUM_TEXT_CONTRAST,
    ChartStyle,
    ColumnRule,
    Fonts,
    Layout,
    Outline,
    TableStyle,
    contrast_ratio,
)
from builder.readers.layout_schema import check_layout, shown
from builder.readers.yaml_source import Node, load_yaml

_PACKAGE = Path(__file__).resolve().parent.parent
SHIPPED_LAYOUTS = (_PACKAGE / "layouts", _PACKAGE.parent / "layouts")  # wheel, checkout

# Two fills closer in lightness than this look the same in grey-scale print.
MINIMUM_FILL_CONTRAST = 1.5
MAX_EXTENDS = 20  # layouts in one chain of `extends`; a real one has two or three
# A layout is named, never given as a path: letters, digits, _, - and . (not
# first), so that `folder / f"{name}.yaml"` stays in its folder.
LAYOUT_NAME = re.compile(r"\w[\w.-]{0,99}", re.UNICODE)


def layout_search_path(content_dir: Path) -> list[Path]:
    return [content_dir / "layouts", content_dir.parent / "layouts", *SHIPPED_LAYOUTS]


def is_layout_name(name: object) -> TypeGuard[str]:
    """Whether ``name`` can name a layout: a plain name, never a path."""
    return isinstance(name, str) and LAYOUT_NAME.fullmatch(name) is not None


def find_layout(name: str, content_dir: Path) -> Path | None:
    """The file of the layout called ``name`` in the layout folders; None
    for a name that is not one (a path is never followed)."""
    if not is_layout_name(name):
        return None
    for folder in layout_search_path(content_dir):
        candidate = folder / f"{name}.yaml"
        if candidate.is_file():
            return candidate
    return None


def available_layouts(content_dir: Path) -> list[str]:
    names = {p.stem for folder in layout_search_path(content_dir) if folder.is_dir() for p in folder.glob("*.yaml")}
    return sorted(name for name in names if is_layout_name(name))


def layout_name_problem(name: object, content_dir: Path) -> tuple[str, str] | None:
    """What is wrong with ``name`` as the name of a layout (message, hint), or None."""
    known = available_layouts(content_dir)
    if not is_layout_name(name):
        return (
            f"oppsettet skal nevnes med navnet sitt, ikke {shown(name)}",
            f"et oppsett letes opp i layouts-mappene, aldri etter en sti; kjente oppsett: {', '.join(known)}",
        )
    if find_layout(name, content_dir) is None:
        return f"oppsettet '{name}' finnes ikke", did_you_mean(name, known) or f"kjente oppsett: {', '.join(known)}"
    return None


def read_layout(path: Path, problems: Diagnostics, content_dir: Path | None = None) -> Layout | None:
    before = len(problems.errors)
    root = _load_with_base(path, problems, content_dir or path.parent)
    if root is None:
        return None
    values = check_layout(root, problems)
    if values is None or len(problems.errors) > before:
        return None
    page, fonts, text, table, chart = (values[key] for key in ("page", "fonts", "text", "table", "chart"))
    headings, lists = values["headings"], values["lists"]
    _check_widths(root, table["columns"], fonts["size"]["table"], table["cell_padding"], problems)
    _check_fills(root, chart["fills"], problems)
    _check_headings(root, headings, problems)
    if len(problems.errors) > before:
        return None
    sizes = fonts["size"]
    layout = Layout(
        name=path.stem,
        page_size=page["size"],
        landscape=page["orientation"] == "landscape",
        margins_cm=page["margins_cm"],
        fonts=Fonts(
            family=fonts["family"],
            files=fonts["files"],
            body_pt=sizes["body"],
            title_pt=sizes["title"],
            heading_pt=sizes["heading"],
            table_pt=sizes["table"],
            footer_pt=sizes["footer"],
        ),
        text_color=text["color"],
        space_after_pt=text["space_after"],
        line_spacing=text["line_spacing"],
        table=TableStyle(
            column_rules={role: ColumnRule(min_cm=w["min"], max_cm=w["max"]) for role, w in table["columns"].items()},
            slack=table["slack"],
            many_members=table["many_members"],
            smallest_header_pt=table["smallest_header"],
            grid_pt=table["grid"]["width"],
            grid_color=table["grid"]["color"],
            header_shading=table["header_shading"],
            category_shading=table["category_shading"],
            category_text=table["category_text"],
            cell_padding_pt=table["cell_padding"],
            since=table["since"],
        ),
        labels=values["labels"],
        chart=ChartStyle(
            fills=chart["fills"], patterns=chart["patterns"], bar_pt=chart["bar"], grid_color=chart["grid"]
        ),
        outline=Outline(heading_shift=headings["shift"], deepest_heading=headings["deepest"], bullets=lists["bullets"]),
        facts_appendix=values["facts"]["appendix"],
    )
    _check_contrast(layout, root, problems)
    return None if len(problems.errors) > before else layout


def _decimal(number: float) -> str:
    """One decimal, with the Norwegian decimal comma."""
    return f"{number:.1f}".replace(".", ",")


def _at(root: Node, *keys: str) -> Node | None:
    """The node at ``keys`` in the (merged) layout, where it stands in its file."""
    node: Node | None = root
    for key in keys:
        if node is None or not isinstance(node.value, dict):
            return None
        node = node.value.get(key)
    return node


def _checked(root: Node, *keys: str) -> Node:
    """The node at ``keys``, which the schema has already made sure is there."""
    node = _at(root, *keys)
    assert node is not None, keys
    return node


# --- what the schema cannot say: values against each other -------------------


def _check_widths(
    root: Node, columns: dict[str, dict[str, float]], size_pt: float, padding_pt: float, problems: Diagnostics
) -> None:
    """Each column at least one letter of the table's text (one em) and the
    cell padding on both sides wide, so that its text can always be broken
    into lines that fit, and its least width no more than its greatest."""
    narrowest = (size_pt + 2 * padding_pt) * 2.54 / 72
    for role in COLUMN_ROLES:
        widths = columns[role]
        if widths["min"] < narrowest:
            problems.error(
                _checked(root, "table", "columns", role, "min").location,
                f"kolonnen '{role}' er for smal: 'min' er {_decimal(widths['min'])} cm, men må være minst"
                f" {_decimal(math.ceil(narrowest * 10) / 10)} cm med tabellskrift på {_decimal(size_pt)} pt og"
                f" 'cell_padding' på {_decimal(padding_pt)} pt",
                "gjør kolonnen bredere, eller skriften i tabellen eller luften i cellene mindre",
            )
        if widths["min"] > widths["max"]:
            problems.error(
                _checked(root, "table", "columns", role).location,
                f"kolonnen '{role}' har 'min' ({_decimal(widths['min'])} cm) større enn 'max'"
                f" ({_decimal(widths['max'])} cm)",
                "bytt om tallene",
            )


def _check_fills(root: Node, fills: tuple[str, ...], problems: Diagnostics) -> None:
    """Each pair of fills far enough apart in lightness to tell apart in grey-scale print."""
    items = _checked(root, "chart", "fills")
    for index, colour in enumerate(fills):
        for earlier in fills[:index]:
            if (ratio := contrast_ratio(colour, earlier)) < MINIMUM_FILL_CONTRAST:
                problems.error(
                    items.value[index].location,
                    f"fargene {earlier} og {colour} er for like på en gråtoneutskrift ({_decimal(ratio)}:1)",
                    f"velg farger som skiller seg med minst {_decimal(MINIMUM_FILL_CONTRAST)}:1 i lyshet",
                )


def _check_headings(root: Node, headings: dict[str, Any], problems: Diagnostics) -> None:
    """The title is level 1, so a heading in the text is at least one level below it."""
    least = headings["shift"] + 1
    if headings["deepest"] < least:
        problems.error(
            _checked(root, "headings", "deepest").location,
            f"'deepest' skal være et helt tall fra {least} til 6, ikke '{headings['deepest']}'",
            "HTML og tagget PDF har seks nivåer av overskrifter",
        )


# What each contrast is between, in the words of an editor, and where its colours stand.
_CONTRASTS = {
    "text": ("teksten og det hvite arket", ("text", "color")),
    "header_row": ("teksten og bakgrunnen i tabellens overskriftsrad", ("table", "header_shading")),
    "category_row": ("teksten og bakgrunnen i kategoriradene", ("table", "category_shading")),
}


def _check_contrast(layout: Layout, root: Node, problems: Diagnostics) -> None:
    """Text must stand out from what it is printed on (WCAG 2.1, 1.4.3), also
    for readers with weak sight or a grey-scale print."""
    for kind, ratio in layout.text_contrasts().items():
        if ratio < MINIMUM_TEXT_CONTRAST:
            between, keys = _CONTRASTS[kind]
            node = _at(root, *keys) or root
            problems.error(
                node.location,
                f"kontrasten mellom {between} er {_decimal(ratio)}:1",
                f"WCAG 2.1 krever minst {_decimal(MINIMUM_TEXT_CONTRAST)}:1; velg en lysere bakgrunn"
                " eller en mørkere tekstfarge",
            )


# --- a layout and the layouts it extends -------------------------------------


def _load_with_base(path: Path, problems: Diagnostics, content_dir: Path) -> Node | None:
    """A layout file merged over the layout it `extends` (a name, looked up
    as report.yaml's `layout` is), key by key, and so on down the chain,
    which may be at most MAX_EXTENDS long."""
    chain: list[Node] = []
    seen: list[Path] = []
    while True:
        root = load_yaml(path, problems)
        if root is None:
            return None
        chain.append(root)
        if not isinstance(root.value, dict) or "extends" not in root.value:
            break
        parent_node = root.value.pop("extends")
        seen.append(path.resolve())
        name = parent_node.value
        if (problem := layout_name_problem(name, content_dir)) is not None:
            message, hint = problem
            problems.error(parent_node.location, f"'extends': {message}", hint)
            return None
        parent = find_layout(name, content_dir)
        assert parent is not None, "layout_name_problem found it"
        if parent.resolve() in seen:
            problems.error(parent_node.location, f"oppsettet '{name}' som det bygges på, fører i ring")
            return None
        if len(chain) > MAX_EXTENDS:
            problems.error(
                parent_node.location,
                f"oppsettene bygger på hverandre i mer enn {MAX_EXTENDS} ledd",
                "la oppsettet bygge direkte på et av de første i rekken",
            )
            return None
        path = parent
    merged = chain.pop()
    while chain:
        merged = _merge(merged, chain.pop())
    return merged


def _merge(base: Node, override: Node) -> Node:
    if isinstance(base.value, dict) and isinstance(override.value, dict):
        merged = dict(base.value)
        for key, value in override.value.items():
            merged[key] = _merge(base.value[key], value) if key in base.value else value
        return Node(merged, override.location, override.key_location)
    return override
