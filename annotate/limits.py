"""One set of limits for what people type: the API, the page forms, the admin and the commands
all read their lengths and URL schemes from here (models' validators, serializers, forms).

Before, the forms stopped a claim at 5,000 characters while the API stored 2.4 MB, and the
API took an ftp:// source_url the import form refused.
"""

from django.core.validators import MaxLengthValidator, URLValidator

CLAIM_TEXT = 5_000
CLAIMANT = 200
RATIONALE = 20_000  # a reviewer's verdict and the editor's final verdict
COMMENT = 10_000
EXCERPT = 20_000
NOTE = 5_000
TITLE = 500
PUBLISHER = 200
AUTHOR = 200
URL = 2_000
# Links people follow from a fact-check: the web only (no ftp:, file:, javascript:, data:).
URL_SCHEMES = ("http", "https")

web_url = URLValidator(schemes=list(URL_SCHEMES), message="Enter a web address starting with http:// or https://.")


def max_length(limit):
    """A validator for a TextField (no max_length of its own in the database)."""
    return MaxLengthValidator(limit)
