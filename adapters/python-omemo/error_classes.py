"""Library exceptions -> canonical error classes (PROTOCOL.md §7.1).

Only exceptions whose meaning the python-omemo 1.0.2 / oldmemo / twomemo 1.0.3 / doubleratchet /
x3dh sources document are mapped; the cause chain (`raise … from`) is followed because the backends
wrap the ratchet's exceptions in `DecryptionFailed`. Anything else is `internal`.
"""
import doubleratchet
from doubleratchet.diffie_hellman_ratchet import DoSProtectionException, DuplicateMessageException
import omemo
import x3dh
from xmlschema import XMLSchemaValidationError


def _chain(exc):
    while exc is not None:
        yield exc
        exc = exc.__cause__ or (exc.__context__ if not exc.__suppress_context__ else None)


def classify_decrypt(exc):
    """For `receive`: returns the class of a failed decryption."""
    for link in _chain(exc):
        if isinstance(link, DuplicateMessageException):
            return "replay"
        if isinstance(link, DoSProtectionException):
            return "skip_limit"
        if isinstance(link, omemo.TooManySkippedMessageKeys):
            return "skip_limit"
    if isinstance(exc, omemo.MessageNotForUs):
        return "not_for_this_device"
    if isinstance(exc, omemo.NoSession):
        return "no_session"
    if isinstance(exc, omemo.SenderDistrusted):
        return "untrusted"
    if isinstance(exc, omemo.KeyExchangeFailed):
        message = str(exc)
        if message.startswith("No pre key with id") or message.startswith("No signed pre key with id"):
            return "unknown_prekey"
        return "bad_data"  # x3dh.KeyAgreementException: the key exchange does not agree
    if isinstance(exc, omemo.DecryptionFailed):
        message = str(exc)
        # twomemo: payload HMAC; oldmemo: AES-GCM tag of the payload (cryptography's InvalidTag).
        if message in ("Authentication tag verification failed.", "Ciphertext decryption failed."):
            return "bad_payload_mac"
        return "bad_data"  # the ratchet's MAC or protobuf parsing (doubleratchet exceptions)
    if isinstance(exc, omemo.PublicDataInconsistency):
        return "bad_data"  # the key exchange's identity is not the one published for that device
    # SenderNotFound (the sender is not in its account's device list, or has no bundle) is a refusal
    # none of the canonical classes names: it stays `internal`, so that it never counts as detecting
    # a malformed message.
    if isinstance(exc, (XMLSchemaValidationError, x3dh.KeyAgreementException,
                        doubleratchet.DecryptionFailedException)):
        return "bad_data"
    return "internal"


def classify_encrypt(exc):
    """For `send`: returns the class of a failed encryption."""
    if isinstance(exc, omemo.NoEligibleDevices):
        return "no_session"
    if isinstance(exc, omemo.StillUndecided):
        return "untrusted"
    return "internal"


def describe(exc):
    text = f"{type(exc).__name__}: {exc}"
    cause = exc.__cause__
    while cause is not None:
        text += f" <- {type(cause).__name__}: {cause}"
        cause = cause.__cause__
    return text
