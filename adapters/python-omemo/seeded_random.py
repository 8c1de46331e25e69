"""Seeded randomness and the harness clock for python-omemo (PROTOCOL.md §9).

python-omemo, oldmemo, twomemo, x3dh and xeddsa draw every random value through the module-level
functions of `secrets` (`token_bytes`, `randbelow`, `choice`); the double ratchet draws its ratchet
keys through `DiffieHellmanRatchet._generate_priv` (OpenSSL's RNG via `cryptography`); x3dh stamps
signed prekeys with `time.time()`. `install()` replaces exactly these sources, and nothing else, with
the stream of the device whose request is being handled and with the harness's virtual clock. The
library's code paths are untouched: the same draws happen in the same order, only their source is
the seed (ChaCha20 keyed by SHA-256 of the seed, like the harness's own streams).
"""
import hashlib
import secrets


from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

import x3dh.base_state
from doubleratchet.recommended import diffie_hellman_ratchet_curve25519


class SeededStream:
    """A deterministic byte stream; `position` bytes have been drawn so far."""

    def __init__(self, seed: bytes, position: int = 0):
        self.seed = bytes(seed)
        key = hashlib.sha256(self.seed).digest()
        self._cipher = Cipher(algorithms.ChaCha20(key, b"\x00" * 16), mode=None).encryptor()
        self.position = 0
        # Values handed out by randbelow() before drawing (the device-id first candidate, §5.2).
        self.queued_below = []
        if position:
            self.token_bytes(position)

    def token_bytes(self, count=None):
        count = 32 if count is None else count
        self.position += count
        return self._cipher.update(b"\x00" * count)

    def randbelow(self, bound):
        if bound <= 0:
            raise ValueError("Upper bound must be positive.")
        if self.queued_below:
            value = self.queued_below.pop(0)
            if 0 <= value < bound:
                return value
        bits = bound.bit_length()
        width = (bits + 7) // 8
        while True:
            value = int.from_bytes(self.token_bytes(width), "big") >> (8 * width - bits)
            if value < bound:
                return value

    def choice(self, sequence):
        if not sequence:
            raise IndexError("Cannot choose from an empty sequence")
        return sequence[self.randbelow(len(sequence))]


class _Context:
    stream = None          # the stream of the device being served
    process_stream = None  # seeded by `initialize`, for draws outside any device
    clock = 0              # seconds since the epoch, from the harness's `now`


def _current():
    stream = _Context.stream or _Context.process_stream
    if stream is None:
        raise RuntimeError("randomness drawn before initialize")
    return stream


class _HarnessClock:
    """Stands in for the `time` module inside x3dh.base_state (only `time()` is used there)."""

    @staticmethod
    def time():
        return float(_Context.clock)


def install(process_seed: bytes):
    """Routes the library's randomness and signed-prekey clock to the harness's seeds and clock."""
    _Context.process_stream = SeededStream(b"process:" + process_seed)
    secrets.token_bytes = lambda count=None: _current().token_bytes(count)
    secrets.randbelow = lambda bound: _current().randbelow(bound)
    secrets.choice = lambda sequence: _current().choice(sequence)
    diffie_hellman_ratchet_curve25519.DiffieHellmanRatchet._generate_priv = staticmethod(
        lambda: _current().token_bytes(32))
    x3dh.base_state.time = _HarnessClock


def use_stream(stream):
    """Makes `stream` the source of every draw until the next call (None: the process stream)."""
    _Context.stream = stream


def set_clock(seconds: int):
    _Context.clock = int(seconds)


def clock() -> int:
    return _Context.clock


