#include "codec/pep.h"

#include <fmt/format.h>

#include <functional>

#include "codec/profile.h"

namespace oi::codec {
namespace {

enum class NodeKind {
  other,
  omemo1,
  legacy_device_list,
  legacy_bundle,
  omemo2_device_list,
  omemo2_bundles
};

constexpr std::string_view kLegacyBundlePrefix = "eu.siacs.conversations.axolotl.bundles:";

NodeKind classify(std::string_view node) {
  if (node == device_list_node(Profile::legacy)) return NodeKind::legacy_device_list;
  if (node.starts_with(kLegacyBundlePrefix)) return NodeKind::legacy_bundle;
  if (node == device_list_node(Profile::omemo2)) return NodeKind::omemo2_device_list;
  if (node == bundle_node(Profile::omemo2, 0)) return NodeKind::omemo2_bundles;
  if (xml::is_omemo1_namespace(node)) return NodeKind::omemo1;
  return NodeKind::other;
}

bool is_pubsub(pugi::xml_node element) {
  std::string ns = xml::namespace_of(element);
  return (xml::local_name(element) == "pubsub" && ns == kPubsubNamespace) ||
         (xml::local_name(element) == "event" && ns == kPubsubEventNamespace);
}

bool is_container(pugi::xml_node element) {
  std::string_view name = xml::local_name(element);
  std::string ns = xml::namespace_of(element);
  return (name == "publish" && ns == kPubsubNamespace) ||
         (name == "items" && (ns == kPubsubNamespace || ns == kPubsubEventNamespace));
}

// The value of a publish-options field, if present.
std::optional<std::string> publish_option(pugi::xml_node pubsub, std::string_view var) {
  for (pugi::xml_node options : pubsub.children()) {
    if (!xml::is_element(options, "publish-options", kPubsubNamespace)) continue;
    for (pugi::xml_node x : options.children()) {
      if (xml::local_name(x) != "x") continue;
      for (pugi::xml_node field : x.children())
        if (xml::local_name(field) == "field" && var == field.attribute("var").value())
          for (pugi::xml_node value : field.children())
            if (xml::local_name(value) == "value") return xml::text_of(value);
    }
  }
  return std::nullopt;
}

void check_publish_options(xml::Context& context, pugi::xml_node publish, NodeKind kind) {
  pugi::xml_node pubsub = publish.parent();
  auto access = publish_option(pubsub, "pubsub#access_model");
  std::string_view access_requirement =
      kind == NodeKind::omemo2_bundles ? "R-OM2-030" : "R-OM2-024";
  if (access != "open")
    context.add(access_requirement, Severity::must, publish,
                fmt::format("<publish node='{}'>: publish-options pubsub#access_model is {}, "
                            "'open' is required",
                            publish.attribute("node").value(),
                            access ? "'" + *access + "'" : std::string("absent")));
  if (kind == NodeKind::omemo2_bundles) {
    auto max_items = publish_option(pubsub, "pubsub#max_items");
    if (max_items != "max")
      context.add("R-OM2-029", Severity::must, publish,
                  fmt::format("<publish node='{}'>: publish-options pubsub#max_items is {}, "
                              "'max' is required",
                              publish.attribute("node").value(),
                              max_items ? "'" + *max_items + "'" : std::string("absent")));
  }
}

}  // namespace

pugi::xml_node find_pep_container(pugi::xml_node element) {
  if (is_container(element)) return element;
  std::string_view name = xml::local_name(element);
  if (name == "iq" || name == "message" || is_pubsub(element))
    for (pugi::xml_node child : element.children())
      if (child.type() == pugi::node_element)
        if (pugi::xml_node found = find_pep_container(child)) return found;
  return {};
}

std::optional<PepNode> parse_pep_container(xml::Context& context, pugi::xml_node container) {
  PepNode out;
  pugi::xml_attribute node_attribute = container.attribute("node");
  if (!node_attribute) {
    context.add("LINT", Severity::must, container,
                fmt::format("<{}>: no node attribute", xml::local_name(container)));
    return std::nullopt;
  }
  out.node = node_attribute.value();
  NodeKind kind = classify(out.node);
  bool publish = xml::local_name(container) == "publish";
  if (kind == NodeKind::omemo1)
    context.add("R-OM2-068", Severity::must, container,
                fmt::format("node '{}' is an OMEMO 1 / 0.8.0 node name; OMEMO 2 uses "
                            "urn:xmpp:omemo:2:devices and urn:xmpp:omemo:2:bundles (A-21)",
                            out.node));
  else if (kind == NodeKind::other)
    context.add("LINT", Severity::must, container,
                fmt::format("node '{}' is not an OMEMO node", out.node));
  if (kind == NodeKind::legacy_bundle) {
    std::string suffix = out.node.substr(kLegacyBundlePrefix.size());
    pugi::xml_document scratch;
    pugi::xml_node probe = scratch.append_child("node");
    probe.append_attribute("id").set_value(suffix.c_str());
    std::vector<Finding> ignored;
    xml::Context scratch_context(context.document(), ignored);
    auto id = xml::id_attribute(scratch_context, probe, "id", xml::IdKind::device, Profile::legacy);
    if (!id || *id == 0 || *id >= 0x80000000U)
      context.add("R-LEG-010", Severity::must, container,
                  fmt::format("node '{}': '{}' is not a device id in 1..2^31-1", out.node, suffix));
  }
  if (publish && is_pubsub(container.parent()) &&
      (kind == NodeKind::omemo2_device_list || kind == NodeKind::omemo2_bundles))
    check_publish_options(context, container, kind);

  std::size_t count = 0;
  for (pugi::xml_node item : container.children()) {
    if (item.type() != pugi::node_element || xml::local_name(item) != "item") continue;
    ++count;
    PepItem parsed;
    if (pugi::xml_attribute id = item.attribute("id")) parsed.id = id.value();
    pugi::xml_node payload;
    for (pugi::xml_node child : item.children())
      if (child.type() == pugi::node_element) {
        payload = child;
        break;
      }
    if (!payload) {
      context.add("LINT", Severity::note, item, "<item>: no payload");
      out.items.push_back(std::move(parsed));
      continue;
    }
    bool is_list = xml::element_profile(payload, "list", "devices").has_value();
    bool is_bundle = xml::element_profile(payload, "bundle", "bundle").has_value();
    if (is_list) {
      parsed.device_list = parse_device_list_element(context, payload);
    } else if (is_bundle) {
      parsed.bundle = parse_bundle_element(context, payload);
    } else {
      xml::report_unexpected_element(context, payload, "a device list or bundle");
    }
    std::optional<Profile> payload_profile =
        is_list ? xml::element_profile(payload, "list", "devices")
                : xml::element_profile(payload, "bundle", "bundle");
    auto expect = [&](bool list_expected, Profile profile, std::string_view requirement) {
      if ((is_list || is_bundle) && (is_list != list_expected || payload_profile != profile))
        context.add(requirement, Severity::must, payload,
                    fmt::format("<{} xmlns='{}'> does not belong on node '{}'",
                                xml::local_name(payload), xml::namespace_of(payload), out.node));
    };
    std::string where = xml::describe(item, "id");
    switch (kind) {
      case NodeKind::legacy_device_list:
        expect(true, Profile::legacy, "R-LEG-006");
        if (parsed.id && *parsed.id != "current")
          context.add("R-LEG-006", Severity::should, item,
                      fmt::format("{}: device list item id is not 'current' (RECOMMENDED; "
                                  "deployed clients vary, A-05)",
                                  where));
        break;
      case NodeKind::omemo2_device_list:
        expect(true, Profile::omemo2, "R-OM2-024");
        if (parsed.id && *parsed.id != "current")
          context.add(
              "R-OM2-025", Severity::should, item,
              fmt::format("{}: device list item id is not 'current' (RECOMMENDED, A-05)", where));
        break;
      case NodeKind::legacy_bundle:
        expect(false, Profile::legacy, "R-LEG-010");
        break;
      case NodeKind::omemo2_bundles:
        expect(false, Profile::omemo2, "R-OM2-028");
        if (parsed.id) {
          std::vector<Finding> id_findings;
          xml::Context id_context(context.document(), id_findings);
          auto id = xml::id_attribute(id_context, item, "id", xml::IdKind::device, Profile::omemo2);
          if (!id || *id == 0 || *id >= 0x80000000U)
            context.add(
                "R-OM2-028", Severity::must, item,
                fmt::format("{}: a bundle item id must be the device id (1..2^31-1)", where));
        }
        break;
      default:
        break;
    }
    if (!parsed.id)
      context.add("A-05", Severity::note, item,
                  publish ? "<item> without id: the server assigns one" : "<item> without id");
    out.items.push_back(std::move(parsed));
  }
  if (count == 0)
    context.add("LINT", Severity::note, container,
                fmt::format("<{} node='{}'>: no <item>", xml::local_name(container), out.node));
  else if (count > 1)
    context.add("A-05", Severity::note, container,
                fmt::format("<{} node='{}'>: {} items; readers use the newest",
                            xml::local_name(container), out.node, count));
  return out;
}

Parsed<PepNode> parse_pep(std::string_view text) {
  Parsed<PepNode> out;
  auto document = xml::Document::load(text, out.findings, "XML");
  if (!document) return out;
  xml::Context context(*document, out.findings);
  pugi::xml_node container = find_pep_container(document->root());
  if (!container) {
    context.add(
        "LINT", Severity::must, document->root(),
        fmt::format("<{}>: no pubsub <publish> or <items>", xml::local_name(document->root())));
    return out;
  }
  out.value = parse_pep_container(context, container);
  return out;
}

namespace {

std::string publish(const std::string& node, const std::string& item_id,
                    const std::function<void(pugi::xml_node)>& append_payload) {
  pugi::xml_document document;
  pugi::xml_node root = document.append_child("publish");
  root.append_attribute("xmlns").set_value(std::string(kPubsubNamespace).c_str());
  root.append_attribute("node").set_value(node.c_str());
  pugi::xml_node item = root.append_child("item");
  item.append_attribute("id").set_value(item_id.c_str());
  append_payload(item);
  return xml::print(document);
}

}  // namespace

std::string serialize_device_list_publish(const DeviceList& list) {
  return publish(device_list_node(list.profile), "current",
                 [&](pugi::xml_node item) { append_device_list(item, list); });
}

std::string serialize_bundle_publish(const Bundle& bundle, std::uint32_t device_id) {
  std::string id = bundle.profile == Profile::legacy ? "current" : std::to_string(device_id);
  return publish(bundle_node(bundle.profile, device_id), id,
                 [&](pugi::xml_node item) { append_bundle(item, bundle); });
}

}  // namespace oi::codec
