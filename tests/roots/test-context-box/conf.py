# A tiny MyST project with one "What the wider research says" box; brainbone_root and the shared file are set by each test.
from pathlib import Path

extensions = ["myst_parser", "sphinxcontrib.bibtex", "brainbone.sphinxext"]
myst_disable_syntax = ["html_block", "html_inline"]
myst_enable_extensions = ["colon_fence"]
bibtex_bibfiles = [str(Path(__file__).parents[2] / "fixtures" / "context" / "book" / "references.bib")]
bibtex_reference_style = "author_year"
brainbone_seed_pages = "seeds"
show_warning_types = True
nitpicky = True
smartquotes = False
