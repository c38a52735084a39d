"""Judge: computations over a validated ledger (ratings, agreement, GRADE, exaggeration, context, safety).

Imports `brainbone.ledger` and the top modules only.
"""
