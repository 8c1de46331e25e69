#include "report/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

#include "codec/base64.h"
#include "crypto/hash.h"
#include "report/html_assets.h"
#include "report/html_case_page.h"
#include "report/pair_matrix.h"
#include "report/text_escape.h"

namespace oi::report {

namespace {

using scenario::Verdict;

std::string esc(std::string_view text) {
  return html_escape(text);
}

// "case-" and 12 hex digits of FNV-1a 64 over the case id: stable across runs (bookmarks), and
// short, because a full matrix links thousands of cases.
std::string case_anchor(const CaseResult& result) {
  std::uint64_t hash = 14695981039346656037ull;
  for (char c : result.id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return fmt::format("case-{:012x}", hash >> 16);
}

std::string profile_label(const std::string& profile) {
  return profile.empty() ? "profile-neutral (vectors)" : profile;
}

// Every requirement a case cites: its own list, then those its checks name.
std::vector<std::string> case_requirements(const CaseResult& result) {
  std::vector<std::string> ids = result.requirements;
  for (const CheckResult& check : result.checks) {
    if (!check.requirement.empty() &&
        std::find(ids.begin(), ids.end(), check.requirement) == ids.end()) {
      ids.push_back(check.requirement);
    }
  }
  return ids;
}

bool involves(const CaseResult& result, const std::string& implementation) {
  return std::any_of(result.roles.begin(), result.roles.end(),
                     [&](const auto& role) { return role.second == implementation; });
}

// Unexpected results and predicted failures. An expected `unsupported` (a feature the
// implementation does not declare) is a declared gap, counted in the matrix but not listed as a
// divergence.
// Characters of a case's message shown on its summary line.
constexpr std::size_t kSummaryMessageChars = 120;
// Case links listed per predicted-failure group of the per-implementation view.
constexpr std::size_t kListedCasesPerGroup = 8;

// The message without the " [expected ...]" note apply_expectations appends: the page shows the
// expectation in its own section.
std::string message_without_expectation(const CaseResult& result) {
  if (result.expected.empty()) return result.message;
  std::size_t note = result.message.rfind(" [expected ");
  return note == std::string::npos ? result.message : result.message.substr(0, note);
}

bool is_divergence(const CaseResult& result) {
  if (!result.unexpected && result.verdict == Verdict::unsupported) return false;
  return result.unexpected || result.verdict == Verdict::xfail ||
         (!result.expected.empty() && scenario::is_failure_verdict(result.verdict));
}

std::string area(const CaseResult& result) {
  return result.area.empty() ? area_of(result.scenario) : result.area;
}

std::string link_or_text(const std::string& url) {
  if (url.starts_with("https://") || url.starts_with("http://")) {
    return fmt::format("<a href=\"{0}\" rel=\"noreferrer\">{0}</a>", esc(url));
  }
  return esc(url);
}

// A cell of counts; `kind` is an extra class ("pair" for the producer x consumer matrices).
std::string counts_cell(const CellCounts& counts, std::string_view kind,
                        const std::string& attributes) {
  CellState state = counts.state();
  std::string title = fmt::format("{}: {} of {} passing, {} unexpected, {} predicted failures",
                                  state_meaning(state), counts.passed, counts.total,
                                  counts.unexpected, counts.known);
  return fmt::format(
      "<td class=\"cell {} {}\" title=\"{}\"{}><span class=\"glyph\">{}</span> {}</td>", kind,
      state_class(state), esc(title), attributes, state_glyph(state),
      counts.total == 0 ? std::string("&ndash;")
                        : fmt::format("{}/{}", counts.passed, counts.total));
}

class Page {
 public:
  explicit Page(const Results& results) : results_(results) {
    for (const RequirementInfo& requirement : results.requirements) {
      catalogue_[requirement.id] = &requirement;
    }
  }

  std::string render() {
    header();
    matrices();
    requirement_view();
    scenario_view();
    implementation_view();
    case_list();
    return finish();
  }

 private:
  void header() {
    const RunInfo& run = results_.run;
    html_ +=
        "<h1>Are We OMEMO Yet?</h1>\n<nav><a href=\"#matrix\">Matrix</a>"
        "<a href=\"#requirements\">Requirements</a><a href=\"#scenarios\">Scenarios</a>"
        "<a href=\"#implementations\">Implementations</a><a href=\"#cases\">Cases</a></nav>\n";
    html_ += "<h2 id=\"run\">Run</h2>\n<table class=\"meta\">\n";
    auto row = [&](const char* name, const std::string& value) {
      html_ += fmt::format("<tr><th>{}</th><td><code>{}</code></td></tr>\n", name, esc(value));
    };
    row("harness version", run.harness_version);
    row("commit", run.commit);
    row("seed", run.seed);
    row("date", run.started);
    row("command", run.command);
    if (!run.shard.empty()) row("shard", run.shard);
    Summary summary = results_.summary();
    std::string verdicts;
    for (const auto& [verdict, count] : summary.by_verdict) {
      verdicts += fmt::format("{} {} &nbsp; ", count, esc(verdict));
    }
    html_ += fmt::format(
        "<tr><th>cases</th><td>{} cases, <b>{} unexpected</b>: {}</td></tr>\n</table>\n",
        summary.total, summary.unexpected, verdicts);

    html_ +=
        "<h3>Implementations</h3>\n<table class=\"meta\"><tr><th>name</th><th>version</th>"
        "<th>kind</th><th>profiles</th><th>available</th><th>detail</th></tr>\n";
    for (const ImplementationInfo& implementation : results_.implementations) {
      std::string profiles;
      for (const std::string& profile : implementation.profiles) {
        profiles += (profiles.empty() ? "" : ", ") + esc(profile);
      }
      html_ += fmt::format(
          "<tr class=\"{}\"><td><a href=\"#impl-{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td>"
          "<td>{}</td><td>{}</td></tr>\n",
          implementation.available ? "available" : "unavailable", file_slug(implementation.name),
          esc(implementation.name), esc(implementation.version), esc(implementation.kind), profiles,
          implementation.available ? "yes" : "<b>no</b>", esc(implementation.detail));
    }
    html_ += "</table>\n";
  }

  void legend() {
    html_ += "<p class=\"legend\">";
    for (CellState state : {CellState::success, CellState::known, CellState::failure,
                            CellState::error, CellState::none}) {
      html_ += fmt::format("<span class=\"swatch {}\">{}</span>{} &nbsp; ", state_class(state),
                           state_glyph(state), esc(state_meaning(state)));
    }
    html_ +=
        "<br>A cell reads <i>passing/total</i> (pass or info). Rows are producers (the "
        "first role, e.g. the sender), columns consumers (the second role). The corner "
        "marker repeats the colour's meaning: top-left as expected, top-right failure, "
        "bottom-left predicted failure, bottom-right error. Click a cell to list its "
        "cases.</p>\n";
  }

  void matrices() {
    html_ += "<h2 id=\"matrix\">Matrix</h2>\n";
    legend();
    std::vector<ProfileMatrix> all = profile_matrices(results_);
    if (all.empty()) html_ += "<p>No case binds an implementation.</p>\n";
    for (const ProfileMatrix& matrix : all) {
      html_ += fmt::format(
          "<h3>{}</h3>\n<table class=\"matrix\" data-profile=\"{}\">"
          "<tr><th>producer \\ consumer</th>",
          esc(profile_label(matrix.profile)), esc(matrix.profile));
      for (const std::string& consumer : matrix.implementations) {
        html_ += fmt::format("<th class=\"consumer\"><div>{}</div></th>", esc(consumer));
      }
      html_ += "</tr>\n";
      for (std::size_t row = 0; row < matrix.implementations.size(); ++row) {
        html_ += fmt::format("<tr><th>{}</th>", esc(matrix.implementations[row]));
        for (std::size_t column = 0; column < matrix.implementations.size(); ++column) {
          const PairCell& cell = matrix.at(row, column);
          std::string pair = matrix.profile + "|" + cell.producer + "|" + cell.consumer;
          html_ += counts_cell(cell.counts, "pair",
                               cell.counts.total == 0
                                   ? std::string()
                                   : fmt::format(" tabindex=\"0\" data-pair=\"{}\"", esc(pair)));
        }
        html_ += "</tr>\n";
      }
      html_ += "</table>\n";
    }
  }

  void requirement_view() {
    std::vector<std::string> names = matrix_implementations(results_);
    std::map<std::string, std::map<std::string, CellCounts>> counts;  // requirement -> impl
    for (const CaseResult& result : results_.results) {
      for (const std::string& id : case_requirements(result)) {
        for (const std::string& name : names) {
          if (involves(result, name)) counts[id][name].add(result);
        }
        counts[id];  // cited, even by a case that binds no implementation
      }
    }
    std::vector<std::string> ids;
    for (const RequirementInfo& requirement : results_.requirements) ids.push_back(requirement.id);
    for (const auto& [id, by_name] : counts) {
      if (!catalogue_.contains(id)) ids.push_back(id);
    }
    std::size_t unchecked = 0;
    for (const std::string& id : ids) unchecked += counts.contains(id) ? 0 : 1;
    html_ += fmt::format(
        "<h2 id=\"requirements\">Requirements</h2>\n<p>{} requirements, {} "
        "with no check in this run.</p>\n<table class=\"matrix reqs\"><tr>"
        "<th>requirement</th><th>level</th><th>text</th>",
        ids.size(), unchecked);
    for (const std::string& name : names) html_ += fmt::format("<th>{}</th>", esc(name));
    html_ += "</tr>\n";
    for (const std::string& id : ids) {
      auto info = catalogue_.find(id);
      html_ += fmt::format(
          "<tr id=\"req-{}\"><td><a href=\"#cases\" data-search=\"{}\">{}</a></td>"
          "<td class=\"req-level\">{}</td><td class=\"req-text\">{}</td>",
          esc(id), esc(id), esc(id),
          info == catalogue_.end() ? ""
                                   : esc(info->second->level + " (" + info->second->section + ")"),
          info == catalogue_.end() ? "<i>not in the catalogue</i>" : esc(info->second->text));
      auto found = counts.find(id);
      if (found == counts.end()) {
        html_ += fmt::format(
            "<td colspan=\"{}\"><span class=\"badge nocheck\">no check</span>"
            "</td></tr>\n",
            std::max<std::size_t>(names.size(), 1));
        continue;
      }
      for (const std::string& name : names) {
        auto cell = found->second.find(name);
        html_ += counts_cell(cell == found->second.end() ? CellCounts{} : cell->second, "req", "");
      }
      html_ += "</tr>\n";
    }
    html_ += "</table>\n";
  }

  void scenario_view() {
    struct ScenarioRow {
      std::string area, description;
      std::map<std::string, CellCounts> by_profile;
    };
    std::map<std::string, ScenarioRow> rows;
    std::vector<std::string> profiles;
    for (const CaseResult& result : results_.results) {
      ScenarioRow& row = rows[result.scenario];
      row.area = area(result);
      if (row.description.empty()) row.description = result.description;
      row.by_profile[result.profile].add(result);
      if (std::find(profiles.begin(), profiles.end(), result.profile) == profiles.end()) {
        profiles.push_back(result.profile);
      }
    }
    std::sort(profiles.begin(), profiles.end());
    html_ +=
        "<h2 id=\"scenarios\">Scenarios</h2>\n<table class=\"matrix scenarios\"><tr>"
        "<th>scenario</th><th>area</th><th>description</th>";
    for (const std::string& profile : profiles) {
      html_ += fmt::format("<th>{}</th>", esc(profile.empty() ? "neutral" : profile));
    }
    html_ += "</tr>\n";
    for (const auto& [name, row] : rows) {
      html_ += fmt::format(
          "<tr id=\"scn-{3}\"><td><a href=\"#cases\" data-search=\"{0}\"><code>{0}</code></a>"
          "</td><td>{1}</td><td class=\"scn-description\">{2}</td>",
          esc(name), esc(row.area), esc(row.description), file_slug(name));
      for (const std::string& profile : profiles) {
        auto cell = row.by_profile.find(profile);
        html_ += counts_cell(cell == row.by_profile.end() ? CellCounts{} : cell->second, "scn", "");
      }
      html_ += "</tr>\n";
    }
    html_ += "</table>\n";
  }

  void implementation_view() {
    html_ +=
        "<h2 id=\"implementations\">Implementations: where each diverges</h2>\n"
        "<p>Unexpected results and predicted failures of every case an implementation takes "
        "part in, grouped by requirement, with the expectation's reason.</p>\n";
    for (const std::string& name : matrix_implementations(results_)) {
      std::map<std::string, std::vector<const CaseResult*>> by_requirement;
      std::size_t unexpected = 0, known = 0;
      for (const CaseResult& result : results_.results) {
        if (!involves(result, name) || !is_divergence(result)) continue;
        ++(result.unexpected ? unexpected : known);
        std::vector<std::string> ids = case_requirements(result);
        if (ids.empty()) ids.push_back("(no requirement)");
        for (const std::string& id : ids) by_requirement[id].push_back(&result);
      }
      std::map<std::pair<std::string, std::string>, std::size_t> reasons;  // -> number
      html_ += fmt::format(
          "<section class=\"impl-view\" id=\"impl-{}\"><h3>{}</h3><p>{} "
          "unexpected, {} predicted failures.</p>\n",
          file_slug(name), esc(name), unexpected, known);
      for (const auto& [id, cases] : by_requirement) {
        auto info = catalogue_.find(id);
        html_ += fmt::format(
            "<div class=\"impl-group\"><h4>{} {}</h4>", esc(id),
            info == catalogue_.end()
                ? std::string()
                : fmt::format("<blockquote>{} ({}) {}</blockquote>", esc(info->second->level),
                              esc(info->second->section), esc(info->second->text)));
        // Unexpected results one by one with their message; predicted failures grouped by
        // their expectation (one reason, many cases), so that the section stays short.
        html_ += "<ul>";
        std::map<std::tuple<std::string, std::string, std::string, std::string>,
                 std::vector<const CaseResult*>>
            predicted;
        for (const CaseResult* result : cases) {
          if (!result->unexpected) {
            predicted[{std::string(scenario::verdict_name(result->verdict)), result->expected,
                       result->expectation_reason, result->expectation_link}]
                .push_back(result);
            continue;
          }
          html_ += fmt::format(
              "<li>{} <b>{}</b> <span class=\"badge\">unexpected</span> <a href=\"#{}\">"
              "<code>{}</code></a> — {}</li>",
              verdict_glyph(result->verdict), scenario::verdict_name(result->verdict),
              case_anchor(*result), esc(result->id), esc(result->message));
        }
        for (const auto& [key, group] : predicted) {
          const auto& [verdict, expected, reason, link] = key;
          // Each distinct reason is printed once, in the implementation's list of reasons
          // below; a group names it by number (a reason often covers several requirements).
          auto [slot, added] = reasons.try_emplace({reason, link}, reasons.size() + 1);
          html_ += fmt::format(
              "<li>{} <b>{}</b>, expected <b>{}</b>: <a href=\"#impl-{}-reason-{}\">reason "
              "{}</a> ({} cases)<br>",
              verdict_glyph(group.front()->verdict), esc(verdict), esc(expected), file_slug(name),
              slot->second, slot->second, group.size());

          // The first few as links; the rest are one filter away (implementation, requirement,
          // verdict), which keeps the page small for a full matrix.
          for (std::size_t i = 0; i < group.size() && i < kListedCasesPerGroup; ++i) {
            html_ += fmt::format("<a href=\"#{}\"><code>{}</code></a> ", case_anchor(*group[i]),
                                 esc(group[i]->id));
          }
          if (group.size() > kListedCasesPerGroup) {
            html_ += fmt::format("and {} more", group.size() - kListedCasesPerGroup);
          }
          html_ += "</li>";
        }
        html_ += "</ul></div>\n";
      }
      if (!reasons.empty()) {
        std::vector<const std::pair<const std::pair<std::string, std::string>, std::size_t>*>
            numbered;
        for (const auto& entry : reasons) numbered.push_back(&entry);
        std::sort(numbered.begin(), numbered.end(),
                  [](const auto* a, const auto* b) { return a->second < b->second; });
        html_ += "<h4>Reasons</h4><ol class=\"reasons\">";
        for (const auto* entry : numbered) {
          html_ +=
              fmt::format("<li id=\"impl-{}-reason-{}\">{} {}</li>", file_slug(name), entry->second,
                          esc(entry->first.first), link_or_text(entry->first.second));
        }
        html_ += "</ol>";
      }
      html_ += "</section>\n";
    }
  }

  std::string select(const char* id, const char* label, const std::set<std::string>& values) {
    std::string html =
        fmt::format("<label>{} <select id=\"{}\"><option value=\"\">all</option>", label, id);
    for (const std::string& value : values) {
      html += fmt::format("<option value=\"{0}\">{1}</option>", esc(value),
                          esc(value.empty() ? "(none)" : value));
    }
    return html + "</select></label>\n";
  }

  void case_list() {
    std::set<std::string> verdicts, profiles, implementations, areas, requirements;
    for (const CaseResult& result : results_.results) {
      verdicts.emplace(scenario::verdict_name(result.verdict));
      profiles.insert(result.profile);
      for (const auto& [role, name] : result.roles) implementations.insert(name);
      areas.insert(area(result));
      for (const std::string& id : case_requirements(result)) requirements.insert(id);
    }
    html_ += fmt::format(
        "<h2 id=\"cases\">Cases</h2>\n<div id=\"filters\">"
        "<button class=\"chip\" data-verdict=\"*unexpected\">unexpected</button>");
    for (const std::string& verdict : verdicts) {
      html_ += fmt::format("<button class=\"chip\" data-verdict=\"{0}\">{1} {0}</button>",
                           esc(verdict), verdict_glyph(*scenario::verdict_from_name(verdict)));
    }
    html_ += "<br>\n";
    html_ += select("filter-profile", "profile", profiles);
    html_ += select("filter-impl", "implementation", implementations);
    html_ += select("filter-area", "area", areas);
    html_ += select("filter-req", "requirement", requirements);
    html_ += fmt::format(
        "<label>search <input id=\"filter-search\" type=\"search\" size=\"30\"></label>"
        "<button class=\"chip\" id=\"pair-filter\" hidden></button> "
        "<span><b id=\"shown-count\">{0}</b> of {0} cases shown</span></div>\n",
        results_.results.size());
    for (const CaseResult& result : results_.results) case_entry(result);
  }

  void case_entry(const CaseResult& result) {
    std::string implementations, requirements;
    for (const auto& [role, name] : result.roles) implementations += " " + name;
    std::vector<std::string> ids = case_requirements(result);
    for (const std::string& id : ids) requirements += " " + id;
    bool known = !result.unexpected && is_divergence(result);
    std::string_view verdict = scenario::verdict_name(result.verdict);
    std::string message = message_without_expectation(result);
    html_ += fmt::format(
        "<details class=\"case{}\" id=\"{}\" data-verdict=\"{}\" data-unexpected=\"{}\" "
        "data-profile=\"{}\" data-impls=\"{}\" data-area=\"{}\" data-reqs=\"{}\">"
        "<summary><span class=\"vg\">{}</span> <b>{}</b> "
        "<code>{}</code> <span class=\"msg\">{}</span></summary>\n<div class=\"body\">",
        result.unexpected ? " unexpected"
        : known           ? " known"
                          : "",
        case_anchor(result), verdict, result.unexpected ? 1 : 0, esc(result.profile),
        esc(implementations.substr(implementations.empty() ? 0 : 1)), esc(area(result)),
        esc(requirements.substr(requirements.empty() ? 0 : 1)), verdict_glyph(result.verdict),
        verdict, esc(result.id),
        esc(message.size() > kSummaryMessageChars
                ? message.substr(0, kSummaryMessageChars) + "\u2026"
                : message));

    std::string roles;
    for (const auto& [role, name] : result.roles) {
      roles += fmt::format("{}{} = {}", roles.empty() ? "" : ", ", esc(role), esc(name));
    }
    // Scenario and profile are in the case id on the summary line.
    html_ += fmt::format("<p>{} &middot; {:.1f} ms</p>", roles, result.duration_ms);
    // The description and requirement quotes are filled in from the scenario and requirement
    // tables when the case is opened (report_script), so the page carries them once.
    html_ += fmt::format("<p class=\"description\" data-scn=\"scn-{}\"></p>",
                         file_slug(result.scenario));
    // The whole message only where the summary line had to shorten it.
    if (message.size() > kSummaryMessageChars) {
      html_ += fmt::format("<h4>Verdict</h4><p>{} <b title=\"{}\">{}</b>: {}</p>",
                           verdict_glyph(result.verdict),
                           esc(scenario::verdict_meaning(result.verdict)), verdict, esc(message));
    }
    if (!result.expected.empty()) {
      html_ += fmt::format("<p>Expected <b>{}</b>: {} {}</p>", esc(result.expected),
                           esc(result.expectation_reason), link_or_text(result.expectation_link));
    }
    if (!ids.empty()) html_ += "<h4>Requirements</h4><div class=\"quotes\"></div>";
    // Evidence inline only where someone must read it now: the unexpected results (predicted
    // ones have it on their side page; the page stays under 10 MB for a full matrix).
    if (result.unexpected) html_ += evidence_html(result);
    if (has_case_page(result)) {
      std::size_t lines = static_cast<std::size_t>(
          std::count(result.transcript.begin(), result.transcript.end(), '\n'));
      html_ += fmt::format(
          "<p><a href=\"{}\">Evidence</a>: checks, decrypted view, stderr, "
          "{} stanzas</p>",
          case_page_path(result), lines);
    }
    html_ += fmt::format("<p>Reproduce: <code class=\"repro\">{}</code></p></div></details>\n",
                         esc(reproduce_command(results_, result)));
  }

  std::string finish() {
    std::string_view script = report_script();
    ByteArray<32> digest = crypto::sha256(
        ByteView(reinterpret_cast<const std::uint8_t*>(script.data()), script.size()));
    std::string hash = codec::encode_base64(ByteView(digest.data(), digest.size()));
    return fmt::format(
        R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{}'; img-src data:">
<title>Are We OMEMO Yet? — omemo-interop {}</title>
<style>{}</style>
</head><body>
{}<script>{}</script>
</body></html>
)",
        hash, esc(results_.run.started), report_stylesheet(), html_, script);
  }

  const Results& results_;
  std::map<std::string, const RequirementInfo*> catalogue_;
  std::string html_;
};

}  // namespace

std::string render_index_html(const Results& results) {
  return Page(results).render();
}

HtmlReportFiles write_html_report(const Results& results, const std::filesystem::path& dir) {
  HtmlReportFiles files;
  std::filesystem::create_directories(dir);
  // Side pages of an earlier render would link to cases this run may not have: remove them, and
  // nothing else (DIR may be any directory the user names).
  std::error_code ignored;
  if (std::filesystem::is_directory(dir / "cases", ignored)) {
    for (const auto& entry : std::filesystem::directory_iterator(dir / "cases")) {
      if (entry.is_regular_file() && entry.path().extension() == ".html") {
        std::filesystem::remove(entry.path());
      }
    }
  }
  for (const CaseResult& result : results.results) {
    if (!has_case_page(result)) continue;
    std::size_t bytes = write_case_page(result, dir);
    ++files.side_files;
    files.side_bytes += bytes;
    files.largest_side_bytes = std::max(files.largest_side_bytes, bytes);
  }
  std::string html = render_index_html(results);
  files.index = dir / "index.html";
  std::ofstream out(files.index, std::ios::binary);
  out << html;
  if (!out) throw std::runtime_error(fmt::format("{}: write failed", files.index.string()));
  files.index_bytes = html.size();
  return files;
}

}  // namespace oi::report
