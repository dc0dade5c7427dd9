// ARM semihosting for newlib rdimon (see sim/semihosting.h).
#include "sim/semihosting.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ctime>

namespace ember::sim {
namespace {

constexpr uint32_t kAdpStoppedApplicationExit = 0x20026;
constexpr char kFeatures[] = {'S', 'H', 'F', 'B', 0x03};
constexpr int32_t kEacces = 13, kEbadf = 9, kEinval = 22, kEnoent = 2;

}  // namespace

Semihosting::Semihosting(Machine* machine, SemihostingOptions options, CycleSource cycles)
    : machine_(machine), options_(std::move(options)), cycles_(std::move(cycles)) {}

Semihosting::~Semihosting() {
  for (auto& [id, h] : handles_) {
    if (h.file) std::fclose(h.file);
  }
}

Result<std::string> Semihosting::ReadString(uint32_t address, uint32_t max_len) {
  std::string s;
  char c = 0;
  for (uint32_t i = 0; i < max_len; ++i) {
    EMBER_SIM_RETURN_IF_ERROR(machine_->ReadMemory(address + i, &c, 1));
    if (c == 0) return s;
    s.push_back(c);
  }
  return Status::Error(fmt::format("string at 0x{:08x} longer than {} bytes", address, max_len));
}

void Semihosting::Handle(uint32_t pc) {
  uint16_t insn = 0;
  if (!machine_->ReadMemory(pc, &insn, 2).ok() || insn != 0xBEAB) {
    Fault f;
    f.kind = FaultKind::kUnhandledException;
    f.pc = pc;
    f.detail =
        fmt::format("breakpoint instruction (BKPT #{}) with no debugger attached", insn & 0xff);
    machine_->StopWithFault(std::move(f));
    return;
  }
  auto op = machine_->ReadReg(Reg::kR0);
  auto arg = machine_->ReadReg(Reg::kR1);
  if (!op.ok() || !arg.ok()) {
    machine_->StopWithFault(Fault{FaultKind::kInternal, pc, false, 0, "semihosting: registers"});
    return;
  }
  int32_t result = Call(*op, *arg);
  if (machine_->stop_requested()) return;
  Status st = machine_->WriteReg(Reg::kR0, static_cast<uint32_t>(result));
  if (st.ok()) st = machine_->WriteReg(Reg::kPc, (pc + 2) | 1u);
  if (!st.ok()) machine_->StopWithFault(Fault{FaultKind::kInternal, pc, false, 0, st.message()});
}

int32_t Semihosting::Call(uint32_t op, uint32_t arg) {
  auto word = [&](uint32_t i) -> uint32_t {
    auto v = machine_->ReadU32(arg + 4 * i);
    return v.ok() ? *v : 0;
  };
  switch (op) {
    case 0x01:
      return Open(arg);
    case 0x02: {  // SYS_CLOSE
      auto it = handles_.find(static_cast<int32_t>(word(0)));
      if (it == handles_.end()) return errno_ = kEbadf, -1;
      if (it->second.file) std::fclose(it->second.file);
      handles_.erase(it);
      return 0;
    }
    case 0x03: {  // SYS_WRITEC
      char c = 0;
      if (machine_->ReadMemory(arg, &c, 1).ok()) options_.output(1, std::string_view(&c, 1));
      return 0;
    }
    case 0x04: {  // SYS_WRITE0
      auto s = ReadString(arg, 1u << 20);
      if (s.ok()) options_.output(1, *s);
      return 0;
    }
    case 0x05:
      return Write(arg);
    case 0x06:
      return Read(arg);
    case 0x07: {  // SYS_READC
      if (stdin_pos_ < options_.stdin_data.size()) {
        return static_cast<unsigned char>(options_.stdin_data[stdin_pos_++]);
      }
      return -1;
    }
    case 0x08:
      return static_cast<int32_t>(word(0)) < 0 ? 1 : 0;  // SYS_ISERROR
    case 0x09: {                                         // SYS_ISTTY
      auto it = handles_.find(static_cast<int32_t>(word(0)));
      if (it == handles_.end()) return errno_ = kEbadf, 0;
      return it->second.kind <= Handle_::kStderr ? 1 : 0;
    }
    case 0x0A: {  // SYS_SEEK
      auto it = handles_.find(static_cast<int32_t>(word(0)));
      if (it == handles_.end()) return errno_ = kEbadf, -1;
      if (it->second.kind == Handle_::kFeatures) {
        it->second.position = word(1);
        return 0;
      }
      if (it->second.file) {
        return std::fseek(it->second.file, static_cast<long>(word(1)), SEEK_SET) == 0 ? 0 : -1;
      }
      return errno_ = kEinval, -1;
    }
    case 0x0C: {  // SYS_FLEN
      auto it = handles_.find(static_cast<int32_t>(word(0)));
      if (it == handles_.end()) return errno_ = kEbadf, -1;
      if (it->second.kind == Handle_::kFeatures) return sizeof(kFeatures);
      if (it->second.file) {
        long pos = std::ftell(it->second.file);
        std::fseek(it->second.file, 0, SEEK_END);
        long len = std::ftell(it->second.file);
        std::fseek(it->second.file, pos, SEEK_SET);
        return static_cast<int32_t>(len);
      }
      return 0;
    }
    case 0x0E:    // SYS_REMOVE
    case 0x0F: {  // SYS_RENAME
      if (!options_.allow_host_files) return errno_ = kEacces, -1;
      auto a = ReadString(word(0));
      if (!a.ok()) return errno_ = kEinval, -1;
      if (op == 0x0E) return std::remove(a->c_str()) == 0 ? 0 : (errno_ = errno, -1);
      auto b = ReadString(word(2));
      if (!b.ok()) return errno_ = kEinval, -1;
      return std::rename(a->c_str(), b->c_str()) == 0 ? 0 : (errno_ = errno, -1);
    }
    case 0x10:  // SYS_CLOCK: centiseconds of modeled time
      return static_cast<int32_t>(cycles_() * 100 / machine_->board().clock_hz);
    case 0x11:
      return static_cast<int32_t>(std::time(nullptr));  // SYS_TIME
    case 0x12:
      return -1;  // SYS_SYSTEM: refused
    case 0x13:
      return errno_;  // SYS_ERRNO
    case 0x15: {      // SYS_GET_CMDLINE: {buffer, size} -> size = length written
      std::string cmd = options_.command_line;
      uint32_t size = word(1);
      if (size == 0) return -1;
      if (cmd.size() + 1 > size) cmd.resize(size - 1);
      if (!machine_->WriteMemory(word(0), cmd.c_str(), cmd.size() + 1).ok()) return -1;
      return machine_->WriteU32(arg + 4, static_cast<uint32_t>(cmd.size())).ok() ? 0 : -1;
    }
    case 0x16:
      return HeapInfo(arg);
    case 0x18: {  // SYS_EXIT: reason in r1, or a pointer to {reason, subcode}
      if ((arg >> 8) != 0x200) {
        auto first = machine_->ReadU32(arg);
        if (first.ok() && (*first >> 8) == 0x200) {
          Exit(*first, word(1), true);
          return 0;
        }
      }
      Exit(arg, 0, false);
      return 0;
    }
    case 0x20:
      Exit(word(0), word(1), true);
      return 0;   // SYS_EXIT_EXTENDED
    case 0x30: {  // SYS_ELAPSED
      uint64_t c = cycles_();
      uint32_t lo = static_cast<uint32_t>(c), hi = static_cast<uint32_t>(c >> 32);
      if (!machine_->WriteU32(arg, lo).ok() || !machine_->WriteU32(arg + 4, hi).ok()) return -1;
      return 0;
    }
    case 0x31:
      return static_cast<int32_t>(machine_->board().clock_hz);  // SYS_TICKFREQ
    default: {
      auto pc = machine_->ReadReg(Reg::kPc);
      Fault f;
      f.kind = FaultKind::kUnhandledException;
      f.pc = pc.ok() ? *pc : 0;
      f.detail = fmt::format("unsupported semihosting operation 0x{:02x}", op);
      machine_->StopWithFault(std::move(f));
      return -1;
    }
  }
}

int32_t Semihosting::Open(uint32_t block) {
  auto name_ptr = machine_->ReadU32(block);
  auto mode = machine_->ReadU32(block + 4);
  if (!name_ptr.ok() || !mode.ok()) return errno_ = kEinval, -1;
  auto name = ReadString(*name_ptr);
  if (!name.ok()) return errno_ = kEinval, -1;
  Handle_ h{Handle_::kFile};
  if (*name == ":tt") {
    h.kind = *mode < 4 ? Handle_::kStdin : (*mode < 8 ? Handle_::kStdout : Handle_::kStderr);
  } else if (*name == ":semihosting-features") {
    h.kind = Handle_::kFeatures;
  } else {
    if (!options_.allow_host_files) return errno_ = kEacces, -1;
    static const char* kModes[12] = {"r",  "rb",  "r+", "r+b", "w",  "wb",
                                     "w+", "w+b", "a",  "ab",  "a+", "a+b"};
    if (*mode > 11) return errno_ = kEinval, -1;
    h.file = std::fopen(name->c_str(), kModes[*mode]);
    if (!h.file) return errno_ = kEnoent, -1;
  }
  int32_t id = next_handle_++;
  handles_[id] = h;
  return id;
}

int32_t Semihosting::Write(uint32_t block) {
  auto id = machine_->ReadU32(block);
  auto ptr = machine_->ReadU32(block + 4);
  auto len = machine_->ReadU32(block + 8);
  if (!id.ok() || !ptr.ok() || !len.ok()) return -1;
  auto it = handles_.find(static_cast<int32_t>(*id));
  if (it == handles_.end() || it->second.kind == Handle_::kStdin ||
      it->second.kind == Handle_::kFeatures) {
    errno_ = kEbadf;
    return static_cast<int32_t>(*len);
  }
  std::string data(*len, '\0');
  if (*len > 0 && !machine_->ReadMemory(*ptr, data.data(), *len).ok()) {
    errno_ = kEinval;
    return static_cast<int32_t>(*len);
  }
  if (it->second.kind == Handle_::kFile) {
    size_t n = std::fwrite(data.data(), 1, data.size(), it->second.file);
    return static_cast<int32_t>(*len - n);
  }
  options_.output(it->second.kind == Handle_::kStderr ? 2 : 1, data);
  return 0;
}

int32_t Semihosting::Read(uint32_t block) {
  auto id = machine_->ReadU32(block);
  auto ptr = machine_->ReadU32(block + 4);
  auto len = machine_->ReadU32(block + 8);
  if (!id.ok() || !ptr.ok() || !len.ok()) return -1;
  auto it = handles_.find(static_cast<int32_t>(*id));
  if (it == handles_.end()) return errno_ = kEbadf, -1;
  std::string data;
  Handle_& h = it->second;
  if (h.kind == Handle_::kStdin) {
    size_t n = std::min<size_t>(*len, options_.stdin_data.size() - stdin_pos_);
    data = options_.stdin_data.substr(stdin_pos_, n);
    stdin_pos_ += n;
  } else if (h.kind == Handle_::kFeatures) {
    size_t avail = h.position < sizeof(kFeatures) ? sizeof(kFeatures) - h.position : 0;
    size_t n = std::min<size_t>(*len, avail);
    data.assign(kFeatures + h.position, n);
    h.position += static_cast<uint32_t>(n);
  } else if (h.kind == Handle_::kFile) {
    data.resize(*len);
    data.resize(std::fread(data.data(), 1, *len, h.file));
  } else {
    return errno_ = kEbadf, -1;
  }
  if (!data.empty() && !machine_->WriteMemory(*ptr, data.data(), data.size()).ok()) return -1;
  return static_cast<int32_t>(*len - data.size());  // bytes NOT read
}

int32_t Semihosting::HeapInfo(uint32_t arg) {
  auto block = machine_->ReadU32(arg);  // r1 points to a pointer to the 4-word block
  if (!block.ok()) return -1;
  const BoardConfig& board = machine_->board();
  const MemoryRegion* ram = board.FindMemory(options_.initial_sp - 1);
  if (!ram) ram = board.FindMemory(options_.heap_base);
  uint32_t words[4] = {0, 0, 0, 0};
  if (ram) {
    uint32_t stack_base =
        options_.initial_sp ? options_.initial_sp : static_cast<uint32_t>(ram->end());
    uint32_t heap_base = ram->Contains(options_.heap_base) ? options_.heap_base : ram->base;
    heap_base = (heap_base + 7) & ~7u;
    uint32_t free_bytes = stack_base > heap_base ? stack_base - heap_base : 0;
    uint32_t stack_size = std::min<uint32_t>(64 * 1024, free_bytes / 2) & ~7u;
    words[0] = heap_base;
    words[1] = stack_base - stack_size;
    words[2] = stack_base;
    words[3] = stack_base - stack_size;
  }
  for (uint32_t i = 0; i < 4; ++i) {
    if (!machine_->WriteU32(*block + 4 * i, words[i]).ok()) return -1;
  }
  return 0;
}

void Semihosting::Exit(uint32_t reason, uint32_t code, bool has_code) {
  StopInfo info;
  info.reason = StopReason::kExit;
  if (reason == kAdpStoppedApplicationExit) {
    info.exit_code = has_code ? static_cast<int>(code) : 0;
  } else {
    info.exit_code = 134;
    info.message = fmt::format("the program stopped with semihosting reason 0x{:x}", reason);
  }
  machine_->Stop(std::move(info));
}

}  // namespace ember::sim
