// Status of a fallible models/ call (host-only code: the message is a std::string).
// Marked [[nodiscard]] at the class level, so every function returning a Status must
// have its result checked.
#ifndef EMBER_MODELS_STATUS_H_
#define EMBER_MODELS_STATUS_H_

#include <string>
#include <utility>

namespace ember::models {

class [[nodiscard]] Status {
 public:
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !failed_; }
  const std::string& message() const { return message_; }

 private:
  Status() = default;
  explicit Status(std::string message) : failed_(true), message_(std::move(message)) {}

  bool failed_ = false;
  std::string message_;
};

// Returns from the enclosing function when `expr` yields an error Status.
#define EMBER_MODELS_RETURN_IF_ERROR(expr) \
  do {                                     \
    ::ember::models::Status _st = (expr);  \
    if (!_st.ok()) return _st;             \
  } while (0)

}  // namespace ember::models

#endif  // EMBER_MODELS_STATUS_H_
