"""One OMEMO device of the adapter: python-omemo's SessionManager with one backend (oldmemo for
`legacy`, twomemo for `omemo2`), its in-memory storage, its seed stream and its server link.

Library calls are the public SessionManager API (create, ensure_data_consistency,
after_history_sync, encrypt, decrypt, update_device_list, refresh_device_list, set_trust) and the
oldmemo/twomemo etree serialisers. Everything around them that a client provides (stanzas, PEP,
carbons, SCE) is glue and says so.
"""
import asyncio
import logging
import secrets

import omemo
from omemo.identity_key_pair import IdentityKeyPair
from omemo.types import TrustLevel as CoreTrustLevel
import oldmemo
import oldmemo.etree
import twomemo
import twomemo.etree
from xmlschema import XMLSchemaValidationError

import error_classes
import key_import
import muc_rooms
import sce_envelope
import seeded_random
from memory_storage import MemoryStorage
from pep_client import PepClient
from session_manager_impl import (AdapterSessionManager, BLINDLY_TRUSTED, DISTRUSTED, TRUSTED, UNDECIDED,
                                  device_list_node, parse_device_list)
from xml_text import CLIENT_NS, bare, el, parse, split_tag, to_text

LOG = logging.getLogger("adapter.device")

NAMESPACES = {"legacy": oldmemo.oldmemo.NAMESPACE, "omemo2": twomemo.twomemo.NAMESPACE}
PUBSUB_EVENT = "http://jabber.org/protocol/pubsub#event"
CARBONS = "urn:xmpp:carbons:2"
FORWARD = "urn:xmpp:forward:0"
DELAY = "urn:xmpp:delay"
HINTS = "urn:xmpp:hints"
MAM = "urn:xmpp:mam:2"
RSM = "http://jabber.org/protocol/rsm"
STANZA_ID = "urn:xmpp:sid:0"
DATA_FORMS = "jabber:x:data"
EME = "urn:xmpp:eme:0"
# slixmpp-omemo's fallback body (legacy messages only; SCE 0.5.0 forbids it for OMEMO 2).
FALLBACK_BODY = "This message is OMEMO encrypted."


class OperationFailed(Exception):
    """A SendOutcome/ReceiveOutcome failure with a canonical class."""

    def __init__(self, error_class, detail):
        super().__init__(detail)
        self.error_class = error_class
        self.detail = detail


def fingerprint_of(identity_key):
    return " ".join(omemo.SessionManager.format_identity_key(identity_key))


class Device:
    def __init__(self, handle, spec, channel, stream):
        self.handle = handle
        self.profile = spec["profile"]
        self.namespace = NAMESPACES[self.profile]
        self.own_bare_jid = bare(spec["jid"])
        self.resource = spec["resource"]
        self.trust_policy = spec.get("trust_policy", "btbv")
        self.channel = channel
        self.stream = stream
        self.storage = MemoryStorage()
        self.session_manager = None
        self.stanza_counter = 0
        self.tasks = set()  # background tasks python-omemo started for this device
        self.pep = PepClient(self, self.own_bare_jid)
        self.pending_import = None  # import_keys: keys written to the storage by start()
        self.pending_keys = None    # the import_keys request's keys, for export_state before start
        self.first_candidate = 0
        self.last_archive_id = None  # newest own-archive id seen (XEP-0359 / XEP-0313)
        self.rooms = muc_rooms.Rooms()

    # ---- server link (PROTOCOL.md §6) ----

    def next_id(self):
        self.stanza_counter += 1
        return f"{self.handle}-{self.stanza_counter}"

    def iq(self, stanza_text):
        return parse(self.channel.call("iq", {"device": self.handle, "stanza": stanza_text})["stanza"])

    def send_stanza(self, stanza_text):
        self.channel.call("send", {"device": self.handle, "stanza": stanza_text})

    def now(self):
        return self.channel.call("now", {"device": self.handle})["now"]

    def send_omemo_message(self, message, to, automatic, chat_type=None):
        """Wraps an omemo.Message in a <message> (glue). Automatic messages are built as
        slixmpp-omemo's _send_message builds them: to the bare JID, no type, a store hint."""
        if message.namespace == twomemo.twomemo.NAMESPACE:
            encrypted = twomemo.etree.serialize_message(message)
        else:
            encrypted = oldmemo.etree.serialize_message(message)
        stanza_id = self.next_id()
        stanza = el(f"{{{CLIENT_NS}}}message", {"to": to, "id": stanza_id})
        if chat_type:
            stanza.set("type", chat_type)
        stanza.append(encrypted)
        if not automatic and message.namespace == oldmemo.oldmemo.NAMESPACE:
            stanza.append(el(f"{{{CLIENT_NS}}}body", text=FALLBACK_BODY))
        stanza.append(el(f"{{{HINTS}}}store"))
        if not automatic and message.namespace == twomemo.twomemo.NAMESPACE:
            stanza.append(el(f"{{{EME}}}encryption", {"namespace": twomemo.twomemo.NAMESPACE}))
        self.send_stanza(to_text(stanza))
        return stanza_id

    # ---- identity ----

    async def identity_key(self):
        return (await IdentityKeyPair.get(self.storage)).identity_key

    async def device_id(self):
        return (await self.storage.load_primitive("/own_device_id", int)).maybe(None)

    async def prepare_identity(self, first_candidate, identity_kind=""):
        """create_device: generates the identity (python-omemo's IdentityKeyPair.get, the first draw
        of the seed stream) and fixes the device-id first candidate: the value python-omemo's first
        `secrets.randbelow` in SessionManager.create will return. A clash with the own device list
        makes python-omemo draw again from the stream (its own clash check)."""
        if identity_kind == "curve25519_true_sign":
            # A Curve25519 private-key identity: the form oldmemo's migration stores for identities
            # of python-omemo 0.x installations (`/ikp/is_seed` false). python-omemo derives its
            # Ed25519 public key with the true sign bit. The scalar is drawn from the seed and clamped.
            scalar = bytearray(secrets.token_bytes(32))
            scalar[0] &= 248
            scalar[31] = (scalar[31] & 127) | 64
            await self.storage.store_bytes("/ikp/key", bytes(scalar))
            await self.storage.store("/ikp/is_seed", False)
        identity = await self.identity_key()
        low, high = omemo.SessionManager.DEVICE_ID_MIN, omemo.SessionManager.DEVICE_ID_MAX
        if not first_candidate:
            first_candidate = self.stream.randbelow(high - low) + low
        self.stream.queued_below = [first_candidate - low]
        self.first_candidate = first_candidate
        return first_candidate, fingerprint_of(identity)

    # ---- start ----

    async def fingerprint(self):
        if self.pending_import is not None:
            return fingerprint_of(self.pending_import.identity_key)
        return fingerprint_of(await self.identity_key())

    async def start(self):
        seconds = sce_envelope.parse_stamp(self.now())
        if seconds is not None:
            seeded_random.set_clock(seconds)
        if self.pending_import is not None:
            # import_keys: the checked keys become python-omemo's storage now (key_import.py).
            await key_import.write(self.storage, self.pending_import, self.namespace, self.own_bare_jid,
                                   self.first_candidate, seeded_random.clock())
            self.pending_import = None
        backend = self.backend = (twomemo.Twomemo(self.storage) if self.profile == "omemo2"
                                  else oldmemo.Oldmemo(self.storage))
        before = set(asyncio.all_tasks())
        try:
            # slixmpp-omemo 1.0 _prepare(): create, ensure_data_consistency, after_history_sync.
            self.session_manager = await AdapterSessionManager.bind(self).create(
                [backend], self.storage, self.own_bare_jid, None, UNDECIDED)
            self.tasks |= set(asyncio.all_tasks()) - before
            await self.session_manager.ensure_data_consistency()
            await self.session_manager.after_history_sync()
        except (omemo.BundleUploadFailed, omemo.DeviceListUploadFailed) as exc:
            raise OperationFailed("bad_data", error_classes.describe(exc)) from exc
        except (omemo.DeviceListDownloadFailed, omemo.BundleDownloadFailed) as exc:
            raise OperationFailed("server_error", error_classes.describe(exc)) from exc
        finally:
            self.tasks |= set(asyncio.all_tasks()) - before

    async def load(self):
        """import_state of a started device: python-omemo loads the installation from storage (no
        first-run work), as a client does after a restart, without the consistency pass."""
        backend = self.backend = (twomemo.Twomemo(self.storage) if self.profile == "omemo2"
                                  else oldmemo.Oldmemo(self.storage))
        before = set(asyncio.all_tasks())
        try:
            self.session_manager = await AdapterSessionManager.bind(self).create(
                [backend], self.storage, self.own_bare_jid, None, UNDECIDED)
            await self.session_manager.after_history_sync()
        finally:
            self.tasks |= set(asyncio.all_tasks()) - before

    async def rotate(self):
        """The steps of python-omemo's own rotation loop (SessionManager.__manage_signed_pre_key_rotation)
        when a signed prekey is due: Backend.rotate_signed_pre_key (x3dh keeps the previous one for one
        more period), then _upload_bundle of the new bundle. The loop itself waits a week of wall time."""
        manager = await self.require_started()
        await self.backend.rotate_signed_pre_key()
        try:
            await manager._upload_bundle(await self.backend.get_bundle(self.own_bare_jid, await self.device_id()))
        except omemo.BundleUploadFailed as exc:
            raise OperationFailed("bad_data", error_classes.describe(exc)) from exc

    def rewind_stream(self, position, queued_below):
        self.stream = seeded_random.SeededStream(self.stream.seed, position)
        self.stream.queued_below = list(queued_below)
        seeded_random.use_stream(self.stream)

    def drop(self):
        for task in self.tasks:
            task.cancel()
        self.tasks.clear()
        self.session_manager = None

    async def require_started(self):
        """slixmpp-omemo reaches python-omemo only through get_session_manager(), which prepares the
        session manager on first use: an operation on a device that was not started starts it."""
        if self.session_manager is None:
            await self.start()
        return self.session_manager

    # ---- send ----

    async def send(self, recipients, body, to, chat_type):
        manager = await self.require_started()
        if body is None:
            raise OperationFailed("unsupported", "python-omemo 1.0 has no API to send an empty message")
        room = None
        if chat_type == "groupchat":
            # slixmpp-omemo encrypts a group message for the occupants' real JIDs (muc_rooms.py).
            room = self.rooms.get(to)
            if room is None or not room.joined:
                raise OperationFailed("not_joined", f"not an occupant of {to}")
            if not room.non_anonymous:
                raise OperationFailed("anonymous_room",
                                      f"{room.jid} does not show real JIDs: OMEMO needs them to encrypt")
            to = room.jid
            recipients = sorted({jid for nick, jid in room.occupants.items()
                                 if jid and jid != self.own_bare_jid})
        elif chat_type != "chat":
            raise OperationFailed("bad_request", f"message type {chat_type}")
        else:
            to = to or recipients[0]
        # Device lists: python-omemo encrypts only for cached lists. slixmpp-omemo refreshes a contact's
        # list on first use (then follows PEP notifications); so do we, for lists never seen.
        for jid in recipients:
            if (await self.storage.load_list(f"/devices/{bare(jid)}/list", int)).is_nothing:
                try:
                    await manager.refresh_device_list(self.namespace, bare(jid))
                except omemo.DeviceListDownloadFailed as exc:
                    LOG.warning("device list of %s: %s", jid, exc)
        if self.profile == "omemo2":
            plaintext = sce_envelope.build(body, to, f"{self.own_bare_jid}/{self.resource}", self.now())
        else:
            plaintext = body.encode("utf-8")
        try:
            messages, errors = await manager.encrypt(
                frozenset(bare(jid) for jid in recipients), {self.namespace: plaintext},
                backend_priority_order=[self.namespace])
        except omemo.OMEMOException as exc:
            raise OperationFailed(error_classes.classify_encrypt(exc), error_classes.describe(exc)) from exc
        for message in messages:
            stanza_id = self.send_omemo_message(message, to, automatic=False, chat_type=chat_type)
            if room is not None:
                room.sent[stanza_id] = plaintext
        return sorted(f"{error.bare_jid}/{error.device_id}: {error_classes.describe(error.exception)}"
                      for error in errors)

    async def join_room(self, room, nick):
        self.rooms.joining(bare(room), nick)
        self.send_stanza(to_text(muc_rooms.presence_stanza(f"{bare(room)}/{nick}")))

    async def leave_room(self, room):
        joined = self.rooms.get(room)
        if joined is None:
            raise OperationFailed("not_joined", f"not in {room}")
        self.send_stanza(to_text(muc_rooms.presence_stanza(f"{joined.jid}/{joined.nick}", unavailable=True)))
        self.rooms.leave(joined.jid)

    # ---- receive ----

    async def receive(self, stanza_text):
        stanza = parse(stanza_text)
        namespace, kind = split_tag(stanza.tag)
        if namespace == CLIENT_NS and kind == "presence":
            self.rooms.presence(stanza)
            return {"kind": "ignored"}
        if namespace != CLIENT_NS or kind != "message":
            return {"kind": "ignored"}
        event = stanza.find(f"{{{PUBSUB_EVENT}}}event")
        if event is not None:
            return await self._pep_event(stanza, event)
        stanza, delay = self._unwrap(stanza)
        if stanza.get("type") == "groupchat":
            self.rooms.message_status(stanza)
        encrypted = stanza.find(f"{{{self.namespace}}}encrypted")
        if encrypted is None:
            body = stanza.find(f"{{{CLIENT_NS}}}body")
            if body is None:
                return {"kind": "ignored"}  # no content (a room subject, a receipt, a chat state)
            return {"kind": "not_encrypted", "body": body.text or ""}
        manager = await self.require_started()
        sender = bare(stanza.get("from"))
        sce_to, sce_from = stanza.get("to") or self.own_bare_jid, stanza.get("from")
        room = self.rooms.get(stanza.get("from")) if stanza.get("type") == "groupchat" else None
        if room is not None:
            # slixmpp-omemo: the sender of a group message is the occupant's real JID (xep_0045).
            nick = (stanza.get("from") or "").split("/", 1)[-1]
            sender = room.occupants.get(nick, "")
            if not sender:
                return {"kind": "error", "error_class": "internal",
                        "detail": f"SenderNotFound: no real JID known for {stanza.get('from')}"}
            sce_to, sce_from = room.jid, sender
        try:
            if self.profile == "omemo2":
                message = twomemo.etree.parse_message(encrypted, sender)
            else:
                message = await oldmemo.etree.parse_message(encrypted, sender, self.own_bare_jid, manager)
        except (XMLSchemaValidationError, ValueError) as exc:
            # Documented by oldmemo/twomemo.etree.parse_message: schema violation, or "malformed data
            # not caught by the XML schema validation" (ValueError).
            return {"kind": "error", "error_class": "bad_data", "detail": error_classes.describe(exc)}
        except omemo.OMEMOException as exc:  # oldmemo: SenderNotFound while looking up the sender
            return {"kind": "error", "error_class": error_classes.classify_decrypt(exc),
                    "detail": error_classes.describe(exc)}
        try:
            plaintext, sender_device, _ = await manager.decrypt(message)
            trusted = await self._sender_trusted(sender_device)
        except omemo.MessageNotForUs as exc:
            # slixmpp-omemo: the reflection of an own group message is recognised by its stanza id.
            cached = None if room is None else room.sent.pop(stanza.get("id"), None)
            if cached is None:
                return {"kind": "error", "error_class": error_classes.classify_decrypt(exc),
                        "detail": error_classes.describe(exc)}
            plaintext, trusted = cached, True
        except omemo.OMEMOException as exc:
            return {"kind": "error", "error_class": error_classes.classify_decrypt(exc),
                    "detail": error_classes.describe(exc)}
        if plaintext is None:
            return {"kind": "empty", "sender_trusted": trusted}
        if self.profile == "legacy":
            return {"kind": "message", "body": plaintext.decode("utf-8", errors="replace"),
                    "sender_trusted": trusted}
        try:
            body, findings = sce_envelope.parse(plaintext, sce_to, sce_from, lambda: self._sending_time(delay))
        except sce_envelope.EnvelopeRejected as rejected:
            return {"kind": "error", "error_class": "bad_data", "detail": str(rejected),
                    "findings": [{"requirement": rejected.requirement, "severity": "must",
                                  "message": str(rejected)}]}
        result = {"kind": "message", "body": body if body is not None else "", "sender_trusted": trusted}
        if findings:
            result["findings"] = findings
        return result

    def _unwrap(self, stanza):
        """XEP-0280 carbons and XEP-0313 archive results from the own account are unwrapped (as
        slixmpp's xep_0280/xep_0313 plugins hand them over); returns the message to process and its
        XEP-0203 delay, if any. Also remembers the newest archive id seen (for catch-up)."""
        delay = stanza.find(f"{{{DELAY}}}delay")
        if bare(stanza.get("from")) in ("", self.own_bare_jid):
            for wrapper in (f"{{{CARBONS}}}sent", f"{{{CARBONS}}}received", f"{{{MAM}}}result"):
                forwarded = stanza.find(f"{wrapper}/{{{FORWARD}}}forwarded")
                inner = None if forwarded is None else forwarded.find(f"{{{CLIENT_NS}}}message")
                if inner is not None:
                    if wrapper == f"{{{MAM}}}result" and stanza.find(wrapper).get("id"):
                        self.last_archive_id = stanza.find(wrapper).get("id")
                    forwarded_delay = forwarded.find(f"{{{DELAY}}}delay")
                    return inner, forwarded_delay if forwarded_delay is not None else delay
        for stanza_id in stanza.findall(f"{{{STANZA_ID}}}stanza-id"):
            if stanza_id.get("by") == self.own_bare_jid and stanza_id.get("id"):
                self.last_archive_id = stanza_id.get("id")
        return stanza, delay

    # ---- catch-up (glue, ours: slixmpp-omemo 1.0 has no MAM trigger for history synchronisation) ----

    async def begin_catch_up(self, from_start):
        """python-omemo's history synchronisation mode around a MAM query of the own archive
        (XEP-0313, every page): before_history_sync() now, after_history_sync() in end_catch_up."""
        manager = await self.require_started()
        manager.before_history_sync()
        after = None if from_start else self.last_archive_id
        for _ in range(100):  # a bound against a server that never says complete
            query = el(f"{{{MAM}}}query", {"queryid": self.next_id()}, children=[
                el(f"{{{DATA_FORMS}}}x", {"type": "submit"}, children=[
                    el(f"{{{DATA_FORMS}}}field", {"var": "FORM_TYPE", "type": "hidden"},
                       children=[el(f"{{{DATA_FORMS}}}value", text=MAM)])]),
                el(f"{{{RSM}}}set", children=[el(f"{{{RSM}}}max", text="50")] +
                   ([el(f"{{{RSM}}}after", text=after)] if after else []))])
            reply = self.iq(to_text(el(f"{{{CLIENT_NS}}}iq", {"type": "set", "id": self.next_id()},
                                       children=[query])))
            fin = reply.find(f"{{{MAM}}}fin")
            if reply.get("type") != "result" or fin is None:
                await manager.after_history_sync()
                error = reply.find(f"{{{CLIENT_NS}}}error")
                condition = "" if error is None or len(error) == 0 else split_tag(error[0].tag)[1]
                raise OperationFailed("server_error", f"MAM query refused: {condition or 'no <fin/>'}")
            last = fin.find(f"{{{RSM}}}set/{{{RSM}}}last")
            if fin.get("complete") in ("true", "1") or last is None or not last.text:
                return []
            after = last.text
        return []

    async def end_catch_up(self):
        manager = await self.require_started()
        await manager.after_history_sync()

    def _sending_time(self, delay):
        if delay is not None:
            return sce_envelope.parse_stamp(delay.get("stamp"))
        return sce_envelope.parse_stamp(self.now())

    async def _pep_event(self, stanza, event):
        """A device-list notification, handled as slixmpp-omemo's _on_device_list_update does."""
        items = event.find(f"{{{PUBSUB_EVENT}}}items")
        if items is None or items.get("node") != device_list_node(self.namespace):
            return {"kind": "ignored"}
        manager = await self.require_started()
        item_list = items.findall(f"{{{PUBSUB_EVENT}}}item")
        if len(item_list) != 1 or len(item_list[0]) == 0:
            LOG.info("ignoring a device list update with %d items", len(item_list))
            return {"kind": "pep_update"}
        try:
            device_list = parse_device_list(self.namespace, item_list[0][0])
        except XMLSchemaValidationError as exc:
            LOG.warning("malformed device list update: %s", exc)
            return {"kind": "pep_update"}
        try:
            await manager.update_device_list(self.namespace, bare(stanza.get("from")) or self.own_bare_jid,
                                             device_list)
        except omemo.DeviceListUploadFailed as exc:
            LOG.warning("re-announcing the own device failed: %s", exc)
        return {"kind": "pep_update"}

    async def _sender_trusted(self, device):
        """TRUSTED counts as trusted; UNDECIDED counts as blindly trusted under btbv/tofu while
        the JID has no manual decision (the BTBV rule slixmpp-omemo applies when encrypting)."""
        level = await self.session_manager._evaluate_custom_trust_level(device)
        if level is CoreTrustLevel.TRUSTED:
            return True
        if level is CoreTrustLevel.DISTRUSTED or self.trust_policy == "manual":
            return False
        if self.trust_policy == "tofu":
            return True
        known = await self.session_manager.get_device_information(device.bare_jid)
        return all(dev.trust_level_name in (UNDECIDED, BLINDLY_TRUSTED) for dev in known)

    # ---- trust ----

    async def set_trust(self, jid, device_id, trusted):
        manager = await self.require_started()
        identity = await self.storage.load_bytes(f"/devices/{bare(jid)}/{device_id}/identity_key")
        if identity.is_nothing:
            return  # no identity known for that device yet: no effect (PROTOCOL.md §5.4)
        await manager.set_trust(bare(jid), identity.from_just(), TRUSTED if trusted else DISTRUSTED)
