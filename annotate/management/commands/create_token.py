"""`manage.py create_token USER [--expires-in-days N]`: a new API token for a script, printed once.

Tokens are stored hashed (annotate/models/tokens.py), so this is the only time the key is
seen. The user's other tokens keep working (revoke them on the profile page or in the admin).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotate.models import ApiToken


class Command(BaseCommand):
    help = "Create an API token for USER and print it once (it is stored hashed). Send it as 'Authorization: Token <key>'."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--expires-in-days", type=int, default=None, help="Refuse the token after this many days (default: never).")

    def handle(self, *args, username, expires_in_days, **options):
        if expires_in_days is not None and expires_in_days < 1:
            raise CommandError("--expires-in-days must be at least 1.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username!r} is inactive: its token would be refused.")
        token, key = ApiToken.objects.issue(user, expires_in_days=expires_in_days)
        self.stdout.write(key)
        expiry = f", expires {token.expires:%Y-%m-%d %H:%M} UTC" if token.expires else ", no expiry"
        self.stderr.write(f"Token {token.prefix}… for {username}{expiry}. It is shown only now: store it safely.")
