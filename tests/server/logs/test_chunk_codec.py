"""The chunk codec's trigram hash is part of the stored format: bitmaps written by any version
must keep meaning the same trigrams."""

from __future__ import annotations

import numpy as np

from clustergenie_server.db.log_chunks import encode_grams, may_contain, needle_hashes


def _spec(text: bytes) -> list[int]:
    """The stored hash, written out: a 24-bit trigram times 2654435761 modulo 2**32, the high
    16 bits."""
    return [
        (int.from_bytes(text[i : i + 3], "big") * 2654435761 % 2**32) >> 16
        for i in range(len(text) - 2)
    ]


def test_every_trigram_hashes_as_the_stored_format_says() -> None:
    rng = np.random.default_rng(9)
    for size in (3, 4, 5, 6, 7, 8, 101, 4099):
        text = rng.integers(0, 256, size, dtype=np.uint8).tobytes()
        (hashes,) = needle_hashes((text,))
        assert sorted(hashes.tolist()) == sorted(_spec(text))


def test_a_bitmap_rules_out_only_what_the_text_lacks() -> None:
    text = b"GET /api/orders status=200\x00GET /healthz status=503"
    grams = encode_grams(text)
    assert may_contain(grams, needle_hashes((b"status=503",)))
    assert may_contain(grams, needle_hashes((b"orders", b"healthz")))
    assert not may_contain(grams, needle_hashes((b"status=404",)))
    assert not may_contain(encode_grams(b"ab"), needle_hashes((b"abc",)))
