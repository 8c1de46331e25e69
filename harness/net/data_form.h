// XEP-0004 data forms, as far as the service needs them: submitted forms (publish-options,
// node configuration, room configuration, MAM filters) and the forms it returns.
#pragma once

#include <map>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace oi::net {

struct DataForm {
  std::string type = "submit";  // form, submit, result, cancel
  std::string form_type;        // the hidden FORM_TYPE value ("" when absent)
  // Field var -> values, FORM_TYPE excluded; ordered, so printing is deterministic.
  std::map<std::string, std::vector<std::string>> fields;

  // The first value of `var`, nullopt when the field is absent ("" for a field without value).
  std::optional<std::string> value(std::string_view var) const;
};

// Reads the first <x xmlns='jabber:x:data'> child of `parent`; nullopt when there is none.
std::optional<DataForm> read_form(pugi::xml_node parent);
// Appends <x xmlns='jabber:x:data' type=...> with a hidden FORM_TYPE (when set) and the fields.
void append_form(pugi::xml_node parent, const DataForm& form);

}  // namespace oi::net
