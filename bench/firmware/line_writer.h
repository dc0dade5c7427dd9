// LineWriter: builds protocol lines (bench/protocol.h) without stdio or heap and sends them
// through raw semihosting (SYS_WRITE0). Text is buffered and flushed when the buffer fills
// and at the end of each line, so a long line (an output tensor in hex) may arrive in
// several writes; the host's console concatenates them.
#ifndef EMBER_BENCH_FIRMWARE_LINE_WRITER_H_
#define EMBER_BENCH_FIRMWARE_LINE_WRITER_H_

#include <stddef.h>
#include <stdint.h>

namespace ember::bench {

class LineWriter {
 public:
  LineWriter& Str(const char* s);
  LineWriter& Dec(uint64_t v);
  LineWriter& Hex32(uint32_t v);  // 8 lower-case hex digits
  LineWriter& HexBytes(const void* data, size_t bytes);
  void End();  // newline + flush

 private:
  void Put(char c);
  void Flush();
  char buf_[128];
  size_t len_ = 0;
};

}  // namespace ember::bench

#endif  // EMBER_BENCH_FIRMWARE_LINE_WRITER_H_
