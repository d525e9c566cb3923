"""An agreement's 'since' printed where the layout says: by default in the
comment column, as the reference document writes other facts ("Fra 2019",
"Fra 1. mars 2019"; "Frå" in nynorsk), in every format; ``table: since:
none`` leaves it out. content/ has no 'since', so its 2019 reproduction is
unchanged (tests/test_reference.py)."""

from __future__ import annotations

import yaml
from edits import replace
from html_readback import agreement_table, parse, seen_text
from readback import docx_tables, pdf_text

from builder.build import build

WITH_SINCE = (
    replace("agreements.yaml", "        form: Avtale\n", "        form: Avtale\n        since: 2019\n"),
    replace("agreements.yaml", "        form: Vedtak\n", "        form: Vedtak\n        since: 2018-03-01\n"),
)


def comments(files: dict, name: str) -> dict[str, str]:
    """The comment cell of the agreement ``name`` in each format."""
    (table,) = docx_tables(files[".docx"])
    docx = next(row for row in table if row[0].startswith(name))[-1]
    html_rows = agreement_table(parse(files[".html"])).xpath("./tbody/tr")
    html = next(seen_text(row[-1]) for row in html_rows if seen_text(row[0]).startswith(name))
    return {"docx": docx, "html": html, "pdf": " ".join(pdf_text(files[".pdf"]).split())}


def built(content, out) -> dict:
    return {p.suffix: p for p in build(content, out, ("docx", "pdf", "html"))[0]}


def test_since_is_printed_in_the_comment_column(make_edition, tmp_path):
    files = built(make_edition(*WITH_SINCE), tmp_path)
    vigsel = comments(files, "Borgerlig vigsel")
    assert vigsel["docx"] == vigsel["html"] == "Med Ringebu. Fra 2019"
    assert "Med Ringebu. Fra 2019" in vigsel["pdf"]
    helse = comments(files, "Regionalt helsesamarbeid")
    assert helse["docx"] == helse["html"] == "Fra 1. mars 2018"
    assert "Fra 1. mars 2018" in helse["pdf"]


def test_since_in_nynorsk(make_edition, tmp_path):
    content = make_edition(*WITH_SINCE, replace("report.yaml", "language: nb", "language: nn"))
    assert comments(built(content, tmp_path), "Borgerlig vigsel")["docx"] == "Med Ringebu. Frå 2019"


def test_a_layout_can_leave_since_out(make_edition, tmp_path):
    layout = {"extends": "oversikt", "table": {"since": "none"}}
    content = make_edition(*WITH_SINCE, replace("report.yaml", "language: nb", "language: nb\nlayout: utan-start"))
    (content / "layouts").mkdir()
    (content / "layouts" / "utan-start.yaml").write_text(yaml.safe_dump(layout), "utf-8")
    files = built(content, tmp_path)
    assert comments(files, "Borgerlig vigsel")["docx"] == "Med Ringebu"
    assert "Fra" not in " ".join(comments(files, "Regionalt helsesamarbeid").values())
