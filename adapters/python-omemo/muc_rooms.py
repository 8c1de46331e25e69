"""XEP-0045 occupant tracking for OMEMO in group chats: glue, ours, written the way slixmpp's
xep_0045 plugin and slixmpp-omemo 1.0 use it (slixmpp-omemo encrypts for the real JIDs of the
occupants its caller passes and maps a group message's nick to the real JID through xep_0045's
occupant roster; it caches the plaintext of its own group messages by stanza id to recognise their
reflection).

A room counts as non-anonymous when the own self-presence (status 110) carries status 100 (or a
later 172): only then can occupants' real JIDs be known, and only then is OMEMO used there.
"""
from xml_text import CLIENT_NS, bare

MUC_USER = "http://jabber.org/protocol/muc#user"


class Room:
    def __init__(self, jid, nick):
        self.jid = jid
        self.nick = nick
        self.joined = False
        self.non_anonymous = False
        self.occupants = {}  # nick -> real bare JID ("" when the room does not show it)
        self.sent = {}       # stanza id -> plaintext of our own group messages (reflection cache)


class Rooms:
    def __init__(self):
        self.rooms = {}

    def joining(self, room_jid, nick):
        self.rooms[room_jid] = Room(room_jid, nick)

    def leave(self, room_jid):
        return self.rooms.pop(room_jid, None)

    def get(self, room_jid):
        return self.rooms.get(bare(room_jid))

    def presence(self, stanza):
        """Updates the occupant roster from a presence of room/nick; returns True if it was one."""
        room = self.get(stanza.get("from"))
        if room is None or "/" not in (stanza.get("from") or ""):
            return False
        nick = stanza.get("from").split("/", 1)[1]
        x = stanza.find(f"{{{MUC_USER}}}x")
        codes = set() if x is None else {status.get("code") for status in x.findall(f"{{{MUC_USER}}}status")}
        if stanza.get("type") == "unavailable":
            room.occupants.pop(nick, None)
            if "110" in codes:
                self.rooms.pop(room.jid, None)
            return True
        item = None if x is None else x.find(f"{{{MUC_USER}}}item")
        real = "" if item is None else bare(item.get("jid") or "")
        if item is not None and item.get("affiliation") == "outcast":
            room.occupants.pop(nick, None)
            return True
        room.occupants[nick] = real
        if "110" in codes:
            room.joined = True
            room.non_anonymous = "100" in codes or "172" in codes
        if "172" in codes:
            room.non_anonymous = True
        if "173" in codes or "174" in codes:
            room.non_anonymous = False
        return True

    def message_status(self, stanza):
        """Room configuration changes announced in a message (172/173/174)."""
        room = self.get(stanza.get("from"))
        x = stanza.find(f"{{{MUC_USER}}}x")
        if room is None or x is None:
            return
        codes = {status.get("code") for status in x.findall(f"{{{MUC_USER}}}status")}
        if "172" in codes:
            room.non_anonymous = True
        if "173" in codes or "174" in codes:
            room.non_anonymous = False

    def snapshot(self):
        return {jid: {"nick": r.nick, "joined": r.joined, "non_anonymous": r.non_anonymous,
                      "occupants": dict(sorted(r.occupants.items())),
                      "sent": {k: v.hex() for k, v in sorted(r.sent.items())}}
                for jid, r in sorted(self.rooms.items())}

    def restore(self, data):
        self.rooms = {}
        for jid, fields in (data or {}).items():
            room = Room(jid, fields["nick"])
            room.joined = fields["joined"]
            room.non_anonymous = fields["non_anonymous"]
            room.occupants = dict(fields["occupants"])
            room.sent = {k: bytes.fromhex(v) for k, v in fields["sent"].items()}
            self.rooms[jid] = room


def presence_stanza(to, unavailable=False):
    from xml_text import el
    stanza = el(f"{{{CLIENT_NS}}}presence", {"to": to})
    if unavailable:
        stanza.set("type", "unavailable")
    else:
        stanza.append(el("{http://jabber.org/protocol/muc}x"))
    return stanza
