#include "net/data_form.h"

#include "net/namespaces.h"
#include "net/xml_tools.h"

namespace oi::net {

std::optional<std::string> DataForm::value(std::string_view var) const {
  auto it = fields.find(std::string(var));
  if (it == fields.end()) return std::nullopt;
  return it->second.empty() ? std::string() : it->second.front();
}

std::optional<DataForm> read_form(pugi::xml_node parent) {
  pugi::xml_node x = xml::child(parent, "x", ns::kDataForms);
  if (!x) return std::nullopt;
  DataForm form;
  form.type = x.attribute("type").as_string("submit");
  for (pugi::xml_node field : xml::children(x, "field", ns::kDataForms)) {
    std::string var = field.attribute("var").as_string();
    std::vector<std::string> values;
    for (pugi::xml_node v : xml::children(field, "value", ns::kDataForms))
      values.push_back(xml::text_of(v));
    if (var == "FORM_TYPE") {
      form.form_type = values.empty() ? std::string() : values.front();
      continue;
    }
    form.fields[var] = std::move(values);
  }
  return form;
}

void append_form(pugi::xml_node parent, const DataForm& form) {
  pugi::xml_node x = parent.append_child("x");
  x.append_attribute("xmlns") = std::string(ns::kDataForms).c_str();
  x.append_attribute("type") = form.type.c_str();
  if (!form.form_type.empty()) {
    pugi::xml_node field = x.append_child("field");
    field.append_attribute("var") = "FORM_TYPE";
    field.append_attribute("type") = "hidden";
    field.append_child("value").text() = form.form_type.c_str();
  }
  for (const auto& [var, values] : form.fields) {
    pugi::xml_node field = x.append_child("field");
    field.append_attribute("var") = var.c_str();
    for (const auto& v : values) field.append_child("value").text() = v.c_str();
  }
}

}  // namespace oi::net
