"""No data file holds a path of the machine it was made on (issue 19, item 8): /work/..., /home/...,
/tmp/..., C:\\...; a URL's path (https://example.org/home/...) is not one."""

from __future__ import annotations

import re
from pathlib import Path

from bookutils import ROOT

# A filesystem path that starts a value: at the start of a line or after a space, quote, comma,
# parenthesis, '=' or "file://"; not after a host name, as in a URL.
ABSOLUTE = re.compile(
    r"(?:^|(?<=[\s\"',;(=\[])|(?<=file://))"
    r"(?:/(?:work|home|tmp|root|Users|var/folders|private|mnt|opt|srv)/|[A-Za-z]:\\)",
    re.MULTILINE,
)


def absolute_paths(folder: Path) -> list[str]:
    """Each absolute path found under `folder`, as "file:line: text"."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in ABSOLUTE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            value = re.match(r"[^\s\"',;)\]]*", text[match.start() :]).group()
            found.append(f"{path.relative_to(folder.parent).as_posix()}:{line}: {value}")
    return found


def test_no_data_file_holds_an_absolute_path() -> None:
    assert absolute_paths(ROOT / "data") == []


def test_the_scan_finds_a_path_of_the_machine_and_not_a_url(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text(
        "seed_id,file\nx,/work/shared/seeds/x.txt\ny,https://example.org/home/topics/y\n"
        'z,"/home/me/z.txt"\nw,file:///tmp/w.txt\nv,C:\\Users\\v.txt\n',
        encoding="utf-8",
    )
    assert absolute_paths(data) == [
        "data/a.csv:2: /work/shared/seeds/x.txt",
        "data/a.csv:4: /home/me/z.txt",
        "data/a.csv:5: /tmp/w.txt",
        "data/a.csv:6: C:\\Users\\v.txt",
    ]
