"""Indexes for the similar-claims lookup (PostgreSQL): a GIN index of claim documents only, and
the GiST trigram index of claim text dropped.

"Checked before" (annotate/memory/similar.py) now shortlists earlier claims by probing their
search documents for the new claim's rarest lexemes, at most a few rows per probe. With
one GIN index over every kind of document, the articles' documents (which hold nearly
every word) come back first and are filtered out row by row: 100 ms per lookup on the
14-template bench data against 18 ms with this partial index (bench/memory.py,
BENCHMARKS.md "Desk memory"). Search keeps `searchdoc_vector_gin` for all kinds.

`fastupdate = off`: a lookup runs up to 24 probes, and each bitmap scan of a GIN index
reads the whole of its pending list (new entries not yet merged, up to 4 MB until
autovacuum or the limit merges them): right after 100,000 claims were loaded that made
the lookup 4–6 times slower. Without a pending list each claim document is merged at
insert (a claim's document holds a few dozen lexemes).

Nothing reads `claim_text_trgm` any more: trigram similarity is computed for the few dozen
candidates kept. The nearest-first walk it served took 80–300 ms with 100,000 claims, and
it cost every claim insert and update a 256-byte-signature GiST update (34 MB for 100,000
claims).
"""

from django.db import migrations

FORWARD = """
CREATE INDEX IF NOT EXISTS searchdoc_claim_vector_gin ON annotate_searchdocument USING gin (vector) WITH (fastupdate = off)
  WHERE kind = 'claim';
DROP INDEX IF EXISTS claim_text_trgm;
"""
REVERSE = """
CREATE INDEX IF NOT EXISTS claim_text_trgm ON annotate_claim USING gist (text gist_trgm_ops(siglen=256));
DROP INDEX IF EXISTS searchdoc_claim_vector_gin;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)


class Migration(migrations.Migration):

    dependencies = [
        ("annotate", "0010_merge_20261206_2221"),
    ]

    operations = [
        migrations.RunPython(forward, reverse),
    ]
