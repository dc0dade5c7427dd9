// Several interpreters (tenants) in one arena, as in the TFLM paper's multitenancy:
//
//   base                                                                       end
//   | shared nonpersistent head  | free |  tenant 2 tail | tenant 1 tail | tenant 0 tail |
//   | (sized for the largest     |      |  (persistent)  |               |               |
//   |  tenant's plan)            |      |                |               |               |
//
// Usage:
//   MultiTenantArena arena(buffer, sizeof(buffer));
//   Interpreter a(model_a, size_a, resolver, arena);
//   Interpreter b(model_b, size_b, resolver, arena);
//   a.AllocateTensors(); b.AllocateTensors();   // tails stack, head = max
//   fill a's inputs, a.Invoke(), read a's outputs; then the same for b; ...
//
// Rules, enforced with clear errors rather than garbage:
//   - Tenants allocate one after another; their persistent parts are never freed, so the
//     MultiTenantArena must outlive every tenant and cannot be copied or moved.
//   - Only a tenant's Invoke() writes the shared head: a tenant's input and output
//     tensors are valid from filling the inputs up to the next Invoke() of ANY tenant.
//     (Allocating a new tenant does not disturb them: its temporaries go above the head.)
//   - A tenant's head need can grow the shared head only while it does not cross the
//     lowest tail; otherwise that tenant's AllocateTensors() fails, stating bytes
//     needed and available, and earlier tenants keep working.
//   - Using the same raw buffer for another interpreter (without this class) overwrites
//     a tenant's arena tag; its next Invoke() reports that instead of computing garbage.
#ifndef EMBER_RUNTIME_MULTI_TENANT_ARENA_H_
#define EMBER_RUNTIME_MULTI_TENANT_ARENA_H_

#include <stddef.h>
#include <stdint.h>

#include "runtime/arena_allocator/arena_allocator.h"

namespace ember::rt {

class Interpreter;

class MultiTenantArena {
 public:
  MultiTenantArena(uint8_t* arena, size_t bytes) : allocator_(arena, bytes) {}
  MultiTenantArena(const MultiTenantArena&) = delete;
  MultiTenantArena& operator=(const MultiTenantArena&) = delete;

  size_t tenants() const { return tenants_; }
  // Sum of the tenants' persistent parts; the shared nonpersistent head; their sum.
  size_t persistent_bytes() const { return allocator_.tail_size(); }
  size_t nonpersistent_bytes() const { return allocator_.head_size(); }
  size_t used_bytes() const { return allocator_.tail_size() + allocator_.head_size(); }
  // Smallest arena that holds all tenants allocated so far (same allocation order).
  size_t minimal_arena_bytes() const { return allocator_.minimal_arena_bytes(); }
  size_t capacity() const { return allocator_.capacity(); }

 private:
  friend class Interpreter;
  ArenaAllocator allocator_;
  uint32_t tenants_ = 0;
  bool allocating_ = false;  // a tenant's AllocateTensors() is running
};

}  // namespace ember::rt

#endif  // EMBER_RUNTIME_MULTI_TENANT_ARENA_H_
