#include "codec/bundle.h"

#include <fmt/format.h>

#include <algorithm>

#include "codec/base64.h"

namespace oi::codec {
namespace {

struct BundleNames {
  const char* spk;
  const char* spk_id;
  const char* signature;
  const char* identity;
  const char* prekey;
  const char* prekey_id;
};

const BundleNames& names_for(Profile profile) {
  static const BundleNames kLegacy{"signedPreKeyPublic", "signedPreKeyId", "signedPreKeySignature",
                                   "identityKey",        "preKeyPublic",   "preKeyId"};
  static const BundleNames kOmemo2{"spk", "id", "spks", "ik", "pk", "id"};
  return profile == Profile::legacy ? kLegacy : kOmemo2;
}

// Decodes a public key and checks its length and, for legacy, the 0x05 type byte.
std::optional<Bytes> key_content(xml::Context& context, pugi::xml_node element, Profile profile,
                                 std::string_view requirement, const char* id_attribute) {
  auto key = xml::base64_content(context, element, requirement);
  if (!key) return std::nullopt;
  std::string where = xml::describe(element, id_attribute);
  if (profile == Profile::legacy) {
    if (key->size() != 33)
      context.add(requirement, Severity::must, element,
                  fmt::format("{}: {} byte(s), expected 33 (0x05 || 32-byte Curve25519 key)", where,
                              key->size()));
    else if ((*key)[0] != 0x05)
      context.add(
          requirement, Severity::must, element,
          fmt::format("{}: first byte 0x{:02x}, expected the key type 0x05", where, (*key)[0]));
  } else if (key->size() != 32) {
    std::string hint =
        key->size() == 33 && (*key)[0] == 0x05 ? " (a legacy 0x05-prefixed encoding)" : "";
    context.add(requirement, Severity::must, element,
                fmt::format("{}: {} byte(s), expected 32{}", where, key->size(), hint));
  }
  return key;
}

}  // namespace

std::optional<Bundle> parse_bundle_element(xml::Context& context, pugi::xml_node element) {
  std::optional<Profile> profile = xml::element_profile(element, "bundle", "bundle");
  if (!profile) {
    xml::report_unexpected_element(context, element, "a bundle");
    return std::nullopt;
  }
  const auto& ids = xml::requirements_for(*profile);
  const BundleNames& names = names_for(*profile);
  std::string ns(profile_namespace(*profile));
  xml::check_attributes(context, element, {}, ids.bundle);
  xml::check_no_text(context, element, ids.bundle);
  xml::check_child_order(context, element, {names.spk, names.signature, names.identity, "prekeys"});

  Bundle bundle;
  bundle.profile = *profile;
  bool have_spk = false, have_signature = false, have_identity = false, have_prekeys = false;
  pugi::xml_node spk_node, signature_node, identity_node, prekeys_node;
  for (pugi::xml_node child : element.children()) {
    if (child.type() != pugi::node_element) continue;
    std::string_view name = xml::local_name(child);
    pugi::xml_node* slot = nullptr;
    if (xml::namespace_of(child) == ns) {
      if (name == names.spk) slot = &spk_node;
      if (name == names.signature) slot = &signature_node;
      if (name == names.identity) slot = &identity_node;
      if (name == "prekeys") slot = &prekeys_node;
    }
    if (!slot) {
      xml::note_unknown_child(context, child, ids.bundle);
      continue;
    }
    if (*slot) {
      context.add(ids.bundle, Severity::must, child,
                  fmt::format("<bundle>: second <{}> ignored", name));
      continue;
    }
    *slot = child;
  }

  if (!spk_node) {
    context.add(ids.bundle, Severity::must, element, fmt::format("<bundle>: no <{}>", names.spk));
  } else {
    xml::check_attributes(context, spk_node, {names.spk_id}, ids.bundle);
    auto id =
        xml::id_attribute(context, spk_node, names.spk_id, xml::IdKind::signed_pre_key, *profile);
    auto key = key_content(context, spk_node, *profile, ids.bundle, names.spk_id);
    if (id && key) {
      have_spk = true;
      bundle.signed_pre_key_id = *id;
      bundle.signed_pre_key = std::move(*key);
    }
  }
  if (!signature_node) {
    context.add(ids.bundle, Severity::must, element,
                fmt::format("<bundle>: no <{}>", names.signature));
  } else {
    xml::check_attributes(context, signature_node, {}, ids.bundle);
    if (auto signature = xml::base64_content(context, signature_node, ids.signature, 64)) {
      have_signature = true;
      bundle.signed_pre_key_signature = std::move(*signature);
    }
  }
  if (!identity_node) {
    context.add(ids.identity_key, Severity::must, element,
                fmt::format("<bundle>: no <{}>", names.identity));
  } else {
    xml::check_attributes(context, identity_node, {}, ids.bundle);
    if (auto key = key_content(context, identity_node, *profile, ids.identity_key, nullptr)) {
      have_identity = true;
      bundle.identity_key = std::move(*key);
    }
  }
  if (!prekeys_node) {
    context.add(ids.bundle, Severity::must, element, "<bundle>: no <prekeys>");
  } else {
    have_prekeys = true;
    xml::check_attributes(context, prekeys_node, {}, ids.bundle);
    xml::check_no_text(context, prekeys_node, ids.bundle);
    for (pugi::xml_node child : prekeys_node.children()) {
      if (child.type() != pugi::node_element) continue;
      if (!xml::is_element(child, names.prekey, ns)) {
        xml::note_unknown_child(context, child, ids.bundle);
        continue;
      }
      xml::check_attributes(context, child, {names.prekey_id}, ids.bundle);
      auto id = xml::id_attribute(context, child, names.prekey_id, xml::IdKind::pre_key, *profile);
      auto key = key_content(context, child, *profile, ids.bundle, names.prekey_id);
      if (!id || !key) continue;
      if (std::any_of(bundle.pre_keys.begin(), bundle.pre_keys.end(),
                      [&](const PreKey& p) { return p.id == *id; })) {
        context.add(ids.bundle, Severity::must, child,
                    fmt::format("{}: prekey id {} appears twice; the second is ignored",
                                xml::describe(child, names.prekey_id), *id));
        continue;
      }
      bundle.pre_keys.push_back(PreKey{*id, std::move(*key)});
    }
    if (bundle.pre_keys.size() < ids.minimum_prekeys)
      context.add(ids.prekey_count, Severity::must, prekeys_node,
                  fmt::format("<prekeys>: {} usable prekey(s), at least {} required",
                              bundle.pre_keys.size(), ids.minimum_prekeys));
  }
  if (!have_spk || !have_signature || !have_identity || !have_prekeys) return std::nullopt;
  return bundle;
}

void append_bundle(pugi::xml_node parent, const Bundle& bundle) {
  const BundleNames& names = names_for(bundle.profile);
  pugi::xml_node root = parent.append_child("bundle");
  root.append_attribute("xmlns").set_value(std::string(profile_namespace(bundle.profile)).c_str());
  pugi::xml_node spk = root.append_child(names.spk);
  spk.append_attribute(names.spk_id).set_value(bundle.signed_pre_key_id);
  spk.text().set(encode_base64(bundle.signed_pre_key).c_str());
  root.append_child(names.signature)
      .text()
      .set(encode_base64(bundle.signed_pre_key_signature).c_str());
  root.append_child(names.identity).text().set(encode_base64(bundle.identity_key).c_str());
  pugi::xml_node prekeys = root.append_child("prekeys");
  for (const PreKey& pre_key : bundle.pre_keys) {
    pugi::xml_node node = prekeys.append_child(names.prekey);
    node.append_attribute(names.prekey_id).set_value(pre_key.id);
    node.text().set(encode_base64(pre_key.public_key).c_str());
  }
}

Parsed<Bundle> parse_bundle(std::string_view text) {
  Parsed<Bundle> out;
  auto document = xml::Document::load(text, out.findings, "XML");
  if (!document) return out;
  xml::Context context(*document, out.findings);
  out.value = parse_bundle_element(context, document->root());
  return out;
}

std::string serialize_bundle(const Bundle& bundle) {
  pugi::xml_document document;
  append_bundle(document, bundle);
  return xml::print(document);
}

}  // namespace oi::codec
