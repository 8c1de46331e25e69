#include "codec/protobuf_wire.h"

#include <fmt/format.h>

#include <algorithm>

namespace oi::codec::pb {

std::string wire_type_name(std::uint32_t wire_type) {
  switch (wire_type) {
    case 0:
      return "varint";
    case 1:
      return "fixed64";
    case 2:
      return "length-delimited";
    case 3:
      return "start-group";
    case 4:
      return "end-group";
    case 5:
      return "fixed32";
    default:
      return fmt::format("wire type {}", wire_type);
  }
}

void Writer::append_varint(Bytes& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(value));
}

void Writer::tag(std::uint32_t number, WireType type) {
  append_varint(out_, (static_cast<std::uint64_t>(number) << 3) | static_cast<std::uint8_t>(type));
}

void Writer::varint_field(std::uint32_t number, std::uint64_t value) {
  tag(number, WireType::varint);
  append_varint(out_, value);
}

void Writer::bytes_field(std::uint32_t number, ByteView value) {
  tag(number, WireType::length_delimited);
  append_varint(out_, value.size());
  out_.insert(out_.end(), value.begin(), value.end());
}

void Writer::fixed32_field(std::uint32_t number, std::uint32_t value) {
  tag(number, WireType::fixed32);
  for (int i = 0; i < 4; ++i) out_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

void Writer::fixed64_field(std::uint32_t number, std::uint64_t value) {
  tag(number, WireType::fixed64);
  for (int i = 0; i < 8; ++i) out_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

void Reader::set_error(IssueKind kind, std::size_t offset, std::string message) {
  error_ = Issue{kind, Severity::must, base_ + offset, std::move(message), {}};
  pos_ = data_.size();
}

std::optional<std::uint64_t> Reader::read_varint(std::string_view what) {
  std::size_t start = pos_;
  std::uint64_t value = 0;
  for (int i = 0; i < 10; ++i) {
    if (pos_ >= data_.size()) {
      set_error(IssueKind::truncated_varint, start,
                fmt::format("truncated varint at byte {} ({}): the data ends after {} byte(s) "
                            "with the continuation bit set",
                            base_ + start, what, pos_ - start));
      return std::nullopt;
    }
    std::uint8_t byte = data_[pos_++];
    if (i == 9 && byte > 1) {
      set_error(
          IssueKind::overlong_varint, start,
          fmt::format("overlong varint at byte {} ({}): more than 64 bits", base_ + start, what));
      return std::nullopt;
    }
    value |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      if (byte == 0 && i > 0)
        notes_.push_back(Issue{IssueKind::non_minimal_varint,
                               Severity::note,
                               base_ + start,
                               fmt::format("non-minimal varint at byte {} ({}): {} bytes with a "
                                           "redundant zero continuation",
                                           base_ + start, what, i + 1),
                               {}});
      return value;
    }
  }
  set_error(
      IssueKind::overlong_varint, start,
      fmt::format("overlong varint at byte {} ({}): more than 10 bytes", base_ + start, what));
  return std::nullopt;
}

std::optional<WireField> Reader::next() {
  if (error_ || pos_ >= data_.size()) return std::nullopt;
  WireField field;
  field.offset = base_ + pos_;
  std::size_t tag_pos = pos_;
  if (data_[pos_] == 0) {
    bool all_zero = std::all_of(data_.begin() + static_cast<std::ptrdiff_t>(pos_), data_.end(),
                                [](std::uint8_t b) { return b == 0; });
    if (all_zero) {
      set_error(IssueKind::trailing_bytes, tag_pos,
                fmt::format("{} trailing zero byte(s) at byte {}", data_.size() - tag_pos,
                            base_ + tag_pos));
      return std::nullopt;
    }
  }
  auto tag = read_varint("field tag");
  if (!tag) return std::nullopt;
  std::uint64_t number = *tag >> 3;
  field.wire_type = static_cast<std::uint32_t>(*tag & 7);
  if (number == 0 || number > 0x1fffffff) {
    set_error(IssueKind::invalid_tag, tag_pos,
              fmt::format("invalid field number {} at byte {}", number, base_ + tag_pos));
    return std::nullopt;
  }
  field.number = static_cast<std::uint32_t>(number);
  // Built for every field, used only in messages: kept cheaper than fmt::format (short strings
  // stay in the small-string buffer).
  std::string what = "field " + std::to_string(field.number);
  switch (field.wire_type) {
    case 0: {
      auto value = read_varint(what);
      if (!value) return std::nullopt;
      field.varint = *value;
      break;
    }
    case 1:
    case 5: {
      std::size_t width = field.wire_type == 1 ? 8 : 4;
      if (data_.size() - pos_ < width) {
        set_error(IssueKind::truncated_fixed, tag_pos,
                  fmt::format("truncated {} at byte {} ({}): {} byte(s) left, {} needed",
                              wire_type_name(field.wire_type), base_ + tag_pos, what,
                              data_.size() - pos_, width));
        return std::nullopt;
      }
      for (std::size_t i = 0; i < width; ++i)
        field.varint |= static_cast<std::uint64_t>(data_[pos_ + i]) << (8 * i);
      pos_ += width;
      break;
    }
    case 2: {
      std::size_t length_pos = pos_;
      auto length = read_varint(what + " length");
      if (!length) return std::nullopt;
      if (*length > data_.size() - pos_) {
        set_error(
            IssueKind::truncated_length_delimited, tag_pos,
            fmt::format("truncated length-delimited field at byte {} ({}): length {} at "
                        "byte {} but only {} byte(s) follow",
                        base_ + tag_pos, what, *length, base_ + length_pos, data_.size() - pos_));
        return std::nullopt;
      }
      field.value_offset = base_ + pos_;
      field.bytes = data_.subspan(pos_, static_cast<std::size_t>(*length));
      pos_ += static_cast<std::size_t>(*length);
      return field;
    }
    default:
      set_error(IssueKind::invalid_tag, tag_pos,
                fmt::format("unsupported {} at byte {} ({})", wire_type_name(field.wire_type),
                            base_ + tag_pos, what));
      return std::nullopt;
  }
  field.value_offset = field.offset;
  return field;
}

Decoded decode(ByteView data, std::span<const FieldSpec> schema, std::string_view message_name,
               std::size_t base_offset) {
  Decoded out;
  out.fields.resize(schema.size());
  auto add = [&](IssueKind kind, Severity severity, std::size_t offset, std::string message) {
    out.issues.push_back(
        Issue{kind, severity, offset, fmt::format("{}: {}", message_name, message), {}});
  };
  auto field_label = [&](std::size_t index) {
    return fmt::format("field {} '{}'", schema[index].number, schema[index].name);
  };

  Reader reader(data, base_offset);
  std::uint32_t highest = 0;
  bool order_reported = false;
  while (auto field = reader.next()) {
    for (Issue& note : reader.take_notes())
      add(note.kind, note.severity, note.offset, note.message);

    if (field->number < highest && !order_reported) {
      add(IssueKind::out_of_order, Severity::note, field->offset,
          fmt::format("field {} at byte {} follows field {} (not in ascending order)",
                      field->number, field->offset, highest));
      order_reported = true;
    }
    highest = std::max(highest, field->number);

    auto spec = std::find_if(schema.begin(), schema.end(),
                             [&](const FieldSpec& s) { return s.number == field->number; });
    if (spec == schema.end()) {
      add(IssueKind::unknown_field, Severity::note, field->offset,
          fmt::format("unknown field {} ({}) at byte {} ignored", field->number,
                      wire_type_name(field->wire_type), field->offset));
      continue;
    }
    auto index = static_cast<std::size_t>(spec - schema.begin());
    std::uint32_t expected_type = spec->type == FieldType::uint32 ? 0 : 2;
    if (field->wire_type != expected_type) {
      add(IssueKind::wrong_wire_type, Severity::must, field->offset,
          fmt::format("{} at byte {} has wire type {} ({}), expected {} ({})", field_label(index),
                      field->offset, field->wire_type, wire_type_name(field->wire_type),
                      expected_type, wire_type_name(expected_type)));
      continue;
    }
    FieldValue& value = out.fields[index];
    if (value.present)
      add(IssueKind::duplicate_field, Severity::must, field->offset,
          fmt::format("{} occurs again at byte {} (first at byte {}); the last one wins",
                      field_label(index), field->offset, value.offset));
    value.present = true;
    value.offset = field->offset;
    value.value_offset = field->value_offset;
    if (spec->type == FieldType::uint32) {
      if (field->varint > 0xffffffffULL)
        add(IssueKind::value_out_of_range, Severity::must, field->offset,
            fmt::format("{} at byte {} holds {}, more than a uint32", field_label(index),
                        field->offset, field->varint));
      value.value = static_cast<std::uint32_t>(field->varint);
    } else {
      value.bytes = field->bytes;
      if (spec->exact_length != 0 && field->bytes.size() != spec->exact_length) {
        add(IssueKind::wrong_length, Severity::must, field->offset,
            fmt::format("{} at byte {} is {} byte(s) long, expected {}", field_label(index),
                        field->offset, field->bytes.size(), spec->exact_length));
        out.issues.back().requirement = spec->requirement;
      }
    }
  }
  for (Issue& note : reader.take_notes()) add(note.kind, note.severity, note.offset, note.message);
  if (reader.error()) {
    add(reader.error()->kind, Severity::must, reader.error()->offset, reader.error()->message);
  } else {
    out.complete = true;
  }
  for (std::size_t i = 0; i < schema.size(); ++i)
    if (schema[i].required && !out.fields[i].present)
      add(IssueKind::missing_required, Severity::must, base_offset + data.size(),
          fmt::format("missing required {}", field_label(i)));
  return out;
}

}  // namespace oi::codec::pb

namespace oi::codec::pb {

void append_findings(std::vector<Finding>& out, const std::vector<Issue>& issues,
                     std::string_view requirement, std::string_view encoding_requirement) {
  for (const Issue& issue : issues) {
    bool encoding =
        issue.kind == IssueKind::out_of_order || issue.kind == IssueKind::non_minimal_varint;
    std::string_view chosen = encoding ? encoding_requirement : requirement;
    if (!issue.requirement.empty()) chosen = issue.requirement;
    out.push_back(Finding{std::string(chosen), issue.severity, {}, issue.message});
  }
}

}  // namespace oi::codec::pb
