"""PostgreSQL backend with a client-side deadline on every answer (see base.py)."""
