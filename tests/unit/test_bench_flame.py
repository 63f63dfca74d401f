"""bench/flame.py's top lists, from py-spy's collapsed stacks (the report of `make profile`)."""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _flame():
    sys.path.insert(0, str(BENCH))
    try:
        import flame
    finally:
        sys.path.remove(str(BENCH))
    return flame


def test_top_counts_inclusive_and_own_samples_without_the_process_frames(tmp_path):
    master, worker = 'process 1:"gunicorn master"', 'process 2:"gunicorn worker"'
    # As py-spy writes them: function (short path:line).
    view = "ClaimViewSet.create (annotate/api/views.py:120)"
    add = "add_claim (annotate/services.py:180)"
    commit = "Connection.commit (psycopg/connection.py:300)"
    auth = "TokenAuthentication.authenticate (/usr/lib/python3/site-packages/rest_framework/authentication.py:190)"
    collapsed = tmp_path / "stacks.txt"
    collapsed.write_text(
        f"{master};{worker};{view};{add};{commit} 6\n"
        f"{master};{worker};{view};{add} 2\n"
        f"{master};{worker};{auth} 2\n"
        "garbage line\n"
    )
    text = _flame().top(collapsed, 10)
    assert text.startswith("10 samples")
    inclusive, own = text.split("Own time")
    assert "  80.0%  ClaimViewSet.create (annotate/api/views.py)" in inclusive
    assert "  80.0%  add_claim (annotate/services.py)" in inclusive
    assert "  60.0%  Connection.commit (psycopg/connection.py)" in inclusive
    assert "  60.0%  Connection.commit (psycopg/connection.py)" in own
    assert "  20.0%  add_claim (annotate/services.py)" in own
    assert "  20.0%  TokenAuthentication.authenticate (rest_framework/authentication.py)" in own
    assert "gunicorn" not in text
