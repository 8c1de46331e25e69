#include "codec/xml_support.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "codec/base64.h"

namespace oi::codec::xml {
namespace {

constexpr unsigned kParseOptions = pugi::parse_default;

bool is_xml_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_xml_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_xml_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string shorten(std::string_view value, std::size_t limit = 40) {
  if (value.size() <= limit) return std::string(value);
  return std::string(value.substr(0, limit)) + "...";
}

}  // namespace

std::unique_ptr<Document> Document::load(std::string_view text, std::vector<Finding>& findings,
                                         std::string_view malformed_requirement) {
  auto document = std::unique_ptr<Document>(new Document());
  document->text_ = std::string(text);
  document->line_starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') document->line_starts_.push_back(i + 1);
  pugi::xml_parse_result result = document->doc_.load_buffer(
      document->text_.data(), document->text_.size(), kParseOptions, pugi::encoding_utf8);
  if (!result) {
    findings.push_back(Finding{
        std::string(malformed_requirement), Severity::must,
        document->location_at(static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, result.offset))),
        fmt::format("not well-formed XML: {}", result.description())});
    return nullptr;
  }
  if (!document->root()) {
    findings.push_back(Finding{
        std::string(malformed_requirement), Severity::must, {1, 1}, "no XML element in the input"});
    return nullptr;
  }
  return document;
}

SourceLocation Document::location_at(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  std::size_t line_index = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
  int column = 1;
  for (std::size_t i = line_starts_[line_index]; i < offset; ++i)
    if ((static_cast<unsigned char>(text_[i]) & 0xc0) != 0x80) ++column;
  return SourceLocation{static_cast<int>(line_index + 1), column};
}

SourceLocation Document::location_of(pugi::xml_node node) const {
  if (!node) return {};
  std::ptrdiff_t offset = node.offset_debug();
  if (offset < 0) return {};
  if (node.type() == pugi::node_element && offset > 0) --offset;  // point at '<'
  return location_at(static_cast<std::size_t>(offset));
}

std::string namespace_of(pugi::xml_node element) {
  std::string_view name = element.name();
  std::size_t colon = name.find(':');
  std::string attribute =
      colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(name.substr(0, colon));
  for (pugi::xml_node node = element; node && node.type() == pugi::node_element;
       node = node.parent()) {
    if (pugi::xml_attribute a = node.attribute(attribute.c_str())) return a.value();
  }
  return {};
}

std::string_view local_name(pugi::xml_node element) {
  std::string_view name = element.name();
  std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool is_element(pugi::xml_node node, std::string_view local, std::string_view ns) {
  return node.type() == pugi::node_element && local_name(node) == local && namespace_of(node) == ns;
}

std::string text_of(pugi::xml_node element) {
  std::string out;
  for (pugi::xml_node child : element.children())
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) out += child.value();
  return out;
}

std::string describe(pugi::xml_node element, const char* attribute) {
  if (attribute) {
    if (pugi::xml_attribute a = element.attribute(attribute))
      return fmt::format("<{} {}='{}'>", element.name(), attribute, shorten(a.value()));
  }
  return fmt::format("<{}>", element.name());
}

std::string print(const pugi::xml_node& node) {
  std::ostringstream out;
  node.print(out, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  return out.str();
}

std::string print_standalone(pugi::xml_node element) {
  pugi::xml_document copy;
  pugi::xml_node root = copy.append_copy(element);
  std::string_view name = element.name();
  std::size_t colon = name.find(':');
  std::string attribute =
      colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(name.substr(0, colon));
  if (!root.attribute(attribute.c_str())) {
    std::string ns = namespace_of(element);
    if (!ns.empty()) root.prepend_attribute(attribute.c_str()).set_value(ns.c_str());
  }
  return print(copy);
}

const ProfileRequirements& requirements_for(Profile profile) {
  static const ProfileRequirements kLegacy{
      "R-LEG-002", "R-LEG-009", "R-LEG-010", "R-LEG-011", "R-LEG-001", "R-LEG-012", "R-LEG-026",
      "R-LEG-025", "R-LEG-021", "A-03",      "R-LEG-023", 20,          33};
  static const ProfileRequirements kOmemo2{
      "R-OM2-020", "R-OM2-069", "R-OM2-031", "R-OM2-006", "R-OM2-002", "R-OM2-002", "R-OM2-035",
      "R-OM2-035", "R-OM2-036", "A-04",      "R-OM2-038", 25,          32};
  return profile == Profile::legacy ? kLegacy : kOmemo2;
}

void Context::add(std::string_view requirement, Severity severity, pugi::xml_node at,
                  std::string message) {
  findings_.push_back(
      Finding{std::string(requirement), severity, document_.location_of(at), std::move(message)});
}

void check_attributes(Context& context, pugi::xml_node element,
                      std::initializer_list<std::string_view> known, std::string_view requirement) {
  for (pugi::xml_attribute attribute : element.attributes()) {
    std::string_view name = attribute.name();
    if (name == "xmlns" || name.starts_with("xmlns:")) continue;
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    context.add(requirement, Severity::note, element,
                fmt::format("{}: unknown attribute {}='{}' ignored", describe(element), name,
                            shorten(attribute.value())));
  }
}

void note_unknown_child(Context& context, pugi::xml_node child, std::string_view requirement) {
  std::string ns = namespace_of(child);
  context.add(requirement, Severity::note, child,
              fmt::format("{}: unknown element <{} xmlns='{}'> ignored", describe(child.parent()),
                          local_name(child), ns));
}

void check_child_order(Context& context, pugi::xml_node parent,
                       std::initializer_list<std::string_view> canonical) {
  std::size_t highest = 0;
  std::string_view highest_name;
  for (pugi::xml_node child : parent.children()) {
    if (child.type() != pugi::node_element) continue;
    auto it = std::find(canonical.begin(), canonical.end(), local_name(child));
    if (it == canonical.end()) continue;
    auto index = static_cast<std::size_t>(it - canonical.begin());
    if (index < highest) {
      context.add("A-23", Severity::note, child,
                  fmt::format("{}: <{}> comes after <{}>; accepted in any order", describe(parent),
                              local_name(child), highest_name));
      return;
    }
    if (index > highest || highest_name.empty()) {
      highest = index;
      highest_name = *it;
    }
  }
}

void check_no_text(Context& context, pugi::xml_node element, std::string_view requirement) {
  if (!trim(text_of(element)).empty())
    context.add(requirement, Severity::note, element,
                fmt::format("{}: text content '{}' ignored", describe(element),
                            shorten(trim(text_of(element)))));
}

std::optional<Bytes> base64_content(Context& context, pugi::xml_node element,
                                    std::string_view requirement, std::size_t expected_length) {
  std::string text = text_of(element);
  Base64Decoded decoded = decode_base64_lenient(text);
  if (!decoded.bytes) {
    context.add(requirement, Severity::must, element,
                fmt::format("{}: not base64: {}", describe(element), decoded.error));
    return std::nullopt;
  }
  if (decoded.whitespace_count > 0)
    context.add("A-22", Severity::note, element,
                fmt::format("{}: base64 contains {} whitespace character(s), the first at "
                            "position {}; canonical base64 has none",
                            describe(element), decoded.whitespace_count,
                            decoded.first_whitespace_position));
  if (decoded.missing_padding)
    context.add("A-22", Severity::note, element,
                fmt::format("{}: base64 without its '=' padding", describe(element)));
  if (decoded.nonzero_unused_bits)
    context.add(
        "A-22", Severity::note, element,
        fmt::format("{}: base64 whose last character has non-zero unused bits", describe(element)));
  if (expected_length != 0 && decoded.bytes->size() != expected_length)
    context.add(requirement, Severity::must, element,
                fmt::format("{}: {} byte(s), expected {}", describe(element), decoded.bytes->size(),
                            expected_length));
  return std::move(decoded.bytes);
}

std::optional<std::uint32_t> id_attribute(Context& context, pugi::xml_node element,
                                          const char* attribute, IdKind kind, Profile profile) {
  const ProfileRequirements& ids = requirements_for(profile);
  std::string_view requirement = kind == IdKind::device ? ids.device_id : ids.bundle;
  std::string_view what = kind == IdKind::device           ? "device id"
                          : kind == IdKind::signed_pre_key ? "signed prekey id"
                                                           : "prekey id";
  // The location text is built only when there is something to report.
  auto where = [&] { return describe(element, attribute); };
  pugi::xml_attribute a = element.attribute(attribute);
  if (!a) {
    context.add(requirement, Severity::must, element,
                fmt::format("{}: no {} attribute ({})", where(), attribute, what));
    return std::nullopt;
  }
  std::string_view raw = a.value();
  std::string_view value = trim(raw);
  if (value.size() != raw.size())
    context.add(requirement, Severity::note, element,
                fmt::format("{}: whitespace around the {}", where(), what));
  if (!value.empty() && value.front() == '-' && value.size() > 1 &&
      std::all_of(value.begin() + 1, value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    context.add(requirement, Severity::must, element,
                fmt::format("{}: {} {} is negative, outside 1..2^31-1", where(), what, value));
    return std::nullopt;
  }
  if (!value.empty() && value.front() == '+') {
    context.add(requirement, Severity::note, element,
                fmt::format("{}: {} written with a leading '+'", where(), what));
    value.remove_prefix(1);
  }
  if (value.empty() ||
      !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    context.add(requirement, Severity::must, element,
                fmt::format("{}: {} '{}' is not a decimal integer", where(), what, shorten(raw)));
    return std::nullopt;
  }
  if (value.size() > 1 && value.front() == '0')
    context.add(requirement, Severity::note, element,
                fmt::format("{}: {} written with leading zeros", where(), what));
  std::uint64_t number = 0;
  for (char c : value) {
    number = number * 10 + static_cast<std::uint64_t>(c - '0');
    if (number > 0xffffffffULL) {
      context.add(requirement, Severity::must, element,
                  fmt::format("{}: {} {} does not fit 32 bits (outside 1..2^31-1)", where(), what,
                              shorten(value)));
      return std::nullopt;
    }
  }
  auto id = static_cast<std::uint32_t>(number);
  bool legacy_prekey = profile == Profile::legacy && kind != IdKind::device;
  if (id == 0) {
    if (legacy_prekey)
      context.add("A-09", Severity::note, element,
                  fmt::format("{}: {} 0 is outside 1..2^31-1 but accepted in legacy practice "
                              "(Converse publishes it)",
                              where(), what));
    else
      context.add(kind == IdKind::device ? requirement : "R-OM2-068", Severity::must, element,
                  fmt::format("{}: {} 0 is outside 1..2^31-1 (A-09)", where(), what));
  } else if (legacy_prekey && id > 0xfffffe) {
    context.add("R-LEG-014", Severity::note, element,
                fmt::format("{}: {} {} is above libsignal's 0xFFFFFE (0xFFFFFF means \"no "
                            "prekey\" there, A-10)",
                            where(), what, id));
  } else if (!legacy_prekey && id >= 0x80000000U) {
    context.add(requirement, Severity::must, element,
                fmt::format("{}: {} {} is outside 1..2^31-1", where(), what, id));
  }
  return id;
}

bool flag_attribute(Context& context, pugi::xml_node element, const char* attribute,
                    Profile profile) {
  const ProfileRequirements& ids = requirements_for(profile);
  pugi::xml_attribute a = element.attribute(attribute);
  if (!a) return false;
  std::string_view value = a.value();
  if (value == "true") return true;
  if (value == "false") return false;
  if (value == "1" || value == "0") {
    context.add(ids.key_flag_value, Severity::note, element,
                fmt::format("{}: {}='{}' (xs:boolean; canonical is '{}')", describe(element, "rid"),
                            attribute, value, value == "1" ? "true" : "false"));
    return value == "1";
  }
  context.add(ids.key_flag, Severity::must, element,
              fmt::format("{}: {}='{}' is not an xs:boolean (true, false, 1, 0); read as false",
                          describe(element, "rid"), attribute, shorten(value)));
  return false;
}

}  // namespace oi::codec::xml

namespace oi::codec::xml {

std::optional<Profile> element_profile(pugi::xml_node element, std::string_view legacy_name,
                                       std::string_view omemo2_name) {
  if (element.type() != pugi::node_element) return std::nullopt;
  std::string ns = namespace_of(element);
  if (ns == kLegacyNamespace && local_name(element) == legacy_name) return Profile::legacy;
  if (ns == kOmemo2Namespace && local_name(element) == omemo2_name) return Profile::omemo2;
  return std::nullopt;
}

bool is_omemo1_namespace(std::string_view ns) {
  return ns == kOmemo1Namespace ||
         (ns.starts_with(kOmemo1Namespace) && ns.size() > kOmemo1Namespace.size() &&
          ns[kOmemo1Namespace.size()] == ':');
}

void report_unexpected_element(Context& context, pugi::xml_node element,
                               std::string_view expected) {
  std::string ns = namespace_of(element);
  if (is_omemo1_namespace(ns)) {
    context.add("R-OM2-068", Severity::must, element,
                fmt::format("<{} xmlns='{}'>: OMEMO 1 namespace (XEP-0384 0.4-0.8.0), a different "
                            "protocol from urn:xmpp:omemo:2 (A-21)",
                            local_name(element), ns));
    return;
  }
  context.add("LINT", Severity::must, element,
              fmt::format("<{} xmlns='{}'> is not {}", local_name(element), ns, expected));
}

}  // namespace oi::codec::xml
