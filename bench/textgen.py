"""A seeded generator of news-like text: plausible sentences, written here, copied from nowhere.

The benchmark needs long articles that look like what fact-checkers read
(numbers, claimants, places, reported speech) so that sentence spans, quote
lookups and re-anchoring behave as they would on real text. Same seed, same text.

>>> a = article(seed=1, words=300); a.words >= 300 and a.body.count("\\n\\n") > 2
True
"""

from __future__ import annotations

import random
from dataclasses import dataclass

PEOPLE = [
    "Maria Lindqvist", "Tomasz Nowak", "Aisha Okafor", "Daniel Ferreira", "Helen Achterberg",
    "Rafael Ortiz", "Priya Raman", "Jonas Weber", "Claire Dubois", "Samuel Mensah",
    "Lena Kowalczyk", "Omar Haddad", "Grace Whitfield", "Viktor Petrov", "Ines Carvalho",
]
ROLES = [
    "the finance minister", "the mayor", "a spokesperson for the health ministry", "the opposition leader",
    "the regional governor", "the chief economist at the central bank", "a senior police official",
    "the head of the teachers' union", "the transport secretary", "an adviser to the prime minister",
]
BODIES = [
    "the city council", "the national statistics office", "the health ministry", "the central bank",
    "the environment agency", "the regional parliament", "the electoral commission", "the port authority",
    "the housing department", "the competition regulator",
]
PLACES = [
    "Northbridge", "Eastvale", "the capital", "the southern provinces", "Port Averly", "the river district",
    "Kellham", "the coastal region", "Millford", "the border towns",
]
TOPICS = [
    "unemployment", "violent crime", "hospital waiting times", "rents", "inflation", "school funding",
    "emissions", "public debt", "energy prices", "migration", "road deaths", "child poverty",
    "pension spending", "broadband coverage", "water quality",
]
TRENDS = ["rose", "fell", "doubled", "dropped sharply", "climbed steadily", "stayed flat", "halved", "reached a record high"]
PERIODS = [
    "since 2019", "over the past decade", "in the last twelve months", "during the pandemic",
    "since the new government took office", "between 2015 and 2023", "this year", "in the first quarter",
]
VERBS_SAID = ["said", "told reporters", "claimed", "insisted", "argued", "wrote in a statement", "told parliament"]
ADJECTIVES = ["unprecedented", "modest", "significant", "worrying", "encouraging", "disputed", "historic", "temporary"]
NOUNS = [
    "the budget", "the reform", "the new law", "the spending plan", "the tax cut", "the audit", "the report",
    "the pilot scheme", "the inquiry", "the agreement", "the subsidy", "the ban",
]
ACTIONS = [
    "would save", "has cost", "will create", "wiped out", "added", "diverted", "could raise", "failed to deliver",
]
UNITS = ["jobs", "homes", "million euros", "hospital beds", "teachers", "tonnes of carbon", "households", "school places"]


@dataclass(frozen=True)
class Article:
    title: str
    body: str  # paragraphs separated by one blank line, as textclean stores them
    words: int


def _number(rng):
    kind = rng.random()
    if kind < 0.3:
        return f"{rng.randint(2, 95)} percent"
    if kind < 0.6:
        return str(rng.randint(1, 999))
    if kind < 0.8:
        return f"{rng.randint(1, 40)}.{rng.randint(1, 9)} million"
    return rng.choice(["one in five", "two thirds", "nearly half", "a quarter", "three times as many"])


def _sentence(rng):
    person, role, body = rng.choice(PEOPLE), rng.choice(ROLES), rng.choice(BODIES)
    place, topic, trend, period = rng.choice(PLACES), rng.choice(TOPICS), rng.choice(TRENDS), rng.choice(PERIODS)
    said, adj, noun, action, unit = rng.choice(VERBS_SAID), rng.choice(ADJECTIVES), rng.choice(NOUNS), rng.choice(ACTIONS), rng.choice(UNITS)
    n1, n2 = _number(rng), _number(rng)
    year = rng.randint(2008, 2024)
    forms = [
        f"{topic.capitalize()} in {place} {trend} {period}, according to figures published by {body}.",
        f"“{noun.capitalize()} {action} {n1} {unit},” {person}, {role}, {said}.",
        f"{person} {said} that {topic} had {trend} by {n1} {period}.",
        f"Data from {body} show that {n1} of residents in {place} were affected by {topic} in {year}.",
        f"Critics say {noun} is {adj}, pointing to {n2} {unit} that were promised but never appeared.",
        f"The figure quoted by {role} does not match the {year} report from {body}, which puts it at {n2}.",
        f"In {place}, officials expect {topic} to fall by {n1} before the end of the year.",
        f"{role.capitalize()} said {noun} {action} {n2} {unit} in {place} alone.",
        f"That would make it the most {adj} change in {topic} since {year}.",
        f"Asked about the numbers, {person} declined to comment further.",
        f"Independent analysts at {body} estimate the real cost at {n1}, roughly {n2} per household.",
        f"The claim that {topic} {trend} {period} was repeated in three campaign speeches last week.",
        f"{body.capitalize()} said it would publish a full breakdown of the {year} figures next month.",
        f"Residents of {place} told this newspaper that they had seen little sign of {noun} so far.",
    ]
    return rng.choice(forms)


def article(seed: int = 0, words: int = 20_000) -> Article:
    """A news-like article of at least ``words`` words, deterministic for a seed."""
    rng = random.Random(seed)
    title = f"{rng.choice(TOPICS).capitalize()} in {rng.choice(PLACES)}: what the figures really show ({seed})"
    paragraphs, count = [], 0
    while count < words:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return Article(title=title, body="\n\n".join(paragraphs), words=count)


def sentence_spans(body: str, rng: random.Random, count: int) -> list[tuple[int, int]]:
    """``count`` distinct (start, end) ranges on word boundaries: 2 to 24 words, inside a paragraph.

    Ranges may overlap and nest, as reviewers' highlights do on a busy article.
    """
    words, i = [], 0
    for paragraph_start, paragraph in _paragraphs(body):
        j = 0
        for token in paragraph.split(" "):
            if token:
                words.append((paragraph_start + j, paragraph_start + j + len(token), i))
            j += len(token) + 1
        i += 1
    seen, spans = set(), []
    # Bounded: distinct ranges are plentiful (~20,000 start words x 23 lengths).
    for _ in range(count * 20):
        if len(spans) == count:
            break
        a = rng.randrange(len(words))
        b = min(len(words) - 1, a + rng.randint(1, 23))
        while words[b][2] != words[a][2]:  # stay inside one paragraph
            b -= 1
        start, end = words[a][0], words[b][1]
        if (start, end) not in seen:
            seen.add((start, end))
            spans.append((start, end))
    return spans


def _paragraphs(body):
    start = 0
    for paragraph in body.split("\n\n"):
        yield start, paragraph
        start += len(paragraph) + 2


def revise_locally(body: str, rng: random.Random, edits: int = 6) -> str:
    """A revision with a few local edits: sentences inserted, reworded and deleted in some paragraphs."""
    paragraphs = body.split("\n\n")
    for k in range(edits):
        p = rng.randrange(len(paragraphs))
        sentences = paragraphs[p].split(". ")
        kind = k % 3
        if kind == 0:
            sentences.insert(rng.randrange(len(sentences) + 1), _sentence(rng).rstrip("."))
        elif kind == 1:
            s = rng.randrange(len(sentences))
            sentences[s] = sentences[s].replace(" the ", " this ", 1).replace(" in ", " across ", 1)
        elif len(sentences) > 1:
            del sentences[rng.randrange(len(sentences))]
        paragraphs[p] = ". ".join(sentences)
    return "\n\n".join(paragraphs)


def rewrite_everything(body: str) -> str:
    """The fuzzy worst case: every word of the text changed a little, so no quote is found exactly."""
    return " ".join(w[::-1] if len(w) > 3 and i % 3 == 0 else w for i, w in enumerate(body.split(" ")))


def as_html(art: Article) -> str:
    """The article as a news site would serve it: head, navigation, byline, paragraphs, footer."""
    from html import escape

    paragraphs = "\n".join(f"    <p>{escape(p)}</p>" for p in art.body.split("\n\n"))
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(12))
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{escape(art.title)} | The Daily Bench</title>
  <meta property="og:title" content="{escape(art.title)}">
  <meta name="author" content="Maria Lindqvist">
  <meta property="article:published_time" content="2024-05-02T08:00:00Z">
  <link rel="canonical" href="https://news.example.org/2024/05/02/figures">
  <script>window.analytics = {{"page": "article"}};</script>
  <style>body {{ font-family: serif; }}</style>
</head>
<body>
  <header><nav><ul>{nav}</ul></nav></header>
  <main>
  <article>
    <h1>{escape(art.title)}</h1>
    <p class="byline">By Maria Lindqvist, 2 May 2024</p>
{paragraphs}
  </article>
  <aside><h2>Most read</h2><ul><li><a href="/a">Another story</a></li><li><a href="/b">And another</a></li></ul></aside>
  </main>
  <footer><p>© 2024 The Daily Bench. All rights reserved.</p><p>Sign up for our newsletter.</p></footer>
</body>
</html>
"""
