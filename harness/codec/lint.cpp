#include "codec/lint.h"

#include <fmt/format.h>

#include "codec/bundle.h"
#include "codec/device_list.h"
#include "codec/encrypted.h"
#include "codec/envelope.h"
#include "codec/hints.h"
#include "codec/message.h"
#include "codec/pep.h"
#include "codec/xml_support.h"

namespace oi::codec {
namespace {

constexpr std::string_view kForwardNamespace = "urn:xmpp:forward:0";

// The <message> inside <forwarded> (carbons <sent>/<received>, MAM <result>), if any.
pugi::xml_node forwarded_message(pugi::xml_node message) {
  for (pugi::xml_node wrapper : message.children()) {
    if (wrapper.type() != pugi::node_element) continue;
    for (pugi::xml_node forwarded : wrapper.children()) {
      if (!xml::is_element(forwarded, "forwarded", kForwardNamespace)) continue;
      for (pugi::xml_node inner : forwarded.children())
        if (is_message_element(inner)) return inner;
    }
  }
  return {};
}

// The profile of the first element (or PEP node) in `root`'s subtree that names one.
std::optional<Profile> detect_profile(pugi::xml_node root) {
  struct Walker : pugi::xml_tree_walker {
    std::optional<Profile> found;
    bool for_each(pugi::xml_node& node) override {
      if (node.type() != pugi::node_element) return true;
      found = profile_from_namespace(xml::namespace_of(node));
      if (!found) {
        std::string_view pep_node = node.attribute("node").value();
        if (pep_node.starts_with(kLegacyNamespace)) found = Profile::legacy;
        if (pep_node.starts_with(kOmemo2Namespace)) found = Profile::omemo2;
      }
      return !found;
    }
  };
  Walker walker;
  if (auto direct = profile_from_namespace(xml::namespace_of(root))) return direct;
  std::string_view pep_node = root.attribute("node").value();
  if (pep_node.starts_with(kLegacyNamespace)) return Profile::legacy;
  if (pep_node.starts_with(kOmemo2Namespace)) return Profile::omemo2;
  root.traverse(walker);
  return walker.found;
}

std::string lint_pep(xml::Context& context, pugi::xml_node root, std::string element) {
  pugi::xml_node container = find_pep_container(root);
  if (!container) {
    context.add("LINT", Severity::must, root,
                fmt::format("<{}>: no OMEMO content (no <encrypted>, pubsub <publish> or <items>)",
                            xml::local_name(root)));
    return element;
  }
  parse_pep_container(context, container);
  return element;
}

}  // namespace

LintResult lint_xml(std::string_view text) {
  LintResult result;
  auto document = xml::Document::load(text, result.findings, "XML");
  if (!document) return result;
  xml::Context context(*document, result.findings);
  pugi::xml_node root = document->root();

  std::size_t top_level = 0;
  for (pugi::xml_node child : document->document().children())
    if (child.type() == pugi::node_element && ++top_level == 2)
      context.add("LINT", Severity::note, child,
                  "more than one top-level element; only the first is checked");

  std::string_view name = xml::local_name(root);
  std::string ns = xml::namespace_of(root);
  pugi::xml_node checked = root;
  if (is_message_element(root)) {
    pugi::xml_node inner = forwarded_message(root);
    pugi::xml_node message = inner ? inner : root;
    checked = message;
    result.element = inner ? "forwarded message" : "message";
    if (find_pep_container(message))
      lint_pep(context, message, result.element);
    else
      parse_message_element(context, message, true);
  } else if (name == "iq") {
    result.element = lint_pep(context, root, "iq");
  } else if ((name == "pubsub" && ns == kPubsubNamespace) ||
             (name == "event" && ns == kPubsubEventNamespace) ||
             ((name == "publish" || name == "items") &&
              (ns == kPubsubNamespace || ns == kPubsubEventNamespace))) {
    result.element = lint_pep(context, root, "pubsub");
  } else if (xml::element_profile(root, "list", "devices")) {
    result.element = "device list";
    parse_device_list_element(context, root);
  } else if (xml::element_profile(root, "bundle", "bundle")) {
    result.element = "bundle";
    parse_bundle_element(context, root);
  } else if (xml::element_profile(root, "encrypted", "encrypted")) {
    result.element = "encrypted";
    parse_encrypted_element(context, root, true);
  } else if (name == "envelope" && ns == kSceNamespace) {
    result.element = "envelope";
    parse_envelope_element(context, root);
  } else if (name == "encryption" && ns == kEmeNamespace) {
    result.element = "encryption";
    parse_encryption_hint_element(context, root);
  } else {
    xml::report_unexpected_element(
        context, root,
        "a <message>, <iq>, pubsub element, device list, bundle, <encrypted>, <envelope> or "
        "<encryption>");
    checked = {};
  }
  if (checked) {
    result.profile = detect_profile(checked);
    if (!result.profile && result.element == "envelope") result.profile = Profile::omemo2;
    if (!result.profile && result.element == "encryption")
      result.profile = profile_from_namespace(root.attribute("namespace").value());
  }
  sort_by_location(result.findings);
  return result;
}

}  // namespace oi::codec
