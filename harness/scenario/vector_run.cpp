#include "scenario/vector_run.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "codec/vec_file.h"
#include "scenario/vector_check.h"

namespace oi::scenario {

namespace vector_check {

const codec::VecValue& Fields::get(std::string_view name, codec::VecFieldType type) const {
  const codec::VecValue* value = record_.find(name);
  if (value == nullptr) {
    throw RecordFieldError("record lacks field " + std::string(name) + ", which checker " +
                           std::string(checker_) + " needs");
  }
  if (value->type != type) {
    throw RecordFieldError("field " + std::string(name) + " (line " + std::to_string(value->line) +
                           ") has type " + std::string(codec::vec_field_type_name(value->type)) +
                           ", checker " + std::string(checker_) + " needs " +
                           std::string(codec::vec_field_type_name(type)));
  }
  return *value;
}

const Bytes& Fields::hex(std::string_view name) const {
  return get(name, codec::VecFieldType::hex).bytes;
}

const Bytes* Fields::optional_hex(std::string_view name) const {
  return has(name) ? &hex(name) : nullptr;
}

std::int64_t Fields::integer(std::string_view name) const {
  return get(name, codec::VecFieldType::integer).integer;
}

std::optional<std::int64_t> Fields::optional_integer(std::string_view name) const {
  if (!has(name)) return std::nullopt;
  return integer(name);
}

const std::string& Fields::word(std::string_view name) const {
  return get(name, codec::VecFieldType::enumeration).text;
}

const std::string& Fields::text(std::string_view name) const {
  return get(name, codec::VecFieldType::str).text;
}

const std::vector<std::string>& Fields::list(std::string_view name) const {
  return get(name, codec::VecFieldType::list).items;
}

const std::string* Fields::optional_word(std::string_view name) const {
  return has(name) ? &word(name) : nullptr;
}

void Fields::size_error(std::string_view name, std::size_t got, std::size_t want) const {
  throw RecordFieldError("field " + std::string(name) + " has " + std::to_string(got) +
                         " bytes, checker " + std::string(checker_) + " needs " +
                         std::to_string(want));
}

Key32 Fields::key32(std::string_view name) const {
  const Bytes& bytes = hex(name);
  if (bytes.size() != 32) {
    throw RecordFieldError("field " + std::string(name) + " has " + std::to_string(bytes.size()) +
                           " bytes, checker " + std::string(checker_) + " needs 32");
  }
  Key32 key;
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return key;
}

std::optional<std::string> compare(std::string_view what, ByteView expected, ByteView got) {
  if (std::equal(expected.begin(), expected.end(), got.begin(), got.end())) return std::nullopt;
  return std::string(what) + ": expected " + to_hex(expected) + ", got " + to_hex(got);
}

const std::vector<Checker>& checkers() {
  static const std::vector<Checker> kCheckers = [] {
    std::vector<Checker> list{
        {"aes-cbc-pkcs7", check_aes_cbc_pkcs7, "Key IV Msg Ct|CtPrefix"},
        {"aes-gcm", check_aes_gcm, "Key IV Aad Msg Ct Tag"},
        {"bundle-signature", check_bundle_signature,
         "Profile Op IdentityKind IdentitySecret IdentityKey Msg Nonce Sig"},
        {"chain-kdf", check_chain_kdf,
         "Profile ChainKey MessageKey EncKey AuthKey IV NextChainKey"},
        {"fingerprint", check_fingerprint, "Profile IdentityKey Fingerprint"},
        {"legacy-session", nullptr, "group: fixed keys; records: Op Sender Message ...",
         start_legacy_session},
        {"omemo2-payload", check_omemo2_payload,
         "Op Envelope parts PayloadKey EncKey AuthKey IV Payload KeyMaterial"},
        {"omemo2-session", nullptr, "group: fixed keys; records: Op Sender Message ...",
         start_omemo2_session},
        {"root-kdf", check_root_kdf, "Profile RootKey OwnPriv PeerPub DhOut NewRootKey ChainKey"},
        {"wire-format", check_wire_format, "Format Wire [Canonical Notes]"},
        {"x3dh", check_x3dh, "Profile Role keys -> SK/AD or RK/CK"},
        {"curvesig", check_curvesig, "CurvePub Msg Sig [CurvePriv Random]"},
        {"ed25519", check_ed25519, "PublicKey Msg Sig [Seed]"},
        {"ed25519-x25519-conversion", check_ed25519_x25519_conversion,
         "Op EdPub CurvePub SignBit Seed CurvePriv"},
        {"hkdf-sha256", check_hkdf_sha256, "IKM Salt Info L OKM [PRK]"},
        {"hmac-sha256", check_hmac_sha256, "Key Msg Tag TagSize"},
        {"x25519", check_x25519, "Private Public Shared [Iterations]"},
        {"xeddsa", check_xeddsa, "CurvePub Msg Sig [CurvePriv Z]"},
    };
    std::sort(list.begin(), list.end(),
              [](const Checker& a, const Checker& b) { return a.name < b.name; });
    return list;
  }();
  return kCheckers;
}

const Checker* find_checker(std::string_view name) {
  for (const Checker& checker : checkers()) {
    if (checker.name == name) return &checker;
  }
  return nullptr;
}

}  // namespace vector_check

namespace {

using vector_check::Observation;

std::string relative_name(const std::filesystem::path& file,
                          const std::filesystem::path& vectors_dir) {
  std::error_code ec;
  auto relative = std::filesystem::relative(file, vectors_dir, ec);
  if (ec || relative.empty() || *relative.begin() == "..") return file.filename().generic_string();
  return relative.generic_string();
}

// The verdict table of vector_check.h.
void judge(const codec::VecRecord& record, const Observation& seen, VectorOutcome& outcome) {
  using Kind = Observation::Kind;
  switch (record.result) {
    case codec::VecResult::valid:
      if (seen.kind == Kind::match) {
        outcome.verdict = Verdict::pass;
        outcome.message = seen.detail;
      } else if (seen.kind == Kind::mismatch) {
        outcome.verdict = Verdict::fail;
        outcome.message = seen.detail;
      } else {
        outcome.verdict = Verdict::fail;
        outcome.message = "rejected a valid vector: " + seen.detail;
      }
      return;
    case codec::VecResult::invalid:
      if (seen.kind == Kind::rejected) {
        outcome.verdict = Verdict::pass;
        outcome.message = "rejected: " + seen.detail;
      } else {
        outcome.verdict = Verdict::fail;
        outcome.message = "accepted an invalid vector" +
                          (seen.detail.empty() ? std::string() : ": " + seen.detail);
      }
      return;
    case codec::VecResult::acceptable:
      if (seen.kind == Kind::mismatch) {
        outcome.verdict = Verdict::fail;
        outcome.message = "accepted, but computed a different output: " + seen.detail;
      } else {
        outcome.verdict = Verdict::info;
        outcome.message = (seen.kind == Kind::match ? "accepted" : "rejected") +
                          (seen.detail.empty() ? std::string() : ": " + seen.detail);
      }
      return;
  }
}

}  // namespace

std::vector<std::filesystem::path> discover_vector_files(const std::filesystem::path& vectors_dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(vectors_dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".vec") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end(), [&](const auto& a, const auto& b) {
    return relative_name(a, vectors_dir) < relative_name(b, vectors_dir);
  });
  return files;
}

VectorOutcome unjudged_outcome(const codec::VecFile& vec, const codec::VecRecord& record,
                               const std::string& relative_path, std::string id) {
  VectorOutcome outcome;
  outcome.id = std::move(id);
  outcome.file = relative_path;
  outcome.group = record.group;
  outcome.line = record.line;
  outcome.expected = std::string(codec::vec_result_name(record.result));
  outcome.flags = record.flags;
  outcome.requirements = vec.header.requirements;
  outcome.upstream = record.upstream;
  return outcome;
}

VectorFileRun run_vector_file(const std::filesystem::path& file,
                              const std::filesystem::path& vectors_dir) {
  VectorFileRun run;
  run.path = file;
  run.relative_path = relative_name(file, vectors_dir);

  std::ifstream in(file, std::ios::binary);
  if (!in) {
    run.load_errors.push_back(run.relative_path + ":0: cannot read the file");
    return run;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const codec::VecParseResult parsed = codec::parse_vec(buffer.str(), run.relative_path);
  for (const auto& error : parsed.errors) run.load_errors.push_back(error.to_string());
  const codec::VecFile& vec = parsed.file;
  run.title = vec.header.title;

  const std::string& check_name = vec.header.check;
  const vector_check::Checker* checker = vector_check::find_checker(check_name);
  std::string checker_problem;
  if (check_name.empty()) {
    checker_problem = "the file has no '#! check:' header";
  } else if (checker == nullptr) {
    checker_problem = "unknown checker '" + check_name + "'";
  }
  if (!checker_problem.empty())
    run.load_errors.push_back(run.relative_path + ":1: " + checker_problem);

  const std::string stem = file.stem().string();
  // Multi-step checkers: the current group's state, and why it can no longer run (if so).
  std::unique_ptr<vector_check::GroupCheck> group_check;
  std::string group_name;
  bool group_started = false;
  std::string group_broken;
  for (const codec::VecRecord& record : vec.records) {
    VectorOutcome outcome =
        unjudged_outcome(vec, record, run.relative_path,
                         stem + "/" + record.group + "/" + std::to_string(record.id));
    const std::string where = run.relative_path + ":" + std::to_string(record.line) + ": ";
    if (checker == nullptr) {
      outcome.verdict = Verdict::error;
      outcome.message = where + checker_problem;
    } else if (checker->start_group != nullptr) {
      vector_check::Fields fields(record, checker->name);
      if (!group_started || record.group != group_name) {
        group_started = true;
        group_name = record.group;
        group_broken.clear();
        group_check.reset();
        try {
          group_check = checker->start_group(fields);
        } catch (const std::exception& e) {
          group_broken = "the group's fixed keys are unusable (first record, line " +
                         std::to_string(record.line) + "): " + e.what();
        }
      }
      if (!group_broken.empty() || group_check == nullptr) {
        outcome.verdict = Verdict::error;
        outcome.message = where + "not checked: " + group_broken;
      } else {
        try {
          judge(record, group_check->step(fields), outcome);
        } catch (const vector_check::RecordFieldError& e) {
          outcome.verdict = Verdict::error;
          outcome.message = where + e.what();
          group_broken = "an earlier step of this group (line " + std::to_string(record.line) +
                         ") could not run";
        } catch (const std::exception& e) {
          judge(record, Observation::rejected(std::string("threw: ") + e.what()), outcome);
        }
      }
    } else {
      vector_check::Fields fields(record, checker->name);
      try {
        judge(record, checker->run(fields), outcome);
      } catch (const vector_check::RecordFieldError& e) {
        outcome.verdict = Verdict::error;
        outcome.message = where + e.what();
      } catch (const std::exception& e) {
        // The crypto API threw (e.g. std::invalid_argument on a key length): our code refused.
        judge(record, Observation::rejected(std::string("threw: ") + e.what()), outcome);
      }
    }
    run.outcomes.push_back(std::move(outcome));
  }
  return run;
}

}  // namespace oi::scenario
