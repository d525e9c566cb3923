"""Files of the shape of Enhetsregisteret's bulk download (every entity, as
``/enhetsregisteret/api/enheter/lastned`` gives it: a gzip JSON array; or
the CSV variant), and a small edition whose agreements name some of them,
for test_enhetsregisteret.py and bench_enhetsregisteret.py."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from edits import make_edition, replace

from builder import orgnr

FORMS = ("AS", "ENK", "NUF", "FLI", "ANS", "SA", "STI", "IKS", "ANNA", "ORGL", "BRL", "ESEK")


def valid_number(seed: int) -> str:
    """The ``seed``-th valid org.nr from 810 000 000 up (every eight digits whose check digit is not 10)."""
    first = 81_000_000 + seed
    while True:
        digit = orgnr.check_digit(f"{first:08d}")
        if digit is not None:
            return f"{first:08d}{digit}"
        first += 50_000_000  # another number of the same seed; few need it


# the edition's agreements, and what the register says of them
FINE, MISSING, BANKRUPT, WRONG_FORM, WOUND_UP = (valid_number(n) for n in (11, 12, 13, 14, 15))


def entity(number: str, form: str = "AS", **flags) -> dict:
    """One entity as the download has it, with its usual fields."""
    return {
        "organisasjonsnummer": number,
        "navn": f"ENHET {number} AS",
        "organisasjonsform": {
            "kode": form,
            "beskrivelse": "Aksjeselskap",
            "_links": {"self": {"href": f"https://data.brreg.no/enhetsregisteret/api/organisasjonsformer/{form}"}},
        },
        "postadresse": {
            "land": "Norge",
            "landkode": "NO",
            "postnummer": "2609",
            "poststed": "LILLEHAMMER",
            "adresse": ["Postboks 986"],
            "kommune": "LILLEHAMMER",
            "kommunenummer": "3405",
        },  # fmt: skip
        "registreringsdatoEnhetsregisteret": "1995-02-19",
        "registrertIMvaregisteret": True,
        "naeringskode1": {"kode": "84.110", "beskrivelse": "Generell offentlig administrasjon"},
        "antallAnsatte": 12,
        "harRegistrertAntallAnsatte": True,
        "forretningsadresse": {
            "land": "Norge",
            "landkode": "NO",
            "postnummer": "2615",
            "poststed": "LILLEHAMMER",
            "adresse": ["Kirkegata 2"],
            "kommune": "LILLEHAMMER",
            "kommunenummer": "3405",
        },  # fmt: skip
        "institusjonellSektorkode": {"kode": "6500", "beskrivelse": "Kommuneforvaltningen"},
        "registrertIForetaksregisteret": False,
        "registrertIStiftelsesregisteret": False,
        "registrertIFrivillighetsregisteret": False,
        "konkurs": flags.get("konkurs", False),
        "underAvvikling": flags.get("underAvvikling", False),
        "underTvangsavviklingEllerTvangsopplosning": False,
        "maalform": "Bokmål",
        "_links": {"self": {"href": f"https://data.brreg.no/enhetsregisteret/api/enheter/{number}"}},
    }


def edition_entities() -> list[dict]:
    """The register's view of the edition's org.nrs: one fine, one bankrupt,
    one registered as an AS for an IKS, one being wound up, MISSING absent."""
    return [
        entity(FINE, "IKS"),
        entity(BANKRUPT, "AS", konkurs=True),
        entity(WRONG_FORM, "AS"),
        entity(WOUND_UP, "SA", underAvvikling=True),
    ]


def write_json_register(path: Path, count: int, extra: list[dict] = ()) -> Path:
    """``count`` entities (``extra`` among them, in the middle), as gzip JSON, streamed to disk."""
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    template = encoder.encode(entity("000000000"))
    middle = count // 2
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
        out.write("[")
        for index in range(count):
            if index:
                out.write(",")
            if index == middle:
                out.write(",".join(encoder.encode(e) for e in extra) + ("," if extra else ""))
            number = f"{900_000_000 + index:09d}"  # never one of the edition's (810…)
            out.write(template.replace("000000000", number).replace('"kode":"AS"', f'"kode":"{FORMS[index % 12]}"', 1))
        out.write("]")
    return path


def write_csv_register(path: Path, entities: list[dict]) -> Path:
    header = [
        "organisasjonsnummer", "navn", "organisasjonsform.kode", "organisasjonsform.beskrivelse",
        "konkurs", "underAvvikling", "underTvangsavviklingEllerTvangsopplosning", "slettedato",
    ]  # fmt: skip
    lines = [",".join(f'"{h}"' for h in header)]
    for e in entities:
        values = [
            e["organisasjonsnummer"], e["navn"], e["organisasjonsform"]["kode"], "Beskrivelse, med komma",
            str(e["konkurs"]).lower(), str(e["underAvvikling"]).lower(), "false", "",
        ]  # fmt: skip
        lines.append(",".join(f'"{v}"' for v in values))
    path.write_bytes(gzip.compress(("\r\n".join(lines) + "\r\n").encode("utf-8")))
    return path


AGREEMENTS_WITH_NUMBERS = f"""\
      - name: Borgerlig vigsel
        form: Avtale
        members: [Lillehammer, Gausdal]
        comment: Med Ringebu
      - name: Renovasjon IKS
        form: IKS
        members: all
        orgnr: "{orgnr.shown(FINE)}"
      - name: Nedlagt AS
        form: AS
        members: all
        orgnr: "{orgnr.shown(MISSING)}"
      - name: Konkurs AS
        form: AS
        members: all
        orgnr: {BANKRUPT}
      - name: Feilformet IKS
        form: IKS
        members: all
        orgnr: "{WRONG_FORM}"
      - name: Samvirke under avvikling
        form: Samvirkeforetak
        members: all
        orgnr: "{WOUND_UP}"
"""
# the lines their orgnr stands on in agreements.yaml
ORGNR_LINES = {FINE: 15, MISSING: 19, BANKRUPT: 23, WRONG_FORM: 27, WOUND_UP: 31}


def register_edition(target: Path) -> Path:
    """tests/editions/base with five agreements that have an org.nr."""
    return make_edition(
        target,
        replace(
            "agreements.yaml",
            "      - name: Borgerlig vigsel\n        form: Avtale\n        members: [Lillehammer, Gausdal]\n"
            "        comment: Med Ringebu\n",
            AGREEMENTS_WITH_NUMBERS,
        ),
    )
