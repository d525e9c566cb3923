"""The measure step: what depends on the fonts and the page, decided once.

After ``assemble`` has decided what the document shows, :func:`measure`
decides how its tables are set, measured in the layout's font files: each
table's column widths, which of them are centred, which member headers
read upwards and how large the header row's text is (stored on the table
block as :class:`~builder.model.TableColumns`), and whether the pages turn
landscape (the layout it returns). The writers only read what it decided,
so the DOCX, the PDF and the web page put their columns in the same places
and none of them loads a font to measure. The page's geometry (its size,
the text area, the line height) is the layout's own (:class:`~builder.model.Layout`).

Its rooms: ``fonts`` loads the layout's font files, once per process;
``characters`` is how those fonts keep no-break spaces; ``columns`` fits a
table's columns to its text.
"""

from __future__ import annotations

from dataclasses import replace

from builder.model import AgreementTable, Block, DataTable, Document, Layout


class BrokenFont(Exception):  # noqa: N818 - a finding about the layout's font file, not a failure of the step
    """A font file of the layout that cannot be read as a TrueType font; the build names the file."""

    def __init__(self, path: str, layout: str, reason: str):
        super().__init__(path, layout, reason)  # all of them, so that it pickles from a render process
        self.path, self.layout, self.reason = path, layout, reason


def measure(document: Document, layout: Layout) -> tuple[Document, Layout]:
    """``document`` with every table's columns set, and ``layout`` on the
    pages it is set on: landscape where the layout's many-members rule names
    that step and the agreement table does not fit a portrait page with the
    steps before it. Raises :class:`BrokenFont` for a
    font file that cannot be read."""
    from builder.measure.columns import agreement_table_columns, data_table_columns

    table = next((block for block in document.blocks if isinstance(block, AgreementTable)), None)
    first = agreement_table_columns(table, layout) if table is not None else None
    if first is not None and not first.fits and "landscape" in layout.table.many_members and not layout.landscape:
        layout = replace(layout, landscape=True)
        first = None  # fitted again, to the wider page

    def measured(block: Block) -> Block:
        if isinstance(block, AgreementTable):
            fitted = first if block is table and first is not None else agreement_table_columns(block, layout)
            return replace(block, columns=fitted)
        if isinstance(block, DataTable):
            return replace(block, columns=data_table_columns(block, layout))
        return block

    return replace(document, blocks=tuple(measured(block) for block in document.blocks)), layout


def turn_note(table: AgreementTable, layout: Layout) -> str | None:
    """Why the measured table's member names read upwards, for ``check``:
    the column that did not fit beside them; None when they stand upright."""
    columns = table.columns
    if columns is None or not any(columns.turned):
        return None
    if columns.crowding is None:
        return "kommunenavnene i tabellen står på høykant fordi de ikke får plass på tvers ved siden av hverandre"
    label = " ".join(table.header[columns.crowding].split())
    least = layout.table.column_rules[table.roles[columns.crowding]].min_cm
    return (
        f"kommunenavnene i tabellen står på høykant fordi kolonnen «{label}» ikke fikk plass ved siden av dem:"
        f" den lengste teksten i den krever {_cm(columns.crowding_cm)}, der oppsettet gir den minst {_cm(least)}"
    )


def _cm(value: float) -> str:
    """A width as Norwegian writes it: "3,9 cm"."""
    return f"{value:.1f} cm".replace(".", ",")
