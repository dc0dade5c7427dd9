// LineWriter (line_writer.h).
#include "bench/firmware/line_writer.h"

#include "boards/common/semihost.h"

namespace ember::bench {
namespace {
constexpr char kHexDigits[] = "0123456789abcdef";
}  // namespace

void LineWriter::Put(char c) {
  if (len_ + 1 >= sizeof(buf_)) Flush();
  buf_[len_++] = c;
}

void LineWriter::Flush() {
  if (len_ == 0) return;
  buf_[len_] = '\0';
  EmberSemihostWrite0(buf_);
  len_ = 0;
}

LineWriter& LineWriter::Str(const char* s) {
  while (*s != '\0') Put(*s++);
  return *this;
}

LineWriter& LineWriter::Dec(uint64_t v) {
  char digits[21];
  size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) Put(digits[--n]);
  return *this;
}

LineWriter& LineWriter::Hex32(uint32_t v) {
  for (int shift = 28; shift >= 0; shift -= 4) Put(kHexDigits[(v >> shift) & 15]);
  return *this;
}

LineWriter& LineWriter::HexBytes(const void* data, size_t bytes) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  for (size_t i = 0; i < bytes; ++i) {
    Put(kHexDigits[p[i] >> 4]);
    Put(kHexDigits[p[i] & 15]);
  }
  return *this;
}

void LineWriter::End() {
  Put('\n');
  Flush();
}

}  // namespace ember::bench
