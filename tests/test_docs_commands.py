"""Every command the guides mark is run, so the guides cannot go stale.

A guide marks a shell block for this test with ``<!-- test -->`` on the line
before its opening fence (```sh). The blocks of one guide run in order in one
fresh folder, like a reader following the guide from the top, with the
``oversikt`` of this venv first on PATH. Before the first block the folder holds
``oversikt-2019.docx``, last year's document as a region would have it (built
here from ``content/``), for the guide's import to start from, and a copy of
``content/`` itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDES = ("README.md", "docs/brukerveiledning.md", "docs/innhold.md", "docs/oppsett.md")
# the marker and the fence, indented alike (as in a numbered list's item)
_MARKED = re.compile(r"^([ \t]*)<!-- test -->\n\1```sh\n(.*?)^\1```", re.MULTILINE | re.DOTALL)


def marked_blocks(guide: Path) -> list[str]:
    return [textwrap.dedent(block) for _, block in _MARKED.findall(guide.read_text(encoding="utf-8"))]


def test_the_user_guide_marks_its_commands():
    blocks = marked_blocks(ROOT / "docs/brukerveiledning.md")
    commands = "\n".join(blocks)
    for verb in ("import", "check", "roll", "diff", "build", "publish", "init"):
        assert f"oversikt {verb} " in commands, verb


@pytest.mark.skipif(shutil.which("bash") is None, reason="the guides' blocks are run with bash")
@pytest.mark.parametrize("guide", [g for g in GUIDES if marked_blocks(ROOT / g)])
def test_marked_commands_run(guide, tmp_path):
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("OVERSIKT_DEBUG", None)
    subprocess.run(
        ["oversikt", "build", str(ROOT / "content"), "--out", "fjor", "--format", "docx"],
        cwd=tmp_path, env=env, check=True, capture_output=True,
    )  # fmt: skip
    (tmp_path / "fjor/oversikt-2019.docx").rename(tmp_path / "oversikt-2019.docx")
    shutil.rmtree(tmp_path / "fjor")
    shutil.copytree(ROOT / "content", tmp_path / "content")
    for block in marked_blocks(ROOT / guide):
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"{guide}:\n{block}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def test_the_readme_is_short_links_the_guides_and_gives_both_platforms():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    for guide in ("docs/brukerveiledning.md", "docs/innhold.md", "docs/oppsett.md", "docs/utvikling.md"):
        assert f"]({guide}" in readme and (ROOT / guide).is_file(), guide
    for command in (
        "python3 -m venv .venv",
        ".venv/bin/oversikt build",
        "py -m venv .venv",
        ".venv\\Scripts\\oversikt build",
    ):
        assert command in readme, command
    assert (ROOT / "docs/bilder/side.png").stat().st_size < 100_000


def test_ci_runs_the_readmes_test_command_word_for_word():
    test_command = re.search(r"## Run the tests\n\n```sh\n(.*)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert test_command
    assert (ROOT / ".ci/run").read_text(encoding="utf-8").rstrip().endswith("\n" + test_command.group(1))


def test_the_guides_give_the_member_counts_the_check_gives(make_edition, capsys):
    """How many members each shipped layout has room for, as docs/innhold.md
    and docs/oppsett.md say it, is what ``check`` says of one member too many."""
    from edits import replace

    from builder.cli import main

    innhold = " ".join((ROOT / "docs" / "innhold.md").read_text("utf-8").split())
    oppsett = " ".join((ROOT / "docs" / "oppsett.md").read_text("utf-8").split())
    portrait, landscape = map(
        int, re.search(r"bred: (\d+) i `oversikt`, (\d+) i `oversikt-liggende`", innhold).groups()
    )
    assert re.search(rf"plass til {portrait} kommuner i `oversikt` .*?og {landscape} i `oversikt-liggende`", oppsett)
    for layout, room in (("oversikt", portrait), ("oversikt-liggende", landscape)):
        members = [
            "Lillehammer",
            "Gausdal",
            "Øyer",
            *(f"Kommune {chr(65 + n // 26)}{chr(65 + n % 26)}" for n in range(room - 2)),
        ]
        content = make_edition(
            replace("report.yaml", "members: [Lillehammer, Gausdal, Øyer]", f"members: [{', '.join(members)}]"),
            replace("report.yaml", "language: nb", f"language: nb\nlayout: {layout}"),
        )
        assert main(["check", str(content)]) == 1
        assert f"tabellen har plass til {room} medlemmer med oppsettet '{layout}'" in capsys.readouterr().err
