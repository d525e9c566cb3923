"""Reads a content directory (report.yaml, agreements.yaml, text/*.md) into an
:class:`Edition`, reporting every problem with its file and line.
"""

from __future__ import annotations

import datetime as dt
import errno
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from builder import norwegian
from builder.diagnostics import Diagnostics, Location, did_you_mean
from builder.forms import ACT_2018_APPLIES_FROM, vocabulary
from builder.model import (
    ACTIVE,
    EDITION_YEARS,
    OUTPUT_FORMATS,
    PLANNED,
    SINCE_YEARS,
    STATUSES,
    TERMINATED,
    Agreement,
    Category,
    Edition,
    NarrativeSource,
)
from builder.narrative import check_templates
from builder.readers import schema
from builder.readers.facts import (
    AGREEMENT_FACT_KEYS,
    PUBLICATION_KEYS,
    orgnr_places,
    read_agreement_facts,
    read_publication,
)
from builder.readers.layout import is_layout_name, layout_name_problem
from builder.readers.text_checks import check_text, is_clean, normalize
from builder.readers.yaml_source import Node, load_yaml, read_text

REPORT_FILE = "report.yaml"
AGREEMENTS_FILE = "agreements.yaml"
TEXT_DIR = "text"
MAX_NAME_BYTES = 255  # of one file name, in UTF-8, on Linux's and macOS's file systems (Windows: 255 characters)

LANGUAGES = ("nb", "nn")
REPORT_KEYS = (
    "as_of", "region", "members", "language", "layout", "text", "title", "summary", "changes_since", "formats",
    *PUBLICATION_KEYS,
)  # fmt: skip
REPORT_REQUIRED = ("as_of", "region", "members")
CATEGORY_KEYS = ("name", "agreements")
AGREEMENT_KEYS = (
    "name", "form", "members", "host", "partners", "status", "since", "comment", "id", "part_of", "previous_name",
    *AGREEMENT_FACT_KEYS,
)  # fmt: skip
STATUS_WORDS = {ACTIVE: "i drift", TERMINATED: "sagt opp", PLANNED: "under utredning"}
# Norwegian words for a status, bokmål and nynorsk, and the status they mean
STATUS_MEANINGS = {
    **{words: key for key, words in STATUS_WORDS.items()},
    "aktiv": ACTIVE, "i gang": ACTIVE,
    "oppsagt": TERMINATED, "avsluttet": TERMINATED, "avslutta": TERMINATED,
    "planlagt": PLANNED, "under utgreiing": PLANNED, "utredning": PLANNED,
}  # fmt: skip
# The word for "every member": in agreements.yaml as an agreement's members,
# and on the command line as the members to build a page for.
ALL_MEMBERS = "all"


@dataclass
class Places:
    """Where the files give what is checked after the edition is read, as
    the reader found it: the checks name the line without reading the file again."""

    report_keys: dict[str, Location] = field(default_factory=dict)  # where each of report.yaml's keys stands
    orgnr: list[Location] = field(default_factory=list)  # each agreement's orgnr, in the file's order

    def report_key(self, content_dir: Path, key: str) -> Location:
        """Where report.yaml gives ``key``; the file alone where it does not."""
        return self.report_keys.get(key) or Location(content_dir / REPORT_FILE)


def read_edition(content_dir: Path, problems: Diagnostics, places: Places | None = None) -> Edition | None:
    """The edition in ``content_dir``, or None when any error was found;
    ``places``, when given, is told where its values stand."""
    places = Places() if places is None else places
    if not content_dir.is_dir():
        problem = "er en fil, ikke en mappe" if content_dir.exists() else "finnes ikke"
        problems.error(Location(content_dir), f"innholdsmappen {problem}", "oppgi mappen med report.yaml")
        return None
    before = len(problems.errors)
    report = _read_report(content_dir, problems, places)
    # None when report.yaml has no usable list: the agreements' members are
    # then not checked, rather than every one of them reported as unknown
    members = report.get("members")
    categories = _read_agreements(content_dir, members, report.get("as_of"), problems, places)
    narrative = _read_narrative(content_dir, report.get("text", ()), problems)
    if len(problems.errors) > before:
        return None
    return Edition(
        as_of=report["as_of"],
        region=report["region"],
        members=report["members"],
        language=report.get("language", "nb"),
        layout=report.get("layout", "oversikt"),
        categories=categories,
        narrative=narrative,
        title=report.get("title"),
        summary=report.get("summary", False),
        changes_since=report.get("changes_since"),
        formats=report.get("formats"),
        publisher=report.get("publisher"),
        contact=report.get("contact"),
        license=report.get("license"),
        accessibility_statement=report.get("accessibility_statement"),
    )


def _read_report(content_dir: Path, problems: Diagnostics, places: Places) -> dict:
    root = load_yaml(content_dir / REPORT_FILE, problems, within=content_dir)
    if root is None:
        return {}
    fields = schema.mapping(root, REPORT_FILE, problems)
    if fields is None:
        return {}
    places.report_keys = {key: where for key, node in fields.items() if (where := node.key_location) is not None}
    schema.check_keys(fields, root, REPORT_FILE, REPORT_KEYS, REPORT_REQUIRED, problems)
    report: dict = {}
    if "as_of" in fields:
        report["as_of"] = schema.date(fields["as_of"], "'as_of'", problems, EDITION_YEARS)
    for key in ("region", "layout", "title"):
        if key in fields and (value := schema.text(fields[key], f"'{key}'", problems)) is not None:
            report[key] = _clean(value, fields[key], problems)
    if "layout" in report and not is_layout_name(report["layout"]):  # a name, never a path to a file anywhere
        problem = layout_name_problem(report.pop("layout"), content_dir)
        assert problem is not None, "not a layout name"
        problems.error(fields["layout"].location, *problem)
    if "language" in fields:
        language = schema.text(fields["language"], "'language'", problems)
        if language is not None and language not in LANGUAGES:
            problems.error(
                fields["language"].location,
                f"ukjent språk '{language}'",
                did_you_mean(language, LANGUAGES) or "bruk nb (bokmål) eller nn (nynorsk)",
            )
        else:
            report["language"] = language
    if "members" in fields and (members := _report_members(fields["members"], problems)):
        report["members"] = members
    if "text" in fields:
        items = schema.text_list(fields["text"], "'text'", problems) or []
        report["text"] = tuple(item for item in items if _file_name(item, problems))
    if "summary" in fields and (summary := schema.flag(fields["summary"], "'summary'", problems)) is not None:
        report["summary"] = summary
    if "changes_since" in fields:
        report["changes_since"] = _earlier_edition(fields["changes_since"], content_dir, problems)
    if "formats" in fields:
        report["formats"] = _formats(fields["formats"], problems)
    report.update(read_publication(fields, problems))
    return report


def _earlier_edition(node: Node, content_dir: Path, problems: Diagnostics) -> Path | None:
    """The folder of the edition the changes section compares with, written
    relative to this one (``../innhold-2019``) as ``roll`` writes it."""
    value = schema.text(node, "'changes_since'", problems)
    if value is None:
        return None
    folder = content_dir / value
    if not folder.is_dir():
        problems.error(
            node.location, f"'changes_since': mappen {value} finnes ikke (sett fra {content_dir})",
            "skriv stien til fjorårets innholdsmappe, regnet fra denne mappen, for eksempel ../innhold-2019",
        )  # fmt: skip
        return None
    if (folder / REPORT_FILE).resolve() == (content_dir / REPORT_FILE).resolve():
        problems.error(node.location, "'changes_since' viser til denne utgaven selv", "skriv fjorårets mappe")
        return None
    return folder


def _formats(node: Node, problems: Diagnostics) -> tuple[str, ...] | None:
    """The formats ``build`` makes when none are named on the command line."""
    items = schema.text_list(node, "'formats'", problems)
    if items is None:
        return None
    chosen = []
    for item in items:
        if item.value not in OUTPUT_FORMATS:
            problems.error(item.location, f"ukjent format '{item.value}'", f"bruk {', '.join(OUTPUT_FORMATS)}")
        elif item.value not in chosen:
            chosen.append(item.value)
    if not chosen and not problems.errors:
        problems.error(node.location, "'formats' er tom", f"list minst ett av {', '.join(OUTPUT_FORMATS)}")
    return tuple(chosen) or None


def _report_members(node: Node, problems: Diagnostics) -> tuple[str, ...]:
    items = schema.text_list(node, "'members'", problems)
    if items is None:
        return ()
    if not node.value:
        problems.error(node.location, "'members' er tom", "list kommunene som skal ha en kolonne i tabellen")
    names: list[str] = []
    for item in items:
        name = _clean(item.value, item, problems)
        if name in names:
            first = next(other.line for other in items if other.value == name)
            problems.error(
                item.location,
                f"kommunen '{name}' står to ganger i 'members'",
                "fjern den ene" if first == item.line else f"første gang på linje {first}; fjern den ene",
            )
        else:
            names.append(name)
    return tuple(names)


def _read_agreements(
    content_dir: Path, members: tuple[str, ...] | None, as_of: dt.date | None, problems: Diagnostics, places: Places
) -> tuple[Category, ...]:
    root = load_yaml(content_dir / AGREEMENTS_FILE, problems, within=content_dir)
    if root is None:
        return ()
    places.orgnr = orgnr_places(root)
    fields = schema.mapping(root, AGREEMENTS_FILE, problems)
    if fields is None:
        return ()
    schema.check_keys(fields, root, AGREEMENTS_FILE, ("categories",), ("categories",), problems)
    node = fields.get("categories")
    if node is None:
        return ()
    if node.rejected:
        return ()
    if not isinstance(node.value, list) or not node.value:
        problems.error(
            node.location,
            "'categories' skal være en liste av kategorier"
            + ("" if isinstance(node.value, list) else f", men er {schema.describe(node.value)}"),
            "hver kategori er en linje '- name: …' med sine samarbeid under 'agreements:'",
        )
        return ()
    ids: dict[str, Node] = {}
    parts: list[tuple[Node, str]] = []
    categories = []
    for category_node in node.value:
        category = _read_category(category_node, members, as_of, ids, parts, problems)
        if category is not None:
            categories.append(category)
    _check_part_of(ids, parts, problems)
    return tuple(categories)


def _read_category(
    node: Node,
    members: tuple[str, ...] | None,
    as_of: dt.date | None,
    ids: dict[str, Node],
    parts: list[tuple[Node, str]],
    problems: Diagnostics,
) -> Category | None:
    fields = schema.mapping(node, "en kategori", problems)
    if fields is None:
        return None
    schema.check_keys(fields, node, "kategorien", CATEGORY_KEYS, CATEGORY_KEYS, problems)
    name = schema.text(fields["name"], "kategorinavnet", problems) if "name" in fields else None
    if name is not None:
        name = _clean(name, fields["name"], problems)
    agreements_node = fields.get("agreements")
    agreements: list[Agreement] = []
    if agreements_node is not None and not agreements_node.rejected:
        if agreements_node.value is not None and not isinstance(agreements_node.value, list):
            problems.error(
                agreements_node.location,
                f"'agreements' skal være en liste av samarbeid, men er {schema.describe(agreements_node.value)}",
            )
        elif not agreements_node.value:
            problems.error(
                agreements_node.location,
                f"kategorien '{name}' har ingen samarbeid",
                "legg til samarbeid eller fjern kategorien",
            )
        seen: dict[str, Node] = {}
        for item in agreements_node.value if isinstance(agreements_node.value, list) else []:
            agreement = _read_agreement(item, members, as_of, ids, parts, problems)
            if agreement is None:
                continue
            if agreement.name in seen:
                problems.error(
                    item.location,
                    f"samarbeidet '{agreement.name}' står to ganger i kategorien '{name}'"
                    f" (første gang på linje {seen[agreement.name].line})",
                )
            seen[agreement.name] = item
            agreements.append(agreement)
    if name is None:
        return None
    return Category(name, tuple(agreements))


def _read_agreement(
    node: Node,
    members: tuple[str, ...] | None,
    as_of: dt.date | None,
    ids: dict[str, Node],
    parts: list[tuple[Node, str]],
    problems: Diagnostics,
) -> Agreement | None:
    fields = schema.mapping(node, "et samarbeid", problems)
    if fields is None:
        return None
    schema.check_keys(fields, node, "samarbeidet", AGREEMENT_KEYS, ("name",), problems)
    name = schema.text(fields["name"], "navnet på samarbeidet", problems) if "name" in fields else None
    if name is None:
        return None
    name = _clean(name, fields["name"], problems)
    form = _read_form(fields.get("form"), name, node, as_of, problems)
    taking_part = _agreement_members(fields.get("members"), name, node, members, problems)
    facts = _read_facts(fields, name, taking_part, members, as_of, problems)
    comment = ""
    if (
        "comment" in fields
        and (value := schema.text(fields["comment"], "'comment'", problems, allow_empty=True)) is not None
    ):
        comment = _clean(value, fields["comment"], problems)
    agreement_id = part_of = None
    if "id" in fields and (agreement_id := schema.text(fields["id"], "'id'", problems)) is not None:
        agreement_id = _clean(agreement_id, fields["id"], problems)
        if agreement_id in ids:
            problems.error(
                fields["id"].location, f"id '{agreement_id}' er brukt før, på linje {ids[agreement_id].line}"
            )
        else:
            ids[agreement_id] = fields["id"]
    if "part_of" in fields and (part_of := schema.text(fields["part_of"], "'part_of'", problems)) is not None:
        part_of = _clean(part_of, fields["part_of"], problems)
        parts.append((fields["part_of"], agreement_id or ""))
    facts.update(read_agreement_facts(fields, taking_part, facts.get("partners", ()), problems))
    previous_name = _previous_name(fields.get("previous_name"), name, agreement_id, problems)
    return Agreement(name, form, taking_part, comment, agreement_id, part_of, previous_name=previous_name, **facts)


def _previous_name(node: Node | None, name: str, agreement_id: str | None, problems: Diagnostics) -> str | None:
    """The name a renamed agreement had in the edition before: the changes
    since then show the new name as a change, not an agreement ended and one
    added. An agreement with an ``id`` is followed by it and needs none."""
    if node is None or (previous := schema.text(node, "'previous_name'", problems)) is None:
        return None
    previous = _clean(previous, node, problems)
    if agreement_id is not None:
        problems.warning(
            node.location,
            f"samarbeidet '{name}' har 'id', så 'previous_name' trengs ikke",
            "et samarbeid med 'id' følges av den fra år til år, hva det enn heter; fjern 'previous_name'",
        )
    elif previous == name:
        problems.error(
            node.location,
            f"'previous_name' er det samme som navnet '{name}'",
            "skriv navnet samarbeidet hadde i fjor, eller fjern 'previous_name'",
        )
    return previous


def _read_facts(
    fields: dict[str, Node],
    name: str,
    taking_part: tuple[str, ...],
    members: tuple[str, ...] | None,
    as_of: dt.date | None,
    problems: Diagnostics,
) -> dict:
    """host, partners, status and since: the facts the printed comment and the counts come from."""
    facts: dict = {}
    if "host" in fields and (host := schema.text(fields["host"], "'host'", problems)) is not None:
        facts["host"] = _clean(host, fields["host"], problems)
        _check_host(fields["host"], facts["host"], name, taking_part, members or (), problems)
    if "partners" in fields:
        facts["partners"] = _partners(fields["partners"], members or (), problems)
    if "status" in fields and (status := schema.text(fields["status"], "'status'", problems)) is not None:
        if status in STATUSES:
            facts["status"] = status
        else:
            problems.error(
                fields["status"].location,
                f"ukjent status '{status}'",
                _status_hint(status),
            )
    if "since" in fields and (since := _since(fields["since"], problems)) is not None:
        facts["since"] = since
        start = since if isinstance(since, dt.date) else dt.date(since, 1, 1)
        if as_of is not None and start > as_of and facts.get("status") != PLANNED:
            problems.warning(
                fields["since"].location,
                f"samarbeidet '{name}' starter {since}, etter datoen for utgaven ({norwegian.date_long(as_of)})",
                "gi det 'status: planned' til det er i gang, eller rett datoen",
            )
    return facts


def _status_hint(status: str) -> str:
    """The status an editor most likely meant, also when written in Norwegian ("sagt opp")."""
    meant = STATUS_MEANINGS.get(" ".join(status.casefold().split()))
    if meant is not None:
        return f"mente du '{meant}'?"
    return did_you_mean(status, STATUSES) or "bruk " + ", ".join(f"{k} ({w})" for k, w in STATUS_WORDS.items())


def _check_host(
    node: Node, host: str, name: str, taking_part: tuple[str, ...], members: tuple[str, ...], problems: Diagnostics
) -> None:
    """A member that hosts takes part; a name a letter off a member's is that member, misspelt."""
    if host in members:
        if taking_part and host not in taking_part:
            problems.warning(
                node.location,
                f"vertskommunen '{host}' er ikke merket som deltaker i samarbeidet '{name}'",
                f"legg '{host}' til i 'members'",
            )
    elif member := norwegian.misspelt_name(host, members):
        problems.error(
            node.location,
            f"vertskommunen '{host}' er ikke en av kommunene i report.yaml",
            f"mente du '{member}'?",
        )


def _partners(node: Node, members: tuple[str, ...], problems: Diagnostics) -> tuple[str, ...]:
    items = schema.text_list(node, "'partners'", problems)
    names: list[str] = []
    for item in items or []:
        name = _clean(item.value, item, problems)
        if name in members:
            problems.error(
                item.location,
                f"'{name}' er en av kommunene i report.yaml, ikke en deltaker utenfor regionen",
                "merk kommunen under 'members' i stedet",
            )
        elif member := norwegian.misspelt_name(name, members):
            problems.error(
                item.location,
                f"'{name}' i 'partners' er nesten som '{member}', en av kommunene i report.yaml",
                f"mente du '{member}'? Merk den i så fall under 'members'",
            )
        elif name in names:
            problems.error(item.location, f"'{name}' står to ganger i 'partners'", "fjern den ene")
        else:
            names.append(name)
    return tuple(names)


def _since(node: Node, problems: Diagnostics) -> int | dt.date | None:
    value = node.value
    if node.rejected:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if value in SINCE_YEARS:
            return value
        problems.error(
            node.location,
            f"'since' er {value}, som ikke er et årstall",
            f"skriv et årstall {schema.years_hint(SINCE_YEARS)}, som 2019",
        )
        return None
    if isinstance(value, (dt.date, str)):
        return schema.date(node, "'since'", problems, SINCE_YEARS)
    problems.error(
        node.location,
        f"'since' skal være et årstall eller en dato, men er {schema.describe(value)}",
        "skriv et årstall (2019) eller en dato (2019-06-01)",
    )
    return None


def _read_form(
    node: Node | None, name: str, agreement: Node, as_of: dt.date | None, problems: Diagnostics
) -> str | None:
    if node is not None and node.rejected:
        return None
    if node is None or node.value is None or node.value == "":
        problems.warning(agreement.location, f"samarbeidet '{name}' har ingen type samarbeid ('form')")
        return None
    spelling = schema.text(node, "'form'", problems)
    if spelling is None:
        return None
    forms = vocabulary()
    form = forms.lookup(spelling)
    if form is None:
        problems.error(
            node.location,
            f"ukjent type samarbeid '{spelling}'",
            did_you_mean(spelling, forms.names) or f"kjente typer er {', '.join(forms.names)}",
        )
        return None
    if form.act == "1992" and as_of is not None and as_of >= ACT_2018_APPLIES_FROM:
        problems.warning(
            node.location,
            f"'{form.name}' er en samarbeidsform fra kommuneloven av 1992;"
            " fra høsten 2019 gjelder kommuneloven av 2018",
            "vurder " + " eller ".join(successor.described() for successor in form.successors),
        )
    return form.name


def _agreement_members(
    node: Node | None, name: str, agreement: Node, members: tuple[str, ...] | None, problems: Diagnostics
) -> tuple[str, ...]:
    if node is not None and node.rejected:
        return ()
    if node is None or node.value == [] or node.value is None:
        problems.warning(agreement.location, f"ingen av kommunene deltar i samarbeidet '{name}'")
        return ()
    if node.value == ALL_MEMBERS:
        return members or ()
    if isinstance(node.value, str) and node.value.strip().casefold() in ("all", "alle"):
        problems.error(node.location, f"'members' er '{node.value}'", "skriv all (små bokstaver) for alle kommunene")
        return ()
    items = schema.text_list(node, "'members'", problems)
    if items is None or members is None:
        return ()
    taking_part: dict[str, Node] = {}
    for item in items:
        if item.value in taking_part:
            problems.error(
                item.location,
                f"kommunen '{item.value}' står to ganger i 'members'",
                f"første gang i kolonne {taking_part[item.value].location.column}; fjern den ene",
            )
        elif item.value in members:
            taking_part[item.value] = item
        else:
            problems.error(
                item.location,
                f"'{item.value}' er ikke en av kommunene i report.yaml",
                did_you_mean(item.value, members) or f"kommunene er {', '.join(members)}, eller skriv 'all'",
            )
    return tuple(m for m in members if m in taking_part)


def _check_part_of(ids: dict[str, Node], parts: list[tuple[Node, str]], problems: Diagnostics) -> None:
    """Every ``part_of`` names an existing id, and no chain of them comes back to where it began."""
    parent_of: dict[str, str] = {}
    part_node: dict[str, Node] = {}
    for node, own_id in parts:
        if node.value not in ids:
            problems.error(
                node.location,
                f"'part_of' viser til id '{node.value}', som ikke finnes",
                did_you_mean(node.value, list(ids)) or (f"kjente id-er: {', '.join(ids)}" if ids else None),
            )
        elif own_id:
            parent_of[own_id] = node.value
            part_node[own_id] = node
    done: set[str] = set()
    for start in parent_of:
        chain: list[str] = []
        current = start
        while current in parent_of and current not in done and current not in chain:
            chain.append(current)
            current = parent_of[current]
        done.update(chain)
        if current not in chain:
            continue
        cycle = chain[chain.index(current) :]
        # reported once, where the first agreement of the circle stands
        first = min(range(len(cycle)), key=lambda i: part_node[cycle[i]].line or 0)
        cycle = cycle[first:] + cycle[:first]
        if len(cycle) == 1:
            message = f"samarbeidet med id '{cycle[0]}' er oppgitt som del av seg selv"
        else:
            message = "'part_of' går i ring: " + " → ".join(f"'{i}'" for i in [*cycle, cycle[0]])
        problems.error(part_node[cycle[0]].location, message, "en delavtale viser til overbygningen, aldri omvendt")


def _read_narrative(content_dir: Path, names: tuple[Node, ...], problems: Diagnostics) -> tuple[NarrativeSource, ...]:
    sources = []
    text_dir = content_dir / TEXT_DIR
    for node in names:
        path = text_dir / node.value
        try:
            outside = not path.resolve().is_relative_to(text_dir.resolve())
            found = path.exists() or path.is_symlink()
        except RuntimeError:  # a loop of links: read_text below says so
            outside, found = False, True
        except OSError as error:  # the file system's limits: a path too long, say
            reason = "stien er for lang" if error.errno == errno.ENAMETOOLONG else error.strerror or str(error)
            problems.error(node.location, f"tekstfilen '{node.value}' kan ikke leses: {reason}")
            continue
        if outside:
            problems.error(node.location, f"tekstfilen '{node.value}' ligger utenfor mappen {text_dir}")
            continue
        if not found:  # read_text says what is wrong with any other
            available = sorted(p.name for p in text_dir.glob("*.md")) if text_dir.is_dir() else []
            problems.error(
                node.location,
                f"tekstfilen '{node.value}' finnes ikke i {text_dir}",
                did_you_mean(node.value, available),
            )
            continue
        # within the content folder, not text/: a text/ that is itself a link must not lead out
        text = read_text(path, problems, within=content_dir)
        if text is not None and check_text(text, Location(path, 1, 1), problems, multiline=True):
            sources.append(NarrativeSource(path, normalize(text)))
    check_templates(tuple(sources), problems)
    return tuple(sources)


def _file_name(node: Node, problems: Diagnostics) -> bool:
    """Whether a 'text' entry is a name the file system can be asked about:
    no control character or lone surrogate, no part longer than a file name can be."""
    name = node.value
    if not is_clean(name) and not check_text(name, node.location, problems):
        return False
    longest = max(len(part.encode("utf-8")) for part in PurePath(name).parts or ("",))
    if longest > MAX_NAME_BYTES:
        problems.error(
            node.location,
            f"filnavnet er for langt: {longest} byte, men et filnavn kan ha høyst {MAX_NAME_BYTES}",
            "gi tekstfilen et kortere navn",
        )
        return False
    return True


def _clean(value: str, node: Node, problems: Diagnostics) -> str:
    """Check a text value for characters that would break or vanish in a writer."""
    if not is_clean(value):  # a node makes its location only when asked: ask only for a problem
        check_text(value, node.location, problems)
    return value
