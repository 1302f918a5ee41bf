"""Duplicate articles: exact (hash of normalised text) and near (MinHash LSH + a Jaccard check).

Syndicated copies of one report differ in boilerplate, a byline, a corrected figure; they should be
stored once with all their URLs. ``content_hash`` recognises identical texts; ``NearDuplicates``
finds texts whose word-shingle sets overlap by at least ``threshold`` (Jaccard), first by MinHash
LSH candidates, then by the exact Jaccard of the shingle sets (or the MinHash estimate when the
other text is not at hand).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SCHEME = "affine32"  # datasketch >= 2.0 hashing scheme; stored signatures depend on it
SHINGLE = 3
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise(text: str) -> str:
    """NFC, unified quotes and dashes, collapsed whitespace: the text that is hashed."""
    text = unicodedata.normalize("NFC", text)
    text = text.translate({0x2019: "'", 0x2018: "'", 0x201C: '"', 0x201D: '"', 0x2013: "-", 0x2014: "-", 0xA0: " "})
    return " ".join(text.split())


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text, hex."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    words = _WORD.findall(normalise(text).casefold())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


_PERMUTATIONS: dict[int, object] = {}


def _permutations(num_perm: int):
    if num_perm not in _PERMUTATIONS:  # computing them costs more than hashing a short article
        _PERMUTATIONS[num_perm] = MinHash(num_perm=num_perm, seed=1, scheme=SCHEME).permutations
    return _PERMUTATIONS[num_perm]


def signature(shingle_set: set[str], num_perm: int = NUM_PERM) -> MinHash:
    m = MinHash(num_perm=num_perm, seed=1, scheme=SCHEME, permutations=_permutations(num_perm))
    if shingle_set:
        m.update_batch([s.encode("utf-8") for s in sorted(shingle_set)])
    return m


def signature_bytes(m: MinHash) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint64).tobytes()


def signature_from_bytes(data: bytes, num_perm: int = NUM_PERM) -> MinHash:
    values = np.frombuffer(bytes(data), dtype=np.uint64)
    return MinHash(num_perm=num_perm, seed=1, hashvalues=values, scheme=SCHEME, permutations=_permutations(num_perm))


class NearDuplicates:
    """An LSH index of article texts; ``find`` returns the best earlier match above ``threshold``.

    Keys are added in arrival order; a match is always an earlier key, the most similar one (ties:
    the earliest added), so the outcome does not depend on LSH bucket order.
    """

    def __init__(self, threshold: float = 0.8, num_perm: int = NUM_PERM,
                 text_of: Callable[[str], str | None] | None = None, min_shingles: int = 8):
        self.threshold = threshold
        self.num_perm = num_perm
        # a lower LSH threshold finds more candidates; the Jaccard check decides
        self.lsh = MinHashLSH(threshold=max(0.3, threshold - 0.2), num_perm=num_perm)
        self.order: dict[str, int] = {}
        self.sigs: dict[str, MinHash] = {}
        self.text_of = text_of
        self.min_shingles = min_shingles
        self._shingles: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self.order)

    def add(self, key: str, sig: MinHash, shingle_set: set[str] | None = None) -> None:
        if key in self.order:
            return
        self.order[key] = len(self.order)
        self.sigs[key] = sig
        self.lsh.insert(key, sig)
        if shingle_set is not None:
            self._shingles[key] = shingle_set

    def find(self, sig: MinHash, shingle_set: set[str]) -> tuple[str, float] | None:
        """The earlier key whose text is a near-duplicate of this one, with its similarity."""
        if len(shingle_set) < self.min_shingles:
            return None  # too short to call two texts the same report
        best: tuple[float, int, str] | None = None
        for key in self.lsh.query(sig):
            other = self._shingles.get(key)
            if other is None and self.text_of is not None:
                text = self.text_of(key)
                other = shingles(text) if text is not None else None
            score = jaccard(shingle_set, other) if other is not None else sig.jaccard(self.sigs[key])
            if score >= self.threshold:
                candidate = (-score, self.order[key], key)
                if best is None or candidate < best:
                    best = candidate
        return None if best is None else (best[2], -best[0])
