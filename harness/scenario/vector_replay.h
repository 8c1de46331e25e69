// Protocol session vectors replayed against an adapter (PROTOCOL.md §11): `omemo-interop vectors
// --impl NAME`. Only the conversation files (`#! check: legacy-session` / `omemo2-session`) can
// reach an adapter; the other vector files check primitives the adapter protocol cannot ask
// about.
//
// Per [group]: one case of the adapter (begin_case/end_case) on a fresh embedded service. Alice
// is the reference engine holding her fixed identity (A_*, with a signed prekey and a prekey the
// harness draws: the vectors fix none, Bob never uses them) and publishes her device list and
// bundle first, as a sender has, since a receiving library may look her device up before it
// accepts her key exchange (python-omemo does). Bob's fixed keys (B_*) go to a fresh adapter
// device through `import_keys` (device id B_DeviceId, keep_device_id), which then `start`s.
// Then, in file order:
//   Op = decrypt, Sender = alice   the record's Message (and IV, Payload) as a stanza of the
//                                  profile, sent by Alice's resource through the service, and
//                                  handed to the adapter's `receive`. Judged as below.
//   Op = encrypt, Sender = alice   not-applicable: the vector's bytes are Alice's output, and
//                                  Alice is the harness (the records' bytes are replayed as they
//                                  are, byte for byte).
//   Sender = bob                   ends the replay: Bob answering turns the ratchet with a key
//                                  the vector fixes but the adapter draws itself. This record and
//                                  the group's remaining ones are not-applicable.
//
// Judging one delivered record (the adapter's ReceiveOutcome):
//   Result valid       `message` with the record's body (legacy: Body; OMEMO 2: the <body> of
//                      the SCE Envelope), or `empty` when the record has no Payload (key
//                      transport / empty OMEMO 2 message): pass; anything else: fail.
//   Result invalid     `error` with an OMEMO class: pass. The vector format names no expected
//                      class (the in-process checkers accept any refusal), so any of the twelve
//                      OMEMO classes satisfies it; the class is in the message. Else fail.
//   Result acceptable  info, naming what the adapter answered (fail when it decrypted to
//                      something else, as in-process).
// An engine::client::ImplementationFault (from import_keys, start or receive) gives its verdict
// (crash, timeout, error, unsupported; refused = fail) to the record that raised it, or to every
// delivered record when it came before them, and ends the group: the remaining delivered records
// get the same verdict, "not replayed". An adapter without `import_keys` therefore has every
// delivered record `unsupported`; one whose device does not keep B_DeviceId (keep_device_id)
// has them `fail`, as has one whose `start` fails with an OMEMO outcome (the runner's rule).
//
// Jids: OMEMO 2 groups use the bare JIDs of their SCE envelopes (<to>/<from>, which the receiver
// checks against the stanza); groups without envelopes use alice@vectors.example and
// bob@vectors.example. Device ids: A_DeviceId / B_DeviceId, or 1111 / 2222 when the vector has
// none (OMEMO 2 vectors do not fix them; the protocol does not bind them into the messages).
//
// Contract: never throws for bad data. A file that does not parse gives load_errors; a group
// whose fixed keys or records lack fields makes the records concerned `error` naming the line.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "adapter/adapter_implementation.h"
#include "crypto/random_source.h"
#include "scenario/vector_run.h"

namespace oi::scenario {

// True for the `#! check:` names of the protocol session vectors an adapter can replay.
bool is_replayable_check(std::string_view check);

struct VectorReplayRun {
  // One outcome per record, in file order; ids "<relative path>/<group>/<Id>@<adapter>" (e.g.
  // "legacy/session.vec/without one-time prekey (SPK-only, A-27)/25@reference"), distinct from
  // the in-process ids "<stem>/<group>/<Id>".
  VectorFileRun run;
  // Parallel to run.outcomes: the adapter's stderr during the record's group, for outcomes
  // that are failures (empty otherwise).
  std::vector<std::string> adapter_logs;
  std::string profile;  // "legacy" or "omemo2" (empty when the file's check is not a session)
};

// Replays one protocol session vector file against `adapter`. `random` seeds the imported
// devices (each group draws from random.derive("<relative path>/<group>")).
VectorReplayRun replay_vector_file(const std::filesystem::path& file,
                                   const std::filesystem::path& vectors_dir,
                                   adapter::AdapterImplementation& adapter,
                                   const crypto::RandomSource& random);

}  // namespace oi::scenario
