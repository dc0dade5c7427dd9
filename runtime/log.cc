#include "runtime/log.h"

#include <stdint.h>

namespace ember::rt {
namespace {

LogHandler g_handler = nullptr;

// Appends characters to a bounded buffer, keeping room for the terminating NUL.
class Writer {
 public:
  Writer(char* buf, size_t size) : buf_(buf), size_(size) {}
  void Put(char c) {
    if (size_ > 0 && len_ + 1 < size_) buf_[len_++] = c;
  }
  void Fill(char c, int count) {
    for (int i = 0; i < count; ++i) Put(c);
  }
  size_t Finish() {
    if (size_ > 0) buf_[len_] = '\0';
    return len_;
  }

 private:
  char* buf_;
  size_t size_;
  size_t len_ = 0;
};

struct Spec {
  bool left = false;
  bool zero = false;
  int width = 0;
  int precision = -1;
};

// Writes `text` (length n) padded to the field width.
void PutPadded(Writer& w, const Spec& spec, const char* text, int n, bool numeric) {
  int pad = spec.width > n ? spec.width - n : 0;
  if (!spec.left) {
    char fill = (spec.zero && numeric) ? '0' : ' ';
    // Zero padding goes after a sign.
    if (fill == '0' && n > 0 && text[0] == '-') {
      w.Put('-');
      ++text;
      --n;
    }
    w.Fill(fill, pad);
  }
  for (int i = 0; i < n; ++i) w.Put(text[i]);
  if (spec.left) w.Fill(' ', pad);
}

// Unsigned value -> digits in `out` (at most 24 chars). Returns the length.
int UnsignedToText(uint64_t value, unsigned base, bool upper, bool negative, char* out) {
  char tmp[24];
  int n = 0;
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    tmp[n++] = digits[value % base];
    value /= base;
  } while (value != 0);
  int len = 0;
  if (negative) out[len++] = '-';
  while (n > 0) out[len++] = tmp[--n];
  return len;
}

// Fixed-point rendering of a double; good enough for log messages (values beyond
// 1e18 print as "inf"-like overflow marker "big").
int DoubleToText(double value, int precision, char* out) {
  int len = 0;
  if (value != value) {
    out[0] = 'n';
    out[1] = 'a';
    out[2] = 'n';
    return 3;
  }
  if (value < 0) {
    out[len++] = '-';
    value = -value;
  }
  if (value > 1e18) {
    out[len++] = 'b';
    out[len++] = 'i';
    out[len++] = 'g';
    return len;
  }
  if (precision > 9) precision = 9;
  double scale = 1.0;
  for (int i = 0; i < precision; ++i) scale *= 10.0;
  uint64_t whole = static_cast<uint64_t>(value);
  double frac = value - static_cast<double>(whole);
  uint64_t frac_digits = static_cast<uint64_t>(frac * scale + 0.5);
  if (frac_digits >= static_cast<uint64_t>(scale)) {  // rounding carried over
    ++whole;
    frac_digits -= static_cast<uint64_t>(scale);
  }
  len += UnsignedToText(whole, 10, false, false, out + len);
  if (precision > 0) {
    out[len++] = '.';
    char tmp[24];
    int n = UnsignedToText(frac_digits, 10, false, false, tmp);
    for (int i = n; i < precision; ++i) out[len++] = '0';
    for (int i = 0; i < n; ++i) out[len++] = tmp[i];
  }
  return len;
}

}  // namespace

LogHandler SetLogHandler(LogHandler handler) {
  LogHandler previous = g_handler;
  g_handler = handler;
  return previous;
}

LogHandler GetLogHandler() { return g_handler; }

size_t FormatStringV(char* buf, size_t size, const char* format, va_list args) {
  Writer w(buf, size);
  for (const char* p = format; *p != '\0'; ++p) {
    if (*p != '%') {
      w.Put(*p);
      continue;
    }
    const char* start = p++;
    Spec spec;
    for (;; ++p) {
      if (*p == '-') {
        spec.left = true;
      } else if (*p == '0') {
        spec.zero = true;
      } else {
        break;
      }
    }
    while (*p >= '0' && *p <= '9') spec.width = spec.width * 10 + (*p++ - '0');
    if (*p == '.') {
      ++p;
      spec.precision = 0;
      while (*p >= '0' && *p <= '9') spec.precision = spec.precision * 10 + (*p++ - '0');
    }
    int longs = 0;
    bool size_t_arg = false;
    while (*p == 'l') {
      ++longs;
      ++p;
    }
    if (*p == 'z') {
      size_t_arg = true;
      ++p;
    }
    char text[48];
    int n = 0;
    switch (*p) {
      case 'd':
      case 'i': {
        int64_t v;
        if (size_t_arg) {
          v = static_cast<int64_t>(va_arg(args, size_t));
        } else if (longs >= 2) {
          v = va_arg(args, long long);
        } else if (longs == 1) {
          v = va_arg(args, long);
        } else {
          v = va_arg(args, int);
        }
        uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
        n = UnsignedToText(magnitude, 10, false, v < 0, text);
        PutPadded(w, spec, text, n, true);
        break;
      }
      case 'u':
      case 'x':
      case 'X': {
        uint64_t v;
        if (size_t_arg) {
          v = va_arg(args, size_t);
        } else if (longs >= 2) {
          v = va_arg(args, unsigned long long);
        } else if (longs == 1) {
          v = va_arg(args, unsigned long);
        } else {
          v = va_arg(args, unsigned int);
        }
        n = UnsignedToText(v, *p == 'u' ? 10 : 16, *p == 'X', false, text);
        PutPadded(w, spec, text, n, true);
        break;
      }
      case 'p': {
        uintptr_t v = reinterpret_cast<uintptr_t>(va_arg(args, void*));
        text[0] = '0';
        text[1] = 'x';
        n = 2 + UnsignedToText(v, 16, false, false, text + 2);
        PutPadded(w, spec, text, n, false);
        break;
      }
      case 'c':
        text[0] = static_cast<char>(va_arg(args, int));
        PutPadded(w, spec, text, 1, false);
        break;
      case 's': {
        const char* s = va_arg(args, const char*);
        if (s == nullptr) s = "(null)";
        int len = 0;
        while (s[len] != '\0' && (spec.precision < 0 || len < spec.precision)) ++len;
        PutPadded(w, spec, s, len, false);
        break;
      }
      case 'f':
        n = DoubleToText(va_arg(args, double), spec.precision < 0 ? 6 : spec.precision, text);
        PutPadded(w, spec, text, n, true);
        break;
      case '%':
        w.Put('%');
        break;
      default:  // unknown conversion: print it as written
        for (const char* q = start; q <= p && *q != '\0'; ++q) w.Put(*q);
        if (*p == '\0') return w.Finish();
        break;
    }
  }
  return w.Finish();
}

size_t FormatString(char* buf, size_t size, const char* format, ...) {
  va_list args;
  va_start(args, format);
  size_t n = FormatStringV(buf, size, format, args);
  va_end(args);
  return n;
}

void LogV(const char* format, va_list args) {
  if (g_handler == nullptr) return;
  char message[kMaxLogMessage];
  FormatStringV(message, sizeof(message), format, args);
  g_handler(message);
}

void LogStripped(const char* file, int line) {
  Log("error at %s:%d (message text stripped: build without EMBER_STRIP_MESSAGES to see it)",
      file, line);
}

void Log(const char* format, ...) {
  va_list args;
  va_start(args, format);
  LogV(format, args);
  va_end(args);
}

}  // namespace ember::rt
