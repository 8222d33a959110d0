"""Near-duplicate text signatures: MinHash over 5-character shingles of the folded text, LSH band keys.

Pure functions (numpy and vntext only); the deduplicate step stores the signature, its scheme and the band keys.

Two schemes, both 64 values of 32 bits from the same odd affine permutations mod 2**32 (seed 7):

* scheme 1 (:func:`minhash_values`): datasketch's — one SHA-1 per distinct shingle (its first 4 bytes, then
  MurmurHash3's 32-bit finaliser). ~1 µs a shingle in Python: 2.3 ms of a 1,800-character document.
* scheme 2 (:data:`SCHEME`, :func:`text_signature`): every shingle hashed at once with numpy — the 5 code points
  combined as a polynomial mod 2**64, MurmurHash3's 64-bit finaliser, its high 32 bits. ~0.3 ms a document.

Signatures of different schemes do not compare: each item records its scheme (``Item.minhash_scheme``), band keys
of scheme 2 carry it (``2/<band>:<hash>``, never equal to a scheme-1 key), and migration 0005 re-signed every
stored item with scheme 2 (:func:`resign_items`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np

import vntext

SCHEME = 2  # the scheme of the signatures the deduplicate step writes now
NUM_PERM = 64
BANDS = 16
# Estimated similarity from which two texts are near-duplicate candidates. Scheme 1 overestimates the shingles'
# Jaccard similarity by ~0.05 (measured on 10,826 pairs of bench documents with a true Jaccard of 0.3–1: +0.054
# against +0.011 for scheme 2): its 0.8 meant ~0.75, which is what scheme 2's threshold says outright (the 34 planted
# near-copies of the bench: scheme 1 at 0.8 pairs 19, scheme 2 at 0.8 only 11, at 0.75 20).
NEAR_THRESHOLDS = {1: 0.8, 2: 0.75}
NEAR_THRESHOLD = NEAR_THRESHOLDS[SCHEME]
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


def folded_text(text: str) -> str:
    """The text the shingles are taken from: folded (vntext), every run of white space one space."""
    return re.sub(r"\s+", " ", vntext.fold(text)).strip()


def text_signature(text: str, *, scheme: int = SCHEME) -> list[int] | None:
    """The MinHash of a text (``scheme`` 2 by default, 1 for datasketch's), or None when it is too short to
    compare."""
    folded = folded_text(text)
    if len(folded) < MIN_CHARS:
        return None
    if scheme == 2:
        return _minhash_v2(folded)
    if scheme != 1:
        raise ValueError("unknown MinHash scheme %r" % scheme)
    if folded.isascii():  # most folded Vietnamese text: slicing the bytes gives the same shingles, unencoded
        data = folded.encode("ascii")
        return minhash_values({data[i : i + 5] for i in range(len(data) - 4)})
    return minhash_values({folded[i : i + 5].encode("utf-8") for i in range(len(folded) - 4)})


_POLY = np.uint64(0x100000001B3)  # FNV-1a's 64-bit prime (odd: the polynomial keeps every code point's bits)
_FMIX64 = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
_CHUNK = 1 << 14  # shingles permuted at a time: at most 4 MB of 64 × 32-bit values


def _minhash_v2(folded: str, *, num_perm: int = NUM_PERM, seed: int = 7) -> list[int]:
    """Scheme 2: each 5-code-point shingle of ``folded`` hashed to 32 bits in numpy, then datasketch's affine
    permutations. A shingle repeated in the text changes nothing (the minimum of equal values)."""
    points = np.frombuffer(folded.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    n = len(points) - 4
    hv = points[:n].copy()
    for k in range(1, 5):
        hv *= _POLY
        hv += points[k : k + n]
    shift, m1, m2 = _FMIX64
    hv ^= hv >> shift
    hv *= m1
    hv ^= hv >> shift
    hv *= m2
    hv ^= hv >> shift
    hv32 = (hv >> np.uint64(32)).astype(np.uint32)
    a, b = _permutations(num_perm, seed)
    best = np.full(num_perm, np.uint32((1 << 32) - 1), dtype=np.uint32)
    for start in range(0, len(hv32), _CHUNK):
        part = hv32[start : start + _CHUNK].reshape(-1, 1)
        np.minimum(best, (part * a + b).min(axis=0), out=best)
    return [int(v) for v in best]


def band_keys(signature: list[int], *, scheme: int = SCHEME) -> list[str]:
    """The LSH band keys of a signature; scheme 2's carry the scheme (``2/3:…``), so that a signature is only
    ever a candidate of signatures of its own scheme."""
    rows = NUM_PERM // BANDS
    prefix = "" if scheme == 1 else "%d/" % scheme
    return ["%s%d:%s" % (prefix, b, hashlib.blake2b(",".join(map(str, signature[b * rows : (b + 1) * rows])).encode(),
                                                    digest_size=8).hexdigest()) for b in range(BANDS)]


def similarity(a: list[int], b: list[int]) -> float:
    return sum(x == y for x, y in zip(a, b, strict=False)) / NUM_PERM


def similarities(signature: list[int], others: list[list[int]]) -> list[float]:
    """:func:`similarity` of ``signature`` with each of ``others`` (the same values), compared in numpy at once."""
    if not others:
        return []
    if len(signature) != NUM_PERM or any(len(other) != NUM_PERM for other in others):
        return [similarity(signature, other) for other in others]
    equal = (np.asarray(others, dtype=np.int64) == np.asarray(signature, dtype=np.int64)).sum(axis=1)
    return [int(count) / NUM_PERM for count in equal]
