#include "runtime/host/log_sink.h"

#include <spdlog/spdlog.h>

#include "runtime/log.h"

namespace ember::rt::host {

void InstallSpdlogLogHandler() {
  SetLogHandler([](const char* message) { spdlog::error("{}", message); });
}

}  // namespace ember::rt::host
