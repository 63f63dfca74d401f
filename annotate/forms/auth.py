"""The login form: a name longer than any account's is refused before it reaches authentication.

Django's AuthenticationForm sets the username's max_length after the field is built, so
no length validator runs and a 256-character name went on to django-axes, whose lockout
table stores at most 255 characters (a 500 on PostgreSQL).
"""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class _BoundedUsername:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))

    def clean(self):
        if "username" in self.errors:
            return self.cleaned_data  # no authentication (and no lockout record) for an impossible name
        return super().clean()


class LoginForm(_BoundedUsername, AuthenticationForm):
    pass


class AdminLoginForm(_BoundedUsername, AdminAuthenticationForm):
    pass
