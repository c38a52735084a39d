"""The ledger's data package in the build: the zip the explorer offers for download, and a located
warning when `data/datapackage.json` no longer matches the table definitions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.typing import ExtensionMetadata

from brainbone import layout
from brainbone.ledger import datapackage
from brainbone.version import book_version

logger = logging.getLogger(__name__)
ZIP_PATH = f"{layout.BUILD_DIR}/downloads/{datapackage.ZIP_NAME}"  # chapters link to it with {download}


def write_zip(app: Sphinx, config: Any) -> None:
    """Write the package zip before the pages are read ({download} needs the file to exist)."""
    root = Path(config.brainbone_root or app.srcdir)
    if not (root / datapackage.DESCRIPTOR).is_file():
        return
    path = Path(app.srcdir) / ZIP_PATH
    content = datapackage.zip_bytes(root)
    if not path.is_file() or path.read_bytes() != content:  # only on change: keeps incremental builds quiet
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def warn_if_stale(app: Sphinx) -> None:
    """A located warning (so -W fails) when the descriptor is not what the table definitions, the seeds
    listed in sources.csv (its sources) and the licence give."""
    root = Path(app.config.brainbone_root or app.srcdir)
    descriptor = root / datapackage.DESCRIPTOR
    if descriptor.is_file() and descriptor.read_text(encoding="utf-8") != datapackage.render(
        datapackage.descriptor(root)
    ):
        logger.warning(
            f"{datapackage.DESCRIPTOR} does not match what brainbone.ledger.catalog, data/sources.csv and CITATION.cff give; "
            "regenerate it with `make datapackage`",
            type="brainbone",
            subtype="datapackage_stale",
            location=f"{descriptor}:1",
        )


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("config-inited", write_zip, priority=700)
    app.connect("builder-inited", warn_if_stale)
    return {"version": book_version(), "parallel_read_safe": True, "parallel_write_safe": True}
