"""A Word document's XML as Word shows it, every tracked change accepted.

A file that went round for comments comes back with changes nobody accepted:
text inserted (``w:ins``) and deleted (``w:del``), moved (``w:moveFrom`` to
``w:moveTo``), paragraph marks deleted (two paragraphs joined), table rows
inserted or deleted, and formatting changed (``w:rPrChange`` and its kind,
which hold the old formatting). Word shows the document as if they were all
accepted, and so is it read: the tree is changed in place, once, before
anything reads it, and the changes are counted so the import can say so.

The same pass leaves out hidden text (``w:vanish``), which Word does not show
or print, and keeps one branch of each ``mc:AlternateContent`` (the fallback
a reader without the newer features shows), whose text would otherwise be
read twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml.ns import qn

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_ALTERNATE = f"{{{_MC}}}AlternateContent"
_CHOICE = f"{{{_MC}}}Choice"
_FALLBACK = f"{{{_MC}}}Fallback"
_P = qn("w:p")
_P_PR = qn("w:pPr")
_R_PR = qn("w:rPr")
_TR_PR = qn("w:trPr")
_TR = qn("w:tr")
_R = qn("w:r")
_T = qn("w:t")
_INS, _DEL = qn("w:ins"), qn("w:del")
_MOVE_FROM, _MOVE_TO = qn("w:moveFrom"), qn("w:moveTo")
_VANISH = qn("w:vanish")
_VAL = qn("w:val")
_OFF = ("0", "false", "off")
# Where a w:ins or w:del marks its parent (a paragraph mark, a row) instead of wrapping content
_MARKED = (_R_PR, _TR_PR)
# The earlier formatting of a formatting change: accepting it drops the old
_FORMATTING_CHANGES = tuple(
    qn(f"w:{name}Change")
    for name in ("rPr", "pPr", "sectPr", "tblPr", "tblGrid", "trPr", "tcPr", "tblPrEx", "numbering")
)


@dataclass(frozen=True)
class Shown:
    changes: int  # tracked changes that were not accepted in the file
    hidden: int  # runs of hidden text left out


def show_accepted(body) -> Shown:
    """Change ``body`` (a w:body, or any part of one) into what Word shows with
    every change accepted and hidden text hidden; what was done, counted."""
    changes = _rows(body) + _content(body) + _paragraph_marks(body) + _formatting(body)
    _alternates(body)
    return Shown(changes, _hidden(body))


def _rows(body) -> int:
    count = 0
    for properties in list(body.iter(_TR_PR)):
        row = properties.getparent()
        if properties.find(_DEL) is not None and row is not None and row.getparent() is not None:
            row.getparent().remove(row)
            count += 1
        elif (inserted := properties.find(_INS)) is not None:
            properties.remove(inserted)
            count += 1
    return count


def _content(body) -> int:
    """Deleted and moved-away content removed, inserted and moved-here content kept in place."""
    count = 0
    for element in list(body.iter(_DEL, _MOVE_FROM, _INS, _MOVE_TO)):
        parent = element.getparent()
        if parent is None or parent.tag in _MARKED:
            continue  # a mark on a paragraph or row: their own pass
        count += 1
        if element.tag in (_DEL, _MOVE_FROM):
            parent.remove(element)
        else:
            _unwrap(element)
    return count


def _paragraph_marks(body) -> int:
    """A deleted paragraph mark joins the paragraph to the next one, which
    keeps its own properties, as in Word; an inserted one is simply kept."""
    count = 0
    for paragraph in list(body.iter(_P)):
        properties = paragraph.find(_P_PR)
        mark = properties.find(_R_PR) if properties is not None else None
        if mark is None:
            continue
        for tag in (_INS, _MOVE_TO, _DEL, _MOVE_FROM):
            if (found := mark.find(tag)) is None:
                continue
            mark.remove(found)
            count += 1
            following = paragraph.getnext()
            if tag in (_DEL, _MOVE_FROM) and following is not None and following.tag == _P:
                _join(paragraph, following)
    return count


def _join(paragraph, following) -> None:
    content = [child for child in paragraph if child.tag != _P_PR]
    own = following.find(_P_PR)
    at = following.index(own) + 1 if own is not None else 0
    for offset, child in enumerate(content):
        following.insert(at + offset, child)
    paragraph.getparent().remove(paragraph)


def _formatting(body) -> int:
    changes = list(body.iter(*_FORMATTING_CHANGES))
    for change in changes:
        if change.getparent() is not None:
            change.getparent().remove(change)
    return len(changes)


def _alternates(body) -> None:
    for alternate in list(body.iter(_ALTERNATE)):
        if alternate.getparent() is None:
            continue
        branch = alternate.find(_FALLBACK)
        if branch is None:
            branch = alternate.find(_CHOICE)
        if branch is None:
            alternate.getparent().remove(alternate)
        else:
            _unwrap(alternate, branch)


def _hidden(body) -> int:
    count = 0
    for run in list(body.iter(_R)):
        properties = run.find(_R_PR)
        vanish = properties.find(_VANISH) if properties is not None else None
        if vanish is None or vanish.get(_VAL, "true").lower() in _OFF or run.getparent() is None:
            continue
        if any((text.text or "").strip() for text in run.iter(_T)):
            count += 1
        run.getparent().remove(run)
    return count


def _unwrap(element, content=None) -> None:
    """Put the children of ``content`` (by default ``element`` itself) where ``element`` stands."""
    parent = element.getparent()
    at = parent.index(element)
    for offset, child in enumerate(list(content if content is not None else element)):
        parent.insert(at + offset, child)
    parent.remove(element)
