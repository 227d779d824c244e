"""The optional meaning signal of `match`: a sentence-embedding model read from a local folder
(`claimtrack[embeddings]`: model2vec static embeddings, no network, no GPU).

Candidates still come from the index; the model only compares a passage with each candidate's
own wording (statement, original wording), which catches a paraphrase or a translation that
shares few words with it. The model is never fetched: only a folder saved with model2vec's
`save_pretrained` (its `config.json` beside the weights) is read.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from claimtrack.exc import InputError

LOW, HIGH = 0.3, 0.8  # cosines read as no likeness and as the same meaning


class Embedder:
    """A local sentence-embedding model and the cosine between texts it gives."""

    def __init__(self, folder: Path) -> None:
        if not (folder / "config.json").is_file():
            raise InputError(
                "no sentence-embedding model in this folder (no config.json)",
                path=folder,
                hint="give the folder of a model2vec model saved with `save_pretrained`",
            )
        try:
            from model2vec import StaticModel  # noqa: PLC0415 - the optional extra's alone
        except ImportError:
            raise InputError(
                "the meaning signal needs the `embeddings` extra",
                hint="pip install 'claimtrack[embeddings]'",
            ) from None
        try:
            self.model: Any = StaticModel.from_pretrained(str(folder))
        except (OSError, ValueError, KeyError) as error:
            raise InputError(f"cannot read the model: {error}", path=folder) from None
        self._vector = functools.lru_cache(maxsize=65_536)(self._encode)

    def _encode(self, text: str) -> Any:
        vector = self.model.encode([text])[0]
        norm = float((vector @ vector) ** 0.5)
        return vector / norm if norm else vector

    def likeness(self, passage: str, texts: list[str]) -> float:
        """How close in meaning the passage is to the closest of ``texts``, in [0, 1]."""
        mine = self._vector(passage)
        best = max((float(mine @ self._vector(t)) for t in texts if t), default=0.0)
        return min(1.0, max(0.0, (best - LOW) / (HIGH - LOW)))
