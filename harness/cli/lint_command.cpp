// `omemo-interop lint [FILE|-]`: findings for one pasted stanza or element.
#include "cli/commands.h"

namespace oi::cli {

void add_lint_command(CLI::App& app, CommandContext& context) {
  (void)app;
  (void)context;
}

}  // namespace oi::cli
