// Status and Result<T>: how every fallible call in sim/ reports failure.
// A Status is either OK or carries one human-readable message that already names what
// failed (file, key, line, address, ...). Callers propagate with EMBER_SIM_RETURN_IF_ERROR.
#ifndef EMBER_SIM_STATUS_H_
#define EMBER_SIM_STATUS_H_

#include <optional>
#include <string>
#include <utility>

namespace ember::sim {

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !message_.has_value(); }
  // Empty for an OK status.
  const std::string& message() const {
    static const std::string kEmpty;
    return message_ ? *message_ : kEmpty;
  }

 private:
  explicit Status(std::string message) : message_(std::move(message)) {}
  std::optional<std::string> message_;
};

// A value or an error Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    if (status_.ok()) status_ = Status::Error("internal error: Result built from OK status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace ember::sim

#define EMBER_SIM_RETURN_IF_ERROR(expr)                    \
  do {                                                     \
    ::ember::sim::Status ember_sim_status_ = (expr);       \
    if (!ember_sim_status_.ok()) return ember_sim_status_; \
  } while (0)

#endif  // EMBER_SIM_STATUS_H_
