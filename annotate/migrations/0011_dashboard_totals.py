"""The dashboard's daily partial totals (annotate/dashboard_totals.py): two tables, the
triggers that mark the days a write changes, indexes to recompute a day, and the totals
of the existing data computed.

The triggers only insert into annotate_dashboarddirty (no unique key: concurrent writers
never wait on each other there). For a claim: the days of its creation, publication and
approval, old and new, on insert, delete and an update of a column the dashboard counts
by (and its verdicts' days when it moves to another article or project); for a verdict:
its own day and its claim's creation day (agreement), old and new. PostgreSQL and
SQLite each get their own dialect; both use the UTC day.
"""

from django.db import migrations, models

CLAIM_COLUMNS = ("project_id", "article_id", "status", "final_rating_id", "claimant", "created_at", "published_at",
                 "approved_at")

POSTGRES = """
CREATE OR REPLACE FUNCTION factmark_dashboard_mark(pid bigint, VARIADIC stamps timestamptz[]) RETURNS void
  LANGUAGE sql AS $$
  INSERT INTO annotate_dashboarddirty (project_id, day)
  SELECT DISTINCT pid, CAST((s AT TIME ZONE 'UTC') AS date) FROM unnest(stamps) s WHERE s IS NOT NULL
$$;

CREATE OR REPLACE FUNCTION factmark_verdict_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.project_id := (SELECT project_id FROM annotate_claim WHERE id = NEW.claim_id);
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION factmark_dashboard_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM factmark_dashboard_mark(OLD.project_id, OLD.created_at, OLD.published_at, OLD.approved_at);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM factmark_dashboard_mark(NEW.project_id, NEW.created_at, NEW.published_at, NEW.approved_at);
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.project_id IS DISTINCT FROM NEW.project_id THEN
    UPDATE annotate_verdict SET project_id = NEW.project_id WHERE claim_id = NEW.id;
  END IF;
  IF TG_OP = 'UPDATE' AND (OLD.project_id, OLD.article_id) IS DISTINCT FROM (NEW.project_id, NEW.article_id) THEN
    INSERT INTO annotate_dashboarddirty (project_id, day)
    SELECT DISTINCT p.id, CAST((v.created_at AT TIME ZONE 'UTC') AS date)
      FROM annotate_verdict v, (VALUES (OLD.project_id), (NEW.project_id)) p(id) WHERE v.claim_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION factmark_dashboard_verdict() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM factmark_dashboard_mark(c.project_id, OLD.created_at, c.created_at) FROM annotate_claim c WHERE c.id = OLD.claim_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM factmark_dashboard_mark(c.project_id, NEW.created_at, c.created_at) FROM annotate_claim c WHERE c.id = NEW.claim_id;
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS factmark_verdict_project ON annotate_verdict;
CREATE TRIGGER factmark_verdict_project BEFORE INSERT OR UPDATE ON annotate_verdict
  FOR EACH ROW EXECUTE FUNCTION factmark_verdict_project();
DROP TRIGGER IF EXISTS factmark_dashboard ON annotate_claim;
CREATE TRIGGER factmark_dashboard AFTER INSERT OR DELETE ON annotate_claim
  FOR EACH ROW EXECUTE FUNCTION factmark_dashboard_claim();
DROP TRIGGER IF EXISTS factmark_dashboard_update ON annotate_claim;
CREATE TRIGGER factmark_dashboard_update AFTER UPDATE ON annotate_claim FOR EACH ROW
  WHEN (({old}) IS DISTINCT FROM ({new}))
  EXECUTE FUNCTION factmark_dashboard_claim();
DROP TRIGGER IF EXISTS factmark_dashboard ON annotate_verdict;
CREATE TRIGGER factmark_dashboard AFTER INSERT OR DELETE ON annotate_verdict
  FOR EACH ROW EXECUTE FUNCTION factmark_dashboard_verdict();
DROP TRIGGER IF EXISTS factmark_dashboard_update ON annotate_verdict;
CREATE TRIGGER factmark_dashboard_update AFTER UPDATE ON annotate_verdict FOR EACH ROW
  WHEN ((OLD.claim_id, OLD.rating_id, OLD.created_at) IS DISTINCT FROM (NEW.claim_id, NEW.rating_id, NEW.created_at))
  EXECUTE FUNCTION factmark_dashboard_verdict();
""".format(old=", ".join(f"OLD.{c}" for c in CLAIM_COLUMNS), new=", ".join(f"NEW.{c}" for c in CLAIM_COLUMNS))

POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS factmark_verdict_project ON annotate_verdict;
DROP FUNCTION IF EXISTS factmark_verdict_project();
DROP TRIGGER IF EXISTS factmark_dashboard ON annotate_claim;
DROP TRIGGER IF EXISTS factmark_dashboard_update ON annotate_claim;
DROP TRIGGER IF EXISTS factmark_dashboard ON annotate_verdict;
DROP TRIGGER IF EXISTS factmark_dashboard_update ON annotate_verdict;
DROP FUNCTION IF EXISTS factmark_dashboard_claim();
DROP FUNCTION IF EXISTS factmark_dashboard_verdict();
DROP FUNCTION IF EXISTS factmark_dashboard_mark(bigint, timestamptz[]);
"""


def _sqlite_claim_days(row):
    return (
        f"INSERT INTO annotate_dashboarddirty (project_id, day) SELECT {row}.project_id, date(ts) FROM "
        f"(SELECT {row}.created_at AS ts UNION SELECT {row}.published_at UNION SELECT {row}.approved_at) WHERE ts IS NOT NULL;"
    )


def _sqlite_verdict_days(row):
    return (
        f"INSERT INTO annotate_dashboarddirty (project_id, day) SELECT c.project_id, date({row}.created_at) "
        f"FROM annotate_claim c WHERE c.id = {row}.claim_id UNION "
        f"SELECT c.project_id, date(c.created_at) FROM annotate_claim c WHERE c.id = {row}.claim_id;"
    )


_changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in CLAIM_COLUMNS)
_verdict_project = ("UPDATE annotate_verdict SET project_id = (SELECT project_id FROM annotate_claim WHERE id = NEW.claim_id) "
                    "WHERE id = NEW.id;")
SQLITE = [
    # SQLite cannot change NEW in a BEFORE trigger: the row is updated right after.
    f"CREATE TRIGGER factmark_verdict_project_insert AFTER INSERT ON annotate_verdict BEGIN {_verdict_project} END",
    "CREATE TRIGGER factmark_verdict_project_update AFTER UPDATE ON annotate_verdict WHEN NEW.project_id IS NULL "
    f"OR OLD.claim_id IS NOT NEW.claim_id OR NEW.project_id IS NOT OLD.project_id BEGIN {_verdict_project} END",
    "CREATE TRIGGER factmark_verdict_project_move AFTER UPDATE OF project_id ON annotate_claim "
    "WHEN OLD.project_id IS NOT NEW.project_id BEGIN "
    "UPDATE annotate_verdict SET project_id = NEW.project_id WHERE claim_id = NEW.id; END",
    f"CREATE TRIGGER factmark_dashboard_claim_insert AFTER INSERT ON annotate_claim BEGIN {_sqlite_claim_days('NEW')} END",
    f"CREATE TRIGGER factmark_dashboard_claim_delete AFTER DELETE ON annotate_claim BEGIN {_sqlite_claim_days('OLD')} END",
    f"CREATE TRIGGER factmark_dashboard_claim_update AFTER UPDATE ON annotate_claim WHEN {_changed} BEGIN "
    f"{_sqlite_claim_days('OLD')} {_sqlite_claim_days('NEW')} "
    "INSERT INTO annotate_dashboarddirty (project_id, day) SELECT DISTINCT p.id, date(v.created_at) "
    "FROM annotate_verdict v, (SELECT OLD.project_id AS id UNION SELECT NEW.project_id) p "
    "WHERE v.claim_id = NEW.id AND (OLD.project_id IS NOT NEW.project_id OR OLD.article_id IS NOT NEW.article_id); END",
    f"CREATE TRIGGER factmark_dashboard_verdict_insert AFTER INSERT ON annotate_verdict BEGIN {_sqlite_verdict_days('NEW')} END",
    f"CREATE TRIGGER factmark_dashboard_verdict_delete AFTER DELETE ON annotate_verdict BEGIN {_sqlite_verdict_days('OLD')} END",
    "CREATE TRIGGER factmark_dashboard_verdict_update AFTER UPDATE ON annotate_verdict WHEN OLD.claim_id IS NOT NEW.claim_id "
    "OR OLD.rating_id IS NOT NEW.rating_id OR OLD.created_at IS NOT NEW.created_at BEGIN "
    f"{_sqlite_verdict_days('OLD')} {_sqlite_verdict_days('NEW')} END",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS factmark_dashboard_{table}_{event}"
    for table in ("claim", "verdict") for event in ("insert", "delete", "update")
] + [f"DROP TRIGGER IF EXISTS factmark_verdict_project_{event}" for event in ("insert", "update", "move")]

VERDICT_PROJECTS = (
    "UPDATE annotate_verdict SET project_id = (SELECT project_id FROM annotate_claim c WHERE c.id = annotate_verdict.claim_id)"
)

# Every day the existing data counts on, for every project: the first view computes them.
BACKFILL = """
INSERT INTO annotate_dashboarddirty (project_id, day)
SELECT project_id, {day_created} FROM annotate_claim
UNION SELECT project_id, {day_published} FROM annotate_claim WHERE published_at IS NOT NULL
UNION SELECT project_id, {day_approved} FROM annotate_claim WHERE approved_at IS NOT NULL
UNION SELECT c.project_id, {day_verdict} FROM annotate_verdict v JOIN annotate_claim c ON c.id = v.claim_id
"""


def _backfill(vendor):
    if vendor == "postgresql":
        day = lambda column: f"CAST(({column} AT TIME ZONE 'UTC') AS date)"  # noqa: E731
    else:
        day = lambda column: f"date({column})"  # noqa: E731
    return BACKFILL.format(day_created=day("created_at"), day_published=day("published_at"),
                           day_approved=day("approved_at"), day_verdict=day("v.created_at"))


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"The dashboard's triggers exist for PostgreSQL and SQLite, not {vendor}.")
    if vendor == "postgresql":
        # The search document trigger (0007) would rebuild a claim's document for every verdict.
        schema_editor.execute(
            "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'factmark_search' "
            "AND tgrelid = 'annotate_verdict'::regclass) THEN "
            "ALTER TABLE annotate_verdict DISABLE TRIGGER factmark_search; END IF; END $$"
        )
        schema_editor.execute(VERDICT_PROJECTS)
        schema_editor.execute(
            "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'factmark_search' "
            "AND tgrelid = 'annotate_verdict'::regclass) THEN "
            "ALTER TABLE annotate_verdict ENABLE TRIGGER factmark_search; END IF; END $$"
        )
    else:
        schema_editor.execute(VERDICT_PROJECTS)
    schema_editor.execute(_backfill(vendor))
    # Computed here, with no deadline, not by the first view: on a large desk that would be
    # the old full computation inside one request. Only where there is data (a new database
    # has none, so later schemas never meet this code).
    from annotate import dashboard_totals

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT project_id FROM annotate_dashboarddirty ORDER BY project_id")
        projects = [row[0] for row in cursor.fetchall()]
    for project_id in projects:
        dashboard_totals.refresh(project_id)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    else:
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("annotate", "0010_merge_20261206_2221"),
    ]

    operations = [
        migrations.CreateModel(
            name="DashboardDirty",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("project_id", models.BigIntegerField()),
                ("day", models.DateField()),
            ],
            options={
                "indexes": [models.Index(fields=["project_id", "day"], name="dashdirty_project_day")],
            },
        ),
        migrations.CreateModel(
            name="DashboardTotal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("project_id", models.BigIntegerField()),
                ("kind", models.CharField(choices=[("created", "Created"), ("verdicts", "Verdicts"), ("published", "Published"), ("settled", "Settled"), ("outlet", "Outlet"), ("profile", "Profile"), ("ttp", "Ttp")], max_length=12)),
                ("day", models.DateField()),
                ("article_id", models.BigIntegerField()),
                ("rating_id", models.BigIntegerField(null=True)),
                ("label", models.TextField(blank=True, default="")),
                ("n", models.IntegerField()),
                ("median", models.FloatField(null=True)),
                ("p90", models.FloatField(null=True)),
            ],
            options={
                "indexes": [
                    models.Index(fields=["project_id", "kind", "article_id", "day"], name="dashtotal_project_kind_day"),
                    models.Index(fields=["project_id", "day"], name="dashtotal_project_day"),
                ],
            },
        ),
        migrations.AddField(
            model_name="verdict",
            name="project_id",
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="verdict",
            index=models.Index(fields=["project_id", "created_at"], name="verdict_project_created"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["project", "created_at"], name="claim_project_created"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(condition=models.Q(("status", "published")), fields=["project", "published_at"],
                               include=("created_at", "article", "id"), name="claim_project_published"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["project", "approved_at"], name="claim_project_approved"),
        ),
        migrations.RunPython(forward, reverse),
    ]
