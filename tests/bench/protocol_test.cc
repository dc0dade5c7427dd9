// The firmware line protocol parser and the cycle accounting (bench/protocol.h).
#include "bench/protocol.h"

#include <gtest/gtest.h>

namespace ember::bench {
namespace {

// A complete, well-formed firmware output (hand-written: 2 ops, with log lines mixed in).
constexpr char kGood[] =
    "ember bench firmware starting\n"
    "@ember begin 2\n"
    "@ember arena 1000 2000 3000\n"
    "@ember timer 4\n"
    "@ember op 0 CONV_2D 10 110 500 0000a1b3\n"
    "@ember op 1 SOFTMAX 125 175 0 0000c001\n"
    "@ember invoke 190\n"
    "@ember event 0 CONV_2D 16 deadbeef\n"
    "@ember event 1 SOFTMAX 2 0badf00d\n"
    "@ember output 0 8dff\n"
    "@ember end\n";

TEST(ProtocolTest, ParsesCompleteRun) {
  RunResult r;
  ASSERT_TRUE(ParseFirmwareOutput(kGood, &r)) << r.error;
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.arena.persistent, 1000u);
  EXPECT_EQ(r.arena.nonpersistent, 2000u);
  EXPECT_EQ(r.arena.total, 3000u);
  EXPECT_EQ(r.timer_cost, 4u);
  ASSERT_EQ(r.ops.size(), 2u);
  EXPECT_EQ(r.ops[0].name, "CONV_2D");
  EXPECT_EQ(r.ops[0].cycles(), 100u);
  EXPECT_EQ(r.ops[0].macs, 500u);
  EXPECT_EQ(r.ops[0].invoke_address, 0xa1b3u);
  EXPECT_TRUE(r.ops[1].has_checksum);
  EXPECT_EQ(r.ops[1].checksum, 0x0badf00du);
  EXPECT_EQ(r.ops[0].output_bytes, 16u);
  ASSERT_EQ(r.outputs.size(), 1u);
  EXPECT_EQ(r.outputs[0].bytes, (std::vector<uint8_t>{0x8d, 0xff}));
  ASSERT_EQ(r.other_lines.size(), 1u);
  EXPECT_EQ(r.total_cycles, 190u);
}

TEST(ProtocolTest, ArenaRecordWithReusedInputFigures) {
  std::string text = kGood;
  text.replace(text.find("@ember arena 1000 2000 3000"), 27, "@ember arena 1000 2000 3000 1500 2500");
  RunResult r;
  ASSERT_TRUE(ParseFirmwareOutput(text, &r)) << r.error;
  EXPECT_EQ(r.arena.total, 3000u);
  EXPECT_EQ(r.arena.nonpersistent_reusing_inputs, 1500u);
  EXPECT_EQ(r.arena.total_reusing_inputs, 2500u);
  // The short form leaves them 0 (not reported).
  RunResult s;
  ASSERT_TRUE(ParseFirmwareOutput(kGood, &s)) << s.error;
  EXPECT_EQ(s.arena.total_reusing_inputs, 0u);
}

TEST(ProtocolTest, AccountingClosesExactly) {
  RunResult r;
  ASSERT_TRUE(ParseFirmwareOutput(kGood, &r));
  Accounting a;
  std::string err;
  ASSERT_TRUE(ComputeAccounting(r, &a, &err)) << err;
  EXPECT_EQ(a.calculation, 150u);  // 100 + 50
  EXPECT_EQ(a.dispatch, 15u);      // 125 - 110
  EXPECT_EQ(a.rest, 25u);          // 10 before the first op + 15 after the last
  EXPECT_EQ(a.calculation + a.dispatch + a.rest, a.total);
  EXPECT_NEAR(a.overhead_percent(), 100.0 * 40 / 190, 1e-9);
}

TEST(ProtocolTest, AccountingRejectsOverlappingOps) {
  RunResult r;
  r.total_cycles = 100;
  r.ops.resize(2);
  r.ops[0].start = 0;
  r.ops[0].end = 60;
  r.ops[1].start = 50;  // starts before op 0 ended
  r.ops[1].end = 90;
  Accounting a;
  std::string err;
  EXPECT_FALSE(ComputeAccounting(r, &a, &err));
  EXPECT_NE(err.find("op 0"), std::string::npos);
  r.ops[1].start = 70;
  r.ops[1].end = 120;  // beyond the Invoke
  EXPECT_FALSE(ComputeAccounting(r, &a, &err));
}

TEST(ProtocolTest, MissingEndIsAFailure) {
  std::string text = kGood;
  text.resize(text.find("@ember end"));
  RunResult r;
  EXPECT_FALSE(ParseFirmwareOutput(text, &r));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("end"), std::string::npos);
}

TEST(ProtocolTest, FirmwareErrorIsReported) {
  RunResult r;
  EXPECT_FALSE(ParseFirmwareOutput("@ember begin 2\n@ember error AllocateTensors failed\n", &r));
  EXPECT_NE(r.error.find("AllocateTensors failed"), std::string::npos);
}

TEST(ProtocolTest, MalformedRecordsAreRejected) {
  const char* bad[] = {
      "@ember begin 2\n",                               // wrong version
      "@ember arena 1 2\n",                             // missing field
      "@ember begin 2\n@ember arena 1 2 3 4\n",         // half of the reused-input pair
      "@ember begin 2\n@ember op 1 CONV_2D 0 1 0 0\n",  // out of order
      "@ember begin 2\n@ember op 0 CONV_2D 0 x 0 0\n",  // not a number
      "@ember begin 2\n@ember output 0 abc\n",          // odd hex
      "@ember begin 2\n@ember frobnicate\n",            // unknown record
      "@ember begin 2\n@ember event 3 CONV_2D 1 00\n",  // unknown op
      "@ember op 0 CONV_2D 0 1 0 0\n",                  // before begin
  };
  for (const char* text : bad) {
    RunResult r;
    EXPECT_FALSE(ParseFirmwareOutput(text, &r)) << text;
    EXPECT_FALSE(r.error.empty()) << text;
  }
}

TEST(ProtocolTest, RuntimeLogsAreKeptAndExplainErrors) {
  RunResult r;
  EXPECT_FALSE(
      ParseFirmwareOutput("@ember begin 2\n@ember log arena too small: needs 9 bytes\n@ember error "
                          "AllocateTensors failed\n",
                          &r));
  ASSERT_EQ(r.logs.size(), 1u);
  EXPECT_EQ(r.logs[0], "arena too small: needs 9 bytes");
  EXPECT_NE(r.error.find("arena too small"), std::string::npos);
}

TEST(ProtocolTest, VariantRecordSaysWhichKernelsRan) {
  std::string text = kGood;
  text.insert(text.find("@ember arena"), "@ember variant optimized dsp\n");
  RunResult r;
  ASSERT_TRUE(ParseFirmwareOutput(text, &r)) << r.error;
  EXPECT_EQ(r.variant, "optimized");
  EXPECT_EQ(r.kernels, "dsp");
  // Without the record (an older firmware) both stay empty; the bench command rejects that.
  ASSERT_TRUE(ParseFirmwareOutput(kGood, &r)) << r.error;
  EXPECT_TRUE(r.variant.empty());
  EXPECT_TRUE(r.kernels.empty());
  const char* bad[] = {"@ember variant optimized\n", "@ember variant fast dsp\n",
                       "@ember variant reference neon\n", "@ember variant reference dsp x\n"};
  for (const char* b : bad) {
    std::string t = kGood;
    t.insert(t.find("@ember arena"), b);
    EXPECT_FALSE(ParseFirmwareOutput(t, &r)) << b;
    EXPECT_NE(r.error.find("variant"), std::string::npos) << r.error;
  }
}

TEST(ProtocolTest, HexRoundTrip) {
  std::vector<uint8_t> bytes = {0, 1, 0x7f, 0x80, 0xff};
  std::vector<uint8_t> back;
  ASSERT_TRUE(FromHex(ToHex(bytes), &back));
  EXPECT_EQ(back, bytes);
  EXPECT_EQ(ToHex(bytes), "00017f80ff");
  EXPECT_FALSE(FromHex("0g", &back));
}

}  // namespace
}  // namespace ember::bench
