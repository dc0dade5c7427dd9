// The runtime's one logging hook and its printf-style formatter (no stdio).
//
// Every error the runtime or a kernel finds is formatted into a bounded stack buffer
// and handed to one settable handler `void(const char* message)`: on the host it
// forwards to spdlog (runtime/host/spdlog_sink.h), on bare metal the firmware routes
// it to a UART or semihosting. With no handler set, messages are dropped.
//
// Supported conversions: %d %i %u %x %X %c %s %p %f %% with the length modifiers
// l, ll, z; flags '-' and '0'; a field width; a precision for %f (default 6) and %s.
// Anything else is printed literally. Output is truncated (never overflows) at
// kMaxLogMessage - 1 characters.
#ifndef EMBER_RUNTIME_LOG_H_
#define EMBER_RUNTIME_LOG_H_

#include <stdarg.h>
#include <stddef.h>

namespace ember::rt {

using LogHandler = void (*)(const char* message);

inline constexpr size_t kMaxLogMessage = 256;

// Installs the handler (nullptr: drop messages). Returns the previous one.
LogHandler SetLogHandler(LogHandler handler);
LogHandler GetLogHandler();

// Formats and sends one message to the handler.
void Log(const char* format, ...) __attribute__((format(printf, 1, 2)));
void LogV(const char* format, va_list args);

// Formats into buf (always NUL-terminated when size > 0). Returns the length written.
size_t FormatString(char* buf, size_t size, const char* format, ...)
    __attribute__((format(printf, 3, 4)));
size_t FormatStringV(char* buf, size_t size, const char* format, va_list args);

}  // namespace ember::rt

#endif  // EMBER_RUNTIME_LOG_H_
