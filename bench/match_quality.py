"""Quality of `claimtrack match` on a labelled set (bench/match_eval/*.yaml): recall@3, the
precision of `likely`, and the share of distractors with a likely proposal.

    python bench/match_quality.py bench/match_eval/heldout.yaml [--dataset .] [--show]

Each item's text is matched as a source of its own (split into passages as `match` splits a
file); a claim's score is its best over the passages.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import yaml

import claimtrack
from claimtrack.track.index import ClaimIndex
from claimtrack.track.match import propose
from claimtrack.track.text import passages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("items", type=Path)
    parser.add_argument("--dataset", type=Path, default=Path())
    parser.add_argument("--show", action="store_true", help="print every miss and false likely")
    args = parser.parse_args()
    items = yaml.safe_load(args.items.read_text("utf-8"))["items"]
    tables = claimtrack.load_tables(args.dataset)
    with tempfile.TemporaryDirectory() as cache:
        index = ClaimIndex(Path(cache))
        index.update(tables)
        searcher = index.index().searcher()
        hits = likely = likely_right = distractors = distractors_flagged = labelled = spotted = 0
        for item in items:
            found = propose(searcher, passages(item["text"]), item["id"], archived=True)
            best: dict[str, tuple[float, bool]] = {}
            for p in found:
                if p.claim not in best or p.score > best[p.claim][0]:
                    best[p.claim] = (p.score, p.likely)
            ranked = sorted(best, key=lambda c: -best[c][0])
            expect = set(item["expect"])
            flagged = [c for c in ranked if best[c][1]]
            likely += len(flagged)
            likely_right += sum(1 for c in flagged if c in expect)
            if expect:
                labelled += 1
                spotted += bool(expect & set(flagged))
                ok = bool(expect & set(ranked[:3]))
                hits += ok
                if args.show and not ok:
                    print(
                        "MISS",
                        item["id"],
                        item["kind"],
                        ranked[:3],
                        [round(best[c][0], 2) for c in ranked[:3]],
                        expect,
                    )
            else:
                distractors += 1
                distractors_flagged += bool(flagged)
            if args.show and any(c not in expect for c in flagged):
                print(
                    "FALSE LIKELY",
                    item["id"],
                    item["kind"],
                    [(c, best[c][0]) for c in flagged if c not in expect],
                )
    print(f"items {len(items)}: labelled {labelled}, distractors {distractors}")
    print(f"recall@3 {hits / labelled:.3f} ({hits}/{labelled})")
    share = spotted / labelled
    print(f"labelled items with a right claim flagged likely {share:.3f} ({spotted}/{labelled})")
    precision = likely_right / likely if likely else 0
    print(f"precision of likely {precision:.3f} ({likely_right}/{likely})")
    flagged_share = distractors_flagged / distractors
    print(f"distractors flagged likely {flagged_share:.3f} ({distractors_flagged}/{distractors})")


if __name__ == "__main__":
    main()
