// The omemo-vec/1 known-answer vector file format (reference/vector-sources.md §7,
// vectors/README.md).
//
// Contract: parsing never throws on bad data. It returns the file model plus a list of errors,
// each naming file:line[:column]. A record with an error is skipped (it does not appear in
// `records`); every other record of the file still loads. A group whose group-level fields have
// an error, or a malformed [group] line, loads no records (each is skipped with an error
// naming the group).
//
// Syntax summary (the README has the full text):
//   #! key: value        header lines, before the first [group]; keys are listed in VecHeader
//   # ...                comment (anywhere)
//   [Group name]         starts a group; the lines right after it, up to the first blank line,
//                        are group-level fields inherited by every record of the group
//   Name = value         a field; consecutive field lines form a record, a blank line ends it
//     continuation       a line starting with whitespace continues the previous hex value
// Field types (declared in `#! fields: Name:type ...`): hex (lowercase, even length, may be
// empty; a "text" value is also accepted and means its UTF-8 bytes), int (decimal), str
// ("text" with \n \t \" \\ \xNN escapes), enum (a bare word; `Name:enum(a|b)` restricts it),
// list (comma-separated bare words, may be empty).
// Reserved fields, always known with a fixed type: Id:int (required, unique per file),
// Result:enum(valid|invalid|acceptable) (required), Flags:list, Comment:str, Upstream:str,
// Policy:str.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"

namespace oi::codec {

enum class VecFieldType { hex, integer, str, enumeration, list };

std::string_view vec_field_type_name(VecFieldType type);

struct VecFieldDecl {
  std::string name;
  VecFieldType type = VecFieldType::hex;
  std::vector<std::string> enum_values;  // empty: any bare word
};

struct VecValue {
  VecFieldType type = VecFieldType::hex;
  int line = 0;                    // line of the `Name = value` line
  Bytes bytes;                     // hex
  std::int64_t integer = 0;        // int
  std::string text;                // str (unescaped) and enum
  std::vector<std::string> items;  // list
  bool inherited = false;          // true when it came from the group-level fields
};

struct VecGroup {
  std::string name;
  int line = 0;
  std::map<std::string, VecValue> fields;  // group-level fields
};

enum class VecResult { valid, invalid, acceptable };
std::string_view vec_result_name(VecResult result);

struct VecRecord {
  std::string group;
  int line = 0;  // line of the record's first field
  std::int64_t id = 0;
  VecResult result = VecResult::valid;
  std::vector<std::string> flags;
  std::string comment;
  std::string upstream;
  std::string policy;
  // Every field of the record, reserved ones included, plus the inherited group-level fields
  // (marked `inherited`; a record's own field of the same name overrides the group's).
  std::map<std::string, VecValue> fields;

  const VecValue* find(std::string_view name) const;
};

struct VecHeader {
  std::string format;  // "omemo-vec/1"
  std::string title;
  std::string spec;
  std::vector<std::string> sources;          // `source`, repeatable
  std::vector<std::string> upstream_sha256;  // `upstream-sha256`, repeatable
  std::string license;
  std::vector<std::string> notices;        // `notice`, repeatable
  std::vector<std::string> generators;     // `generator`, repeatable
  std::vector<std::string> cross_checked;  // `cross-checked`, repeatable
  std::vector<std::string> requirements;   // `requirements`, comma-separated, repeatable
  std::string check;                       // `check`: the checker the runner uses
  std::vector<VecFieldDecl> fields;        // `fields`, repeatable (concatenated)
};

struct VecFile {
  std::string name;  // as given to the parser; used in error texts
  VecHeader header;
  std::vector<VecGroup> groups;
  std::vector<VecRecord> records;  // in file order

  const VecFieldDecl* field(std::string_view field_name) const;
};

struct VecError {
  std::string file;
  int line = 0;
  int column = 0;  // 0: not meaningful
  std::string message;

  // "file:line: message" or "file:line:column: message".
  std::string to_string() const;
};

struct VecParseResult {
  VecFile file;
  std::vector<VecError> errors;

  bool ok() const { return errors.empty(); }
};

// Parses `text`; `file_name` only labels errors and VecFile::name.
VecParseResult parse_vec(std::string_view text, std::string_view file_name);

// Reads and parses a file; an unreadable file gives one error at line 0.
VecParseResult load_vec_file(const std::filesystem::path& path);

}  // namespace oi::codec
