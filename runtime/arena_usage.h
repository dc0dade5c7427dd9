// Where an interpreter's arena bytes go.
//
// persistent    = tensor_metadata + op_data + variable_tensor_data   (tail, exact sums:
//                 alignment padding is counted in the kind whose allocation caused it)
// nonpersistent = tensor_data + scratch                              (head)
// total         = persistent + nonpersistent
// tensor_data:  head bytes the planned tensors alone would need (planned without the
//               scratch buffers);
// scratch:      the extra head bytes the kernels' scratch buffers cost (they are planned
//               together with the tensors, lifetime = their op, so they often fit in
//               gaps and cost less than scratch_requested);
// planner:      temporary bytes the memory planner used during AllocateTensors()
//               (released afterwards, but counted in the minimal arena);
// kernel_op_data: the part of op_data the kernels allocated (AllocatePersistent in
//               init/prepare); the rest of op_data is the runtime's per-op tables (nodes,
//               registrations, parsed options, scratch pointers, the arena tag).
// nonpersistent_reusing_inputs / total_reusing_inputs: the same figures when the planner
//               may reuse the model inputs' bytes after their last reader
//               (SetKeepInputsLive(false), as TFLM plans). Equal to nonpersistent / total
//               when that is already the setting. The default keeps inputs readable
//               through the whole Invoke() (issue 2), which costs the inputs' bytes.
// minimal_arena: the smallest arena (16-byte aligned start) with which AllocateTensors()
//               succeeds: the high-water mark of head/temporaries + tail. With a separate
//               persistent arena (two memory banks), the smallest nonpersistent arena,
//               and minimal_persistent_arena the smallest persistent one (else 0).
#ifndef EMBER_RUNTIME_ARENA_USAGE_H_
#define EMBER_RUNTIME_ARENA_USAGE_H_

#include <stddef.h>

namespace ember::rt {

struct ArenaUsage {
  size_t persistent = 0;
  size_t nonpersistent = 0;
  size_t total = 0;
  size_t tensor_metadata = 0;
  size_t op_data = 0;
  size_t variable_tensor_data = 0;
  size_t tensor_data = 0;
  size_t scratch = 0;
  size_t scratch_requested = 0;  // sum of the scratch requests (before sharing)
  size_t planner = 0;
  size_t minimal_arena = 0;
  size_t planned_buffers = 0;  // tensors + scratch buffers the planner placed
  bool offline_plan = false;   // offsets came (partly) from OfflineMemoryAllocation
  size_t kernel_op_data = 0;
  size_t nonpersistent_reusing_inputs = 0;
  size_t total_reusing_inputs = 0;
  size_t minimal_persistent_arena = 0;
};

}  // namespace ember::rt

#endif  // EMBER_RUNTIME_ARENA_USAGE_H_
