# One page per directive and role of the extension, for the doctree snapshots (tests/test_doctrees.py);
# brainbone_root is set by the test.
extensions = ["myst_parser", "brainbone.sphinxext"]
myst_disable_syntax = ["html_block", "html_inline"]
brainbone_seed_pages = "seeds"
show_warning_types = True
nitpicky = True
smartquotes = False  # excerpts keep the seed's own quote marks
