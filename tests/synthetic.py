"""Synthetic editions of any size, for the benchmark and the scale tests.

Names and comments have the lengths and letters of the real register
(æ ø å, Sami letters, § and dashes); the same seed gives the same edition.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MUNICIPALITIES = [
    "Lillehammer", "Gausdal", "Øyer", "Ringebu", "Sør-Fron", "Nord-Fron", "Kárášjohka", "Åsnes",
    "Våler", "Stor-Elvdal", "Ringsaker", "Gjøvik", "Østre Toten", "Vestre Toten", "Søndre Land", "Snåase",
]  # fmt: skip
FORMS = ["§ 27", "§ 28 – 1B", "IKS", "AS", "Avtale", "Vedtak", "Uformelt", "Nettverk", "KO", "IPR"]
WORDS = [
    "felles",
    "samarbeid",
    "tjeneste",
    "kontor",
    "senter",
    "selskap",
    "nettverk",
    "avtale",
    "utvalg",
    "forum",
    "plan",
    "arkiv",
    "revisjon",
    "innkjøp",
    "økonomi",
    "lønn",
    "regnskap",
    "brann",
    "redning",
    "renovasjon",
    "barnevern",
    "legevakt",
    "helse",
    "omsorg",
    "skole",
    "barnehage",
    "kultur",
    "næring",
    "landbruk",
    "reiseliv",
    "vei",
    "vann",
    "avløp",
    "IKT",
    "digitalisering",
    "personvern",
    "beredskap",
    "krisesenter",
    "friluftsliv",
    "bibliotek",
    "kommuneoverlege",
    "jordmor",
    "fysioterapi",
    "rus",
    "psykiatri",
    "miljø",
    "geodata",
    "sekretariat",
    "kontrollutvalg",
    "skatteoppkrever",
    "innfordring",
    "arbeidsgiverkontroll",
    "måltid",
    "gründer",
]
COMMENTS = [
    "{host} vertskommune",
    "Med {other}. {host} vertskommune",
    "Med flere andre kommuner",
    "Med Oppland fylkeskommune",
    "Avtalen er sagt opp.",
    "Kjøp av tjenester fra {host}",
    "{n} kommuner, {host} vertskommune",
    "",
]


def _name(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(2, 6))
    words[0] = words[0].capitalize()
    name = " ".join(words)
    if rng.random() < 0.2:
        name += f" – {rng.choice(WORDS)}{rng.choice(['', ' AS', ' IKS'])}"
    return name


def generate(directory: Path, agreements: int, members: int, seed: int = 2019) -> Path:
    """Write an edition with this many agreements and member columns; returns its folder."""
    rng = random.Random(seed)
    chosen = MUNICIPALITIES[:members]
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "text").mkdir(exist_ok=True)
    for text in (ROOT / "content" / "text").glob("*.md"):
        shutil.copy(text, directory / "text" / text.name)
    report = {
        "as_of": "2019-01-01",
        "region": "Syntetisk region",
        "members": chosen,
        "language": "nb",
        "layout": "oversikt",
        "text": sorted(p.name for p in (directory / "text").glob("*.md")),
    }
    categories = []
    made = 0
    while made < agreements:
        size = min(rng.randint(5, 40), agreements - made)
        entries = []
        parent_id = None
        for index in range(size):
            host, other = rng.choice(MUNICIPALITIES), rng.choice(MUNICIPALITIES)
            comment = rng.choice(COMMENTS).format(host=host, other=other, n=rng.randint(3, 46))
            entry = {"name": f"{_name(rng)} {made + index + 1}", "form": rng.choice(FORMS)}
            entry["members"] = "all" if rng.random() < 0.5 else rng.sample(chosen, rng.randint(1, len(chosen)))
            if comment:
                entry["comment"] = comment
            if parent_id is None and rng.random() < 0.1:
                parent_id = f"ramme-{made + index}"
                entry["id"] = parent_id
            elif parent_id is not None and rng.random() < 0.5:
                entry["part_of"] = parent_id
            entries.append(entry)
        categories.append({"name": f"{rng.choice(WORDS).capitalize()} og {rng.choice(WORDS)} {len(categories) + 1}",
                           "agreements": entries})  # fmt: skip
        made += size
    dump = {"allow_unicode": True, "sort_keys": False, "width": 1000}
    (directory / "report.yaml").write_text(yaml.safe_dump(report, **dump), "utf-8")
    (directory / "agreements.yaml").write_text(yaml.safe_dump({"categories": categories}, **dump), "utf-8")
    return directory
