"""Generate a realistic synthetic claimtrack dataset for benchmarks (run by hand).

    python bench/generate.py OUT_DIR --claims 10000 [--claims-per-seed 10] [--random-seed 1]
        [--nested] [--redistribution full_text|quotes_only|none]

Each seed is a made-up French-like article of ~40 sentences; each claim quotes one or two of its
seed's sentences with exact offsets, so the whole dataset validates. Claims vary in kind, status
(with a history of 1-3 entries), typed value, attribution chain and responses, and are ~1-2 KB of
YAML like the real ones. The output is a dataset root: claims/, seeds/, schemas/.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
from pathlib import Path
from typing import Any

import yaml

from claimtrack.model import schema_export as schemas
from claimtrack.store.yaml_write import modeline

Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
WORDS = (
    "le gouvernement contrat données agence sécurité société publique rapport montant accord "
    "ministre nuage plateforme accès stockage secteur privé années réseau enquête budget "
    "déclaration porte-parole journal révélé estimé millions livres euros hébergées Royaume-Uni "
    "France Europe américaine infrastructure service public critique confidentialité"
).split()
KINDS = [
    "event",
    "quantity",
    "jurisdiction",
    "access",
    "purpose",
    "description",
    "criticism",
    "position",
]
STATUSES = [
    "reported",
    "confirmed",
    "partly_confirmed",
    "disputed",
    "refuted",
    "insufficient_evidence",
]
OUTLETS = ["Financial Times", "Le Monde", "AFP", "Reuters", "The Guardian", "BBC News"]
PARTIES = ["Amazon", "Microsoft", "UK government", "European Commission", "Google", "Oracle"]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    return " ".join(words).capitalize() + "."


def make_seed(rng: random.Random, index: int) -> tuple[str, str, list[tuple[int, int]]]:
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    for _ in range(40):
        s = sentence(rng)
        spans.append((offset, offset + len(s)))
        parts.append(s)
        offset += len(s) + 1
    return f"synthetic-{index:06d}", " ".join(parts) + "\n", spans


def make_value(rng: random.Random, kind: str) -> dict[str, Any] | None:
    if kind == "quantity":
        low = rng.randint(1, 900) * 1_000_000
        return {
            "type": "money",
            "currency": rng.choice(["GBP", "EUR", "USD"]),
            "min": str(low),
            "max": str(low * rng.randint(2, 5)),
            "period": f"P{rng.randint(1, 15)}Y",
            "estimate": rng.random() < 0.7,
        }
    if kind == "jurisdiction":
        return {
            "type": "jurisdiction",
            "object": "the data",
            "constraint": "only_in",
            "countries": rng.sample(["GB", "FR", "DE", "US", "IE"], rng.randint(1, 2)),
        }
    if kind == "access":
        return {
            "type": "access",
            "object": "the platform",
            "party": rng.choice(PARTIES),
            "access": rng.choice(["none", "restricted", "full"]),
        }
    return None


def make_claim(
    rng: random.Random, index: int, seed_id: str, text: str, spans: list[tuple[int, int]]
) -> dict[str, Any]:
    kind = rng.choice(KINDS)
    picks = rng.sample(range(len(spans)), rng.randint(1, 2))
    evidence = []
    for n, pick in enumerate(picks):
        start, end = spans[pick]
        evidence.append(
            {
                "id": f"q{n + 1}",
                "seed": seed_id,
                "text": text[start:end],
                "start": start,
                "end": end,
                "language": "fr",
                "translation": {
                    "text": "Synthetic English translation of the quoted sentence.",
                    "language": "en",
                    "method": "machine",
                },
            }
        )
    history = []
    year = rng.randint(2015, 2022)
    for step in range(rng.randint(1, 3)):
        history.append(
            {
                "date": f"{year + step}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "status": rng.choice(STATUSES),
                "reason": "Synthetic status change.",
                "evidence": ["q1"],
            }
        )
    outlet = rng.choice(OUTLETS)
    claim: dict[str, Any] = {
        "schema_version": "1.0",
        "id": f"claim-{index:07d}",
        "statement": sentence(rng)[:200],
        "original": {"text": evidence[0]["text"], "language": "fr"},
        "kind": kind,
        "topics": rng.sample(["cloud-computing", "intelligence", "contracts", "privacy"], 2),
        "subjects": [{"name": p, "type": "company"} for p in rng.sample(PARTIES, 2)],
    }
    value = make_value(rng, kind)
    if value:
        claim["value"] = value
    claim.update(
        {
            "attribution": [
                {"role": "asserter", "name": outlet, "type": "news_outlet"},
                {
                    "role": "relay",
                    "name": f"Synthetic article {seed_id}",
                    "type": "document",
                    "seed": seed_id,
                },
            ],
            "evidence": evidence,
            "status": history[-1]["status"],
            "history": history,
            "responses": [
                {
                    "party": rng.choice(PARTIES),
                    "type": "company",
                    "response": rng.choice(["declined_to_comment", "denied", "confirmed"]),
                    "asked_by": outlet,
                    "evidence": ["q1"],
                }
            ],
            "tags": [f"batch-{index % 50}"],
            "created": "2025-01-01T00:00:00Z",
            "updated": "2025-01-02T00:00:00Z",
        }
    )
    return claim


def dump(data: dict[str, Any], kind: str, depth: int = 1) -> str:
    return modeline(kind, depth) + yaml.dump(
        data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100
    )


IDENTITY = """schema_version: '1.0'
name: synthetic-benchmark-claims
title: Synthetic claims for benchmarks
license: CC0-1.0
publisher:
  name: bench/generate.py
"""


def generate(
    out: Path,
    claims: int,
    per_seed: int,
    random_seed: int,
    nested: bool = False,
    redistribution: str = "full_text",
) -> None:
    """``redistribution``: the seeds' policy; the synthetic texts are ours (`full_text`), and
    `quotes_only` measures the quote budget's cost."""
    rng = random.Random(random_seed)
    if out.exists():
        shutil.rmtree(out)
    for sub in ("claims", "seeds", "schemas"):
        (out / sub).mkdir(parents=True)
    for schema in schemas.SCHEMAS:
        (out / "schemas" / schema.file_name).write_bytes(schemas.render(schema))
    (out / "dataset.yaml").write_text(IDENTITY, "utf-8")  # what a release needs
    for name, title in (("METHODOLOGY.md", "Methodology"), ("CORRECTIONS.md", "Corrections")):
        (out / name).write_text(f"# {title}\n\nSynthetic data for benchmarks.\n", "utf-8")
    for s in range((claims + per_seed - 1) // per_seed):
        seed_id, text, spans = make_seed(rng, s)
        raw = text.encode("utf-8")
        (out / "seeds" / f"{seed_id}.txt").write_bytes(raw)
        meta = {
            "schema_version": "1.1",
            "id": seed_id,
            "title": f"Synthetic article {s}",
            "language": "fr",
            "author": None,
            "publisher": None,
            "published": "2014-06-01",  # before every status entry that cites it
            "url": None,
            "retrieved": None,
            "archived": "2025-01-01",
            "rights": "Synthetic text generated for benchmarks.",
            "redistribution": redistribution,
            "text_file": f"{seed_id}.txt",
            "media_type": "text/plain; charset=utf-8",
            "sha256": hashlib.sha256(raw).hexdigest(),
        }
        (out / "seeds" / f"{seed_id}.yaml").write_text(dump(meta, "seed"), "utf-8")
        for c in range(s * per_seed, min((s + 1) * per_seed, claims)):
            claim = make_claim(rng, c, seed_id, text, spans)
            folder = out / "claims"
            if nested:  # 256 folders, as `import --layout nested` makes them
                folder = folder / hashlib.sha256(claim["id"].encode()).hexdigest()[:2]
                folder.mkdir(exist_ok=True)
            text_yaml = dump(claim, "claim", 2 if nested else 1)
            (folder / f"{claim['id']}.yaml").write_text(text_yaml, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--claims-per-seed", type=int, default=10)
    parser.add_argument("--random-seed", type=int, default=1)
    parser.add_argument(
        "--nested", action="store_true", help="claims in 256 sub-folders of claims/ (by id hash)"
    )
    parser.add_argument(
        "--redistribution", choices=("full_text", "quotes_only", "none"), default="full_text"
    )
    args = parser.parse_args()
    generate(
        args.out,
        args.claims,
        args.claims_per_seed,
        args.random_seed,
        args.nested,
        args.redistribution,
    )


if __name__ == "__main__":
    main()
