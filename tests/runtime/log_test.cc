// The runtime's own printf-style formatter (no stdio) and the log hook.
#include "runtime/log.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "tests/runtime/test_util.h"

namespace ember::rt {
namespace {

std::string Fmt(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string Fmt(const char* format, ...) {
  char buf[128];
  va_list args;
  va_start(args, format);
  FormatStringV(buf, sizeof(buf), format, args);
  va_end(args);
  return buf;
}

// No format attribute: for deliberately odd formats.
std::string RawFmt(const char* format, ...) {
  char buf[128];
  va_list args;
  va_start(args, format);
  FormatStringV(buf, sizeof(buf), format, args);
  va_end(args);
  return buf;
}

TEST(Log, Conversions) {
  EXPECT_EQ(Fmt("%d %i %u", -42, 7, 4000000000u), "-42 7 4000000000");
  EXPECT_EQ(Fmt("%ld %lu %lld %zu", -1L, 2UL, -9000000000LL, size_t{17}), "-1 2 -9000000000 17");
  EXPECT_EQ(Fmt("%x %X %c %s %%", 255u, 0xABCu, 'q', "str"), "ff ABC q str %");
  EXPECT_EQ(Fmt("%5d|%-5d|%05d|%05d", 42, 42, 42, -42), "   42|42   |00042|-0042");
  EXPECT_EQ(Fmt("%.3s|%8s|%-4s|", "abcdef", "hi", "x"), "abc|      hi|x   |");
  EXPECT_EQ(Fmt("%f %.2f %.0f %.3f", 1.5, -2.345, 2.5, 0.0005), "1.500000 -2.35 3 0.001");
  EXPECT_EQ(RawFmt("%s", static_cast<const char*>(nullptr)), "(null)");
  EXPECT_EQ(Fmt("%d", INT32_MIN), "-2147483648");
  EXPECT_EQ(Fmt("%lld", static_cast<long long>(INT64_MIN)), "-9223372036854775808");
  EXPECT_EQ(Fmt("%p", reinterpret_cast<void*>(0x1234)), "0x1234");
  EXPECT_EQ(RawFmt("100%"), "100%");  // a trailing lone % is printed as written
  EXPECT_EQ(RawFmt("%q"), "%q");      // unknown conversions are printed as written
}

TEST(Log, TruncatesWithoutOverflow) {
  char buf[8];
  std::memset(buf, 'X', sizeof(buf));
  size_t n = FormatString(buf, 6, "%s", "abcdefghij");
  EXPECT_EQ(n, 5u);
  EXPECT_STREQ(buf, "abcde");
  EXPECT_EQ(buf[6], 'X');
  EXPECT_EQ(FormatString(buf, 0, "abc"), 0u);
}

TEST(Log, HandlerReceivesMessagesAndCanBeRemoved) {
  testing::LogCapture capture;
  Log("op #%d %s: %s", 3, "CONV_2D", "bad");
  EXPECT_EQ(capture.text(), "op #3 CONV_2D: bad\n");
  LogHandler mine = SetLogHandler(nullptr);
  Log("dropped");
  SetLogHandler(mine);
  EXPECT_EQ(capture.text(), "op #3 CONV_2D: bad\n");
}

}  // namespace
}  // namespace ember::rt
