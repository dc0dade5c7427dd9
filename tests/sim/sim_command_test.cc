// `ember sim` command: output, summary, exit codes, --json, --trace, bad input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "tests/sim/sim_test_util.h"
#include "tools/ember/commands.h"

namespace ember::sim {
namespace {

using ::testing::HasSubstr;

struct CommandRun {
  int exit_code = 0;
  std::string out, err;
};

CommandRun RunCommand(std::vector<std::string> args) {
  CLI::App app;
  tools::RegisterSimCommand(app);
  args.insert(args.begin(), "sim");
  std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector
  CommandRun run;
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    run.exit_code = e.get_exit_code();
  }
  run.out = ::testing::internal::GetCapturedStdout();
  run.err = ::testing::internal::GetCapturedStderr();
  return run;
}

TEST(SimCommand, PrintsProgramOutputThenSummaryAndExitsWithTheProgramsCode) {
  EMBER_REQUIRE_FIRMWARE("hello_nucleo_f103rb");
  CommandRun run = RunCommand({"--board", "nucleo_f103rb", "--boards-dir", EMBER_SIM_BOARDS_DIR,
                               testing::FirmwarePath("hello_nucleo_f103rb")});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.out.rfind("hello from ember: 6 * 7 = 42\n", 0), 0u) << run.out;
  EXPECT_THAT(run.out, HasSubstr("instructions"));
  EXPECT_THAT(run.out, HasSubstr("cycles"));
  EXPECT_THAT(run.out, HasSubstr("at 72.0 MHz"));
  EXPECT_THAT(run.out, HasSubstr("M instructions/s"));
  EXPECT_THAT(run.err, HasSubstr("to stderr"));
}

TEST(SimCommand, JsonOutput) {
  EMBER_REQUIRE_FIRMWARE("hello_raspberry_pi_pico");
  CommandRun run = RunCommand({"--board", "raspberry_pi_pico", "--json", "--timing", "none",
                               testing::FirmwarePath("hello_raspberry_pi_pico")});
  EXPECT_EQ(run.exit_code, 3);
  auto j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j["board"], "raspberry_pi_pico");
  EXPECT_EQ(j["core"], "cortex-m0plus");
  EXPECT_EQ(j["exit_code"], 3);
  EXPECT_EQ(j["output"], "hello from ember: 6 * 7 = 42\nto stderr\n");
  EXPECT_EQ(j["cycles"], j["instructions"]);  // --timing none: the fallback model
  EXPECT_GT(j["instructions"].get<uint64_t>(), 1000u);
  EXPECT_GT(j["board_seconds"].get<double>(), 0.0);
}

TEST(SimCommand, FaultIsReportedWithNonZeroExit) {
  EMBER_REQUIRE_FIRMWARE("scenarios_sparkfun_edge");
  CommandRun run = RunCommand({"--board", "sparkfun_edge", "--cmdline", "read_unmapped",
                               testing::FirmwarePath("scenarios_sparkfun_edge")});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.err, HasSubstr("fault: read from unmapped address"));
  EXPECT_THAT(run.err, HasSubstr("ReadUnmapped+0x"));
}

TEST(SimCommand, BudgetExhaustedExits124) {
  EMBER_REQUIRE_FIRMWARE("scenarios_sparkfun_edge");
  CommandRun run = RunCommand({"--board", "sparkfun_edge", "--cmdline", "loop", "--max-cycles",
                               "100000", testing::FirmwarePath("scenarios_sparkfun_edge")});
  EXPECT_EQ(run.exit_code, 124);
  EXPECT_THAT(run.err, HasSubstr("cycle budget of 100000 cycles exhausted"));
}

TEST(SimCommand, TraceShowsDisassembly) {
  EMBER_REQUIRE_FIRMWARE("hello_nucleo_f103rb");
  std::string trace = (std::filesystem::temp_directory_path() / "ember_sim_trace.txt").string();
  CommandRun run = RunCommand({"--board", "nucleo_f103rb", "--trace-file", trace,
                               testing::FirmwarePath("hello_nucleo_f103rb")});
  EXPECT_EQ(run.exit_code, 3);
  std::ifstream f(trace);
  std::string text((std::istreambuf_iterator<char>(f)), {});
  EXPECT_THAT(text, HasSubstr("block 0x"));
  EXPECT_THAT(text, HasSubstr("Reset_Handler+0x0"));
  EXPECT_THAT(text, HasSubstr("main+0x"));
  EXPECT_THAT(text, HasSubstr("bkpt"));  // the semihosting calls
}

TEST(SimCommand, BadInputIsAClearError) {
  CommandRun run = RunCommand({"--board", "no_such_board", "/nonexistent.elf"});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.err, HasSubstr("unknown board \"no_such_board\""));
  run = RunCommand({"--board", "sparkfun_edge", "/nonexistent.elf"});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.err, HasSubstr("/nonexistent.elf: cannot open"));
  EMBER_REQUIRE_FIRMWARE("hello_nucleo_f103rb");
  run = RunCommand({"--board", "sparkfun_edge", testing::FirmwarePath("hello_nucleo_f103rb")});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.err, HasSubstr("outside the memories of board sparkfun_edge"));
}

TEST(SimCommand, SpeedReportTimesRawNoneAndModel) {
  EMBER_REQUIRE_FIRMWARE("speed_nucleo_f103rb");
  CommandRun run = RunCommand({"--board", "nucleo_f103rb", "--boards-dir", EMBER_SIM_BOARDS_DIR,
                               testing::FirmwarePath("speed_nucleo_f103rb"), "--cmdline", "1",
                               "--speed-report", "--repeats", "1"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("--- ember sim --speed-report: nucleo_f103rb"));
  EXPECT_THAT(run.out, ::testing::ContainsRegex("\nraw +[0-9.]+ +[0-9.]+ +1\\.00\n"));
  EXPECT_THAT(run.out, ::testing::ContainsRegex("\nnone +[0-9.]+ +[0-9.]+ +[0-9.]+\n"));
  EXPECT_THAT(run.out, ::testing::ContainsRegex("\nmodel +[0-9.]+ +[0-9.]+ +[0-9.]+\n"));
  EXPECT_THAT(run.out, HasSubstr("modeled cycles "));
  EXPECT_THAT(run.out, ::testing::Not(HasSubstr("speed: 1 repeats"))) << "program output shown";
}

}  // namespace
}  // namespace ember::sim
