"""XEP-0420 (Stanza Content Encryption) envelope for OMEMO 2: glue, ours.

twomemo encrypts bytes; python-omemo 1.x leaves the SCE envelope to the application, and
slixmpp-omemo 1.0 has none ("SCE not supported yet"). This module is what a careful client adds:

- build: <envelope xmlns='urn:xmpp:sce:1'><content><body xmlns='jabber:client'>…</body></content>
  <rpad>…</rpad><time stamp=…/><to jid=…/><from jid=…/></envelope> (OMEMO §5.5.1: rpad MUST, time
  MAY, from SHOULD, to MUST in groupchats; both affixes carry bare JIDs). rpad: 0–200 random
  base64 characters drawn from the device's seed.
- parse: reject what XEP-0420 says to reject (R-OM2-060: not XML, root not envelope/sce:1), take
  the body only from <content> in jabber:client (R-OM2-067), and report affix mismatches as
  findings (R-OM2-063/064/065: "alert or reject" — we alert).
"""
import base64
import calendar
import re
import secrets
import time
import xml.etree.ElementTree as ET

from xml_text import CLIENT_NS, bare, el, to_text

SCE_NS = "urn:xmpp:sce:1"
TIME_MARGIN_SECONDS = 60 * 60  # "reasonable margin": one hour


class EnvelopeRejected(Exception):
    def __init__(self, requirement, message):
        super().__init__(message)
        self.requirement = requirement


def build(body, to_jid, from_jid, now_stamp):
    pad_length = secrets.randbelow(201)
    rpad = base64.b64encode(secrets.token_bytes((pad_length * 3) // 4 + 3)).decode("ascii")[:pad_length]
    envelope = el(f"{{{SCE_NS}}}envelope", children=[
        el(f"{{{SCE_NS}}}content", children=[el(f"{{{CLIENT_NS}}}body", text=body)]),
        el(f"{{{SCE_NS}}}rpad", text=rpad),
        el(f"{{{SCE_NS}}}time", {"stamp": now_stamp}),
        el(f"{{{SCE_NS}}}to", {"jid": bare(to_jid)}),
        el(f"{{{SCE_NS}}}from", {"jid": bare(from_jid)}),
    ])
    return to_text(envelope, parent_ns="").encode("utf-8")


def parse_stamp(stamp):
    """XEP-0082 DateTime -> seconds since the epoch (UTC), or None."""
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})", stamp or "")
    if not match:
        return None
    seconds = calendar.timegm(time.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S"))
    zone = match.group(3)
    if zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        seconds -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    return seconds


def parse(plaintext, stanza_to, stanza_from, reference_time):
    """Returns (body or None, findings). Raises EnvelopeRejected for what XEP-0420 rejects.

    reference_time: a callable giving the stanza's sending time in epoch seconds (the <delay/>
    stamp, else the server's `now`); called only when the envelope carries <time>.
    """
    try:
        root = ET.fromstring(plaintext.decode("utf-8"))
    except (ET.ParseError, UnicodeDecodeError) as error:
        raise EnvelopeRejected("R-OM2-060", f"decrypted SCE envelope is not well-formed XML: {error}")
    if root.tag != f"{{{SCE_NS}}}envelope":
        raise EnvelopeRejected("R-OM2-060", f"decrypted root element is {root.tag}, not envelope in {SCE_NS}")
    findings = []

    def finding(requirement, severity, message):
        findings.append({"requirement": requirement, "severity": severity, "message": message})

    content = root.find(f"{{{SCE_NS}}}content")
    if content is None:
        raise EnvelopeRejected("R-OM2-060", "SCE envelope without <content>")
    body_elt = content.find(f"{{{CLIENT_NS}}}body")
    body = None if body_elt is None else (body_elt.text or "")
    if root.find(f"{{{SCE_NS}}}rpad") is None:
        finding("R-OM2-033", "must", "SCE envelope without <rpad>")
    to_elt = root.find(f"{{{SCE_NS}}}to")
    if to_elt is not None and to_elt.get("jid") != bare(stanza_to):
        finding("R-OM2-063", "must",
                f"SCE <to jid='{to_elt.get('jid')}'> does not match the stanza's to '{bare(stanza_to)}'")
    from_elt = root.find(f"{{{SCE_NS}}}from")
    if from_elt is None:
        finding("R-OM2-033", "should", "SCE envelope without <from>")
    elif from_elt.get("jid") != bare(stanza_from):
        finding("R-OM2-064", "must",
                f"SCE <from jid='{from_elt.get('jid')}'> does not match the stanza's from '{bare(stanza_from)}'")
    time_elt = root.find(f"{{{SCE_NS}}}time")
    if time_elt is not None:
        stamp = parse_stamp(time_elt.get("stamp"))
        if stamp is None:
            finding("R-OM2-065", "must", f"SCE <time stamp='{time_elt.get('stamp')}'> is not a DateTime")
        else:
            sent = reference_time()
            if sent is not None and abs(stamp - sent) > TIME_MARGIN_SECONDS:
                finding("R-OM2-065", "must",
                        f"SCE <time stamp='{time_elt.get('stamp')}'> is {stamp - sent:+d} s off the sending time")
    return body, findings
