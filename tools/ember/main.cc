// ember: command-line front end. Subcommands come from the subsystems (commands.h).
#include <CLI/CLI.hpp>

#include "tools/ember/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"ember: embedded ML inference runtime and Cortex-M cycle simulator"};
  app.require_subcommand(1);
#if defined(EMBER_HAVE_RUN_CMD)
  ember::tools::RegisterRunCommand(app);
#endif
#if defined(EMBER_HAVE_PLAN_CMD)
  ember::tools::RegisterPlanCommand(app);
#endif
#if defined(EMBER_HAVE_SIM_CMD)
  ember::tools::RegisterSimCommand(app);
#endif
#if defined(EMBER_HAVE_BENCH_CMD)
  ember::tools::RegisterBenchCommand(app);
#endif
  CLI11_PARSE(app, argc, argv);
  return 0;
}
