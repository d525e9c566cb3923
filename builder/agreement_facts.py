"""How an agreement's facts beyond the printed table are shown (org.nr,
purpose, ownership shares, decisions, link), decided once for every format:
the web edition's row opens them, the appendix «Fakta om samarbeidene» lists
them in the PDF and DOCX, and the CSV and XLSX carry the same texts.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from builder import norwegian, orgnr
from builder.model import Agreement, Block, BulletList, Edition, Fact, Heading, Layout, ListItem, Run

NO_BREAK_SPACE = "\u00a0"


def ownership_text(agreement: Agreement, space: str = " ") -> str:
    """``Lillehammer 12,5 %, Gausdal 4,1 %``: each share a Norwegian decimal."""
    return ", ".join(f"{name} {norwegian.decimal(share)}{space}%" for name, share in agreement.ownership)


def decision_text(agreement: Agreement) -> str:
    """``K-38/23, 15. juni 2023``; per member ``Lillehammer: K-38/23, …; Gausdal: …``."""
    parts = []
    for decision in agreement.decisions:
        text = decision.reference
        if decision.date is not None:
            text += f", {norwegian.date_long(decision.date)}"
        parts.append(text if decision.member is None else f"{decision.member}: {text}")
    return "; ".join(parts)


def host_name(url: str) -> str:
    """The host a link leads to, without a leading ``www.``: what a reader recognises."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def agreement_facts(agreement: Agreement, labels: dict[str, str], *, printed: bool = False) -> tuple[Fact, ...]:
    """The facts of ``agreement`` with their labels, in a fixed order. On
    paper (``printed``) a link is shown as its whole address, which a reader
    can type; on a screen as its host name, linked."""
    facts = []
    if agreement.orgnr:
        facts.append(
            Fact(labels["fact_orgnr"], (Run(orgnr.shown(agreement.orgnr), link=orgnr.register_page(agreement.orgnr)),))
        )
    if agreement.purpose:
        facts.append(Fact(labels["fact_purpose"], (Run(agreement.purpose),)))
    if agreement.ownership:
        facts.append(Fact(labels["fact_ownership"], (Run(ownership_text(agreement, NO_BREAK_SPACE)),)))
    if agreement.decisions:
        facts.append(Fact(labels["fact_decision"], (Run(decision_text(agreement)),)))
    if agreement.url:
        shown = agreement.url if printed else host_name(agreement.url)
        facts.append(Fact(labels["fact_url"], (Run(shown, link=agreement.url),)))
    return tuple(facts)


def facts_appendix(edition: Edition, layout: Layout) -> list[Block]:
    """«Fakta om samarbeidene»: a heading, then for each agreement that has
    facts its name as a heading and its facts as a list. Nothing when none has."""
    labels = layout.labels[edition.language]
    blocks: list[Block] = []
    for agreement in edition.agreements:
        if not agreement.has_facts:
            continue
        items = tuple(
            ListItem((Run(f"{fact.label}: ", strong=True), *fact.value))
            for fact in agreement_facts(agreement, labels, printed=True)
        )
        blocks += [Heading(2, (Run(agreement.name),)), BulletList(items)]
    return [Heading(1, (Run(labels["facts_heading"]),)), *blocks] if blocks else []
