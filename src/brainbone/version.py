"""The book's version, citation and licence: the version is defined once, as the package version in
pyproject.toml; the licence once, as `license:` in CITATION.cff.

`CITATION.cff` (Citation File Format 1.2.0) repeats the version, the title and the authors so that
GitHub, Zenodo and reference managers can read them; a test keeps it in step with pyproject.toml
and `_config.yml`, so the three cannot drift apart. The data package (`brainbone.ledger.datapackage`),
data/README.md and the About page read the licence from it through `read_licence()`.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _installed_version
from pathlib import Path

import yaml

DISTRIBUTION = "brainbone"  # pyproject.toml's [project] name; its version is the book's
CITATION_FILE = "CITATION.cff"
TAG_PREFIX = "v"  # each release is the git tag v<version>, e.g. v0.2.0
# The licences this module can name in full, by SPDX identifier (https://spdx.org/licenses/): the
# identifiers CITATION.cff's `license:` may use. Which one the book chose is stated there, not here.
LICENCES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
}


def book_version() -> str:
    """The book's version, from the installed package's metadata (pyproject.toml's `version`).
    `make setup` reinstalls the package whenever pyproject.toml changes, so it is never stale."""
    try:
        return _installed_version(DISTRIBUTION)
    except PackageNotFoundError:  # run from a source tree without `pip install -e .`
        return "unknown (package not installed)"


def release_tag(version: str) -> str:
    """The git tag that marks a release of `version`."""
    return f"{TAG_PREFIX}{version}"


def git(root: Path, *arguments: str) -> str | None:
    """What `git -C root <arguments>` prints, or None if it fails or there is no git."""
    try:
        result = subprocess.run(["git", "-C", str(root), *arguments], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):  # no git on this machine, or it hangs
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def is_checkout_top(root: Path) -> bool:
    """Whether `root` is the top of a git checkout (a copy of the book inside another repository is not)."""
    top = git(root, "rev-parse", "--show-toplevel")
    return top is not None and Path(top).resolve() == Path(root).resolve()


def release(root: Path) -> str:
    """What the checkout at `root` is, as the footer and About say it: "git tag v0.3.0" when git finds a
    tag on the commit itself (`git describe --tags --exact-match`), else "untagged build 1a2b3c4"; a
    version is never paired with a tag that does not exist."""
    if not is_checkout_top(root):
        return "untagged build, not a git checkout"
    tag = git(root, "describe", "--tags", "--exact-match", "HEAD")
    if tag:
        return f"git tag {tag}"
    short = git(root, "rev-parse", "--short", "HEAD")
    return f"untagged build {short}" if short else "untagged build, no commit yet"


@dataclass(frozen=True)
class Citation:
    """What CITATION.cff says: how to cite the book and its ledger."""

    title: str
    authors: tuple[str, ...]
    version: str
    date_released: str
    message: str
    license: str | None = None

    def text(self) -> str:
        """A plain-text reference in author (year) style."""
        year = self.date_released[:4]
        return (
            f"{'; '.join(self.authors)} ({year}). {self.title}, version {self.version} "
            f"(released {self.date_released}): an executable literature review and its claims ledger."
        )


class LicenceError(ValueError):
    """CITATION.cff states no licence, or one this module cannot name in full."""


@dataclass(frozen=True)
class Licence:
    """The licence of the book's own data and text: SPDX identifier, title and URL."""

    name: str
    title: str
    path: str

    def descriptor(self) -> dict[str, str]:
        """As a data package's `licenses` entry."""
        return {"name": self.name, "path": self.path, "title": self.title}

    def sentence(self) -> str:
        return f"The book's own data and text are licensed under {self.title} ({self.name}, {self.path})."


def read_licence(root: Path) -> Licence:
    """The licence CITATION.cff states, or a LicenceError saying what to write there."""
    path = Path(root) / CITATION_FILE
    if not path.is_file():
        raise LicenceError(f"{CITATION_FILE}: file is missing; the book's licence is stated there (`license:`)")
    name = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("license")
    if name is None:
        raise LicenceError(
            f"{CITATION_FILE}: no `license:`; state the licence of the book's own data and text there, once, "
            "as an SPDX identifier, e.g. `license: CC-BY-4.0`"
        )
    if name not in LICENCES:
        raise LicenceError(
            f"{CITATION_FILE}: license {name!r} is not one brainbone.version can name in full; expected one of: "
            f"{', '.join(LICENCES)} (add its title and URL to LICENCES)"
        )
    title, url = LICENCES[name]
    return Licence(name, title, url)


def _author_name(author: dict) -> str:
    if "name" in author:  # an entity, e.g. "The Brain–Bone Axis editors"
        return str(author["name"])
    return " ".join(str(author[key]) for key in ("given-names", "family-names") if key in author)


def read_citation(root: Path) -> Citation:
    """Read CITATION.cff at the book root; raises FileNotFoundError or KeyError naming what is missing."""
    data = yaml.safe_load((Path(root) / CITATION_FILE).read_text(encoding="utf-8"))
    return Citation(
        title=str(data["title"]),
        authors=tuple(_author_name(author) for author in data["authors"]),
        version=str(data["version"]),
        date_released=str(data["date-released"]),
        message=str(data["message"]),
        license=data.get("license"),
    )
