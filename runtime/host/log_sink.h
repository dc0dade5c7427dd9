// Host routing of the runtime's log hook (runtime/log.h) to spdlog.
#ifndef EMBER_RUNTIME_HOST_LOG_SINK_H_
#define EMBER_RUNTIME_HOST_LOG_SINK_H_

namespace ember::rt::host {

// Sends every runtime message to spdlog's default logger at error level (the runtime
// logs only problems). Idempotent.
void InstallSpdlogLogHandler();

}  // namespace ember::rt::host

#endif  // EMBER_RUNTIME_HOST_LOG_SINK_H_
