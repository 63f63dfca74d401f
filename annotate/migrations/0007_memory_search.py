"""PostgreSQL full text and trigram matching for desk memory (issue 13), and the backfill.

On PostgreSQL: the pg_trgm and unaccent extensions (both "trusted" since PostgreSQL 13, so
the database owner creates them without being a superuser), an IMMUTABLE unaccent wrapper
(unaccent() itself is only STABLE), the language → text-search configuration table as a
function, triggers that keep `annotate_searchdocument` current on every write to articles,
claims, spans, verdicts, sources and evidence, a GIN index of the vectors and a GiST
trigram index of claim text (gist_trgm_ops, nearest-first lookups). On SQLite only the backfill runs: search there reads the tables.
"""

from django.db import migrations

from annotate.memory.language import config_sql

FUNCTIONS = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE OR REPLACE FUNCTION factmark_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT unaccent('unaccent'::regdictionary, $1) $$;

CREATE OR REPLACE FUNCTION factmark_ts_config(lang text) RETURNS regconfig
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (%(config)s)::regconfig $$;

CREATE OR REPLACE FUNCTION factmark_claim_doc(cid bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO annotate_searchdocument (kind, project_id, article_id, claim_id, config, vector)
  SELECT 'claim', c.project_id, c.article_id, c.id, factmark_ts_config(a.language)::text,
         setweight(to_tsvector(factmark_ts_config(a.language), factmark_unaccent(c.text)), 'A')
      || setweight(to_tsvector(factmark_ts_config(a.language), factmark_unaccent(s.quote || ' ' || c.claimant)), 'B')
      || setweight(to_tsvector(factmark_ts_config(a.language), factmark_unaccent(c.final_rationale || ' ' || coalesce(
           (SELECT string_agg(v.rationale, ' ') FROM annotate_verdict v WHERE v.claim_id = c.id), ''))), 'D')
    FROM annotate_claim c JOIN annotate_article a ON a.id = c.article_id JOIN annotate_span s ON s.id = c.span_id
   WHERE c.id = cid
  ON CONFLICT (claim_id) WHERE kind = 'claim'
  DO UPDATE SET config = EXCLUDED.config, vector = EXCLUDED.vector, project_id = EXCLUDED.project_id, article_id = EXCLUDED.article_id;
END $$;

CREATE OR REPLACE FUNCTION factmark_article_doc(aid bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO annotate_searchdocument (kind, project_id, article_id, config, vector)
  SELECT 'article', a.project_id, a.id, factmark_ts_config(a.language)::text,
         setweight(to_tsvector(factmark_ts_config(a.language), factmark_unaccent(a.title)), 'A')
      || setweight(to_tsvector(factmark_ts_config(a.language), factmark_unaccent(a.publisher || ' ' || a.author)), 'B')
      || setweight(to_tsvector(factmark_ts_config(a.language), factmark_unaccent(a.body)), 'C')
    FROM annotate_article a WHERE a.id = aid
  ON CONFLICT (article_id) WHERE kind = 'article'
  DO UPDATE SET config = EXCLUDED.config, vector = EXCLUDED.vector;
END $$;

CREATE OR REPLACE FUNCTION factmark_source_doc(sid bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO annotate_searchdocument (kind, project_id, source_id, config, vector)
  SELECT 'source', s.project_id, s.id, 'simple',
         setweight(to_tsvector('simple', factmark_unaccent(s.title)), 'A')
      || setweight(to_tsvector('simple', factmark_unaccent(s.publisher || ' ' || s.url)), 'B')
      || setweight(to_tsvector('simple', factmark_unaccent(coalesce(
           (SELECT string_agg(e.excerpt, ' ') FROM annotate_evidence e WHERE e.source_id = s.id), ''))), 'C')
    FROM annotate_source s WHERE s.id = sid
  ON CONFLICT (source_id) WHERE kind = 'source'
  DO UPDATE SET vector = EXCLUDED.vector;
END $$;

CREATE OR REPLACE FUNCTION factmark_claim_doc_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM annotate_searchdocument WHERE claim_id = OLD.id;
  ELSIF TG_OP = 'INSERT' OR (OLD.text, OLD.claimant, OLD.final_rationale, OLD.span_id, OLD.article_id)
        IS DISTINCT FROM (NEW.text, NEW.claimant, NEW.final_rationale, NEW.span_id, NEW.article_id) THEN
    PERFORM factmark_claim_doc(NEW.id);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION factmark_article_doc_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM annotate_searchdocument WHERE article_id = OLD.id;
  ELSIF TG_OP = 'INSERT' OR (OLD.title, OLD.body, OLD.publisher, OLD.author, OLD.language)
        IS DISTINCT FROM (NEW.title, NEW.body, NEW.publisher, NEW.author, NEW.language) THEN
    PERFORM factmark_article_doc(NEW.id);
    IF TG_OP = 'UPDATE' AND OLD.language IS DISTINCT FROM NEW.language THEN
      PERFORM factmark_claim_doc(c.id) FROM annotate_claim c WHERE c.article_id = NEW.id;
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION factmark_source_doc_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM annotate_searchdocument WHERE source_id = OLD.id;
  ELSIF TG_OP = 'INSERT' OR (OLD.title, OLD.publisher, OLD.url) IS DISTINCT FROM (NEW.title, NEW.publisher, NEW.url) THEN
    PERFORM factmark_source_doc(NEW.id);
  END IF;
  RETURN NULL;
END $$;

-- Rows that feed another row's document: verdict rationales and span quotes (claims),
-- evidence excerpts (sources). Only an existing document is refreshed.
CREATE OR REPLACE FUNCTION factmark_verdict_doc_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF EXISTS (SELECT 1 FROM annotate_searchdocument WHERE claim_id = OLD.claim_id AND kind = 'claim') THEN
      PERFORM factmark_claim_doc(OLD.claim_id);
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.claim_id <> OLD.claim_id OR NEW.rationale IS DISTINCT FROM OLD.rationale) THEN
    PERFORM factmark_claim_doc(NEW.claim_id);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION factmark_span_doc_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.quote IS DISTINCT FROM NEW.quote THEN
    PERFORM factmark_claim_doc(c.id) FROM annotate_claim c WHERE c.span_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION factmark_evidence_doc_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM factmark_source_doc(OLD.source_id) FROM annotate_source s WHERE s.id = OLD.source_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM factmark_source_doc(NEW.source_id);
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS factmark_search ON annotate_claim;
CREATE TRIGGER factmark_search AFTER INSERT OR UPDATE OR DELETE ON annotate_claim
  FOR EACH ROW EXECUTE FUNCTION factmark_claim_doc_trigger();
DROP TRIGGER IF EXISTS factmark_search ON annotate_article;
CREATE TRIGGER factmark_search AFTER INSERT OR UPDATE OR DELETE ON annotate_article
  FOR EACH ROW EXECUTE FUNCTION factmark_article_doc_trigger();
DROP TRIGGER IF EXISTS factmark_search ON annotate_source;
CREATE TRIGGER factmark_search AFTER INSERT OR UPDATE OR DELETE ON annotate_source
  FOR EACH ROW EXECUTE FUNCTION factmark_source_doc_trigger();
DROP TRIGGER IF EXISTS factmark_search ON annotate_verdict;
CREATE TRIGGER factmark_search AFTER INSERT OR UPDATE OR DELETE ON annotate_verdict
  FOR EACH ROW EXECUTE FUNCTION factmark_verdict_doc_trigger();
DROP TRIGGER IF EXISTS factmark_search ON annotate_span;
CREATE TRIGGER factmark_search AFTER UPDATE ON annotate_span
  FOR EACH ROW EXECUTE FUNCTION factmark_span_doc_trigger();
DROP TRIGGER IF EXISTS factmark_search ON annotate_evidence;
CREATE TRIGGER factmark_search AFTER INSERT OR UPDATE OR DELETE ON annotate_evidence
  FOR EACH ROW EXECUTE FUNCTION factmark_evidence_doc_trigger();

CREATE INDEX IF NOT EXISTS searchdoc_vector_gin ON annotate_searchdocument USING gin (vector);
-- Trigram index of claim text: GiST, for "nearest first" (ORDER BY text <-> …): the top 40
-- of 100,000 claims without scoring them all. GIN (gin_trgm_ops) was measured first: it
-- serves only the similarity-threshold operator, which on a desk's repetitive claims keeps thousands of rows to
-- score and sort (bench/memory.py, README "Desk memory"). A 256-byte signature (the
-- default is 12) keeps sentence-long texts apart: 187 ms → 51 ms at 30,000 claims.
CREATE INDEX IF NOT EXISTS claim_text_trgm ON annotate_claim USING gist (text gist_trgm_ops(siglen=256));
""" % {"config": config_sql()}

BACKFILL = """
SELECT factmark_article_doc(id) FROM annotate_article;
SELECT factmark_claim_doc(id) FROM annotate_claim;
SELECT factmark_source_doc(id) FROM annotate_source;
"""

REVERSE = """
DROP TRIGGER IF EXISTS factmark_search ON annotate_claim;
DROP TRIGGER IF EXISTS factmark_search ON annotate_article;
DROP TRIGGER IF EXISTS factmark_search ON annotate_source;
DROP TRIGGER IF EXISTS factmark_search ON annotate_verdict;
DROP TRIGGER IF EXISTS factmark_search ON annotate_span;
DROP TRIGGER IF EXISTS factmark_search ON annotate_evidence;
DROP INDEX IF EXISTS searchdoc_vector_gin;
DROP INDEX IF EXISTS claim_text_trgm;
DELETE FROM annotate_searchdocument;
"""


def backfill_fields(apps, schema_editor):
    """Language of existing articles and the normalised claimant of existing claims."""
    from annotate.memory.claimants import normalise_claimant
    from annotate.memory.language import detect_language

    Article = apps.get_model("annotate", "Article")
    Claim = apps.get_model("annotate", "Claim")
    for article in Article.objects.filter(language="").only("id", "body").iterator():
        Article.objects.filter(pk=article.pk).update(language=detect_language(article.body))
    for claim in Claim.objects.exclude(claimant="").only("id", "claimant").iterator():
        Claim.objects.filter(pk=claim.pk).update(claimant_key=normalise_claimant(claim.claimant))


def postgres_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS)
        schema_editor.execute(BACKFILL)


def postgres_reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)


class Migration(migrations.Migration):

    dependencies = [
        ("annotate", "0006_memory"),
    ]

    operations = [
        migrations.RunPython(backfill_fields, migrations.RunPython.noop),
        migrations.RunPython(postgres_forward, postgres_reverse),
    ]
