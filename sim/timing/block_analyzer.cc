#include "sim/timing/block_analyzer.h"

#include <string>

namespace ember::sim::timing {
namespace {
constexpr cs_mode kThumbMclass = static_cast<cs_mode>(CS_MODE_THUMB | CS_MODE_MCLASS);
}  // namespace

Result<std::unique_ptr<BlockAnalyzer>> BlockAnalyzer::Create(const CoreTiming& timing) {
  std::unique_ptr<BlockAnalyzer> a(new BlockAnalyzer(timing));
  EMBER_SIM_RETURN_IF_ERROR(a->Open());
  return a;
}

Status BlockAnalyzer::Open() {
  Close();
  cs_err err = cs_open(CS_ARCH_ARM, kThumbMclass, &handle_);
  if (err != CS_ERR_OK) {
    handle_ = 0;
    return Status::Error(std::string("timing model: cs_open(ARM, Thumb|MClass) failed: ") +
                         cs_strerror(err));
  }
  err = cs_option(handle_, CS_OPT_DETAIL, CS_OPT_ON);
  if (err != CS_ERR_OK) {
    return Status::Error(std::string("timing model: Capstone detail mode unavailable: ") +
                         cs_strerror(err));
  }
  insn_ = cs_malloc(handle_);
  if (insn_ == nullptr) return Status::Error("timing model: cs_malloc failed");
  return Status::Ok();
}

void BlockAnalyzer::Close() {
  if (insn_ != nullptr) cs_free(insn_, 1);
  insn_ = nullptr;
  if (handle_ != 0) cs_close(&handle_);
  handle_ = 0;
}

BlockAnalyzer::~BlockAnalyzer() { Close(); }

void BlockAnalyzer::Decode(uint32_t address, const uint8_t* bytes, size_t size,
                           std::vector<DecodedInsn>* out) {
  out->clear();
  // Capstone 4 keeps the IT-block state in the handle across calls and no option resets
  // it: when the previous range ended inside an IT block, start from a fresh handle so
  // this block does not inherit conditions.
  if (it_pending_ || handle_ == 0) {
    if (!Open().ok()) {
      it_pending_ = false;
      for (size_t off = 0; off + 2 <= size; off += 2) {
        DecodedInsn unknown;
        unknown.address = static_cast<uint32_t>(address + off);
        out->push_back(unknown);
      }
      return;
    }
  }
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
  // An IT instruction among the last four leaves slots pending in Capstone's state.
  it_pending_ = false;
  for (size_t i = out->size() > 4 ? out->size() - 4 : 0; i < out->size(); ++i) {
    if ((*out)[i].cls == OpClass::kIt) it_pending_ = true;
  }
}

BlockCost BlockAnalyzer::Analyze(uint32_t address, const uint8_t* bytes, size_t size,
                                 const HookedPredicate& hooked) {
  Decode(address, bytes, size, &scratch_);
  return CostBlock(scratch_, timing_, hooked);
}

}  // namespace ember::sim::timing
