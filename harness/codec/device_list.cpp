#include "codec/device_list.h"

#include <fmt/format.h>

#include <algorithm>

#include "codec/base64.h"

namespace oi::codec {
namespace {

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  }));
}

void parse_label(xml::Context& context, pugi::xml_node element, Device& device) {
  pugi::xml_attribute label = element.attribute("label");
  pugi::xml_attribute labelsig = element.attribute("labelsig");
  if (labelsig) {
    Base64Decoded decoded = decode_base64_lenient(labelsig.value());
    if (!decoded.bytes) {
      context.add("R-OM2-027", Severity::must, element,
                  fmt::format("{}: labelsig is not base64: {}", xml::describe(element, "id"),
                              decoded.error));
    } else if (decoded.bytes->size() != 64) {
      context.add("R-OM2-027", Severity::must, element,
                  fmt::format("{}: labelsig is {} byte(s), expected a 64-byte Ed25519 signature",
                              xml::describe(element, "id"), decoded.bytes->size()));
    } else {
      if (!decoded.is_canonical())
        context.add(
            "A-22", Severity::note, element,
            fmt::format("{}: labelsig is not canonical base64", xml::describe(element, "id")));
      device.label_signature = std::move(decoded.bytes);
    }
    if (!label)
      context.add("R-OM2-027", Severity::note, element,
                  fmt::format("{}: labelsig without label ignored", xml::describe(element, "id")));
  }
  if (label) {
    device.label = label.value();
    if (!labelsig)
      context.add("A-24", Severity::note, element,
                  fmt::format("{}: label without labelsig; 0.9.0 readers ignore the label",
                              xml::describe(element, "id")));
    if (code_points(label.value()) >= 53)
      context.add("R-OM2-027", Severity::should, element,
                  fmt::format("{}: label of {} code points; RECOMMENDED under 53",
                              xml::describe(element, "id"), code_points(label.value())));
  }
}

}  // namespace

std::optional<DeviceList> parse_device_list_element(xml::Context& context, pugi::xml_node element) {
  std::optional<Profile> profile = xml::element_profile(element, "list", "devices");
  if (!profile) {
    xml::report_unexpected_element(context, element, "a device list (<list> or <devices>)");
    return std::nullopt;
  }
  const auto& ids = xml::requirements_for(*profile);
  std::string ns(profile_namespace(*profile));
  DeviceList list;
  list.profile = *profile;
  xml::check_attributes(context, element, {}, ids.device_list);
  xml::check_no_text(context, element, ids.device_list);
  for (pugi::xml_node child : element.children()) {
    if (child.type() != pugi::node_element) continue;
    if (!xml::is_element(child, "device", ns)) {
      xml::note_unknown_child(context, child, ids.device_list);
      continue;
    }
    if (*profile == Profile::legacy)
      xml::check_attributes(context, child, {"id"}, ids.device_list);
    else
      xml::check_attributes(context, child, {"id", "label", "labelsig"}, ids.device_list);
    std::optional<std::uint32_t> id =
        xml::id_attribute(context, child, "id", xml::IdKind::device, *profile);
    if (!id) continue;
    Device device;
    device.id = *id;
    if (*profile == Profile::omemo2) parse_label(context, child, device);
    if (std::any_of(list.devices.begin(), list.devices.end(),
                    [&](const Device& d) { return d.id == *id; })) {
      if (*profile == Profile::omemo2)
        context.add(
            "R-OM2-020", Severity::must, child,
            fmt::format("{}: device id {} is listed twice", xml::describe(child, "id"), *id));
      else
        context.add(
            "R-LEG-009", Severity::note, child,
            fmt::format("{}: device id {} is listed twice", xml::describe(child, "id"), *id));
      continue;
    }
    list.devices.push_back(std::move(device));
  }
  if (list.devices.empty())
    context.add("A-28", Severity::note, element,
                *profile == Profile::legacy
                    ? std::string("<list>: no devices (the v0.3.0 schema implies at least one; "
                                  "python-oldmemo accepts none)")
                    : std::string("<devices>: no devices (valid since 0.9.0, not before)"));
  return list;
}

void append_device_list(pugi::xml_node parent, const DeviceList& list) {
  pugi::xml_node root = parent.append_child(list.profile == Profile::legacy ? "list" : "devices");
  root.append_attribute("xmlns").set_value(std::string(profile_namespace(list.profile)).c_str());
  for (const Device& device : list.devices) {
    pugi::xml_node node = root.append_child("device");
    node.append_attribute("id").set_value(device.id);
    if (device.label) node.append_attribute("label").set_value(device.label->c_str());
    if (device.label_signature)
      node.append_attribute("labelsig").set_value(encode_base64(*device.label_signature).c_str());
  }
}

Parsed<DeviceList> parse_device_list(std::string_view text) {
  Parsed<DeviceList> out;
  auto document = xml::Document::load(text, out.findings, "XML");
  if (!document) return out;
  xml::Context context(*document, out.findings);
  out.value = parse_device_list_element(context, document->root());
  return out;
}

std::string serialize_device_list(const DeviceList& list) {
  pugi::xml_document document;
  append_device_list(document, list);
  return xml::print(document);
}

}  // namespace oi::codec
