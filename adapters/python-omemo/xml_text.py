"""ElementTree <-> stanza text, with plain `xmlns` declarations instead of ns0: prefixes.

The harness reads stanzas as a c2s stream does: an element without a namespace is jabber:client.
"""
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

CLIENT_NS = "jabber:client"


def split_tag(tag):
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def to_text(element, parent_ns=CLIENT_NS):
    """Serialises `element`; a namespace is declared wherever it differs from the parent's."""
    namespace, local = split_tag(element.tag)
    parts = ["<", local]
    if namespace != parent_ns:
        parts.append(f" xmlns={quoteattr(namespace)}")
    for name, value in element.attrib.items():
        attr_ns, attr_local = split_tag(name)
        if attr_ns == "http://www.w3.org/XML/1998/namespace":
            attr_local = "xml:" + attr_local
        elif attr_ns:
            raise ValueError(f"namespaced attribute {name} not supported")
        parts.append(f" {attr_local}={quoteattr(value)}")
    children = list(element)
    if element.text is None and not children:
        parts.append("/>")
    else:
        parts.append(">")
        if element.text:
            parts.append(escape(element.text))
        for child in children:
            parts.append(to_text(child, namespace))
            if child.tail:
                parts.append(escape(child.tail))
        parts.append(f"</{local}>")
    return "".join(parts)


def parse(text):
    """Parses a stanza; un-namespaced elements are moved into jabber:client (as on a c2s stream)."""
    root = ET.fromstring(text)
    for element in root.iter():
        if isinstance(element.tag, str) and not element.tag.startswith("{"):
            element.tag = "{%s}%s" % (CLIENT_NS, element.tag)
    return root


def el(tag, attrib=None, text=None, children=()):
    element = ET.Element(tag, attrib or {})
    element.text = text
    for child in children:
        element.append(child)
    return element


def bare(jid):
    return (jid or "").split("/", 1)[0]
