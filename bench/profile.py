"""Profile one benchmark request in-process with pyinstrument, against the data of a kept run.

    .venv/bin/python bench/run.py --keep-db --only reanchor     # builds factmark_bench and keeps it
    .venv/bin/pip install -r bench/requirements.txt             # pyinstrument
    .venv/bin/python bench/profile.py list                      # or: create_api, create_htmx, review1k,
                                                                #     review10k, export_jsonl, export_csv

Production settings (DEBUG off, cached templates), Django's test client, one
warm-up request, then the profiled one; the text report goes to stdout.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

import db  # noqa: E402

CASES = ("create_api", "create_htmx", "review1k", "review10k", "list", "export_jsonl", "export_csv")


def main(argv=None):
    argv = argv if argv is not None else sys.argv[1:]
    if not argv or argv[0] not in CASES:
        print(f"usage: profile.py {{{'|'.join(CASES)}}} [repeat]", file=sys.stderr)
        return 2
    case, repeat = argv[0], int(argv[1]) if len(argv) > 1 else 1
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "config.settings", "FACTMARK_ENV": "production", "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64), "SECURE_SSL_REDIRECT": "0", "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", db.DEFAULT_URL), "AXES_ENABLED": "0",
        "API_THROTTLE_USER": "1000000/s",
    })
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from pyinstrument import Profiler
    from annotate.models import ApiToken, Article

    import textgen

    editor = get_user_model().objects.get(username="bench-editor")
    token = ApiToken.objects.issue(editor)[1]  # stored hashed: a fresh key for this run
    articles = {a.source_url.rsplit("/", 1)[-1]: a for a in Article.objects.filter(project__slug="bench")}
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=False)
    client.force_login(editor)
    api = {"HTTP_AUTHORIZATION": f"Token {token}"}
    write = articles["write"]
    spans = iter(textgen.sentence_spans(write.body, random.Random(secrets.randbits(32)), 100))

    def request():
        if case == "create_api":
            s, e = next(spans)
            return client.post("/api/v1/claims/", json.dumps({"article": write.pk, "start": s, "end": e,
                                                              "quote": write.body[s:e]}),
                               content_type="application/json", **api)
        if case == "create_htmx":
            s, e = next(spans)
            return client.post(f"/articles/{write.pk}/claims/", {"start": s, "end": e, "quote": write.body[s:e]},
                               HTTP_HX_REQUEST="true")
        if case.startswith("review"):
            return client.get(f"/articles/{articles['a1k' if case == 'review1k' else 'a10k'].pk}/")
        if case == "list":
            path, rows = f"/api/v1/claims/?article={articles['a10k'].pk}&page_size=1000", 0
            while path:
                page = client.get(path, **api).json()
                rows += len(page["results"])
                path = page["next"]
            return rows
        exporter = get_user_model().objects.get(username="bench-exporter")
        response = client.get(f"/api/v1/export/verdicts.{case.split('_')[1]}",
                              HTTP_AUTHORIZATION=f"Token {ApiToken.objects.issue(exporter)[1]}")
        return sum(len(chunk) for chunk in response.streaming_content)

    request()  # warm-up: templates compiled, connections open
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(repeat):
        result = request()
    profiler.stop()
    print(f"{case}: {getattr(result, 'status_code', result)}")
    print(profiler.output_text(unicode=True, color=False, show_all=False, flat="--flat" in argv, flat_time="self"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
