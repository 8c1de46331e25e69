#include "scenario/scenario_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <pugixml.hpp>
#include <set>
#include <sstream>

#include "scenario/requirement_catalogue.h"

namespace oi::scenario {

namespace fs = std::filesystem;

std::string Step::get(const std::string& name, const std::string& fallback) const {
  auto found = attributes.find(name);
  return found == attributes.end() ? fallback : found->second;
}

namespace {

constexpr std::string_view kNamespace = "urn:omemo-interop:scenario:1";

// Line and column (1-based) of a byte offset.
std::pair<int, int> line_column(const std::string& text, std::ptrdiff_t offset) {
  int line = 1, column = 1;
  for (std::ptrdiff_t i = 0; i < offset && i < static_cast<std::ptrdiff_t>(text.size()); ++i) {
    if (text[static_cast<std::size_t>(i)] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// The attributes of each step kind that name a device declared by an earlier <device>.
std::vector<std::string> device_references(const std::string& kind) {
  static const std::map<std::string, std::vector<std::string>> kReferences = {
      {"send", {"from"}},
      {"deliver", {"to"}},
      {"drop", {"to"}},
      {"replay", {"to"}},
      {"fault", {"from", "to"}},
      {"offline", {"device"}},
      {"online", {"device"}},
      {"start", {"device"}},
      {"knob", {"device"}},
      {"rotate", {"device"}},
      {"save", {"device"}},
      {"restore", {"device"}},
      {"trust", {"device", "peer"}},
      {"join", {"device"}},
      {"leave", {"device"}},
      {"affiliation", {"device"}},
      {"catch-up", {"device"}},
      {"expect-received", {"device"}},
      {"expect-no-message", {"device"}},
      {"expect-no-display", {"device"}},
      {"expect-wire", {"from", "to"}},
      {"expect-prekeys", {"to"}},
  };
  auto found = kReferences.find(kind);
  return found == kReferences.end() ? std::vector<std::string>{} : found->second;
}

class Loader {
 public:
  Loader(const std::string& text, std::string file) : text_(text), file_(std::move(file)) {}

  ScenarioLoad load() {
    pugi::xml_document document;
    pugi::xml_parse_result parsed = document.load_buffer(text_.data(), text_.size());
    if (!parsed) {
      error_at(parsed.offset, fmt::format("not well-formed XML: {}", parsed.description()));
      return std::move(result_);
    }
    pugi::xml_node root = document.document_element();
    if (std::string_view(root.name()) != "scenario" ||
        std::string_view(root.attribute("xmlns").value()) != kNamespace) {
      error(root, fmt::format("the root must be <scenario xmlns='{}'>", kNamespace));
      return std::move(result_);
    }
    Scenario scenario;
    scenario.place = {file_, 1, 1};
    scenario.id = root.attribute("id").value();
    if (scenario.id.empty()) error(root, "<scenario> needs an id");
    for (pugi::xml_attribute attribute : root.attributes()) {
      std::string_view name = attribute.name();
      if (name != "id" && name != "xmlns") error(root, fmt::format("unknown attribute '{}'", name));
    }
    for (pugi::xml_node child : root.children()) {
      if (child.type() != pugi::node_element) continue;
      std::string_view name = child.name();
      if (name == "description") {
        scenario.description = collapse_whitespace(child.child_value());
      } else if (name == "requirements") {
        read_requirements(child, scenario);
      } else if (name == "profiles") {
        read_profiles(child, scenario);
      } else if (name == "roles") {
        read_roles(child, scenario);
      } else if (name == "server") {
        for (pugi::xml_attribute attribute : child.attributes()) {
          scenario.server[attribute.name()] = attribute.value();
        }
      } else if (name == "steps") {
        read_steps(child, scenario);
      } else {
        error(child, fmt::format("unknown element <{}>", name));
      }
    }
    if (scenario.description.empty()) error(root, "<scenario> needs a <description>");
    if (scenario.roles.empty()) error(root, "<scenario> needs <roles>");
    if (scenario.steps.empty()) error(root, "<scenario> needs <steps>");
    if (scenario.profiles.empty())
      scenario.profiles = {codec::Profile::legacy, codec::Profile::omemo2};
    if (result_.errors.empty()) result_.scenario = std::move(scenario);
    return std::move(result_);
  }

 private:
  static std::string collapse_whitespace(std::string_view text) {
    std::string out;
    bool pending_space = false;
    for (char c : text) {
      if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
        pending_space = !out.empty();
      } else {
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.push_back(c);
      }
    }
    return out;
  }

  static std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::istringstream in{std::string(text)};
    for (std::string word; in >> word;) out.push_back(word);
    return out;
  }

  void read_requirements(pugi::xml_node node, Scenario& scenario) {
    for (const std::string& id : words(node.child_value())) {
      if (!is_requirement_id(id)) error(node, fmt::format("'{}' is not a requirement id", id));
      scenario.requirements.push_back(id);
    }
  }

  void read_profiles(pugi::xml_node node, Scenario& scenario) {
    for (const std::string& name : words(node.child_value())) {
      if (auto profile = codec::profile_from_name(name)) {
        scenario.profiles.push_back(*profile);
      } else {
        error(node, fmt::format("unknown profile '{}' (legacy, omemo2)", name));
      }
    }
  }

  void read_roles(pugi::xml_node node, Scenario& scenario) {
    for (pugi::xml_node role : node.children()) {
      if (role.type() != pugi::node_element) continue;
      if (std::string_view(role.name()) != "role") {
        error(role, fmt::format("unknown element <{}> in <roles>", role.name()));
        continue;
      }
      Role value{role.attribute("name").value(), role.attribute("jid").value()};
      if (value.name.empty() || value.jid.empty() || value.jid.find('@') == std::string::npos) {
        error(role, "<role> needs a name and a bare jid");
        continue;
      }
      scenario.roles.push_back(value);
    }
  }

  void read_steps(pugi::xml_node node, Scenario& scenario) {
    std::set<std::string> devices;
    for (pugi::xml_node element : node.children()) {
      if (element.type() != pugi::node_element) continue;
      Step step;
      step.kind = element.name();
      auto [line, column] = line_column(text_, element_offset(element));
      step.place = {file_, line, column};
      auto kind = step_kinds().find(step.kind);
      if (kind == step_kinds().end()) {
        error(element, fmt::format("unknown step <{}>", step.kind));
        continue;
      }
      std::set<std::string> allowed;
      for (const std::string& attribute : kind->second) {
        bool required = attribute.starts_with('!');
        std::string name = required ? attribute.substr(1) : attribute;
        allowed.insert(name);
        if (required && !element.attribute(name.c_str())) {
          error(element, fmt::format("<{}> needs the attribute '{}'", step.kind, name));
        }
      }
      for (pugi::xml_attribute attribute : element.attributes()) {
        if (!allowed.contains(attribute.name())) {
          error(element, fmt::format("<{}> has no attribute '{}'", step.kind, attribute.name()));
        }
        step.attributes[attribute.name()] = attribute.value();
      }
      if (step.kind == "device") {
        std::string role = step.get("role");
        bool known_role = std::any_of(scenario.roles.begin(), scenario.roles.end(),
                                      [&](const Role& r) { return r.name == role; });
        if (!known_role) error(element, fmt::format("<device> names unknown role '{}'", role));
        if (!devices.insert(step.get("name")).second) {
          error(element, fmt::format("device '{}' is declared twice", step.get("name")));
        }
      }
      for (const std::string& reference : device_references(step.kind)) {
        std::string value = step.get(reference);
        if (!value.empty() && !devices.contains(value)) {
          error(element, fmt::format("<{}> {}='{}' is not a device declared before", step.kind,
                                     reference, value));
        }
      }
      std::string level = step.get("level", "must");
      if (level != "must" && level != "should" && level != "info") {
        error(element, fmt::format("level '{}' (must, should, info)", level));
      }
      scenario.steps.push_back(std::move(step));
    }
  }

  void error(pugi::xml_node node, const std::string& message) {
    error_at(element_offset(node), message);
  }
  // pugixml's offset points at the element's name; report the '<' that opens it.
  static std::ptrdiff_t element_offset(pugi::xml_node node) {
    std::ptrdiff_t offset = node.offset_debug();
    return offset > 0 ? offset - 1 : offset;
  }
  void error_at(std::ptrdiff_t offset, const std::string& message) {
    auto [line, column] = line_column(text_, offset);
    result_.errors.push_back(fmt::format("{}:{}:{}: {}", file_, line, column, message));
  }

  const std::string& text_;
  std::string file_;
  ScenarioLoad result_;
};

}  // namespace

const std::map<std::string, std::vector<std::string>>& step_kinds() {
  static const std::map<std::string, std::vector<std::string>> kKinds = {
      {"device",
       {"!name", "!role", "resource", "id", "keep-id", "trust", "knobs", "identity", "prekeys",
        "start", "online", "profile"}},
      {"contacts", {"!a", "!b"}},
      {"send", {"!from", "!to", "body", "empty", "type", "expect", "requirement", "level"}},
      {"deliver", {"!to"}},
      {"drop", {"!to"}},
      {"fault", {"!action", "from", "to", "kind", "contains", "count", "skip", "delay-ms"}},
      {"release", {"order"}},
      {"offline", {"!device"}},
      {"online", {"!device"}},
      {"start", {"!device"}},
      {"advance", {"!ms"}},
      {"knob", {"!device", "!name", "on"}},
      {"rotate", {"!device"}},
      {"save", {"!device", "!as"}},
      {"restore", {"!device", "!from"}},
      {"replay", {"!to"}},
      {"trust", {"!device", "!peer", "trusted"}},
      {"publish-list", {"!role", "ids", "item-id"}},
      {"server",
       {"publish-options", "default-access-model", "default-max-items", "max-items-cap",
        "accepts-max", "owner-configure", "carbons", "offline", "mam"}},
      {"room",
       {"!jid", "!owner", "members", "admins", "non-anonymous", "members-only", "persistent",
        "name"}},
      {"join", {"!device", "!room", "nick", "expect", "requirement", "level"}},
      {"leave", {"!device", "!room"}},
      {"affiliation", {"!device", "!room", "!jid", "!affiliation"}},
      {"catch-up", {"!device", "from", "expect", "requirement", "level"}},
      {"expect-received",
       {"!device", "kind", "body", "error", "trusted", "finding", "no-finding", "via",
        "requirement", "level"}},
      {"expect-no-message", {"!device", "requirement", "level"}},
      {"expect-no-display", {"!device", "requirement", "level"}},
      {"expect-wire", {"!xpath", "from", "to", "count", "requirement", "level"}},
      {"expect-prekeys", {"!to", "count", "requirement", "level"}},
      {"expect-node", {"!owner", "!node", "item", "xpath", "count", "requirement", "level"}},
  };
  return kKinds;
}

ScenarioLoad parse_scenario(const std::string& text, const std::string& file_name) {
  return Loader(text, file_name).load();
}

ScenarioLoad load_scenario(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {std::nullopt, {fmt::format("{}: cannot open file", file.string())}};
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_scenario(text, file.string());
}

ScenarioSet load_scenarios(const fs::path& dir) {
  ScenarioSet set;
  std::vector<fs::path> files;
  std::error_code ignored;
  if (fs::is_directory(dir)) {
    for (const auto& entry : fs::recursive_directory_iterator(dir, ignored)) {
      if (entry.is_regular_file() && entry.path().extension() == ".xml") {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  std::set<std::string> ids;
  for (const fs::path& file : files) {
    // Named relative to the scenarios directory's parent ("scenarios/session/x.xml"), so that
    // reports do not depend on where the checkout is.
    std::ifstream in(file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ScenarioLoad load =
        in ? parse_scenario(text, fs::relative(file, dir.parent_path()).string())
           : ScenarioLoad{std::nullopt, {fmt::format("{}: cannot open file", file.string())}};
    set.errors.insert(set.errors.end(), load.errors.begin(), load.errors.end());
    if (!load.scenario) continue;
    if (!ids.insert(load.scenario->id).second) {
      set.errors.push_back(
          fmt::format("{}:1:1: duplicate scenario id '{}'", file.string(), load.scenario->id));
      continue;
    }
    set.scenarios.push_back(std::move(*load.scenario));
  }
  std::sort(set.scenarios.begin(), set.scenarios.end(),
            [](const Scenario& a, const Scenario& b) { return a.id < b.id; });
  return set;
}

}  // namespace oi::scenario
