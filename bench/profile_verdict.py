"""Where the verdict save and claim panel requests spend their CPU: cProfile with a CPU clock, in-process.

    .venv/bin/python bench/verdict.py --keep-db --requests 20      # builds the database and keeps it
    .venv/bin/python bench/profile_verdict.py panel|htmx_save|api_save [repeat] [--sort tottime|cumulative]

Production settings (DEBUG off, cached templates) on the kept database, Django's test client,
warm-up requests, then `repeat` (default 200) profiled requests, each on another claim; the top
of the profile goes to stdout (stdlib cProfile: nothing to install). Writes go to claims the
benchmark did not use, as the user bench-counter.
"""

from __future__ import annotations

import json
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# bench/profile.py would shadow the standard library's `profile`, which cProfile imports.
_saved = list(sys.path)
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
import cProfile  # noqa: E402

sys.path[:] = [str(BENCH), str(BENCH.parent)] + _saved

CASES = ("panel", "htmx_save", "api_save")


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    sort = "cumulative"
    if "--sort" in argv:
        i = argv.index("--sort")
        sort = argv[i + 1]
        del argv[i:i + 2]
    if not argv or argv[0] not in CASES:
        print(f"usage: profile_verdict.py {{{'|'.join(CASES)}}} [repeat] [--sort tottime|cumulative]", file=sys.stderr)
        return 2
    case, repeat = argv[0], int(argv[1]) if len(argv) > 1 else 200
    import verdict

    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "config.settings", "FACTMARK_ENV": "production", "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64), "SECURE_SSL_REDIRECT": "0", "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": verdict.database_url(), "AXES_ENABLED": "0", "API_THROTTLE_USER": "1000000/s",
        "STATIC_ROOT": str(BENCH / "out" / "static"),
    })
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from annotate.models import ApiToken, Claim, Rating, Verdict

    user = get_user_model().objects.get(username="bench-counter")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    token = ApiToken.objects.issue(user)[1]
    api_client = Client(HTTP_HOST="127.0.0.1")
    ratings = list(Rating.objects.filter(project__slug="bench").order_by("position", "id").values_list("id", flat=True))
    rated = Verdict.objects.filter(reviewer=user).values("claim_id")
    free = list(Claim.objects.filter(article__source_url__endswith="/a10k").exclude(pk__in=rated)
                .order_by("?").values_list("id", flat=True)[: repeat + 10])

    def request(pk, i):
        if case == "panel":
            response = client.get(f"/claims/{pk}/", HTTP_HX_REQUEST="true")
        elif case == "htmx_save":
            response = client.post(f"/claims/{pk}/verdict/", {"rating": ratings[i % len(ratings)], "rationale": "Profiled.",
                                                             "version": 0}, HTTP_HX_REQUEST="true")
        else:  # a token and no session, as API clients send
            response = api_client.post("/api/v1/verdicts/", json.dumps({"claim": pk, "rating": ratings[i % len(ratings)]}),
                                   content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}")
        assert response.status_code in (200, 201), (response.status_code, response.content[:300])

    for i, pk in enumerate(free[:10]):
        request(pk, i)
    profiler = cProfile.Profile(time.process_time)
    started = time.process_time()
    profiler.enable()
    for i, pk in enumerate(free[10:]):
        request(pk, i)
    profiler.disable()
    spent = time.process_time() - started
    print(f"{case}: {len(free) - 10} requests, {spent / max(1, len(free) - 10) * 1000:.2f} ms of this process's CPU each "
          "(profiler overhead included; the PostgreSQL side is not in it)")
    pstats.Stats(profiler).strip_dirs().sort_stats(sort).print_stats(int(os.environ.get("PROFILE_LINES", 40)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
