"""An in-memory `omemo.Storage`: one per device, emptied by dropping it (PROTOCOL.md §10)."""
import copy

from omemo.storage import Just, Maybe, Nothing, Storage


class MemoryStorage(Storage):
    def __init__(self, entries=None):
        super().__init__()
        self._entries = copy.deepcopy(entries) if entries else {}

    async def _load(self, key):
        if key in self._entries:
            return Just(copy.deepcopy(self._entries[key]))
        return Nothing()

    async def _store(self, key, value):
        self._entries[key] = copy.deepcopy(value)

    async def _delete(self, key):
        self._entries.pop(key, None)

    def snapshot(self):
        """Every entry, as JSON values (the library stores only JSON-serialisable values)."""
        return copy.deepcopy(self._entries)
