"""Command-line entry points: check, build, execute, serve, PDF, snapshots. Never imported by a chapter
or by `brainbone.sphinxext`; left out of the fingerprint that keys chapter execution and the ledger cache.
"""
