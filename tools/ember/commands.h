// Subcommands of the `ember` tool. Each registers itself on the CLI11 app and sets
// its callback; the callback throws CLI::RuntimeError(code) to exit non-zero after
// printing a clear message to stderr.
#ifndef EMBER_TOOLS_EMBER_COMMANDS_H_
#define EMBER_TOOLS_EMBER_COMMANDS_H_

#include <CLI/CLI.hpp>

namespace ember::tools {

void RegisterRunCommand(CLI::App& app);    // ember run MODEL ...     (runtime/host)
void RegisterPlanCommand(CLI::App& app);   // ember plan MODEL -o OUT (runtime/host)
void RegisterSimCommand(CLI::App& app);    // ember sim --board ...   (sim/)
void RegisterBenchCommand(CLI::App& app);  // ember bench ...         (bench/)

}  // namespace ember::tools

#endif  // EMBER_TOOLS_EMBER_COMMANDS_H_
