"""The edition checked against its layout: the cross-checks that need both
report.yaml's edition and the layout it names, made once both are read."""

from __future__ import annotations

from pathlib import Path

from builder.diagnostics import Diagnostics, Location
from builder.model import Edition, Layout
from builder.readers.edition import Places
from builder.readers.layout import available_layouts, find_layout, layout_name_problem, read_layout


def edition_layout(edition: Edition, places: Places, content_dir: Path, problems: Diagnostics) -> Layout | None:
    """The layout report.yaml names, read and checked against the edition: it
    has texts for the edition's language, room for its members, and room for
    the longest of their names over a column; None, with the problem
    reported, where it has not. ``places`` (the reader's) says where
    report.yaml gives each setting."""
    report = places.report_key(content_dir, "layout")
    if (problem := layout_name_problem(edition.layout, content_dir)) is not None:
        problems.error(report, *problem)
        return None
    path = find_layout(edition.layout, content_dir)
    assert path is not None, "layout_name_problem found it"
    layout = read_layout(path, problems, content_dir)
    if layout is None:
        return None
    if edition.language not in layout.labels:
        problems.error(report, f"oppsettet '{edition.layout}' har ingen tekster for språket '{edition.language}'")
        return None
    if len(edition.members) > layout.member_capacity():
        _too_many_members(edition, layout, places.report_key(content_dir, "members"), content_dir, problems)
        return None
    longest = layout.longest_member_name(len(edition.members)) if edition.members else 0
    too_long = [name for name in edition.members if len(name) > longest] if longest else []
    for name in too_long:
        problems.error(
            places.report_key(content_dir, "members"),
            f"kommunenavnet '{name[:40]}…' er for langt til å stå over en kolonne: "
            f"høyst {longest} tegn med {len(edition.members)} medlemmer i oppsettet '{layout.name}'",
            "skriv et kortere navn",
        )
    return None if too_long else layout


def _too_many_members(
    edition: Edition, layout: Layout, members: Location, content_dir: Path, problems: Diagnostics
) -> None:
    """Refuse more members than the table has room for, naming a layout that has room, if any."""
    count = len(edition.members)
    capacities = {}
    for name in available_layouts(content_dir):
        path = find_layout(name, content_dir)
        other = read_layout(path, Diagnostics(), content_dir) if path is not None else None
        if other is not None and edition.language in other.labels:
            capacities[name] = other.member_capacity()
    roomiest = max(capacities, key=capacities.__getitem__, default=None)
    room = capacities[roomiest] if roomiest is not None else 0
    if roomiest is not None and room >= count:
        hint = f"bruk oppsettet '{roomiest}', som har plass til {room}: skriv layout: {roomiest} i report.yaml"
    elif roomiest is not None and roomiest != layout.name:
        hint = f"oppsettet '{roomiest}' har plass til {room}; del regionen i flere oversikter"
    else:
        hint = "del regionen i flere oversikter"
    problems.error(
        members,
        f"tabellen har plass til {layout.member_capacity()} medlemmer med oppsettet '{layout.name}', "
        f"men 'members' har {count}",
        hint,
    )
