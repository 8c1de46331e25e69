#include "codec/vec_file.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

namespace oi::codec {

namespace {

struct ReservedField {
  std::string_view name;
  VecFieldType type;
};

constexpr std::array<ReservedField, 6> kReserved{{
    {"Id", VecFieldType::integer},
    {"Result", VecFieldType::enumeration},
    {"Flags", VecFieldType::list},
    {"Comment", VecFieldType::str},
    {"Upstream", VecFieldType::str},
    {"Policy", VecFieldType::str},
}};

const ReservedField* find_reserved(std::string_view name) {
  for (const auto& reserved : kReserved) {
    if (reserved.name == name) return &reserved;
  }
  return nullptr;
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

// 1-based column of `part`, a view into `line`.
int column_of(std::string_view line, std::string_view part) {
  return static_cast<int>(part.data() - line.data()) + 1;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

bool is_name_char(char c, bool first) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_') return true;
  return !first && ((c >= '0' && c <= '9') || c == '-');
}

bool is_identifier(std::string_view text) {
  if (text.empty()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!is_name_char(text[i], i == 0)) return false;
  }
  return true;
}

// Bare words: enum values and list items (Wycheproof flag names, checker names).
bool is_bare_word(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.' || c == '+' || c == '/';
    if (!ok) return false;
  }
  return true;
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  while (true) {
    std::size_t comma = text.find(',');
    out.emplace_back(trim(text.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::string printable(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      static constexpr char kDigits[] = "0123456789abcdef";
      out += "\\x";
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0x0f]);
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Requirement IDs of spec/requirements.md: R-LEG-nnn, R-OM2-nnn, R-SRV-nnn, A-nn.
bool is_requirement_id(std::string_view id) {
  auto digits = [](std::string_view text, std::size_t count) {
    return text.size() == count &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  for (std::string_view prefix : {"R-LEG-", "R-OM2-", "R-SRV-"}) {
    if (id.substr(0, prefix.size()) == prefix) return digits(id.substr(prefix.size()), 3);
  }
  if (id.substr(0, 2) == "A-") return digits(id.substr(2), 2);
  return false;
}

struct TextPiece {
  int line;
  int column;  // column of piece[0]
  std::string_view text;
};

// A field whose value may still grow by continuation lines.
struct PendingField {
  std::string name;
  int line = 0;
  const VecFieldDecl* decl = nullptr;
  std::vector<TextPiece> pieces;
  bool to_group = false;
};

class Parser {
 public:
  Parser(std::string_view text, std::string_view file_name) : text_(text) {
    result_.file.name = std::string(file_name);
  }

  VecParseResult run() {
    int line_number = 0;
    std::size_t pos = 0;
    while (pos <= text_.size()) {
      std::size_t end = text_.find('\n', pos);
      if (end == std::string_view::npos) end = text_.size();
      std::string_view line = text_.substr(pos, end - pos);
      ++line_number;
      handle_line(line, line_number);
      if (end == text_.size()) break;
      pos = end + 1;
    }
    end_of_input(line_number);
    return std::move(result_);
  }

 private:
  void error(int line, int column, std::string message) {
    result_.errors.push_back({result_.file.name, line, column, std::move(message)});
  }

  void handle_line(std::string_view line, int n) {
    if (!line.empty() && line.back() == '\r') {
      if (!reported_cr_) error(n, static_cast<int>(line.size()), "CR line ending (use LF only)");
      reported_cr_ = true;
      line.remove_suffix(1);
    }
    if (trim(line).empty()) {
      blank_line();
      return;
    }
    if (line.substr(0, 2) == "#!") {
      header_line(line, n);
      return;
    }
    if (line.front() == '#') return;
    if (line.front() == '[') {
      group_line(line, n);
      return;
    }
    if (is_space(line.front())) {
      continuation_line(line, n);
      return;
    }
    field_line(line, n);
  }

  // ---- header ----

  void header_line(std::string_view line, int n) {
    if (!result_.file.groups.empty() || record_open_) {
      error(n, 1, "header line '#!' after the first group (headers go at the top)");
      return;
    }
    std::string_view body = line.substr(2);
    std::size_t colon = body.find(':');
    if (colon == std::string_view::npos) {
      error(n, 3, "header line without ':' (expected '#! key: value')");
      return;
    }
    std::string key(trim(body.substr(0, colon)));
    std::string_view value_view = trim(body.substr(colon + 1));
    std::string value(value_view);
    const int value_column = column_of(line, value_view);
    auto& h = result_.file.header;
    auto single = [&](std::string& slot) {
      if (!seen_keys_.insert(key).second) {
        error(n, 4, "duplicate header key '" + key + "'");
        return;
      }
      slot = value;
    };
    if (key == "format") {
      single(h.format);
      if (h.format != "omemo-vec/1") {
        error(n, value_column,
              "unsupported format '" + printable(value) + "' (expected omemo-vec/1)");
      }
    } else if (key == "title") {
      single(h.title);
    } else if (key == "spec") {
      single(h.spec);
    } else if (key == "license") {
      single(h.license);
    } else if (key == "check") {
      single(h.check);
      if (!is_bare_word(value))
        error(n, value_column, "bad checker name '" + printable(value) + "'");
    } else if (key == "source") {
      h.sources.push_back(value);
    } else if (key == "upstream-sha256") {
      h.upstream_sha256.push_back(value);
    } else if (key == "notice") {
      h.notices.push_back(value);
    } else if (key == "generator") {
      h.generators.push_back(value);
    } else if (key == "cross-checked") {
      h.cross_checked.push_back(value);
    } else if (key == "requirements") {
      for (const auto& id : split_commas(value)) {
        if (!is_requirement_id(id)) {
          error(n, value_column,
                "bad requirement ID '" + printable(id) +
                    "' (expected R-LEG-nnn, R-OM2-nnn, R-SRV-nnn or A-nn)");
        } else {
          h.requirements.push_back(id);
        }
      }
    } else if (key == "fields") {
      field_declarations(value, n, value_column);
    } else {
      error(n, 4, "unknown header key '" + printable(key) + "'");
    }
  }

  void field_declarations(std::string_view value, int n, int value_column) {
    std::size_t pos = 0;
    while (pos < value.size()) {
      while (pos < value.size() && is_space(value[pos])) ++pos;
      if (pos >= value.size()) break;
      std::size_t end = pos;
      while (end < value.size() && !is_space(value[end])) ++end;
      declare_field(value.substr(pos, end - pos), n, value_column + static_cast<int>(pos));
      pos = end;
    }
  }

  void declare_field(std::string_view token, int n, int column) {
    std::size_t colon = token.find(':');
    std::string_view name = token.substr(0, colon);
    if (colon == std::string_view::npos || !is_identifier(name)) {
      error(n, column, "bad field declaration '" + printable(token) + "' (expected Name:type)");
      return;
    }
    std::string_view type = token.substr(colon + 1);
    VecFieldDecl decl;
    decl.name = std::string(name);
    if (type == "hex") {
      decl.type = VecFieldType::hex;
    } else if (type == "int") {
      decl.type = VecFieldType::integer;
    } else if (type == "str") {
      decl.type = VecFieldType::str;
    } else if (type == "list") {
      decl.type = VecFieldType::list;
    } else if (type == "enum") {
      decl.type = VecFieldType::enumeration;
    } else if (type.substr(0, 5) == "enum(" && type.size() > 6 && type.back() == ')') {
      decl.type = VecFieldType::enumeration;
      std::string_view values = type.substr(5, type.size() - 6);
      while (true) {
        std::size_t bar = values.find('|');
        std::string_view item = values.substr(0, bar);
        if (!is_bare_word(item)) {
          error(n, column,
                "bad enum value '" + printable(item) + "' in declaration of " + decl.name);
          return;
        }
        decl.enum_values.emplace_back(item);
        if (bar == std::string_view::npos) break;
        values.remove_prefix(bar + 1);
      }
    } else {
      error(n, column,
            "unknown field type '" + printable(type) + "' for " + decl.name +
                " (hex, int, str, enum, enum(a|b), list)");
      return;
    }
    if (const ReservedField* reserved = find_reserved(decl.name)) {
      if (reserved->type != decl.type) {
        error(n, column,
              "reserved field " + decl.name + " has type " +
                  std::string(vec_field_type_name(reserved->type)));
      }
      return;  // reserved fields keep their built-in declaration
    }
    if (result_.file.field(decl.name) != nullptr) {
      error(n, column, "field " + decl.name + " declared twice");
      return;
    }
    result_.file.header.fields.push_back(std::move(decl));
  }

  // ---- groups and records ----

  void group_line(std::string_view line, int n) {
    finish_pending();
    finish_record();
    std::string_view body = trim(line);
    VecGroup group;
    group.line = n;
    group_bad_ = false;
    if (body.back() != ']' || trim(body.substr(1, body.size() - 1)).size() < 2) {
      // The group still exists, so that its records are skipped with a pointer to this line.
      error(n, 1, "bad group line (expected '[name]')");
      group.name = printable(body);
      group_bad_ = true;
    } else {
      group.name = std::string(trim(body.substr(1, body.size() - 2)));
    }
    result_.file.groups.push_back(std::move(group));
    group_index_ = static_cast<int>(result_.file.groups.size()) - 1;
    in_group_fields_ = true;
    group_field_lines_.clear();
  }

  void blank_line() {
    finish_pending();
    if (in_group_fields_) {
      in_group_fields_ = false;
      return;
    }
    finish_record();
  }

  void continuation_line(std::string_view line, int n) {
    std::string_view content = trim(line);
    int column = static_cast<int>(line.find_first_not_of(" \t")) + 1;
    if (!pending_) {
      error(n, column, "continuation line without a field before it");
      mark_bad();
      return;
    }
    if (pending_->decl != nullptr && pending_->decl->type != VecFieldType::hex) {
      error(n, column, "continuation line for " + pending_->name + ", which is not a hex field");
      mark_bad();
      return;
    }
    if (!pending_->pieces.empty() && !pending_->pieces.front().text.empty() &&
        pending_->pieces.front().text.front() == '"') {
      error(n, column, "continuation line after a \"text\" value of " + pending_->name);
      mark_bad();
      return;
    }
    pending_->pieces.push_back({n, column, content});
  }

  void field_line(std::string_view line, int n) {
    finish_pending();
    std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      error(n, 1, "expected 'Name = value'");
      if (!in_group_fields_) open_record_if_needed(n);
      mark_bad();
      return;
    }
    std::string name(trim(line.substr(0, eq)));
    std::string_view value = trim(line.substr(eq + 1));
    const int value_column = column_of(line, value);

    const bool to_group = in_group_fields_;
    if (!to_group) open_record_if_needed(n);
    if (group_index_ < 0) {
      if (!orphan_reported_) error(n, 1, "record before any [group]");
      orphan_reported_ = true;
      mark_bad();
      return;
    }
    if (!is_identifier(name)) {
      error(n, 1, "bad field name '" + printable(name) + "'");
      mark_bad();
      return;
    }
    const VecFieldDecl* decl = lookup(name);
    if (decl == nullptr) {
      error(n, 1, "unknown field '" + name + "' (not declared in '#! fields:' and not reserved)");
      mark_bad();
      return;
    }
    if (to_group && (name == "Id" || name == "Result")) {
      error(
          n, 1,
          "reserved field " + name +
              " at group level (records start after the first blank line below the [group] line)");
      mark_bad();
      return;
    }
    auto& seen = to_group ? group_field_lines_ : record_field_lines_;
    auto [it, inserted] = seen.emplace(name, n);
    if (!inserted) {
      error(n, 1,
            "duplicate field '" + name + "' in " + (to_group ? "group" : "record") +
                " (first at line " + std::to_string(it->second) + ")");
      mark_bad();
      return;
    }
    PendingField pending;
    pending.name = name;
    pending.line = n;
    pending.decl = decl;
    pending.to_group = to_group;
    pending.pieces.push_back({n, value_column, value});
    pending_ = std::move(pending);
  }

  const VecFieldDecl* lookup(const std::string& name) {
    if (const ReservedField* reserved = find_reserved(name)) {
      auto [it, inserted] = reserved_decls_.try_emplace(name);
      if (inserted) {
        it->second.name = name;
        it->second.type = reserved->type;
        if (name == "Result") it->second.enum_values = {"valid", "invalid", "acceptable"};
      }
      return &it->second;
    }
    return result_.file.field(name);
  }

  void open_record_if_needed(int n) {
    if (record_open_) return;
    record_open_ = true;
    record_bad_ = group_bad_;
    record_ = VecRecord{};
    record_.line = n;
    record_field_lines_.clear();
    if (group_index_ >= 0) {
      record_.group = result_.file.groups[static_cast<std::size_t>(group_index_)].name;
      if (group_bad_) {
        const VecGroup& group = result_.file.groups[static_cast<std::size_t>(group_index_)];
        error(n, 0,
              "record skipped: group '" + group.name + "' (line " + std::to_string(group.line) +
                  ") has errors");
      }
    }
  }

  void mark_bad() {
    if (in_group_fields_) {
      group_bad_ = true;
    } else {
      record_bad_ = true;
    }
  }

  void finish_pending() {
    if (!pending_) return;
    PendingField pending = std::move(*pending_);
    pending_.reset();
    VecValue value;
    value.type = pending.decl->type;
    value.line = pending.line;
    if (!convert(pending, value)) {
      mark_bad();
      return;
    }
    if (pending.to_group) {
      if (group_index_ >= 0) {
        result_.file.groups[static_cast<std::size_t>(group_index_)].fields[pending.name] =
            std::move(value);
      }
    } else {
      record_.fields[pending.name] = std::move(value);
    }
  }

  // Unescapes a "text" value starting at piece.text[0] == '"'.
  std::optional<std::string> unquote(const TextPiece& piece, const std::string& name) {
    std::string out;
    std::string_view text = piece.text;
    std::size_t i = 1;
    while (i < text.size()) {
      char c = text[i];
      if (c == '"') {
        if (!trim(text.substr(i + 1)).empty()) {
          error(piece.line, piece.column + static_cast<int>(i) + 1,
                "text after the closing quote of " + name);
          return std::nullopt;
        }
        return out;
      }
      if (c != '\\') {
        out.push_back(c);
        ++i;
        continue;
      }
      if (i + 1 >= text.size()) break;
      char e = text[i + 1];
      const int column = piece.column + static_cast<int>(i);
      switch (e) {
        case 'n':
          out.push_back('\n');
          i += 2;
          break;
        case 't':
          out.push_back('\t');
          i += 2;
          break;
        case '"':
        case '\\':
          out.push_back(e);
          i += 2;
          break;
        case 'x': {
          int high = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
          int low = i + 3 < text.size() ? hex_value(text[i + 3]) : -1;
          if (high < 0 || low < 0) {
            error(piece.line, column, "bad escape in " + name + " (\\x needs two hex digits)");
            return std::nullopt;
          }
          out.push_back(static_cast<char>(high << 4 | low));
          i += 4;
          break;
        }
        default:
          error(piece.line, column,
                "bad escape '\\" + printable(std::string_view(&e, 1)) + "' in " + name +
                    " (allowed: \\n \\t \\\" \\\\ \\xNN)");
          return std::nullopt;
      }
    }
    error(piece.line, piece.column, "unterminated string in " + name);
    return std::nullopt;
  }

  bool convert(const PendingField& pending, VecValue& value) {
    const TextPiece& first = pending.pieces.front();
    const std::string& name = pending.name;
    switch (pending.decl->type) {
      case VecFieldType::hex: {
        if (!first.text.empty() && first.text.front() == '"') {
          auto text = unquote(first, name);
          if (!text) return false;
          value.bytes.assign(text->begin(), text->end());
          return true;
        }
        std::size_t digits = 0;
        for (const TextPiece& piece : pending.pieces) {
          for (std::size_t i = 0; i < piece.text.size(); ++i) {
            char c = piece.text[i];
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) continue;
            const int column = piece.column + static_cast<int>(i);
            if (c >= 'A' && c <= 'F') {
              error(piece.line, column, "uppercase hex digit in " + name + " (use lowercase)");
            } else {
              error(piece.line, column,
                    "non-hex character '" + printable(std::string_view(&c, 1)) + "' in " + name);
            }
            return false;
          }
          digits += piece.text.size();
        }
        if (digits % 2 != 0) {
          error(first.line, first.column,
                "odd-length hex value for " + name + " (" + std::to_string(digits) + " digits)");
          return false;
        }
        value.bytes.reserve(digits / 2);
        int high = -1;
        for (const TextPiece& piece : pending.pieces) {
          for (char c : piece.text) {
            if (high < 0) {
              high = hex_value(c);
            } else {
              value.bytes.push_back(static_cast<std::uint8_t>(high << 4 | hex_value(c)));
              high = -1;
            }
          }
        }
        return true;
      }
      case VecFieldType::integer: {
        std::string_view text = first.text;
        std::int64_t number = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() ||
            (text.size() > 1 && text[0] == '0') || text.substr(0, 2) == "-0") {
          error(first.line, first.column,
                "bad int value '" + printable(text) + "' for " + name + " (decimal expected)");
          return false;
        }
        value.integer = number;
        return true;
      }
      case VecFieldType::str: {
        if (first.text.empty() || first.text.front() != '"') {
          error(first.line, first.column, "str field " + name + " needs a \"quoted\" value");
          return false;
        }
        auto text = unquote(first, name);
        if (!text) return false;
        value.text = std::move(*text);
        return true;
      }
      case VecFieldType::enumeration: {
        std::string_view text = first.text;
        const auto& allowed = pending.decl->enum_values;
        if (!is_bare_word(text) || (!allowed.empty() && std::find(allowed.begin(), allowed.end(),
                                                                  text) == allowed.end())) {
          std::string list;
          for (const auto& item : allowed) list += (list.empty() ? "" : "|") + item;
          error(first.line, first.column,
                "bad " + name + " value '" + printable(text) + "'" +
                    (list.empty() ? std::string() : " (expected " + list + ")"));
          return false;
        }
        value.text = std::string(text);
        return true;
      }
      case VecFieldType::list: {
        if (first.text.empty()) return true;
        for (auto& item : split_commas(first.text)) {
          if (!is_bare_word(item)) {
            error(first.line, first.column,
                  "bad list item '" + printable(item) + "' in " + name +
                      " (comma-separated words expected)");
            return false;
          }
          value.items.push_back(std::move(item));
        }
        return true;
      }
    }
    return false;
  }

  void finish_record() {
    if (!record_open_) return;
    record_open_ = false;
    orphan_reported_ = false;
    if (record_bad_ || group_index_ < 0) return;
    const VecValue* id = record_.find("Id");
    const VecValue* result = record_.find("Result");
    if (id == nullptr || result == nullptr) {
      error(record_.line, 0,
            std::string("record without ") + (id == nullptr ? "Id" : "Result") + " (skipped)");
      return;
    }
    auto [it, inserted] = ids_.emplace(id->integer, id->line);
    if (!inserted) {
      error(id->line, 0,
            "duplicate Id " + std::to_string(id->integer) + " (first at line " +
                std::to_string(it->second) + "); record skipped");
      return;
    }
    record_.id = id->integer;
    record_.result = result->text == "valid"     ? VecResult::valid
                     : result->text == "invalid" ? VecResult::invalid
                                                 : VecResult::acceptable;
    if (const VecValue* flags = record_.find("Flags")) record_.flags = flags->items;
    if (const VecValue* comment = record_.find("Comment")) record_.comment = comment->text;
    if (const VecValue* upstream = record_.find("Upstream")) record_.upstream = upstream->text;
    if (const VecValue* policy = record_.find("Policy")) record_.policy = policy->text;
    for (const auto& [name, value] :
         result_.file.groups[static_cast<std::size_t>(group_index_)].fields) {
      auto [field, added] = record_.fields.emplace(name, value);
      if (added) field->second.inherited = true;
    }
    result_.file.records.push_back(std::move(record_));
  }

  void end_of_input(int last_line) {
    finish_pending();
    in_group_fields_ = false;
    finish_record();
    if (result_.file.header.format.empty()) {
      error(1, 0, "missing '#! format: omemo-vec/1' header");
    }
    (void)last_line;
  }

  std::string_view text_;
  VecParseResult result_;
  std::set<std::string> seen_keys_;
  std::map<std::string, VecFieldDecl> reserved_decls_;
  std::map<std::int64_t, int> ids_;  // Id -> line

  int group_index_ = -1;
  bool group_bad_ = false;
  bool in_group_fields_ = false;
  std::map<std::string, int> group_field_lines_;

  bool record_open_ = false;
  bool record_bad_ = false;
  bool orphan_reported_ = false;
  VecRecord record_;
  std::map<std::string, int> record_field_lines_;

  std::optional<PendingField> pending_;
  bool reported_cr_ = false;
};

}  // namespace

std::string_view vec_field_type_name(VecFieldType type) {
  switch (type) {
    case VecFieldType::hex:
      return "hex";
    case VecFieldType::integer:
      return "int";
    case VecFieldType::str:
      return "str";
    case VecFieldType::enumeration:
      return "enum";
    case VecFieldType::list:
      return "list";
  }
  return "?";
}

std::string_view vec_result_name(VecResult result) {
  switch (result) {
    case VecResult::valid:
      return "valid";
    case VecResult::invalid:
      return "invalid";
    case VecResult::acceptable:
      return "acceptable";
  }
  return "?";
}

const VecValue* VecRecord::find(std::string_view name) const {
  auto it = fields.find(std::string(name));
  return it == fields.end() ? nullptr : &it->second;
}

const VecFieldDecl* VecFile::field(std::string_view field_name) const {
  for (const auto& decl : header.fields) {
    if (decl.name == field_name) return &decl;
  }
  return nullptr;
}

std::string VecError::to_string() const {
  std::string out = file + ":" + std::to_string(line);
  if (column > 0) out += ":" + std::to_string(column);
  return out + ": " + message;
}

VecParseResult parse_vec(std::string_view text, std::string_view file_name) {
  return Parser(text, file_name).run();
}

VecParseResult load_vec_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    VecParseResult result;
    result.file.name = path.string();
    result.errors.push_back({path.string(), 0, 0, "cannot read the file"});
    return result;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_vec(buffer.str(), path.string());
}

}  // namespace oi::codec
