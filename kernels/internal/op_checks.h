// Small helpers for kernel Prepare functions: fetch node tensors and report a
// failed check with a clear message. Used by the elementwise, shape and SVDF kernels.
#ifndef EMBER_KERNELS_INTERNAL_OP_CHECKS_H_
#define EMBER_KERNELS_INTERNAL_OP_CHECKS_H_

#include <stdint.h>

#include "runtime/kernel_api.h"

// Reports `...` (printf-style, as EmberContext::ReportError) and returns kEmberError
// from the enclosing function when `cond` is false. With EMBER_STRIP_MESSAGES=1
// (runtime/log.h) the text is not compiled in: the report names the file and line.
#if defined(EMBER_STRIP_MESSAGES) && EMBER_STRIP_MESSAGES
namespace ember::kernels {
template <typename... Args>
int StrippedReportArgs(const Args&...);  // never defined: only named in sizeof
}  // namespace ember::kernels
#define EMBER_KERNEL_REPORT(ctx, ...)                                                 \
  (static_cast<void>(sizeof(::ember::kernels::StrippedReportArgs(__VA_ARGS__))),       \
   (ctx)->ReportError((ctx), "check failed at %s:%d", __FILE_NAME__, __LINE__))
#else
#define EMBER_KERNEL_REPORT(ctx, ...) (ctx)->ReportError((ctx), __VA_ARGS__)
#endif
#define EMBER_KERNEL_CHECK(ctx, cond, ...)  \
  do {                                      \
    if (!(cond)) {                          \
      EMBER_KERNEL_REPORT((ctx), __VA_ARGS__); \
      return kEmberError;                   \
    }                                       \
  } while (0)

namespace ember::kernels {

// Tensor index of input/output i of the node; -1 (absent) when i is out of range.
inline int32_t InputIndex(const EmberNode* node, int32_t i) {
  return (i >= 0 && i < node->num_inputs) ? node->inputs[i] : -1;
}
inline int32_t OutputIndex(const EmberNode* node, int32_t i) {
  return (i >= 0 && i < node->num_outputs) ? node->outputs[i] : -1;
}

// Full views (init/prepare) of input/output i of the node, or NULL when absent (index -1)
// or i is out of range. (The context returns NULL for index -1.)
inline EmberTensor* NodeInput(const EmberContext* ctx, const EmberNode* node, int32_t i) {
  return ctx->GetTensor(ctx, InputIndex(node, i));
}
inline EmberTensor* NodeOutput(const EmberContext* ctx, const EmberNode* node, int32_t i) {
  return ctx->GetTensor(ctx, OutputIndex(node, i));
}
// Invoke-time views (kernel_api.h: full views exist only during init/prepare).
inline EmberEvalTensor* EvalInput(const EmberContext* ctx, const EmberNode* node, int32_t i) {
  return ctx->GetEvalTensor(ctx, InputIndex(node, i));
}
inline EmberEvalTensor* EvalOutput(const EmberContext* ctx, const EmberNode* node, int32_t i) {
  return ctx->GetEvalTensor(ctx, OutputIndex(node, i));
}

template <typename T>
inline T* TensorData(EmberEvalTensor* t) {
  return static_cast<T*>(t->data);
}
template <typename T>
inline const T* TensorData(const EmberEvalTensor* t) {
  return static_cast<const T*>(t->data);
}
template <typename T>
inline T* TensorData(EmberTensor* t) {
  return static_cast<T*>(t->data);
}
template <typename T>
inline const T* TensorData(const EmberTensor* t) {
  return static_cast<const T*>(t->data);
}

}  // namespace ember::kernels

#endif  // EMBER_KERNELS_INTERNAL_OP_CHECKS_H_
