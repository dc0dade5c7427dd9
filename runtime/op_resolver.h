// Op resolver: maps a model's builtin op codes to kernel registrations.
//
// A fixed-capacity array of registrations (no heap). Only the kernels a program adds
// are referenced, so only those are linked in. The interpreter asks FindBuiltin() for
// each operator of the model; a code with no registration is reported by the
// interpreter as "not registered in the resolver" (the runtime knows the op's name)
// or "unknown to the runtime" (a code outside the schema).
#ifndef EMBER_RUNTIME_OP_RESOLVER_H_
#define EMBER_RUNTIME_OP_RESOLVER_H_

#include <stddef.h>
#include <stdint.h>

#include "runtime/kernel_api.h"

namespace ember::rt {

class OpResolverInterface {
 public:
  // The registration for a builtin op code, or nullptr.
  virtual const EmberRegistration* FindBuiltin(int32_t builtin_code) const = 0;
  virtual size_t size() const = 0;
  virtual const EmberRegistration& at(size_t i) const = 0;

 protected:
  ~OpResolverInterface() = default;
};

template <size_t kCapacity>
class OpResolver : public OpResolverInterface {
 public:
  // Adds a registration. Fails (kEmberError) when the resolver is full, when the
  // registration has no invoke function, or when the op code is already registered
  // (pick one variant per op).
  [[nodiscard]] EmberStatus AddBuiltin(const EmberRegistration& registration) {
    if (count_ >= kCapacity || registration.invoke == nullptr ||
        FindBuiltin(registration.builtin_code) != nullptr) {
      return kEmberError;
    }
    registrations_[count_++] = registration;
    return kEmberOk;
  }

  const EmberRegistration* FindBuiltin(int32_t builtin_code) const override {
    for (size_t i = 0; i < count_; ++i) {
      if (registrations_[i].builtin_code == builtin_code) return &registrations_[i];
    }
    return nullptr;
  }
  size_t size() const override { return count_; }
  const EmberRegistration& at(size_t i) const override { return registrations_[i]; }

 private:
  EmberRegistration registrations_[kCapacity] = {};
  size_t count_ = 0;
};

}  // namespace ember::rt

#endif  // EMBER_RUNTIME_OP_RESOLVER_H_
