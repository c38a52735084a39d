"""What a chapter or a directive shows: facts glued into prose, tables, figures, the explorer, the inputs
that key a chapter's execution. Imports `brainbone.appraisal`, `brainbone.ledger.loader` and the top modules.
"""
