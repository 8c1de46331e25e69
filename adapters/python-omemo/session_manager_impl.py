"""The `omemo.SessionManager` subclass: python-omemo's XMPP I/O and trust hooks.

XMPP I/O (glue, as slixmpp-omemo 1.0 writes it): bundles and device lists go through PEP
(`pep_client.py`), automatic messages (`_send_message`: session completion, heartbeats) become
message stanzas with a store hint. Trust (glue, as a client on python-omemo does it):
slixmpp-omemo's BTBV/manual trust levels, plus TOFU (see `_make_trust_decision`).
"""
from typing import Optional

import omemo
from omemo.types import TrustLevel as CoreTrustLevel
import oldmemo
import oldmemo.etree
import twomemo
import twomemo.etree
from xmlschema import XMLSchemaValidationError

from pep_client import IqError

TWOMEMO_DEVICE_LIST_NODE = "urn:xmpp:omemo:2:devices"
TWOMEMO_BUNDLES_NODE = "urn:xmpp:omemo:2:bundles"
OLDMEMO_DEVICE_LIST_NODE = "eu.siacs.conversations.axolotl.devicelist"
OLDMEMO_BUNDLES_NODE_PREFIX = "eu.siacs.conversations.axolotl.bundles:"

# Custom trust level names stored by python-omemo (slixmpp-omemo's names).
TRUSTED = "TRUSTED"
BLINDLY_TRUSTED = "BLINDLY_TRUSTED"
UNDECIDED = "UNDECIDED"
DISTRUSTED = "DISTRUSTED"


class AdapterSessionManager(omemo.SessionManager):
    """Bound to one device by `bind()`; python-omemo instantiates the class itself in `create`."""

    device = None  # set by bind(): has .pep (PepClient), .own_bare_jid, .send_stanza(message, jid)

    @classmethod
    def bind(cls, device):
        return type(f"SessionManagerFor_{device.handle}", (cls,), {"device": device})

    # ---- bundles ----

    async def _upload_bundle(self, bundle):
        pep = self.device.pep
        try:
            if isinstance(bundle, twomemo.twomemo.BundleImpl):
                pep.publish(TWOMEMO_BUNDLES_NODE, str(bundle.device_id),
                            twomemo.etree.serialize_bundle(bundle), "max")
                return
            if isinstance(bundle, oldmemo.oldmemo.BundleImpl):
                pep.publish(f"{OLDMEMO_BUNDLES_NODE_PREFIX}{bundle.device_id}", "current",
                            oldmemo.etree.serialize_bundle(bundle), "1")
                return
        except IqError as error:
            raise omemo.BundleUploadFailed(f"Bundle upload failed: {error}") from error
        raise omemo.UnknownNamespace(f"Unknown namespace: {bundle.namespace}")

    async def _download_bundle(self, namespace, bare_jid, device_id):
        pep = self.device.pep
        try:
            if namespace == twomemo.twomemo.NAMESPACE:
                items = pep.get_items(bare_jid, TWOMEMO_BUNDLES_NODE, item_ids=[str(device_id)])
            elif namespace == oldmemo.oldmemo.NAMESPACE:
                items = pep.get_items(bare_jid, f"{OLDMEMO_BUNDLES_NODE_PREFIX}{device_id}", max_items=1)
            else:
                raise omemo.UnknownNamespace(f"Unknown namespace: {namespace}")
        except IqError as error:
            if error.condition == "item-not-found":
                raise omemo.BundleNotFound(
                    f"Bundle of {bare_jid}: {device_id} not found under namespace {namespace}") from error
            raise omemo.BundleDownloadFailed(
                f"Bundle download failed for {bare_jid}: {device_id} under namespace {namespace}") from error
        if len(items) == 0:
            raise omemo.BundleNotFound(f"Bundle of {bare_jid}: {device_id}: the node exists but is empty")
        if len(items) > 1:
            raise omemo.BundleDownloadFailed(
                f"Bundle download failed for {bare_jid}: {device_id}: {len(items)} items")
        if items[0] is None:
            raise omemo.BundleDownloadFailed(f"Bundle download failed for {bare_jid}: {device_id}: empty item")
        try:
            if namespace == twomemo.twomemo.NAMESPACE:
                return twomemo.etree.parse_bundle(items[0], bare_jid, device_id)
            return oldmemo.etree.parse_bundle(items[0], bare_jid, device_id)
        except Exception as error:  # noqa: BLE001 - slixmpp-omemo wraps every parse failure so
            raise omemo.BundleDownloadFailed(
                f"Bundle parsing failed for {bare_jid}: {device_id}: {error}") from error

    async def _delete_bundle(self, namespace, device_id):
        pep = self.device.pep
        try:
            if namespace == twomemo.twomemo.NAMESPACE:
                pep.retract(TWOMEMO_BUNDLES_NODE, str(device_id))
                return
            if namespace == oldmemo.oldmemo.NAMESPACE:
                pep.delete_node(f"{OLDMEMO_BUNDLES_NODE_PREFIX}{device_id}")
                return
        except IqError as error:
            if error.condition == "item-not-found":
                return
            raise omemo.BundleDeletionFailed(f"Bundle deletion failed: {error}") from error
        raise omemo.UnknownNamespace(f"Unknown namespace: {namespace}")

    # ---- device lists ----

    async def _upload_device_list(self, namespace, device_list):
        if namespace == twomemo.twomemo.NAMESPACE:
            item, node = twomemo.etree.serialize_device_list(device_list), TWOMEMO_DEVICE_LIST_NODE
        elif namespace == oldmemo.oldmemo.NAMESPACE:
            item, node = oldmemo.etree.serialize_device_list(device_list), OLDMEMO_DEVICE_LIST_NODE
        else:
            raise omemo.UnknownNamespace(f"Unknown namespace: {namespace}")
        try:
            self.device.pep.publish(node, "current", item, "1")
        except IqError as error:
            raise omemo.DeviceListUploadFailed(f"Device list upload failed: {error}") from error

    async def _download_device_list(self, namespace, bare_jid):
        node = device_list_node(namespace)
        pep = self.device.pep
        try:
            items = pep.get_items(bare_jid, node, max_items=1)
        except IqError as error:
            if error.condition == "item-not-found":
                return {}
            try:
                items = pep.get_items(bare_jid, node)
            except IqError as again:
                if again.condition == "item-not-found":
                    return {}
                raise omemo.DeviceListDownloadFailed(
                    f"Device list download failed for {bare_jid} under namespace {namespace}") from again
        if len(items) == 0:
            return {}
        if len(items) > 1:
            raise omemo.DeviceListDownloadFailed(
                f"Device list download failed for {bare_jid}: {len(items)} items retrieved")
        if items[0] is None:
            raise omemo.DeviceListDownloadFailed(f"Device list download failed for {bare_jid}: empty item")
        try:
            return parse_device_list(namespace, items[0])
        except XMLSchemaValidationError:
            return {}  # slixmpp-omemo: a malformed list is treated as empty
        except Exception as error:  # noqa: BLE001
            raise omemo.DeviceListDownloadFailed(f"Device list parsing failed: {error}") from error

    # ---- automatic messages ----

    async def _send_message(self, message, bare_jid):
        self.device.send_omemo_message(message, bare_jid, automatic=True)

    # ---- trust ----

    async def _evaluate_custom_trust_level(self, device):
        name = device.trust_level_name
        if name == TRUSTED:
            return CoreTrustLevel.TRUSTED
        if name == UNDECIDED:
            return CoreTrustLevel.UNDECIDED
        if name == DISTRUSTED:
            return CoreTrustLevel.DISTRUSTED
        if name == BLINDLY_TRUSTED:
            # BTBV and TOFU store blind trust; with manual trust it counts as undecided.
            return CoreTrustLevel.UNDECIDED if self.device.trust_policy == "manual" else CoreTrustLevel.TRUSTED
        raise omemo.UnknownTrustLevel(f"Unknown trust level name: {name}")

    async def _make_trust_decision(self, undecided, identifier: Optional[str]):
        """slixmpp-omemo's BaseSessionManager._make_trust_decision for btbv; manual: the user is asked
        and decides nothing (the harness decides only through set_trust); tofu: every identity the
        library has not pinned yet is trusted blindly (python-omemo pins one identity key per device id
        at first sight, so a later different key for that device is never trusted by this)."""
        policy = self.device.trust_policy
        if policy == "manual":
            return
        blind = set()
        for bare_jid in {device.bare_jid for device in undecided}:
            if policy == "btbv":
                known = await self.get_device_information(bare_jid)
                if not all(dev.trust_level_name in (UNDECIDED, BLINDLY_TRUSTED) for dev in known):
                    continue  # manual trust applies for this JID: nobody answers the prompt
            blind.add(bare_jid)
        for device in undecided:
            if device.bare_jid in blind:
                await self.set_trust(device.bare_jid, device.identity_key, BLINDLY_TRUSTED)


def device_list_node(namespace):
    if namespace == twomemo.twomemo.NAMESPACE:
        return TWOMEMO_DEVICE_LIST_NODE
    if namespace == oldmemo.oldmemo.NAMESPACE:
        return OLDMEMO_DEVICE_LIST_NODE
    raise omemo.UnknownNamespace(f"Unknown namespace: {namespace}")


def parse_device_list(namespace, element):
    if namespace == twomemo.twomemo.NAMESPACE:
        return twomemo.etree.parse_device_list(element)
    return oldmemo.etree.parse_device_list(element)
