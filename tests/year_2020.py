"""The 2020 edition as an administrator makes it from the 2019 one (issue 23):
roll content/ to 2020-01-01, then edit the rolled files as the editor would:
end two agreements, add three (an IKS with a host, a kommunalt
oppgavefellesskap and a part of the framework agreement ``id: helse``),
rename the framework agreement, add the category "Vann og avløp" and change
Oppland fylkeskommune to Innlandet fylkeskommune.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from builder.rolling import roll

ROOT = Path(__file__).resolve().parent.parent
OLD_NAME = "Regionalt helsesamarbeid – overbygning med felles hovedavtale og 6 delavtaler."
NEW_NAME = "Regionalt helsesamarbeid – overbygning med felles hovedavtale og 7 delavtaler."
ENDED = ("Valg-samarbeid", "Regional landbruksplan")
ADDED = ("Felles rehabilitering", "Gudbrandsdal Vann og Avløp IKS", "Felles slamtømming")
NEW_CATEGORY = "Vann og avløp"


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == count, f"{path.name} must hold {old!r} {count} times"
    path.write_text(text.replace(old, new), "utf-8")


def make_2020(into: Path, content_dir: Path = ROOT / "content") -> Path:
    """The 2020 edition in ``into``, rolled from ``content_dir`` and edited."""
    target = roll(content_dir, dt.date(2020, 1, 1), into).target
    agreements = target / "agreements.yaml"
    text = agreements.read_text("utf-8")
    for name in ENDED:  # the agreement's lines, up to the next one's
        start = text.index(f"      - name: {name}\n")
        end = min(i for i in (text.find(mark, start + 1) for mark in ("\n      - name:", "\n  - name:")) if i >= 0)
        text = text[:start] + text[end + 1 :]
    agreements.write_text(text, "utf-8")
    edit(agreements, OLD_NAME, NEW_NAME)
    edit(agreements, "Oppland fylkeskommune", "Innlandet fylkeskommune", count=2)
    edit(
        agreements,
        "        host: Gausdal\n      - name: Gudbrandsdal krisesenter IKS\n",
        "        host: Gausdal\n      - name: Felles rehabilitering\n        part_of: helse\n"
        "        form: Vertskommunesamarbeid\n        members: all\n        host: Lillehammer\n"
        "      - name: Gudbrandsdal krisesenter IKS\n",
    )
    edit(
        agreements,
        "  - name: NAV\n",
        f"  - name: {NEW_CATEGORY}\n    agreements:\n      - name: Gudbrandsdal Vann og Avløp IKS\n"
        "        form: IKS\n        members: all\n        host: Lillehammer\n"
        "      - name: Felles slamtømming\n        form: KO\n        members: [Gausdal, Øyer]\n  - name: NAV\n",
    )
    return target
