"""Read, validate, match: the ledger's tables, their schemas and row rules, the seeds, the loader and its cache.

Pure (pandas, pandera; no Sphinx, no matplotlib); imports only `brainbone.layout`, `errors`, `version`.
"""
