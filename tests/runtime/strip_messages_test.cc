// EMBER_STRIP_MESSAGES (runtime/log.h, kernels/internal/op_checks.h): with it, reports
// name their file and line, the message texts and their arguments are not compiled in.
// This file is compiled with it; the rest of the host build is not.
#define EMBER_STRIP_MESSAGES 1

#include <gtest/gtest.h>

#include <stdarg.h>

#include <string>

#include "kernels/internal/op_checks.h"
#include "runtime/log.h"
#include "tests/runtime/test_util.h"

namespace ember::rt {
namespace {

int g_evaluated = 0;
[[maybe_unused]] int SideEffect() { return ++g_evaluated; }

TEST(StripMessages, LogNamesFileAndLineWithoutTheText) {
  testing::LogCapture log;
  g_evaluated = 0;
  const int line = __LINE__ + 1;
  EMBER_LOG("secret message %d", SideEffect());
  EXPECT_EQ(log.text().find("secret"), std::string::npos) << log.text();
  EXPECT_NE(log.text().find("error at strip_messages_test.cc:" + std::to_string(line)),
            std::string::npos)
      << log.text();
  EXPECT_NE(log.text().find("EMBER_STRIP_MESSAGES"), std::string::npos) << log.text();
  EXPECT_EQ(g_evaluated, 0);  // the arguments are not evaluated either
}

std::string g_report;
void Report(EmberContext* /*ctx*/, const char* format, ...) {
  char buf[256];
  va_list args;
  va_start(args, format);
  FormatStringV(buf, sizeof(buf), format, args);
  va_end(args);
  g_report = buf;
}

int g_check_line = 0;
EmberStatus Checked(EmberContext* ctx, int value) {
  g_check_line = __LINE__ + 1;
  EMBER_KERNEL_CHECK(ctx, value > 0, "KERNEL: value %d must be positive", value);
  return kEmberOk;
}

TEST(StripMessages, KernelChecksNameFileAndLine) {
  EmberContext ctx{};
  ctx.ReportError = &Report;
  g_report.clear();
  EXPECT_EQ(Checked(&ctx, 1), kEmberOk);
  EXPECT_TRUE(g_report.empty());
  EXPECT_EQ(Checked(&ctx, -3), kEmberError);
  EXPECT_EQ(g_report, "check failed at strip_messages_test.cc:" + std::to_string(g_check_line));
}

}  // namespace
}  // namespace ember::rt
