"""The chunk codec: many lines of one stream as one compressed blob plus a trigram bitmap.

Why chunks (the layout Loki chose): a row per line costs an index entry and ~50 bytes of row
overhead per line and caps ingest at what the database inserts per second; a chunk of up to a
few thousand lines is one row, so ingest costs compression, not row writes, and a scan reads
compressed bytes. Why a trigram bitmap per chunk: a search for a rare substring (an id, an
error text) tests ~40 bits per chunk and decompresses only chunks that may contain it, where a
plain scan (or grep) reads every byte. Lines inside a chunk are NUL-separated (NUL is removed
from lines at ingest), so a substring is found with one bytes.find over the whole chunk.

The bitmap is stored uncompressed, as a Roaring bitmap stores a container: the sorted positions
of its set bits when they are few (a chunk of log lines sets ~1,500 of 65,536: 3 KB), the 8 KB
of bits when they are many. A search tests every chunk's bitmap, and inflating each one cost
more than the rest of a rare-substring search (1,500 chunks: ~40 ms of ~110). A leading byte
tells the forms apart; chunks written before hold zlib-compressed bits, whose first byte is
always 0x78, and are read as before.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

import numpy as np

GRAM_BITS = 1 << 16  # 8 KB as bits; ~1 % false positives per 3-gram at 20k grams
_SPARSE, _DENSE = b"\x01", b"\x02"  # the bitmap's first byte: positions (uint16 LE) or bits
_MAX_SPARSE = GRAM_BITS // 16  # beyond this many set bits, positions take more than the bits
_HEADER = struct.Struct("<I")
SEPARATOR = b"\x00"


@dataclass(frozen=True, slots=True)
class EncodedChunk:
    """A chunk as stored: its stream, time span, sizes and the two blobs."""

    stream_id: int
    t_min: float
    t_max: float
    lines: int
    weight: int  # the lines it stands for (sampled lines count more than once)
    seq_max: int
    data: bytes
    grams: bytes


@dataclass(frozen=True, slots=True)
class DecodedChunk:
    """A chunk's columns: times, counts and seqs as arrays, and the joined text."""

    times: np.ndarray
    counts: np.ndarray
    seqs: np.ndarray
    text: bytes

    def line_starts(self) -> np.ndarray:
        """Byte offset where each line starts in text."""
        ends = np.flatnonzero(np.frombuffer(self.text, np.uint8) == 0)
        return np.concatenate(([0], ends + 1)).astype(np.int64)

    def lines(self) -> list[str]:
        """Every line, decoded."""
        return self.text.decode("utf-8", "replace").split("\x00")


def encode_chunk(
    stream_id: int, times: list[float], counts: list[int], seqs: list[int], lines: list[str]
) -> EncodedChunk:
    """Compress one stream's lines (in time order) into a chunk."""
    text = "\x00".join(lines).encode("utf-8", "replace")
    n = len(lines)
    payload = b"".join(
        (
            _HEADER.pack(n),
            np.asarray(times, np.float64).tobytes(),
            np.asarray(counts, np.int32).tobytes(),
            np.asarray(seqs, np.int64).tobytes(),
            text,
        )
    )
    return EncodedChunk(
        stream_id=stream_id,
        t_min=min(times),
        t_max=max(times),
        lines=n,
        weight=int(sum(counts)),
        seq_max=max(seqs),
        # Level 1: 3-4x smaller than the text for log lines at several hundred MB/s; higher
        # levels gain ~15 % for twice the CPU on the ingest path.
        data=zlib.compress(payload, 1),
        grams=encode_grams(text),
    )


def decode_chunk(data: bytes) -> DecodedChunk:
    """The columns of a stored chunk."""
    raw = zlib.decompress(data)
    (n,) = _HEADER.unpack_from(raw)
    at = _HEADER.size
    times = np.frombuffer(raw, np.float64, n, at)
    at += 8 * n
    counts = np.frombuffer(raw, np.int32, n, at)
    at += 4 * n
    seqs = np.frombuffer(raw, np.int64, n, at)
    at += 8 * n
    return DecodedChunk(times, counts, seqs, raw[at:])


def needle_hashes(needles: tuple[bytes, ...]) -> list[np.ndarray]:
    """The trigram hashes of each needle of 3 bytes or more (computed once per query)."""
    return [_gram_hashes(n) for n in needles if len(n) >= 3]


def encode_grams(text: bytes) -> bytes:
    """The trigram bitmap of text as stored: set positions when few, else the bits."""
    if len(text) < 3:
        return _SPARSE
    bits = np.zeros(GRAM_BITS, bool)
    bits[_gram_hashes(text)] = True
    positions = np.flatnonzero(bits)  # sorted, each once (cheaper than sorting the hashes)
    if len(positions) <= _MAX_SPARSE:
        return _SPARSE + positions.astype("<u2").tobytes()
    return _DENSE + np.packbits(bits).tobytes()


def may_contain(grams: bytes, hashes: list[np.ndarray]) -> bool:
    """False only when some needle (given by its needle_hashes) certainly does not occur."""
    if not hashes:
        return True
    kind = grams[:1]
    if kind == _SPARSE:
        positions = np.frombuffer(grams, "<u2", offset=1)
        if len(positions) == 0:
            return False
        for h in hashes:
            at = np.minimum(positions.searchsorted(h), len(positions) - 1)
            if not (positions[at] == h).all():
                return False
        return True
    # The bits in place (np.packbits' order: the first bit is the high one); bitmaps written
    # before the uncompressed forms are inflated first.
    packed = (
        np.frombuffer(grams, np.uint8, offset=1)
        if kind == _DENSE
        else np.frombuffer(zlib.decompress(grams), np.uint8)
    )
    return all(bool((packed[h >> 3] & (128 >> (h & 7)).astype(np.uint8)).all()) for h in hashes)


def _gram_hashes(text: bytes) -> np.ndarray:
    """A 16-bit hash of every 3-byte window (multiplicative hashing of the 24-bit value).

    Four big-endian uint32 views of the text at offsets 0-3 hold every 4-byte window once; the
    window's top three bytes are a trigram. No per-byte conversion: ~4x faster than widening
    each byte, and this runs for every chunk written.
    """
    n = len(text) - 2
    padded = text + b"\x00\x00\x00\x00"
    # Windows starting at offset, offset+4, ...: stride 4 bytes, read as whole uint32s.
    parts = [
        np.frombuffer(padded, ">u4", count, offset)
        for offset in range(4)
        if (count := (n - offset + 3) // 4) > 0
    ]
    # One native copy (concatenate converts the byte order), then hashed in place: a new
    # array per step cost ~20x more than the hashing itself.
    windows = np.concatenate(parts, dtype=np.uint32) if parts else np.zeros(0, np.uint32)
    windows >>= np.uint32(8)  # the trigram: the window's top three bytes
    windows *= np.uint32(2654435761)
    windows >>= np.uint32(16)
    return windows
