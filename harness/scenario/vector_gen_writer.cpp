#include "scenario/vector_gen_writer.h"

#include <cstdio>

namespace oi::scenario::vector_gen {
namespace {

constexpr std::size_t kHexChunk = 64;  // hex digits per line, as vecwriter.py

std::string render_hex(ByteView bytes) {
  const std::string digits = to_hex(bytes);
  if (digits.size() <= kHexChunk) return digits;
  std::string out;
  for (std::size_t i = 0; i < digits.size(); i += kHexChunk) {
    if (i != 0) out += "\n    ";
    out += digits.substr(i, kHexChunk);
  }
  return out;
}

std::string render_text(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    }
  }
  return out + "\"";
}

std::string render_value(const Value& value) {
  struct Visitor {
    std::string operator()(const Bytes& bytes) const { return render_hex(bytes); }
    std::string operator()(std::int64_t n) const { return std::to_string(n); }
    std::string operator()(const Text& t) const { return render_text(t.text); }
    std::string operator()(const Word& w) const { return w.word; }
    std::string operator()(const List& l) const {
      std::string out;
      for (const auto& item : l.items) out += (out.empty() ? "" : ",") + item;
      return out;
    }
  };
  return std::visit(Visitor{}, value);
}

}  // namespace

VecWriter::VecWriter(std::string title, std::string check, std::vector<std::string> requirements,
                     std::vector<std::string> fields)
    : check_(std::move(check)), requirements_(std::move(requirements)), fields_(std::move(fields)) {
  headers_.emplace_back("format", "omemo-vec/1");
  headers_.emplace_back("title", std::move(title));
}

void VecWriter::header(std::string key, std::string value) {
  headers_.emplace_back(std::move(key), std::move(value));
}

void VecWriter::comment(std::string_view text) {
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string_view line =
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    std::string rendered = "# " + std::string(line);
    while (!rendered.empty() && rendered.back() == ' ') rendered.pop_back();
    preamble_.push_back(rendered);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
}

void VecWriter::group(std::string name, FieldList fields, std::vector<std::string> comments) {
  groups_.push_back(Group{std::move(name), std::move(comments), std::move(fields), {}});
}

void VecWriter::record(std::string_view result, FieldList fields) {
  FieldList record;
  record.emplace_back("Id", next_id_++);
  record.emplace_back("Result", Word{std::string(result)});
  for (auto& field : fields) record.push_back(std::move(field));
  groups_.back().records.push_back(std::move(record));
}

std::string VecWriter::render() const {
  std::vector<std::string> lines;
  for (const auto& [key, value] : headers_) lines.push_back("#! " + key + ": " + value);
  std::string requirements;
  for (const auto& id : requirements_) requirements += (requirements.empty() ? "" : ", ") + id;
  lines.push_back("#! requirements: " + requirements);
  lines.push_back("#! check: " + check_);
  std::string fields;
  for (const auto& field : fields_) fields += (fields.empty() ? "" : " ") + field;
  lines.push_back("#! fields: " + fields +
                  " Id:int Result:enum Flags:list Comment:str Policy:str Upstream:str");
  for (const auto& line : preamble_) lines.push_back(line);
  for (const Group& group : groups_) {
    lines.emplace_back();
    for (const auto& comment : group.comments) lines.push_back("# " + comment);
    lines.push_back("[" + group.name + "]");
    for (const auto& [key, value] : group.fields)
      lines.push_back(key + " = " + render_value(value));
    lines.emplace_back();
    for (const FieldList& record : group.records) {
      for (const auto& [key, value] : record) lines.push_back(key + " = " + render_value(value));
      lines.emplace_back();
    }
    if (lines.back().empty()) lines.pop_back();
  }
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

KeySource::KeySource(std::string_view seed) : root_(crypto::RandomSource::seeded(as_bytes(seed))) {}

Bytes KeySource::bytes(std::string_view label, std::size_t count) const {
  crypto::RandomSource stream = root_.derive(label);
  return stream.bytes(count);
}

Key32 KeySource::key32(std::string_view label) const {
  crypto::RandomSource stream = root_.derive(label);
  return stream.array<32>();
}

Key32 KeySource::curve_private(std::string_view label) const {
  Key32 key = key32(label);
  key[0] &= 248;
  key[31] &= 127;
  key[31] |= 64;
  return key;
}

ByteArray<64> KeySource::nonce64(std::string_view label) const {
  crypto::RandomSource stream = root_.derive(label);
  return stream.array<64>();
}

Bytes varint(std::uint64_t value) {
  Bytes out;
  do {
    auto byte = static_cast<std::uint8_t>(value & 0x7f);
    value >>= 7;
    if (value != 0) byte |= 0x80;
    out.push_back(byte);
  } while (value != 0);
  return out;
}

Bytes field_varint(std::uint32_t number, std::uint64_t value) {
  Bytes out = varint(static_cast<std::uint64_t>(number) << 3);
  Bytes encoded = varint(value);
  out.insert(out.end(), encoded.begin(), encoded.end());
  return out;
}

Bytes field_bytes(std::uint32_t number, ByteView value) {
  Bytes out = varint((static_cast<std::uint64_t>(number) << 3) | 2);
  Bytes length = varint(value.size());
  out.insert(out.end(), length.begin(), length.end());
  out.insert(out.end(), value.begin(), value.end());
  return out;
}

}  // namespace oi::scenario::vector_gen
