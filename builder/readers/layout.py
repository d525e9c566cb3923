"""Reads a layout (``layouts/<name>.yaml``) into a :class:`Layout`.

A layout is looked up by name: first beside the edition (``<content>/layouts``
and the folder above it), then the layouts shipped with the package, so a
new layout needs no Python and the default works from an installed wheel.
"""

from __future__ import annotations

import string
from pathlib import Path

from builder.diagnostics import Diagnostics
from builder.model import (
    CHART_PATTERNS,
    COLUMN_ROLES,
    DEEPEST_HEADING,
    LIST_LEVELS,
    MANY_MEMBERS,
    MAXIMUM_CHART_FILLS,
    MINIMUM_TEXT_CONTRAST,
    ChartStyle,
    ColumnRule,
    Fonts,
    Layout,
    Outline,
    TableStyle,
    contrast_ratio,
)
from builder.readers import schema
from builder.readers.files import NotReadable, check_regular
from builder.readers.yaml_source import Node, load_yaml

_PACKAGE = Path(__file__).resolve().parent.parent
SHIPPED_LAYOUTS = (_PACKAGE / "layouts", _PACKAGE.parent / "layouts")  # wheel, checkout

SECTIONS = ("page", "fonts", "text", "headings", "lists", "table", "chart", "labels")
REQUIRED_SECTIONS = ("page", "fonts", "table", "labels")
FONT_STYLES = ("regular", "bold", "italic", "bold_italic")
# Two fills closer in lightness than this look the same in grey-scale print.
MINIMUM_FILL_CONTRAST = 1.5
SIZES = ("body", "title", "heading", "table", "footer")
TABLE_KEYS = (
    "columns", "slack", "many_members", "smallest_header", "grid", "header_shading", "category_shading",
    "category_text", "cell_padding",
)  # fmt: skip
REQUIRED_TABLE_KEYS = ("columns", "slack", "grid", "header_shading", "category_shading", "category_text",
                       "cell_padding")  # fmt: skip
MAX_EXTENDS = 20  # layouts in one chain of `extends`; a real one has two or three

# Every label, and the placeholders it may use.
LABELS: dict[str, tuple[str, ...]] = {
    "title": ("date_long", "date_short", "year", "region"),
    "subject": ("region", "date_long", "year"),
    "name_header": ("date_short", "date_long", "year"),
    "form_header": (),
    "comment_header": (),
    "see_below": (),
    "part_marker": (),
    "mark": (),
    "and": (),
    "page": ("page",),
    "table_caption": ("date_long", "date_short", "year", "region"),
    "table_description": ("count", "categories", "members", "region"),
    # the printed comment, made from an agreement's facts
    "host": ("host",),
    "partners": ("partners",),
    "terminated": (),
    "planned": (),
    # one member's own edition
    "member_title": ("member", "date_long", "date_short", "year", "region"),
    "member_subject": ("member", "region", "date_long", "year"),
    # the summary section
    "summary_heading": (),
    "summary_intro": (),
    "summary_caption": ("date_long", "date_short", "year", "region"),
    "summary_description": ("members",),
    "summary_form_header": (),
    "summary_all": (),
    "summary_total": (),
    "summary_hosted": (),
    "summary_no_form": (),
    "chart_title": (),
    "member_chart_title": ("member",),
    "member_summary_caption": ("member", "date_long", "date_short", "year", "region"),
    "chart_axis": (),
    "chart_zero_note": (),
    "chart_alt": ("values", "totals"),
    "chart_alt_form": ("form", "values"),
    # the section on changes since an earlier edition
    "changes_heading": ("date_long", "date_short", "year"),
    "changes_none": (),
    "changes_added": ("count",),
    "changes_ended": ("count",),
    "changes_changed": ("count",),
    "changes_item": ("name", "category"),
    "changes_field": ("field", "old", "new"),
    "field_category": (),
    "field_form": (),
    "field_members": (),
    "field_host": (),
    "field_partners": (),
    "field_status": (),
    "field_since": (),
    "field_comment": (),
    "status_active": (),
    "status_terminated": (),
    "status_planned": (),
    "none": (),
    # the HTML edition and the publication folder
    "taking_part": (),
    "skip_to_table": (),
    "field_name": (),
    "downloads_heading": (),
    "download_pdf": (),
    "download_docx": (),
    "download_csv": (),
    "download_json": (),
    "members_heading": (),
    "full_edition": ("region",),
}


def layout_search_path(content_dir: Path) -> list[Path]:
    return [content_dir / "layouts", content_dir.parent / "layouts", *SHIPPED_LAYOUTS]


def find_layout(name: str, content_dir: Path) -> Path | None:
    for folder in layout_search_path(content_dir):
        candidate = folder / f"{name}.yaml"
        if candidate.is_file():
            return candidate
    return None


def available_layouts(content_dir: Path) -> list[str]:
    names = {p.stem for folder in layout_search_path(content_dir) if folder.is_dir() for p in folder.glob("*.yaml")}
    return sorted(names)


def read_layout(path: Path, problems: Diagnostics, content_dir: Path | None = None) -> Layout | None:
    before = len(problems.errors)
    root = _load_with_base(path, problems, content_dir or path.parent)
    if root is None:
        return None
    top = schema.mapping(root, "oppsettet", problems) or {}
    schema.check_keys(top, root, "oppsettet", SECTIONS, REQUIRED_SECTIONS, problems)
    page = _section(top, root, "page", ("size", "orientation", "margins_cm"), problems)
    fonts = _section(top, root, "fonts", ("family", "files", "size"), problems)
    text = _section(top, root, "text", ("color", "space_after", "line_spacing"), problems, required=False)
    table = _section(top, root, "table", TABLE_KEYS, problems, required_keys=REQUIRED_TABLE_KEYS)
    margins = _numbers(page.get("margins_cm"), ("top", "bottom", "left", "right"), problems)
    files = _font_files(fonts.get("files"), problems)
    sizes = _numbers(fonts.get("size"), SIZES, problems)
    columns = _column_rules(table.get("columns"), problems)
    slack = _choice(table.get("slack"), "slack", tuple(r for r in COLUMN_ROLES if r != "member"), "name", problems)
    many_members = _steps(table.get("many_members"), problems)
    smallest_header = _positive(table.get("smallest_header"), "smallest_header", 6.0, problems)
    grid = _numbers(table.get("grid"), ("width",), problems, extra=("color",))
    labels = _labels(top.get("labels"), problems)
    chart = _chart(top.get("chart"), problems)
    outline = _outline(top.get("headings"), top.get("lists"), problems)
    if len(problems.errors) > before:
        return None
    layout = Layout(
        name=path.stem,
        page_size=_value(page, "size", "A4"),
        landscape=_value(page, "orientation", "portrait") == "landscape",
        margins_cm=margins,
        fonts=Fonts(
            family=_value(fonts, "family", "Calibri"),
            files=files,
            body_pt=sizes["body"],
            title_pt=sizes["title"],
            heading_pt=sizes["heading"],
            table_pt=sizes["table"],
            footer_pt=sizes["footer"],
        ),
        text_color=_color(text, "color", "000000"),
        space_after_pt=float(_value(text, "space_after", 6)),
        line_spacing=float(_value(text, "line_spacing", 1.15)),
        table=TableStyle(
            column_rules=columns,
            slack=slack,
            many_members=many_members,
            smallest_header_pt=smallest_header,
            grid_pt=grid["width"],
            grid_color=_color(table["grid"].value if "grid" in table else {}, "color", "000000"),
            header_shading=_color(table, "header_shading", "D9D9D9"),
            category_shading=_color(table, "category_shading", "D9D9D9"),
            category_text=_color(table, "category_text", "000000"),
            cell_padding_pt=float(_value(table, "cell_padding", 3)),
        ),
        labels=labels,
        chart=chart,
        outline=outline,
    )
    _check_contrast(layout, {"text": text.get("color"), "header_row": table.get("header_shading"),
                             "category_row": table.get("category_shading")}, root, problems)  # fmt: skip
    return None if len(problems.errors) > before else layout


def _decimal(number: float) -> str:
    """One decimal, with the Norwegian decimal comma."""
    return f"{number:.1f}".replace(".", ",")


# What each contrast is between, in the words of an editor.
_CONTRASTS = {
    "text": "teksten og det hvite arket",
    "header_row": "teksten og bakgrunnen i tabellens overskriftsrad",
    "category_row": "teksten og bakgrunnen i kategoriradene",
}


def _check_contrast(layout: Layout, nodes: dict[str, Node | None], root: Node, problems: Diagnostics) -> None:
    """Text must stand out from what it is printed on (WCAG 2.1, 1.4.3), also
    for readers with weak sight or a grey-scale print."""
    for kind, ratio in layout.text_contrasts().items():
        if ratio < MINIMUM_TEXT_CONTRAST:
            node = nodes.get(kind) or root
            problems.error(
                node.location,
                f"kontrasten mellom {_CONTRASTS[kind]} er {_decimal(ratio)}:1",
                f"WCAG 2.1 krever minst {_decimal(MINIMUM_TEXT_CONTRAST)}:1; velg en lysere bakgrunn"
                " eller en mørkere tekstfarge",
            )


def _load_with_base(path: Path, problems: Diagnostics, content_dir: Path) -> Node | None:
    """A layout file merged over the layout it `extends`, key by key, and so
    on down the chain, which may be at most MAX_EXTENDS long."""
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
        parent = find_layout(str(parent_node.value), content_dir)
        if parent is None or parent.resolve() in seen:
            what = "finnes ikke" if parent is None else "fører i ring"
            problems.error(parent_node.location, f"oppsettet '{parent_node.value}' som det bygges på, {what}")
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


def _section(
    top: dict[str, Node], root: Node, key: str, allowed: tuple[str, ...], problems: Diagnostics,
    required: bool = True, required_keys: tuple[str, ...] | None = None,
) -> dict[str, Node]:  # fmt: skip
    node = top.get(key)
    if node is None:
        return {}
    fields = schema.mapping(node, f"'{key}'", problems) or {}
    needed = required_keys if required_keys is not None else allowed if required else ()
    schema.check_keys(fields, node, f"'{key}'", allowed, needed, problems)
    return fields


def _column_rules(node: Node | None, problems: Diagnostics) -> dict[str, ColumnRule]:
    """The least and greatest width of each column role, in cm."""
    if node is None:
        return {}
    fields = schema.mapping(node, "'columns'", problems) or {}
    schema.check_keys(fields, node, "'columns'", COLUMN_ROLES, COLUMN_ROLES, problems)
    rules = {}
    for role in COLUMN_ROLES:
        entry = fields.get(role)
        if entry is None:
            continue
        if not isinstance(entry.value, dict):
            problems.error(
                entry.location,
                f"kolonnen '{role}' skal ha en minste og største bredde i cm, ikke '{entry.value}'",
                "skriv for eksempel {min: 1.5, max: 4}; bredden innenfor regnes ut fra teksten",
            )
            continue
        widths = _numbers(entry, ("min", "max"), problems)
        if len(widths) < 2:
            continue
        if widths["min"] > widths["max"]:
            problems.error(
                entry.location,
                f"kolonnen '{role}' har 'min' ({_decimal(widths['min'])} cm) større enn 'max'"
                f" ({_decimal(widths['max'])} cm)",
                "bytt om tallene",
            )
        rules[role] = ColumnRule(min_cm=widths["min"], max_cm=widths["max"])
    return rules


def _choice(node: Node | None, key: str, choices: tuple[str, ...], default: str, problems: Diagnostics) -> str:
    if node is None:
        return default
    if node.value in choices:
        return node.value
    problems.error(node.location, f"'{key}' kan ikke være '{node.value}'", f"velg blant {', '.join(choices)}")
    return default


def _steps(node: Node | None, problems: Diagnostics) -> tuple[str, ...]:
    """What to do when the member names do not fit: one step, or several in the order they are tried."""
    if node is None:
        return ("turn",)
    items = [node] if isinstance(node.value, str) else schema.text_list(node, "'many_members'", problems) or []
    steps = []
    for item in items:
        step = _choice(item, "many_members", MANY_MEMBERS, "", problems)
        if step in steps:
            problems.error(item.location, f"'{step}' står to ganger i 'many_members'", "ta med hvert steg én gang")
        elif step:
            steps.append(step)
    return tuple(steps)


def _positive(node: Node | None, key: str, default: float, problems: Diagnostics) -> float:
    if node is None:
        return default
    if isinstance(node.value, (int, float)) and not isinstance(node.value, bool) and node.value > 0:
        return float(node.value)
    problems.error(node.location, f"'{key}' skal være et tall over 0, ikke '{node.value}'")
    return default


def _value(fields: dict[str, Node], key: str, default):
    node = fields.get(key)
    return default if node is None or node.value is None else node.value


def _color(fields: dict[str, Node], key: str, default: str) -> str:
    value = str(_value(fields, key, default)).lstrip("#").upper()
    return value if len(value) == 6 and all(c in string.hexdigits for c in value) else default


def _numbers(
    node: Node | None, keys: tuple[str, ...], problems: Diagnostics, extra: tuple[str, ...] = ()
) -> dict[str, float]:
    if node is None:
        return {}
    fields = schema.mapping(node, "verdien", problems) or {}
    schema.check_keys(fields, node, "verdien", keys + extra, keys, problems)
    numbers = {}
    for key in keys:
        value = fields.get(key)
        if value is None:
            continue
        if isinstance(value.value, (int, float)) and not isinstance(value.value, bool) and value.value >= 0:
            numbers[key] = float(value.value)
        else:
            problems.error(value.location, f"'{key}' skal være et tall, ikke '{value.value}'")
    return numbers


def _chart(node: Node | None, problems: Diagnostics) -> ChartStyle:
    default = ChartStyle()
    if node is None:
        return default
    fields = schema.mapping(node, "'chart'", problems) or {}
    schema.check_keys(fields, node, "'chart'", ("fills", "patterns", "bar", "grid"), (), problems)
    fills = default.fills
    if "fills" in fields:
        fills = _chart_fills(fields["fills"], problems)
    patterns = default.patterns
    if "patterns" in fields:
        items = schema.text_list(fields["patterns"], "'patterns'", problems) or []
        for item in items:
            if item.value not in CHART_PATTERNS:
                problems.error(
                    item.location, f"'{item.value}' er ikke et mønster", f"velg blant {', '.join(CHART_PATTERNS)}"
                )
        patterns = tuple(str(item.value) for item in items)
    bar_pt = default.bar_pt
    if (bar := fields.get("bar")) is not None:
        if isinstance(bar.value, (int, float)) and not isinstance(bar.value, bool) and bar.value > 0:
            bar_pt = float(bar.value)
        else:
            problems.error(bar.location, f"'bar' skal være et tall over 0, ikke '{bar.value}'")
    return ChartStyle(
        fills=fills, patterns=patterns, bar_pt=bar_pt, grid_color=_color(fields, "grid", default.grid_color)
    )


def _chart_fills(node: Node, problems: Diagnostics) -> tuple[str, ...]:
    """One to four colours, each pair far enough apart in lightness to tell
    apart in grey-scale print."""
    items = schema.text_list(node, "'fills'", problems) or []
    colours = [str(item.value).lstrip("#").upper() for item in items]
    valid = []
    for item, colour in zip(items, colours, strict=True):
        if len(colour) != 6 or any(c not in string.hexdigits for c in colour):
            problems.error(item.location, f"'{item.value}' er ingen farge", 'skriv en farge som "808080"')
        else:
            valid.append((item, colour))
    if not 1 <= len(colours) <= MAXIMUM_CHART_FILLS:
        problems.error(
            node.location,
            f"'fills' skal ha fra én til {MAXIMUM_CHART_FILLS} farger, ikke {len(colours)}",
            "flere gråtoner skiller seg ikke fra hverandre på en gråtoneutskrift; 'patterns' gir flere",
        )
    for index, (item, colour) in enumerate(valid):
        for _, earlier in valid[:index]:
            if (ratio := contrast_ratio(colour, earlier)) < MINIMUM_FILL_CONTRAST:
                problems.error(
                    item.location,
                    f"fargene {earlier} og {colour} er for like på en gråtoneutskrift ({_decimal(ratio)}:1)",
                    f"velg farger som skiller seg med minst {_decimal(MINIMUM_FILL_CONTRAST)}:1 i lyshet",
                )
    return tuple(colours)


def _outline(headings: Node | None, lists: Node | None, problems: Diagnostics) -> Outline:
    """Heading levels and bullets, for every format alike: the title is level 1,
    so a heading in the text is at least one level below it."""
    default = Outline()
    fields = {}
    if headings is not None:
        fields = schema.mapping(headings, "'headings'", problems) or {}
        schema.check_keys(fields, headings, "'headings'", ("shift", "deepest"), (), problems)
    shift = _whole_number(fields.get("shift"), "shift", 1, DEEPEST_HEADING - 1, default.heading_shift, problems,
                          "tittelen er nivå 1, så en overskrift i teksten står minst ett nivå under")  # fmt: skip
    deepest = _whole_number(fields.get("deepest"), "deepest", shift + 1, DEEPEST_HEADING, default.deepest_heading,
                            problems, "HTML og tagget PDF har seks nivåer av overskrifter")  # fmt: skip
    bullets = default.bullets
    if lists is not None:
        entries = schema.mapping(lists, "'lists'", problems) or {}
        schema.check_keys(entries, lists, "'lists'", ("bullets",), (), problems)
        if "bullets" in entries:
            bullets = _bullets(entries["bullets"], problems) or bullets
    return Outline(heading_shift=shift, deepest_heading=deepest, bullets=bullets)


def _whole_number(node: Node | None, key: str, least: int, most: int, default: int, problems: Diagnostics,
                  why: str) -> int:  # fmt: skip
    if node is None:
        return default
    value = node.value
    if isinstance(value, int) and not isinstance(value, bool) and least <= value <= most:
        return value
    problems.error(node.location, f"'{key}' skal være et helt tall fra {least} til {most}, ikke '{value}'", why)
    return default


def _bullets(node: Node, problems: Diagnostics) -> tuple[str, ...]:
    """One character per nesting level, one to three of them."""
    items = schema.text_list(node, "'bullets'", problems)
    if items is None:
        return ()
    for item in items:
        if len(str(item.value)) != 1:  # blanks alone the text check has refused already
            problems.error(item.location, f"punkttegnet '{item.value}' skal være ett tegn", 'skriv for eksempel "•"')
    if not 1 <= len(items) <= LIST_LEVELS:
        problems.error(
            node.location,
            f"'bullets' skal ha fra ett til {LIST_LEVELS} punkttegn, ikke {len(items)}",
            "ett per nivå i en liste med punkter; dypere nivåer får det siste",
        )
    return tuple(str(item.value) for item in items)


def _font_files(node: Node | None, problems: Diagnostics) -> dict[str, Path]:
    if node is None:
        return {}
    fields = schema.mapping(node, "'files'", problems) or {}
    schema.check_keys(fields, node, "'files'", FONT_STYLES, FONT_STYLES, problems)
    files = {}
    for style in FONT_STYLES:
        value = fields.get(style)
        if value is None or schema.text(value, f"skriftfilen '{style}'", problems) is None:
            continue
        font = value.location.path.parent / value.value  # relative to the file that names it
        try:
            font = font.resolve()
            check_regular(font.stat())  # reportlab reads it whole: not /dev/zero, not a FIFO
        except FileNotFoundError:
            problems.error(value.location, f"skriftfilen finnes ikke: {font}")
        except NotReadable as refusal:
            problems.error(value.location, f"skriftfilen {font}: {refusal.message}", refusal.hint)
        except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of links
            problems.error(value.location, f"skriftfilen kan ikke leses: {font} ({exc})")
        files[style] = font
    return files


def _labels(node: Node | None, problems: Diagnostics) -> dict[str, dict[str, str]]:
    if node is None:
        return {}
    languages = schema.mapping(node, "'labels'", problems) or {}
    labels: dict[str, dict[str, str]] = {}
    for language, entries in languages.items():
        fields = schema.mapping(entries, f"tekstene for '{language}'", problems) or {}
        schema.check_keys(fields, entries, f"tekstene for '{language}'", tuple(LABELS), tuple(LABELS), problems)
        labels[language] = {}
        for key, value in fields.items():
            if key not in LABELS or schema.text(value, f"teksten '{key}'", problems, allow_empty=True) is None:
                continue
            _check_placeholders(value, LABELS[key], problems)
            labels[language][key] = value.value
    return labels


def _check_placeholders(node: Node, allowed: tuple[str, ...], problems: Diagnostics) -> None:
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(node.value) if name is not None]
    except ValueError as exc:
        problems.error(node.location, f"ugyldig plassholder i teksten: {exc}", "skriv {{ og }} for krøllparenteser")
        return
    for name in names:
        if name not in allowed:
            hint = (
                f"tillatt her: {', '.join('{' + a + '}' for a in allowed)}"
                if allowed
                else "ingen plassholdere er tillatt her"
            )
            problems.error(node.location, f"ukjent plassholder '{{{name}}}' i teksten", hint)
