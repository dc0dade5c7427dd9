#include "sim/timing/block_analyzer.h"

#include <string>

namespace ember::sim::timing {
namespace {
constexpr cs_mode kThumbMclass = static_cast<cs_mode>(CS_MODE_THUMB | CS_MODE_MCLASS);
}  // namespace

Result<std::unique_ptr<BlockAnalyzer>> BlockAnalyzer::Create(const CoreTiming& timing) {
  std::unique_ptr<BlockAnalyzer> a(new BlockAnalyzer(timing));
  cs_err err = cs_open(CS_ARCH_ARM, kThumbMclass, &a->handle_);
  if (err != CS_ERR_OK) {
    a->handle_ = 0;
    return Status::Error(std::string("timing model: cs_open(ARM, Thumb|MClass) failed: ") +
                         cs_strerror(err));
  }
  err = cs_option(a->handle_, CS_OPT_DETAIL, CS_OPT_ON);
  if (err != CS_ERR_OK) {
    return Status::Error(std::string("timing model: Capstone detail mode unavailable: ") +
                         cs_strerror(err));
  }
  a->insn_ = cs_malloc(a->handle_);
  if (a->insn_ == nullptr) return Status::Error("timing model: cs_malloc failed");
  return a;
}

BlockAnalyzer::~BlockAnalyzer() {
  if (insn_ != nullptr) cs_free(insn_, 1);
  if (handle_ != 0) cs_close(&handle_);
}

void BlockAnalyzer::Decode(uint32_t address, const uint8_t* bytes, size_t size,
                           std::vector<DecodedInsn>* out) {
  out->clear();
  // Capstone keeps IT-block state in the handle across calls; setting the mode resets it,
  // so a block never inherits the IT state of the previously decoded one.
  (void)cs_option(handle_, CS_OPT_MODE, kThumbMclass);
  const uint8_t* p = bytes;
  size_t left = size;
  uint64_t pc = address;
  while (left >= 2) {
    if (cs_disasm_iter(handle_, &p, &left, &pc, insn_)) {
      out->push_back(ClassifyInsn(handle_, *insn_));
      continue;
    }
    DecodedInsn unknown;  // e.g. a literal word Unicorn would fault on, or UDF variants
    unknown.address = static_cast<uint32_t>(pc);
    unknown.size = 2;
    unknown.cls = OpClass::kUnknown;
    out->push_back(unknown);
    p += 2;
    left -= 2;
    pc += 2;
  }
}

BlockCost BlockAnalyzer::Analyze(uint32_t address, const uint8_t* bytes, size_t size,
                                 const HookedPredicate& hooked) {
  Decode(address, bytes, size, &scratch_);
  return CostBlock(scratch_, timing_, hooked);
}

}  // namespace ember::sim::timing
