# A tiny project naming claims' grades in prose and listing the safety-flagged claims; brainbone_root is set by each test.
extensions = ["myst_parser", "brainbone.sphinxext"]
myst_disable_syntax = ["html_block", "html_inline"]
brainbone_seed_pages = "seeds"
show_warning_types = True
nitpicky = True
smartquotes = False  # excerpts keep the seed's own quote marks
