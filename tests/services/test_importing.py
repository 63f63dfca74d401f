"""importing.read_parts: the one reading of what the import page, the API and
import_articles were given, with one size rule and one wording per problem."""
import pytest
from django.core.files.base import ContentFile

from annotate.extract import ImportProblem
from annotate.importing import Parts, read_parts

DOC = "A harbour barrier\n\nThe barrier cost 41 million euros, the council said."


@pytest.mark.parametrize(
    ("parts", "field", "title", "body_start"),
    [
        (Parts(text=DOC), "text", "A harbour barrier", "The barrier cost"),
        (Parts(text="<h1>A harbour barrier</h1><p>The barrier cost 41 million euros, the council said.</p>", fmt="html"),
         "text", "A harbour barrier", "The barrier cost"),
        (Parts(text="# A harbour barrier\n\nThe barrier cost **41 million** euros, the council said.", fmt="markdown"),
         "text", "A harbour barrier", "The barrier cost 41 million"),
        (Parts(body="The barrier cost 41 million euros.", title="  Given   title "), "body", "Given title", "The barrier cost"),
        (Parts(upload=ContentFile(DOC.encode(), name="barrier.txt")), "file", "A harbour barrier", "The barrier cost"),
    ],
)
def test_each_way_in_gives_a_clean_article(parts, field, title, body_start):
    extracted = read_parts(parts)
    assert parts.field == field
    assert extracted.title == title
    assert extracted.body.startswith(body_start)


def test_sizes_are_utf8_bytes_checked_before_reading(settings):
    settings.FACTMARK_MAX_ARTICLE_BYTES = 10
    with pytest.raises(ImportProblem, match=r"The text is 13 bytes; the limit is 10\."):
        read_parts(Parts(text="ééééé ab"))  # 8 characters, 13 bytes
    with pytest.raises(ImportProblem, match=r"The text is 11 bytes"):
        read_parts(Parts(body="x" * 11, title="T"))

    class Unreadable(ContentFile):
        def read(self, *args):
            raise AssertionError("an over-size upload must not be read")

    with pytest.raises(ImportProblem, match=r"The file is 11 bytes; the limit is 10\."):
        read_parts(Parts(upload=Unreadable(b"x" * 11, name="big.txt")))
    assert read_parts(Parts(text="short", fmt="text"), max_bytes=100).body == "short"


@pytest.mark.parametrize("parts", [Parts(body="   \n\n  ", title="T"), Parts(text="<p> </p>", fmt="html")])
def test_nothing_left_after_cleaning_is_the_one_no_text_problem(parts):
    with pytest.raises(ImportProblem, match="No article text found"):
        read_parts(parts)


def test_a_url_is_fetched_under_the_apps_guards(settings):
    settings.FACTMARK_IMPORT_ALLOW_PRIVATE = False
    parts = Parts(url="http://127.0.0.1:9/article")
    assert parts.field == "url"
    with pytest.raises(ImportProblem):
        read_parts(parts)
