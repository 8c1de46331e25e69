// Making untrusted text (adapter output, stanzas, names) safe to put into HTML, XML and
// Markdown, and into file names.
#pragma once

#include <string>
#include <string_view>

namespace oi::report {

// `text` as valid UTF-8: every byte that does not start a well-formed sequence (overlong forms,
// surrogates and code points above U+10FFFF included) becomes U+FFFD; control characters other
// than tab, newline and carriage return become U+FFFD as well (XML 1.0 forbids them).
std::string valid_utf8(std::string_view text);

// valid_utf8(text) with & < > " ' replaced by character references: safe in element content
// and in quoted attribute values, including inside <script> and <style> (no '<' survives).
std::string html_escape(std::string_view text);

// A file-name-safe, unique-per-id slug: [a-z0-9-] runs of the id, cut to 80 characters, then
// '-' and 8 hex digits of a hash of the whole id (FNV-1a, stable across runs and platforms).
std::string file_slug(std::string_view id);

}  // namespace oi::report
