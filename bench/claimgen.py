"""A seeded generator of a desk's claims with varied vocabulary: written for the benchmark, copied from nowhere.

`textgen` builds sentences from 14 templates with small word lists, so any two of its
sentences share most of their words and trigrams: a worst case for "Checked before",
where every new claim has tens of thousands of near neighbours. A desk's claims are
less alike: many topics, places, institutions, people and figures, said in many ways,
with some claims repeated by other people or in other words. This module makes that
kind of data:

- a claim is a *frame* (what is claimed: topic, place, direction, figure, period,
  claimant) rendered by one of several templates of its kind, with synonyms;
- topics are modifier × subject (40 × 40), places and institutions are built from
  syllables (hundreds of names), claimants from first × last names with a role;
- figures come in many forms: counts with thousands separators, decimals, percentages,
  money in three currencies and three scales, rates per 1,000 or 100,000, years;
- `restate(frame, rng)` renders the same frame again in other words (another template,
  other synonyms, sometimes another claimant): what a desk sees when a claim comes back.

Same seed, same claims.

>>> [c.text for c in claims(random.Random(5), 3)] == [c.text for c in claims(random.Random(5), 3)]
True
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

FIRST = ("Anna Bruno Carla Dmitri Elif Farid Greta Hugo Irena Jakub Kofi Leila Marek Nadia Oskar Paula Quentin Rosa "
         "Stefan Tamar Ulla Vera Wim Ximena Yusuf Zofia Aleksander Beatriz Cormac Dalia Emeka Freya Goran Hana Ivo "
         "Jelena Karim Lotte Mateo Noor Olu Pieter Rania Sven Teodora Umar Vesna Willa Yara Zeno").split()
LAST = ("Albrecht Baptiste Castellano Dragomir Eriksen Fonseca Gallagher Horvath Ibsen Janssen Kovacs Laurent Moreau "
        "Novak Oduya Petrakis Quiroga Rasmussen Sandoval Takacs Uribe Valente Wozniak Yilmaz Zamora Abernethy Brandt "
        "Cerny Dufresne Esposito Falk Grummet Halloran Iversen Jovanovic Keane Lindgren Mbeki Nieminen Okonjo Pastore "
        "Quaid Romanov Strand Tesfaye Ulbricht Varga Whitcombe Xu Yoshida Zelenko").split()
ROLES = ["Senator", "Councillor", "Minister", "Mayor", "Governor", "Deputy", "Professor", "Dr.", "Commissioner",
         "Chief Executive", "Union leader", "Party chair", "Spokesperson", "Auditor", "Judge", "Bishop"]
MODIFIERS = ("rural urban youth adult child maternal dental mental-health bus rail ferry cycling housing rental school "
             "university nursery hospital pharmacy police prison court pension farm fishing forestry mining steel "
             "textile tourism broadband mobile water sewage flood wildfire air-quality recycling landfill solar wind "
             "nuclear").split()
SUBJECTS = ("waiting lists|fares|subsidies|vacancies|closures|emissions|budgets|debts|accidents|complaints|"
            "inspections|staff shortages|prices|wages|admissions|exports|imports|permits|evictions|arrests|"
            "prosecutions|grants|contracts|tax receipts|outages|repairs|strikes|enrolments|dropout rates|"
            "infection rates|overdoses|insurance claims|bankruptcies|start-ups|patents|tenders|fines|"
            "waiting times|backlogs|investment").split("|")
SYLLABLES_A = ("Ash Bel Cal Dun Ell Fen Gar Hal Ire Jor Kel Lan Mar Nor Ost Pel Quar Ros Sel Tor Ulv Var Wes "
               "Yar Zel Brom Crag Dray Glen Hart").split()
SYLLABLES_B = "ford ham wick vale bridge mouth by ton stead field haven moor crest dale port burgh minster".split()
INSTITUTIONS = ["council", "health board", "school district", "water company", "port authority", "police force",
                "chamber of commerce", "housing association", "transport authority", "audit office",
                "statistics bureau", "energy regulator", "university", "hospital trust", "fire service"]
CURRENCIES = [("€", "euros"), ("$", "dollars"), ("£", "pounds")]
SCALES = ["thousand", "million", "billion"]
UP = ["rose", "increased", "went up", "climbed", "grew", "jumped", "surged"]
DOWN = ["fell", "decreased", "went down", "dropped", "declined", "shrank", "slumped"]
PERIODS = ["since {y}", "between {y} and {y2}", "in {y}", "over the past {k} years", "since the {y} election",
           "in the first half of {y}", "during {y}", "compared with {y}"]
UNITS = ["homes", "jobs", "beds", "teachers", "nurses", "officers", "buses", "schools", "clinics", "libraries",
         "households", "patients", "pupils", "farms", "shops", "hectares", "kilometres of road", "tonnes of waste"]
BUILT = ["built", "opened", "created", "added", "funded", "delivered"]
LOST = ["closed", "cut", "lost", "scrapped", "shut down", "axed"]
SAID = ["said", "claimed", "told reporters", "stated", "argued", "wrote", "told a rally", "said on radio"]
SUPERLATIVE = ["the highest", "the lowest", "the fastest-growing", "the worst", "the best"]


@dataclass(frozen=True)
class Frame:
    kind: str
    topic: str
    place: str
    institution: str
    up: bool
    figure: tuple  # (kind, value, extra) as made by _figure
    unit: str
    period: str
    claimant: str


def _place(rng):
    return rng.choice(SYLLABLES_A) + rng.choice(SYLLABLES_B)


def _person(rng):
    return f"{rng.choice(ROLES)} {rng.choice(FIRST)} {rng.choice(LAST)}"


def _topic(rng):
    return f"{rng.choice(MODIFIERS).replace('-', ' ')} {rng.choice(SUBJECTS)}"


def _period(rng):
    y = rng.randint(1998, 2025)
    return rng.choice(PERIODS).format(y=y, y2=min(2026, y + rng.randint(2, 9)), k=rng.randint(2, 15))


def _figure(rng):
    """A figure and its kind: percent, count, money, rate, fraction."""
    r = rng.random()
    if r < 0.3:
        return ("percent", round(rng.uniform(0.5, 95), rng.choice([0, 1])), None)
    if r < 0.55:
        return ("count", rng.choice([rng.randint(3, 999), rng.randint(1_000, 999_999)]), None)
    if r < 0.8:
        return ("money", round(rng.uniform(1, 900), rng.choice([0, 1])), (rng.choice(CURRENCIES), rng.choice(SCALES)))
    if r < 0.92:
        return ("rate", round(rng.uniform(0.1, 80), 1), rng.choice([1_000, 100_000]))
    return ("fraction", rng.choice(["a third", "a quarter", "half", "two thirds", "one in ten", "three quarters"]), None)


def _fmt(value):
    return f"{value:,}" if isinstance(value, int) else (f"{value:g}" if value != int(value) else f"{int(value):,}")


def say_figure(figure, rng):
    """The figure in words, in one of its usual forms."""
    kind, value, extra = figure
    if kind == "percent":
        return f"{_fmt(value)}{rng.choice(['%', ' percent', ' per cent'])}"
    if kind == "count":
        return _fmt(value)
    if kind == "money":
        (sign, name), scale = extra
        return rng.choice([f"{sign}{_fmt(value)} {scale}", f"{_fmt(value)} {scale} {name}"])
    if kind == "rate":
        per = f"{extra:,}"
        return rng.choice([f"{_fmt(value)} per {per}", f"{_fmt(value)} for every {per}"])
    return value


def frame(rng):
    place = _place(rng)
    return Frame(
        kind=rng.choice(["trend", "trend", "amount", "count", "rank", "share", "quote"]),
        topic=_topic(rng), place=place,
        institution=f"the {rng.choice([place, _place(rng)])} {rng.choice(INSTITUTIONS)}",
        up=rng.random() < 0.5, figure=_figure(rng), unit=rng.choice(UNITS), period=_period(rng),
        claimant=_person(rng),
    )


def render(f: Frame, rng) -> str:
    """One sentence saying what `f` claims; each call may choose other words."""
    n = say_figure(f.figure, rng)
    move = rng.choice(UP if f.up else DOWN)
    did = rng.choice(BUILT if f.up else LOST)
    cap = f.topic[0].upper() + f.topic[1:]
    forms = {
        "trend": [
            f"{cap} in {f.place} {move} by {n} {f.period}.",
            f"In {f.place}, {f.topic} {move} {n} {f.period}, {f.claimant} {rng.choice(SAID)}.",
            f"{f.period[0].upper() + f.period[1:]}, {f.topic} in {f.place} have {move.replace('went', 'gone').replace('rose', 'risen').replace('fell', 'fallen').replace('grew', 'grown').replace('shrank', 'shrunk')} by {n}.",
            f"According to {f.institution}, {f.topic} {move} by {n} {f.period}.",
        ],
        "amount": [
            f"{f.institution[0].upper() + f.institution[1:]} spent {n} on {f.topic} {f.period}.",
            f"{f.claimant} {rng.choice(SAID)} that {n} went on {f.topic} in {f.place} {f.period}.",
            f"Spending on {f.topic} by {f.institution} came to {n} {f.period}.",
            f"{f.period[0].upper() + f.period[1:]}, {f.place} paid {n} for {f.topic}.",
        ],
        "count": [
            f"{f.place} has {did} {n} {f.unit} {f.period}.",
            f"{f.period[0].upper() + f.period[1:]}, {n} {f.unit} were {did} in {f.place}.",
            f"{f.institution[0].upper() + f.institution[1:]} {did} {n} {f.unit} {f.period}, {f.claimant} {rng.choice(SAID)}.",
            f"{n} {f.unit} have been {did} in {f.place} {f.period}.",
        ],
        "rank": [
            f"{f.place} has {rng.choice(SUPERLATIVE)} {f.topic} in the country, at {n}.",
            f"At {n}, {f.topic} in {f.place} are {rng.choice(SUPERLATIVE)} of any region.",
            f"No other region comes close to {f.place} on {f.topic}: {n} {f.period}.",
        ],
        "share": [
            f"{n} of {f.unit} in {f.place} are affected by {f.topic}.",
            f"{f.topic[0].upper() + f.topic[1:]} affect {n} of all {f.unit} in {f.place}, {f.institution} says.",
            f"In {f.place}, {f.topic} touch {n} of {f.unit} {f.period}.",
        ],
        "quote": [
            f"“Our {f.topic} {move} by {n} {f.period},” {f.claimant} {rng.choice(SAID)}.",
            f"{f.claimant} {rng.choice(SAID)} that {f.institution} let {f.topic} {rng.choice(UP + DOWN).replace('ed', '').replace('rose', 'rise').replace('fell', 'fall')} by {n}.",
            f"“{n}: that is what {f.topic} cost {f.place} {f.period},” according to {f.claimant}.",
        ],
    }[f.kind]
    text = rng.choice(forms)
    return text[0].upper() + text[1:]


def restate(f: Frame, rng) -> tuple[Frame, str]:
    """The same claim again, as a desk meets it: other words, often another speaker."""
    if rng.random() < 0.5:
        f = replace(f, claimant=_person(rng))
    return f, render(f, rng)


@dataclass(frozen=True)
class Claim:
    text: str
    claimant: str
    frame: Frame


def claims(rng, count, repeat_share=0.1):
    """`count` claims; about `repeat_share` of them restate an earlier one."""
    out = []
    for _ in range(count):
        if out and rng.random() < repeat_share:
            f, text = restate(rng.choice(out).frame, rng)
        else:
            f = frame(rng)
            text = render(f, rng)
        out.append(Claim(text, f.claimant, f))
    return out
