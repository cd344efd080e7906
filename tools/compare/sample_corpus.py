#!/usr/bin/env python3
"""A small news-shaped corpus in Annals' JSON Lines input format, for trying the comparison.

    sample_corpus.py --facts 100k --seed 42 --output corpus.jsonl

Takes the same options as tools/generate-corpus (the Swift generator the benchmarks use), so
run.sh can use either. Deterministic by --seed, constant memory apart from the actor pool.

Each article is written as Annals expects it: the article record (its text inline), alias
records declaring the actors its facts name that are new (and now and then a new alias of a
known actor), then its facts, corrections and retractions. --facts counts fact records: about
10% of them assert again a fact an earlier article asserted; corrections of earlier facts are
about 3% of the fact count and retractions about 1%. A fact record is about 300 bytes. Every
quote occurs verbatim in its article's text, so Annals' validation accepts the corpus.
"""
import argparse
import json
import random
import sys

KINDS = ["attack", "ransom-payment", "shutdown", "data-theft", "summit", "talks", "statement",
         "agreement", "denial", "accusation", "request", "proposal", "report", "other"]
ROLES = ["attacker", "target", "payer", "recipient", "participant", "speaker", "host", "subject", "mentioned"]
ACTOR_KINDS = ["person", "organisation", "country", "group"]
SUFFIX = {"person": "", "organisation": " Holdings", "country": "", "group": " Collective"}
PUBLISHERS = ["Reuters", "Associated Press", "BBC News", "The Guardian", "Le Monde", "NHK", "Al Jazeera", "Der Spiegel"]
PLACES = ["Geneva", "Washington", "Moscow", "Brussels", "Houston", "Singapore", "Nairobi", "Lima", "Oslo", "Seoul"]
VERBS = {"attack": "struck", "ransom-payment": "paid a ransom to", "shutdown": "shut down systems at",
         "data-theft": "stole records from", "summit": "met", "talks": "held talks with", "statement": "addressed",
         "agreement": "reached a deal with", "denial": "denied claims by", "accusation": "accused",
         "request": "asked", "proposal": "made an offer to", "report": "reported on", "other": "dealt with"}
UNITS = [("ransom", "USD"), ("ransom", "BTC"), ("duration", "d"), ("duration", "h"), ("affected", "people"), ("sectors", "sectors")]
SYLLABLES = ["ka", "lo", "mi", "re", "su", "ta", "vi", "no", "pe", "da", "fu", "ri", "go", "ze", "ba", "ho"]
FILLER = ["Officials declined to comment further.", "The situation remained fluid on Thursday.",
          "Analysts said the episode could take months to resolve.", "Markets reacted calmly to the news.",
          "Further details were expected in the coming days.", "The ministry issued a short statement."]


def count(text):
    """10000, 10k, 1M, 1_000_000."""
    text = text.strip().replace("_", "")
    scale = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    number = int(float(text[:-1]) * scale) if scale != 1 else int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive count")
    return number


def word(index):
    """A pronounceable word unique to index: base-16 digits as fixed-width syllables."""
    n, letters = index + 16, []
    while n:
        n, digit = divmod(n, 16)
        letters.append(SYLLABLES[digit])
    return "".join(reversed(letters)).capitalize()


class Actor:
    def __init__(self, index, rng):
        self.kind = ACTOR_KINDS[index % len(ACTOR_KINDS)]
        self.word = word(index)
        given = word(index * 7 + 3) if self.kind == "person" else ""
        self.name = f"{given} {self.word}".strip() + SUFFIX[self.kind]
        self.id = self.name.lower().replace(" ", "-")
        # The word alone, and sometimes the name in capitals (the same name key: not an alias).
        self.aliases = [self.word] + ([self.name.upper()] if rng.random() < 0.3 else [])
        self.declared = False
        self.extra_aliases = 0


def date(rng):
    year, month, day = rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28)
    form = rng.random()
    if form < 0.5:
        return f"{year}-{month:02d}-{day:02d}", "on that day"
    if form < 0.8:
        return f"{year}-{month:02d}", "that month"
    if form < 0.9:
        return f"{year}-{month:02d}~", "around then"
    return f"{year}-{month:02d}-{day:02d}/{year}-{month:02d}-28", "over those weeks"


def line(record):
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def generate(facts, seed, out):
    rng = random.Random(seed)
    pool = [Actor(i, rng) for i in range(max(20, facts // 25))]
    popular = pool[: max(5, len(pool) // 20)]
    written = 0          # fact records written
    distinct = 0         # distinct fact ids: f0000000 …
    article_number = 0
    while written < facts:
        article_number += 1
        publisher = rng.choice(PUBLISHERS)
        published = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        article = f"{publisher.split()[0].lower()}-{published}-a{article_number:07d}"
        first_of_article = distinct
        records, sentences, actors_used = [], [], []

        planned = min(rng.randint(1, 9), facts - written)
        asserted = set()
        for _ in range(planned):
            if distinct > 0 and first_of_article > 0 and rng.random() < 0.10:
                fact = rng.randrange(first_of_article)       # asserted again, by a second article
            else:
                fact, distinct = distinct, distinct + 1
            if fact in asserted:
                continue
            asserted.add(fact)
            kind = rng.choice(KINDS)
            cast = [rng.choice(popular) if rng.random() < 0.4 else rng.choice(pool) for _ in range(rng.randint(1, 3))]
            cast = list({actor.id: actor for actor in cast}.values())
            actors_used.extend(cast)
            when, said = date(rng)
            place = rng.choice(PLACES)
            subject = cast[0].name
            other = cast[1].name if len(cast) > 1 else "local officials"
            summary = f"{subject} {VERBS[kind]} {other}"[:200]
            quote = f"{subject} {VERBS[kind]} {other} in {place}, sources said (ref {fact})."
            sentences.append(quote)
            if rng.random() < 0.5:
                sentences.append(rng.choice(FILLER))
            quantities = []
            if rng.random() < 0.3:
                name, unit = rng.choice(UNITS)
                quantities.append({"name": name, "value": str(rng.randint(1, 5000) * 1000), "unit": unit, "approximate": rng.random() < 0.5})
            records.append({"type": "fact", "article": article, "id": f"f{fact:07d}", "kind": kind, "when": when,
                            "said": said if rng.random() < 0.5 else None, "summary": summary,
                            "actors": [{"actor": a.id, "role": rng.choice(ROLES)} for a in cast],
                            "quantities": quantities, "place": place, "quote": quote})
        written += len(records)

        # Corrections and retractions of facts that earlier articles asserted.
        if first_of_article > 0:
            corrected, retracted = set(), set()
            for _ in range(len(records)):
                if rng.random() < 0.03:
                    fact = rng.randrange(first_of_article)
                    if fact not in corrected:
                        corrected.add(fact)
                        when, _ = date(rng)
                        fields = rng.choice([{"when": when}, {"place": rng.choice(PLACES)}, {"kind": rng.choice(KINDS)}])
                        records.append({"type": "correction", "article": article, "fact": f"f{fact:07d}", "fields": fields,
                                        "reason": "A later filing gave different details"})
                if rng.random() < 0.01:
                    fact = rng.randrange(first_of_article)
                    if fact not in retracted:
                        retracted.add(fact)
                        records.append({"type": "retraction", "article": article, "fact": f"f{fact:07d}",
                                        "reason": "The original report was withdrawn"})

        # The actors the facts name that are new get declared; a known one now and then gains an alias.
        declarations = []
        for actor in {a.id: a for a in actors_used}.values():
            if not actor.declared:
                actor.declared = True
                declarations.append({"type": "alias", "actor": actor.id, "name": actor.name, "kind": actor.kind, "aliases": actor.aliases})
            elif rng.random() < 0.02:
                actor.extra_aliases += 1
                declarations.append({"type": "alias", "actor": actor.id, "aliases": [f"{actor.word} officials {actor.extra_aliases}", actor.word]})

        paragraphs = [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
        text = f"{publisher} - " + "\n\n".join(paragraphs or [rng.choice(FILLER)])
        title = f"{records[0]['summary'] if records else 'News'} ({published})"
        head = {"type": "article", "id": article, "title": title[:200], "publisher": publisher, "published": published,
                "url": f"https://news.example/{article}" if rng.random() < 0.7 else None, "text": text}
        out.write("\n".join(line(r) for r in [head] + declarations + records))
        out.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=count, default=10_000, help="fact records to write (10000, 10k, 1M)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--output", default="-", help="file to write, or - for standard output")
    args = parser.parse_args()
    try:
        if args.output == "-":
            generate(args.facts, args.seed, sys.stdout)
        else:
            with open(args.output, "w", encoding="utf-8", buffering=1 << 20) as out:
                generate(args.facts, args.seed, out)
    except OSError as error:
        sys.exit(f"sample_corpus: {args.output}: {error.strerror}")


if __name__ == "__main__":
    main()
