"""Documents the municipality attaches to a challenge, an addendum, the data governance record,
the contract or the pilot (docs/documents.md): who may read them and when, attaching, removing
and withdrawing them, their pages and API. The model is challenges.models.Document."""
