#include "engine/misbehaviour.h"

namespace oi::engine {

const std::vector<MisbehaviourInfo>& all_misbehaviours() {
  static const std::vector<MisbehaviourInfo> kAll = {
#define OI_MISBEHAVIOUR_INFO(id, name, profiles, requirements, reaction) \
  {Misbehaviour::id, name, profiles, requirements, reaction},
      OI_MISBEHAVIOURS(OI_MISBEHAVIOUR_INFO)
#undef OI_MISBEHAVIOUR_INFO
  };
  return kAll;
}

const MisbehaviourInfo& misbehaviour_info(Misbehaviour knob) {
  return all_misbehaviours().at(static_cast<std::size_t>(knob));
}

std::optional<Misbehaviour> misbehaviour_from_name(std::string_view name) {
  for (const MisbehaviourInfo& info : all_misbehaviours()) {
    if (info.name == name) return info.knob;
  }
  return std::nullopt;
}

}  // namespace oi::engine
