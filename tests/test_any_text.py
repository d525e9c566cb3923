"""Property: any Unicode text an editor puts in an agreement's name or
comment either builds both formats and reads back as written, or is refused
with a clear error (a ContentError naming the place and, for a character,
U+XXXX), never another exception and never a lost character.

"As written" means after Unicode composition (NFC), which the readers apply
(see builder/readers/text_checks.py). The DOCX must give the text back
exactly; the PDF may differ only in white space, as pdf_shows explains.
"""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import yaml
from edits import BASE_EDITION, make_edition, write
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from readback import docx_tables, pdf_shows, pdf_table_cells

from builder.build import build
from builder.diagnostics import ContentError

# What editors paste and writers stumble on, mixed into hypothesis' own choice
PASTED = (
    "<>&;]]\"'\\{}%*_#`|-–—…«»“”‘’€§"
    "\u00a0\u00ad\u200b\u200d\u2060\ufeff\u2028\u2029\u0301\u030a\u202e\u2003\u3000"
    "\t\n\r\x0b\x00\x07\x1b\x7f\x85\ud800\udfff\ue000"
    "ŋšáïčđŧžØÆÅ🙂中ﬁʼ"
)
TEXT = st.one_of(
    # what editors in a Norwegian office type and paste
    st.text(st.characters(max_codepoint=0x2FF, categories=("L", "M", "N", "P", "S", "Zs")) | st.sampled_from(PASTED)),
    # anything at all, lone surrogates included
    st.text(st.characters(exclude_categories=())),
)

ROW = 3  # header, category, "Felles personvernombud", then the agreement under test


def _edition(folder: Path, name: str, comment: str) -> Path:
    data = yaml.safe_load((BASE_EDITION / "agreements.yaml").read_text("utf-8"))
    agreement = data["categories"][0]["agreements"][1]
    agreement["name"], agreement["comment"] = name, comment
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    return make_edition(folder / "content", write("agreements.yaml", text))


def _assert_clear(error: ContentError, content: Path) -> None:
    assert error.diagnostics.errors
    for problem in error.diagnostics.errors:
        assert problem.location.path == content / "agreements.yaml", str(problem)
        assert problem.location.line is not None, str(problem)
        assert "U+" in problem.message or problem.message.endswith(" er tom"), str(problem)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=TEXT, comment=TEXT)
@example(name="Borgerlig\u00a0vigsel ]]> <b>", comment="  to  mellomrom  ")
@example(name="ﬁnans\u00adavdeling", comment="\u200bskjult")
@example(name="pa\u030a Øyer", comment="Kárášjohka, Porsáŋgu")
def test_any_text_builds_and_reads_back_or_is_refused_clearly(name, comment):
    with tempfile.TemporaryDirectory() as folder:
        content = _edition(Path(folder), name, comment)
        try:
            written, _ = build(content, Path(folder) / "out")
        except ContentError as error:
            _assert_clear(error, content)
            return
        docx_path, pdf_path = sorted(written)
        expected_name, expected_comment = (unicodedata.normalize("NFC", text) for text in (name, comment))

        docx_row = docx_tables(docx_path)[0][ROW]
        assert (docx_row[0], docx_row[-1]) == (expected_name, expected_comment)

        pdf_row = pdf_table_cells(pdf_path)[ROW]
        assert pdf_shows(expected_name, pdf_row[0]), (expected_name, pdf_row[0])
        assert pdf_shows(expected_comment, pdf_row[-1]), (expected_comment, pdf_row[-1])
