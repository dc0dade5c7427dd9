// Status propagation for runtime code. Every fallible runtime function returns an
// EmberStatus (kernel_api.h) and is [[nodiscard]]; callers propagate with
// EMBER_RETURN_IF_ERROR after the failing call has logged the reason once.
#ifndef EMBER_RUNTIME_STATUS_H_
#define EMBER_RUNTIME_STATUS_H_

#include "runtime/kernel_api.h"

#define EMBER_RETURN_IF_ERROR(expr)             \
  do {                                          \
    if ((expr) != kEmberOk) return kEmberError; \
  } while (0)

#endif  // EMBER_RUNTIME_STATUS_H_
