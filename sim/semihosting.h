// Semihosting: the ARM semihosting calls newlib's rdimon makes (BKPT 0xAB in Thumb; r0 =
// operation, r1 = parameter or pointer to a parameter block; result in r0).
//
// Supported operations:
//   SYS_OPEN (0x01)     ":tt" opens the console: modes 0-3 stdin, 4-7 stdout, 8-11 stderr.
//                       ":semihosting-features" is the feature file ("SHFB" + 0x03:
//                       EXIT_EXTENDED and STDOUT_STDERR), which newlib reads to decide to use
//                       SYS_EXIT_EXTENDED so exit(code) reaches us. Host files only when
//                       allow_host_files is set; otherwise -1 with errno EACCES (13).
//   SYS_CLOSE (0x02), SYS_WRITEC (0x03), SYS_WRITE0 (0x04), SYS_WRITE (0x05, returns bytes not
//   written), SYS_READ (0x06, stdin comes from SemihostingOptions::stdin_data), SYS_READC (0x07),
//   SYS_ISERROR (0x08), SYS_ISTTY (0x09), SYS_SEEK (0x0A), SYS_FLEN (0x0C),
//   SYS_REMOVE (0x0E) / SYS_RENAME (0x0F) (host files only),
//   SYS_CLOCK (0x10)    centiseconds of MODELED time (cycles / clock_hz),
//   SYS_TIME (0x11)     host seconds since the epoch,
//   SYS_SYSTEM (0x12)   refused (-1),
//   SYS_ERRNO (0x13), SYS_GET_CMDLINE (0x15),
//   SYS_HEAPINFO (0x16) heap = [end symbol, stack limit), stack = [stack limit, initial SP):
//                       the RAM region holding the initial SP; the stack gets
//                       min(64 KB, half of the free space),
//   SYS_EXIT (0x18)     r1 = reason (or a pointer to {reason, code}); ApplicationExit = exit 0,
//                       other reasons (e.g. RunTimeErrorUnknown from abort()) = exit 134,
//   SYS_EXIT_EXTENDED (0x20) {reason, code}: ApplicationExit exits with `code`,
//   SYS_ELAPSED (0x30)  64-bit modeled cycle count, SYS_TICKFREQ (0x31) = board clock.
// Unknown operations end the run with a fault report (never silently ignored).
#ifndef EMBER_SIM_SEMIHOSTING_H_
#define EMBER_SIM_SEMIHOSTING_H_

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>

#include "sim/machine.h"
#include "sim/system_control.h"
#include "sim/uart.h"

namespace ember::sim {

struct SemihostingOptions {
  OutputSink output;         // the program's stdout/stderr
  std::string stdin_data;    // what SYS_READ/SYS_READC on stdin return, then EOF
  std::string command_line;  // SYS_GET_CMDLINE ("firmware.elf" by default)
  bool allow_host_files = false;
  uint32_t heap_base = 0;   // from the ELF's end symbol (0: start of the RAM region)
  uint32_t initial_sp = 0;  // vector table word 0
};

class Semihosting {
 public:
  Semihosting(Machine* machine, SemihostingOptions options, CycleSource cycles);
  ~Semihosting();
  // Handles the BKPT 0xAB at `pc`: performs the call, sets r0 and moves the PC past the BKPT
  // (or stops the machine on exit / error).
  void Handle(uint32_t pc);

 private:
  int32_t Call(uint32_t op, uint32_t arg);
  Result<std::string> ReadString(uint32_t address, uint32_t max_len = 4096);
  int32_t Open(uint32_t block);
  int32_t Write(uint32_t block);
  int32_t Read(uint32_t block);
  int32_t HeapInfo(uint32_t arg);
  void Exit(uint32_t reason, uint32_t code, bool has_code);

  struct Handle_ {
    enum Kind { kStdin, kStdout, kStderr, kFeatures, kFile } kind;
    FILE* file = nullptr;
    uint32_t position = 0;  // for kFeatures
  };

  Machine* machine_;
  SemihostingOptions options_;
  CycleSource cycles_;
  std::map<int32_t, Handle_> handles_;
  int32_t next_handle_ = 1;
  size_t stdin_pos_ = 0;
  int32_t errno_ = 0;
};

}  // namespace ember::sim

#endif  // EMBER_SIM_SEMIHOSTING_H_
