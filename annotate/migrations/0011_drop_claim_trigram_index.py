"""Drop the GiST trigram index of claim text (PostgreSQL): "Checked before" no longer walks it.

The similar-claims lookup (annotate/memory/similar.py) now shortlists earlier claims by
their rarest lexemes in the GIN index of the search documents and computes trigram
similarity only for the few dozen it keeps, so nothing reads `claim_text_trgm` any more.
The nearest-first walk it served took 80–300 ms with 100,000 claims (bench/memory.py,
BENCHMARKS.md "Desk memory"), and the index cost every claim insert and update a
256-byte-signature GiST update (34 MB for 100,000 claims).
"""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS claim_text_trgm ON annotate_claim USING gist (text gist_trgm_ops(siglen=256));"
DROP = "DROP INDEX IF EXISTS claim_text_trgm;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


class Migration(migrations.Migration):

    dependencies = [
        ("annotate", "0010_merge_20261206_2221"),
    ]

    operations = [
        migrations.RunPython(forward, reverse),
    ]
