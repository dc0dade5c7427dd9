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
// Sends "error at <file>:<line> (message text stripped: ...)" to the handler.
void LogStripped(const char* file, int line);

}  // namespace ember::rt

// The runtime reports through EMBER_LOG. Built with EMBER_STRIP_MESSAGES=1 (CMake option
// EMBER_STRIP_MESSAGES, for flash-tight firmware), the message texts are not compiled in:
// each report names its source file and line instead, and the arguments are not evaluated.
// (The arguments still appear in an unevaluated sizeof, so that variables used only in
// messages do not become unused.)
#if defined(EMBER_STRIP_MESSAGES) && EMBER_STRIP_MESSAGES
namespace ember::rt {
template <typename... Args>
int StrippedMessageArgs(const Args&...);  // never defined: only named in sizeof
}  // namespace ember::rt
#define EMBER_LOG(...)                                                        \
  (static_cast<void>(sizeof(::ember::rt::StrippedMessageArgs(__VA_ARGS__))), \
   ::ember::rt::LogStripped(__FILE_NAME__, __LINE__))
#else
#define EMBER_LOG(...) ::ember::rt::Log(__VA_ARGS__)
#endif

namespace ember::rt {

// Formats into buf (always NUL-terminated when size > 0). Returns the length written.
size_t FormatString(char* buf, size_t size, const char* format, ...)
    __attribute__((format(printf, 3, 4)));
size_t FormatStringV(char* buf, size_t size, const char* format, va_list args);

}  // namespace ember::rt

#endif  // EMBER_RUNTIME_LOG_H_
