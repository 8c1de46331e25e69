"""PEP (XEP-0060/0163) requests for device lists and bundles: glue written the way
slixmpp-omemo 1.0 (Syndace, the XMPP plugin built on python-omemo 1.x) does it.

- publish with publish-options (access_model=open, persist_items=true, max_items=1 or max); on
  `precondition-not-met` configure the node and publish again; if that fails, the whole sequence is
  retried once without max_items;
- fetch with `max_items=1` (device lists, legacy bundles) or by item id (OMEMO 2 bundles);
- item-not-found means "empty" (device list) or BundleNotFound (bundle).

The element payloads (`<devices>`, `<list>`, `<bundle>`) come from oldmemo.etree / twomemo.etree.
"""
from xml_text import CLIENT_NS, el, split_tag, to_text

PUBSUB = "http://jabber.org/protocol/pubsub"
PUBSUB_OWNER = "http://jabber.org/protocol/pubsub#owner"
PUBSUB_ERRORS = "http://jabber.org/protocol/pubsub#errors"
DATA_FORMS = "jabber:x:data"
STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas"


class IqError(Exception):
    """The server answered an iq with type='error'."""

    def __init__(self, reply):
        self.reply = reply
        error = reply.find(f"{{{CLIENT_NS}}}error")
        self.condition = ""
        self.precondition_not_met = False
        if error is not None:
            for child in error:
                namespace, local = split_tag(child.tag)
                if namespace == STANZAS and local != "text":
                    self.condition = local
                if namespace == PUBSUB_ERRORS and local == "precondition-not-met":
                    self.precondition_not_met = True
        super().__init__(f"iq error: {self.condition or 'unknown condition'}")


def _form(form_type, fields):
    children = [el(f"{{{DATA_FORMS}}}field", {"var": "FORM_TYPE", "type": "hidden"},
                   children=[el(f"{{{DATA_FORMS}}}value", text=form_type)])]
    for var, value in fields.items():
        children.append(el(f"{{{DATA_FORMS}}}field", {"var": var},
                           children=[el(f"{{{DATA_FORMS}}}value", text=value)]))
    return el(f"{{{DATA_FORMS}}}x", {"type": "submit"}, children=children)


class PepClient:
    """One device's PEP requests. `link` has iq(text) -> reply element, and next_id()."""

    def __init__(self, link, own_bare_jid):
        self.link = link
        self.own_bare_jid = own_bare_jid

    def _iq(self, iq_type, to, payload):
        stanza = el(f"{{{CLIENT_NS}}}iq", {"type": iq_type, "id": self.link.next_id()}, children=[payload])
        if to:
            stanza.set("to", to)
        reply = self.link.iq(to_text(stanza))
        if reply.get("type") == "error":
            raise IqError(reply)
        if reply.get("type") != "result":
            raise IqError(reply)
        return reply

    def _publish(self, node, item_id, item, options):
        publish = el(f"{{{PUBSUB}}}publish", {"node": node},
                     children=[el(f"{{{PUBSUB}}}item", {"id": item_id}, children=[item])])
        options_elt = el(f"{{{PUBSUB}}}publish-options", children=[
            _form("http://jabber.org/protocol/pubsub#publish-options", options)])
        return self._iq("set", self.own_bare_jid, el(f"{{{PUBSUB}}}pubsub", children=[publish, options_elt]))

    def _configure(self, node, options):
        configure = el(f"{{{PUBSUB_OWNER}}}configure", {"node": node},
                       children=[_form("http://jabber.org/protocol/pubsub#node_config", options)])
        return self._iq("set", self.own_bare_jid, el(f"{{{PUBSUB_OWNER}}}pubsub", children=[configure]))

    def _publish_and_configure(self, node, item_id, item, options):
        try:
            self._publish(node, item_id, item, options)
        except IqError as error:
            if not error.precondition_not_met:
                raise
            self._configure(node, options)
            self._publish(node, item_id, item, options)

    def publish(self, node, item_id, item, max_items):
        """Publishes with max_items, then (on any failure) once more without it. Raises IqError."""
        options = {"pubsub#access_model": "open", "pubsub#persist_items": "true",
                   "pubsub#max_items": max_items}
        try:
            self._publish_and_configure(node, item_id, item, options)
        except IqError:
            del options["pubsub#max_items"]
            self._publish_and_configure(node, item_id, item, options)

    def get_items(self, jid, node, max_items=None, item_ids=()):
        """Returns the payload elements of the items (one per <item>). Raises IqError."""
        items = el(f"{{{PUBSUB}}}items", {"node": node})
        if max_items is not None:
            items.set("max_items", str(max_items))
        for item_id in item_ids:
            items.append(el(f"{{{PUBSUB}}}item", {"id": item_id}))
        reply = self._iq("get", jid, el(f"{{{PUBSUB}}}pubsub", children=[items]))
        found = reply.find(f"{{{PUBSUB}}}pubsub/{{{PUBSUB}}}items")
        if found is None:
            return []
        return [next(iter(item), None) for item in found.findall(f"{{{PUBSUB}}}item")]

    def retract(self, node, item_id):
        retract = el(f"{{{PUBSUB}}}retract", {"node": node},
                     children=[el(f"{{{PUBSUB}}}item", {"id": item_id})])
        self._iq("set", self.own_bare_jid, el(f"{{{PUBSUB}}}pubsub", children=[retract]))

    def delete_node(self, node):
        self._iq("set", self.own_bare_jid,
                 el(f"{{{PUBSUB_OWNER}}}pubsub", children=[el(f"{{{PUBSUB_OWNER}}}delete", {"node": node})]))
