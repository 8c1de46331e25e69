// Per-scenario server behaviour, so that a scenario can simulate the gaps of deployed servers
// (requirements.md A-06, R-SRV-026): publish-options missing or ignored, 'max' unsupported,
// max_items capped, a restrictive default access model, no carbons, no offline storage, no MAM.
// The defaults describe a server that meets every R-SRV requirement.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "net/virtual_clock.h"

namespace oi::net {

// XEP-0060 access models the service implements (roster and authorize are not offered).
enum class AccessModel { open, presence, whitelist };

// How the service treats <publish-options/> (XEP-0060 §7.1.5).
enum class PublishOptionsSupport {
  honoured,  // advertised; preconditions checked, options applied to auto-created nodes
  ignored,   // not advertised; the form is ignored and the item is published anyway
  rejected,  // not advertised; the publish fails with <feature-not-implemented/> +
             // <unsupported feature='publish-options'/>
};

struct PepBehaviour {
  PublishOptionsSupport publish_options = PublishOptionsSupport::honoured;
  // Access model of auto-created nodes without an access_model option (XEP-0163: presence).
  AccessModel default_access_model = AccessModel::presence;
  // max_items of auto-created nodes without a max_items option; nullopt means 'max'.
  std::optional<std::uint32_t> default_max_items = 1;
  // False: the value 'max' is refused (in publish-options with <precondition-not-met/>, in a
  // node configuration with <not-acceptable/>), like Prosody before 0.12.
  bool accepts_max_keyword = true;
  // A ceiling on every node: 'max' means the cap and larger numbers are stored as the cap
  // (Prosody pep_max_items, ejabberd force_node_config). nullopt: no cap beyond
  // kMaxItemsUnbounded.
  std::optional<std::uint32_t> max_items_cap;
  // Owner configuration (XEP-0060 §8.2); without it configure gets <feature-not-implemented/>.
  bool owner_configure = true;
};

// What 'max' means without a cap: a bound that keeps memory finite.
inline constexpr std::uint32_t kMaxItemsUnbounded = 100000;

struct ServerConfig {
  PepBehaviour pep;
  // XEP-0280. Without it the enable request gets <service-unavailable/> and nothing is copied.
  bool carbons = true;
  // XEP-0280 leaves bodyless type='normal' messages uncopied; true copies them as well
  // (R-SRV-017 records which one a real server does).
  bool carbons_copy_bodyless_normal = false;
  // Offline storage for chat/normal messages to an account without an available resource.
  bool offline_storage = true;
  // Bodyless messages with <store/> are stored offline too (R-SRV-020, ejabberd
  // store_empty_body); false keeps only messages with a <body>.
  bool offline_store_bodyless = true;
  // Per-account archive with MAM queries (XEP-0313) and <stanza-id/> on archived messages.
  bool mam = true;
  // Bodyless messages with <store/> are archived as well (R-SRV-019); false keeps only bodies.
  bool mam_archive_bodyless = true;
  // Host of MUC rooms; presence or messages to <room>@<muc_service> reach the MUC component.
  std::string muc_service = "conference.example.org";
  // Room archive for groupchat messages (R-SRV-024).
  bool muc_mam = true;
  // Where the virtual clock starts (milliseconds since the Unix epoch).
  std::int64_t clock_start_ms = VirtualClock::kDefaultEpochMs;
};

std::string_view access_model_name(AccessModel model);
std::optional<AccessModel> access_model_from_name(std::string_view name);

// One line per setting that differs from a default ServerConfig, e.g. "pep.max_items_cap=1",
// for the report (R-SRV-026: forced server configuration is reported, not hidden).
std::vector<std::string> describe_deviations(const ServerConfig& config);

}  // namespace oi::net
