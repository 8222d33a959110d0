"""Near-duplicate text signatures: MinHash over 5-character shingles of the folded text, LSH band keys.

Pure functions (numpy and vntext only); the deduplicate step stores the signature and the band keys.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np

import vntext

NUM_PERM = 64
BANDS = 16
NEAR_THRESHOLD = 0.8
MIN_CHARS = 200

_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)
_PERMUTATIONS: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}


def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    key = (num_perm, seed)
    if key not in _PERMUTATIONS:
        gen = np.random.RandomState(seed)
        a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
        _PERMUTATIONS[key] = (a, b)
    return _PERMUTATIONS[key]


def minhash_values(shingles: Iterable[bytes], *, num_perm: int = NUM_PERM, seed: int = 7) -> list[int]:
    """datasketch's ``MinHash(num_perm, seed).update_batch(shingles).hashvalues`` (scheme affine32: sha1 32-bit,
    MurmurHash3 finaliser, odd affine permutations mod 2**32), without importing datasketch.

    Importing datasketch pulls scipy in through its LSH module: 1.5–2.5 s at the start of every ``sulieu
    ingest``. Written out here the signature also no longer changes with the installed datasketch version
    (1.x used another scheme); a test checks it equals datasketch's.
    """
    digests = b"".join(hashlib.sha1(s, usedforsecurity=False).digest()[:4] for s in shingles)
    hv = np.frombuffer(digests, dtype="<u4").astype(np.uint32)
    if not len(hv):
        return [(1 << 32) - 1] * num_perm
    s1, m1, s2, m2, s3 = (np.uint32(c) for c in _FMIX32)
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = (hv ^ (hv >> s3)).reshape(-1, 1)
    a, b = _permutations(num_perm, seed)
    return [int(v) for v in (hv * a + b).min(axis=0)]


def text_signature(text: str) -> list[int] | None:
    """The MinHash of a text, or None when it is too short to compare."""
    folded = re.sub(r"\s+", " ", vntext.fold(text)).strip()
    if len(folded) < MIN_CHARS:
        return None
    if folded.isascii():  # most folded Vietnamese text: slicing the bytes gives the same shingles, unencoded
        data = folded.encode("ascii")
        return minhash_values({data[i : i + 5] for i in range(len(data) - 4)})
    return minhash_values({folded[i : i + 5].encode("utf-8") for i in range(len(folded) - 4)})


def band_keys(signature: list[int]) -> list[str]:
    rows = NUM_PERM // BANDS
    return ["%d:%s" % (b, hashlib.blake2b(",".join(map(str, signature[b * rows : (b + 1) * rows])).encode(),
                                          digest_size=8).hexdigest()) for b in range(BANDS)]


def similarity(a: list[int], b: list[int]) -> float:
    return sum(x == y for x, y in zip(a, b, strict=False)) / NUM_PERM
