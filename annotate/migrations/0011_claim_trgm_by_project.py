"""Desk memory's trigram index of claim text, per project (issue 16).

Every nearest-claims look-up (the auto-link when a claim is created, Checked before) asks
for one project's earlier claims, but the GiST walk of `claim_text_trgm` went through every
project's claims and dropped the others afterwards: on the benchmark's data (12,000 claims in
the desk, 72,000 in all) 145-165 ms of PostgreSQL per claim created. The same index led by
`project_id` (btree_gist, a "trusted" extension the database owner creates, as pg_trgm)
walks only that project's claims: 15-30 ms. Same rows, same order, one index as before.
PostgreSQL only; SQLite has no such index.
"""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE INDEX IF NOT EXISTS claim_project_text_trgm ON annotate_claim USING gist (project_id, text gist_trgm_ops(siglen=256));
DROP INDEX IF EXISTS claim_text_trgm;
"""

REVERSE = """
CREATE INDEX IF NOT EXISTS claim_text_trgm ON annotate_claim USING gist (text gist_trgm_ops(siglen=256));
DROP INDEX IF EXISTS claim_project_text_trgm;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [("annotate", "0010_merge_20261206_2221")]

    operations = [migrations.RunPython(forward, reverse)]
