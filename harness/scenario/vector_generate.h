// Generators of the protocol vector files (vectors/legacy/*.vec, vectors/omemo2/*.vec): the
// reference engine run from fixed seeds. `omemo-interop vectors generate` writes them, and
// `--check` compares them byte for byte with the committed files.
//
// Contract: the output depends only on the harness sources (fixed seeds inside), never on the
// time, the machine or the OS random generator.
#pragma once

#include <string>
#include <vector>

namespace oi::scenario {

struct GeneratedVectorFile {
  std::string relative_path;  // below vectors/, e.g. "omemo2/kdf_root_chain.vec"
  std::string content;        // the whole file, omemo-vec/1
};

std::vector<GeneratedVectorFile> generate_legacy_protocol_vectors();
std::vector<GeneratedVectorFile> generate_omemo2_protocol_vectors();

}  // namespace oi::scenario
