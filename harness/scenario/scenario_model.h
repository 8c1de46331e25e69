// The scenario model: one scripted XEP-0384 exchange between devices, loaded from
// scenarios/<area>/<name>.xml (format: scenarios/README.md).
//
// Steps are kept generic (a kind plus attributes, with their place in the file); the loader
// checks each kind's attributes, and the runner gives them meaning. Attribute values may refer to
// run-time facts as {device.id}, {device.jid} or {ROLE.jid}.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "codec/profile.h"

namespace oi::scenario {

struct SourcePlace {
  std::string file;
  int line = 0;
  int column = 0;
};

struct Role {
  std::string name;  // "A", "B", ...
  std::string jid;   // bare JID of the role's account
};

struct Step {
  std::string kind;  // element name: device, send, deliver, expect-received, ...
  std::map<std::string, std::string> attributes;
  SourcePlace place;

  // The attribute, or `fallback` when absent.
  std::string get(const std::string& name, const std::string& fallback = {}) const;
  bool has(const std::string& name) const { return attributes.contains(name); }
};

struct Scenario {
  std::string id;           // stable slug, e.g. "session/first-message"
  std::string description;  // rendered in reports
  std::vector<std::string> requirements;
  std::vector<codec::Profile> profiles;  // default: both
  std::vector<Role> roles;
  std::map<std::string, std::string> server;  // <server> attributes (behaviour switches)
  std::vector<Step> steps;
  SourcePlace place;  // the file
};

}  // namespace oi::scenario
