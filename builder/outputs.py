"""Writing what a command makes, all of it or none of it.

Files (:func:`write_atomically`: a build's outputs, an import's content
files) are written to temporaries beside their targets; every earlier file
is kept under a backup name (a hard link, or a copy where links cannot be
made) before the first is replaced, and put back if any replacement fails,
be it a full disk, a file that Word or Acrobat holds open, or Ctrl-C. A
folder (:func:`write_folder`: ``init``, ``roll``) is made under a scratch
name beside its target and renamed into place.

Every temporary and backup name ends in ``.oversikt-tmp``, so the next
command that writes into a folder can clear what one that was killed left
there, and nothing else.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from builder.diagnostics import ContentError, Diagnostics, Location

_SUFFIX = ".oversikt-tmp"
_OURS = re.compile(r"\..+\.[0-9a-z_]{8}" + re.escape(_SUFFIX))
# the temporaries of earlier versions of oversikt, which ended in ".tmp" only
_EARLIER = re.compile(r"\.(?:oversikt-\d{4}[-0-9a-z]*\.(?:docx|pdf)|report\.yaml|agreements\.yaml)\.[0-9a-z_]{8}\.tmp")

# What the operating system says when a file cannot be replaced because it is
# open (Windows' sharing and lock violations arrive as EACCES), locked or
# marked immutable; renames within a folder we just wrote to fail for nothing else
_LOCKED = {errno.EACCES, errno.EPERM, errno.EBUSY, errno.ETXTBSY}
_LOCKED_ON_WINDOWS = {5, 32, 33}  # ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
_CLOSE_IT = {
    ".docx": "lukk filen i Word og bygg igjen",
    ".pdf": "lukk filen i Acrobat eller PDF-leseren og bygg igjen",
}

_OS_REASONS = {
    errno.EACCES: "ingen tilgang til å skrive her",
    errno.EPERM: "ingen tilgang til å skrive her",
    errno.EROFS: "stedet er skrivebeskyttet",
    errno.ENOSPC: "disken er full",
    errno.EFBIG: "filen blir større enn stedet tillater",
    errno.EDQUOT: "lagringskvoten er brukt opp",
    errno.ENOENT: "mappen kan ikke lages her",
    errno.ENOTDIR: "en del av stien er en fil, ikke en mappe",
    errno.EEXIST: "det finnes en fil med samme navn som mappen",
}


class OutputRefused(Exception):
    """A command was asked to write where it must not: a folder inside the
    content it reads, or over files it did not make. The message is for the
    editor; the command ends with exit 2, a wrong use of it."""


def check_apart(content_dir: Path | str, out_dir: Path | str, option: str) -> None:
    """Refuse an output folder that is the content folder, lies inside it, or
    holds it. Either way round a command would write into what it reads: a
    build's files would become part of the edition (and ``roll`` would copy
    its copy into itself without end), or the edition part of the website.
    The file system decides what is inside what: links are followed, and a
    name that differs only in case is the same folder where the system says so."""
    content, out = Path(content_dir), Path(out_dir)
    if not content.is_dir():
        return  # nothing to write into: the command says the content folder is missing
    if _within(out, content):
        where = "er selve innholdsmappen" if _within(content, out) else f"ligger inne i innholdsmappen {content}"
        raise OutputRefused(f"{option} {out} {where}; velg en mappe utenfor innholdsmappen med {option}")
    if _within(content, out):
        raise OutputRefused(
            f"innholdsmappen {content} ligger inne i {option}-mappen {out};"
            f" velg en annen mappe med {option}, en som ikke har innholdsmappen i seg"
        )


def _within(inner: Path, outer: Path) -> bool:
    """Whether ``inner`` is ``outer`` or lies inside it (neither need exist)."""
    try:
        if not outer.is_dir():
            return False
        for folder in (inner, *inner.resolve().parents):
            if folder.exists() and os.path.samefile(folder, outer):
                return True
    except (OSError, RuntimeError):  # an unreadable folder or a loop of links: no folder to write into there
        return False
    return False


def write_atomically(
    targets: dict[Path, bytes], problems: Diagnostics, option: str = "--out", remove: Iterable[Path] = ()
) -> None:
    """Write every file, or, if any cannot be written or replace its earlier
    version, none: the earlier files stay as they were, and no temporary or
    backup file is left behind. The files in ``remove`` go in the same step
    (moved aside first, and put back if the step fails). The problem is raised
    as a ContentError that names the file; ``option`` is the command-line
    option that chose the folder.
    """
    for target in targets:
        if target.exists() and not target.is_file():
            _cannot_write(target, "det finnes en mappe med samme navn", problems, option)
    made: list[Path] = []  # folders made for the targets, removed again on failure
    temporaries: dict[Path, Path] = {}  # target -> its new content, until renamed
    backups: dict[Path, Path] = {}  # target -> its earlier content
    replaced: list[Path] = []
    removed: dict[Path, Path] = {}  # a file removed -> where it was moved aside, until the step succeeds
    target = next(iter(targets))
    touching = False  # whether the targets themselves are being linked, copied or replaced
    try:
        for folder in dict.fromkeys(target.parent for target in targets):
            made += _missing_folders(folder)
            folder.mkdir(parents=True, exist_ok=True)
            clear_stale(folder)
        for target, data in targets.items():
            temporaries[target] = _scratch_name(target)
            with open(temporaries[target], "xb") as stream:
                stream.write(data)
        touching = True
        for target in targets:
            if target.exists():
                backups[target] = _keep(target)
        for target in targets:
            os.replace(temporaries[target], target)
            del temporaries[target]
            replaced.append(target)
        for target in remove:
            aside = _scratch_name(target)
            os.replace(target, aside)
            removed[target] = aside
    except BaseException as exc:  # Ctrl-C and SIGTERM too: put everything back, leave nothing behind
        locked = touching and isinstance(exc, OSError) and _is_locked(exc) and target.exists()
        kept = _put_back(replaced, backups) | _put_back(list(removed), removed)
        _remove([*temporaries.values(), *backups.values()])
        for folder in reversed(made):
            _remove_folder(folder)
        if not isinstance(exc, OSError):
            raise
        _name_kept(kept, problems)
        if locked:
            problems.error(
                Location(target),
                "filen er åpen i et annet program, låst eller skrivebeskyttet, og kan ikke erstattes"
                + ("" if kept else "; ingen av filene er endret"),
                _CLOSE_IT.get(target.suffix.lower(), "lukk filen i programmet som har den åpen, og prøv igjen"),
            )
            raise ContentError(problems) from None
        # name the file or folder the editor chose, not our temporary one
        ours = exc.filename is None or _OURS.fullmatch(Path(exc.filename).name)
        _cannot_write(target if ours else Path(exc.filename), _reason(exc), problems, option)
    _remove([*backups.values(), *removed.values()])


def write_folder(target: Path, fill: Callable[[Path], object], problems: Diagnostics, option: str | None) -> None:
    """Make the folder ``target`` (absent or empty) whole or not at all:
    ``fill`` makes it under a scratch name beside it, which is then renamed
    into place. On failure nothing is left behind and a ContentError names
    the folder; ``option`` is the command-line option that chose it."""
    made = _missing_folders(target.parent)
    scratch: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clear_stale(target.parent)
        scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=_SUFFIX, dir=target.parent))
        fill(scratch / "folder")
        os.chmod(scratch / "folder", 0o755)  # as a folder made with mkdir would be, not private like mkdtemp's
        _rename_folder(scratch / "folder", target)
        made = []
    except OSError as exc:
        problems.error(
            Location(target),
            f"kan ikke lage mappen: {_reason(exc)}",
            f"velg en annen mappe med {option}" if option else "velg en annen mappe",
        )
        raise ContentError(problems) from None
    finally:  # on success too: the scratch folder is empty by then
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        for folder in reversed(made):
            _remove_folder(folder)


def is_scratch(path: Path) -> bool:
    """Whether ``path`` is one of the temporaries or backups a write makes and removes again."""
    return bool(_OURS.fullmatch(path.name))


def clear_stale(folder: Path) -> None:
    """Remove the temporaries and backups a command that was killed left in
    ``folder``: only names this module makes, never a file of the editor's."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if _OURS.fullmatch(entry.name) or _EARLIER.fullmatch(entry.name):
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path, ignore_errors=True)
            else:
                _remove([path])


def _scratch_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}{_SUFFIX}")


def _keep(target: Path) -> Path:
    """A second name for the earlier file, to put it back by: a hard link
    where the file system has them and the file allows it, else a copy."""
    backup = _scratch_name(target)
    try:
        os.link(target, backup)
    except OSError:
        try:
            shutil.copyfile(target, backup)
        except BaseException:
            _remove([backup])
            raise
    return backup


def _put_back(replaced: list[Path], backups: dict[Path, Path]) -> dict[Path, Path]:
    """Undo the replacements made; returns the backups that could not be put
    back (target -> backup), which are then kept rather than lost."""
    kept = {}
    for target in replaced:
        try:
            if target in backups:
                os.replace(backups.pop(target), target)
            else:
                target.unlink()
        except OSError:
            kept[target] = backups.pop(target, None)
    return {target: backup for target, backup in kept.items() if backup is not None}


def _name_kept(kept: dict[Path, Path], problems: Diagnostics) -> None:
    for target, backup in kept.items():
        problems.error(
            Location(target),
            "filen er erstattet, men den forrige kunne ikke settes tilbake",
            f"den forrige ligger i {backup.name}",
        )


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and those of its parents that do not exist, outermost first."""
    return [path for path in (folder, *folder.parents) if not path.exists()][::-1]


def _rename_folder(made: Path, target: Path) -> None:
    # Windows cannot rename a folder onto another, even an empty one
    emptied = os.name == "nt" and target.is_dir()
    if emptied:
        target.rmdir()  # empty: checked by the command
    try:
        os.replace(made, target)
    except OSError:
        if emptied:
            target.mkdir()
        raise


def _remove(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):  # left for the next command that writes here to clear
            path.unlink(missing_ok=True)


def _remove_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty: not only ours after all
        folder.rmdir()


def _is_locked(exc: OSError) -> bool:
    return exc.errno in _LOCKED or getattr(exc, "winerror", None) in _LOCKED_ON_WINDOWS


def _reason(exc: OSError) -> str:
    if exc.errno is not None and exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    return exc.strerror or str(exc)


def _cannot_write(where: Path, reason: str, problems: Diagnostics, option: str) -> None:
    problems.error(Location(where), f"kan ikke skrive utdata: {reason}", f"velg en annen mappe med {option}")
    raise ContentError(problems) from None
