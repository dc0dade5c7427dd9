// The EmberContext callbacks kernels call (kernel_api.h), bound to one interpreter.
// Phase rules: AllocatePersistent during init/prepare; RequestScratch during prepare;
// GetScratch once the plan exists (invoke). Breaking them is reported, tagged with the
// op, and yields nullptr / kEmberError instead of memory.
#include <stdarg.h>

#include "runtime/interpreter.h"
#include "runtime/interpreter_internal.h"
#include "runtime/log.h"

namespace ember::rt {

struct KernelContextAccess {
  static Interpreter* Self(const EmberContext* ctx) { return static_cast<Interpreter*>(ctx->impl); }

  static void ReportV(Interpreter* self, const char* format, va_list args) {
    ++self->reported_errors_;
    char message[kMaxLogMessage];
    FormatStringV(message, sizeof(message), format, args);
    if (self->current_op_ >= 0) {
      Log("op #%ld %s: %s", static_cast<long>(self->current_op_),
          self->op_name(static_cast<size_t>(self->current_op_)), message);
    } else {
      Log("%s", message);
    }
  }

  static void Report(Interpreter* self, const char* format, ...) {
    va_list args;
    va_start(args, format);
    ReportV(self, format, args);
    va_end(args);
  }

  static EmberTensor* GetTensor(const EmberContext* ctx, int32_t index) {
    Interpreter* self = Self(ctx);
    if (self->phase_ == Interpreter::Phase::kInit || self->phase_ == Interpreter::Phase::kPrepare) {
      return self->PrepareView(index);
    }
    Report(self,
           "GetTensor(%ld) outside init/prepare: full tensor views exist only while the model "
           "is prepared (use GetEvalTensor in invoke)",
           static_cast<long>(index));
    return nullptr;
  }

  static EmberEvalTensor* GetEvalTensor(const EmberContext* ctx, int32_t index) {
    return Self(ctx)->EvalView(index);
  }

  static const char* GetTensorName(const EmberContext* ctx, int32_t index) {
    return index < 0 ? "" : Self(ctx)->tensor_name(static_cast<size_t>(index));
  }

  static void* AllocatePersistent(EmberContext* ctx, size_t bytes) {
    Interpreter* self = Self(ctx);
    if (self->phase_ != Interpreter::Phase::kInit && self->phase_ != Interpreter::Phase::kPrepare) {
      Report(self,
             "AllocatePersistent(%zu) outside init/prepare: no allocation after "
             "AllocateTensors()",
             bytes);
      return nullptr;
    }
    const size_t before = self->usage_.op_data;
    void* p = self->AllocatePersistent(bytes, 8, Interpreter::Kind::kOpData, "op data");
    if (p == nullptr) ++self->reported_errors_;  // the arena failure is logged
    self->usage_.kernel_op_data += self->usage_.op_data - before;
    return p;
  }

  static EmberStatus RequestScratch(EmberContext* ctx, size_t bytes, int32_t* index) {
    Interpreter* self = Self(ctx);
    if (self->phase_ != Interpreter::Phase::kPrepare) {
      Report(self, "RequestScratch(%zu) outside prepare", bytes);
      return kEmberError;
    }
    if (index == nullptr || bytes > 0x7FFFFFFF) {
      Report(self, "RequestScratch(%zu): invalid request", bytes);
      return kEmberError;
    }
    // Requests form one array at the bottom of the temporaries: nothing else allocates
    // temporaries during prepare, so each new record lands right after the previous one.
    using Request = Interpreter::ScratchRequest;
    Request* r = reinterpret_cast<Request*>(
        self->allocator_->AllocateTemp(sizeof(Request), alignof(Request)));
    if (r == nullptr) {
      self->LogArenaFailure("scratch buffer request");
      ++self->reported_errors_;
      return kEmberError;
    }
    if (self->requests_ == nullptr) self->requests_ = r;
    if (r != self->requests_ + self->num_scratch_) {
      Report(self, "internal error: scratch request records are not contiguous");
      return kEmberError;
    }
    r->bytes = static_cast<uint32_t>(bytes);
    r->op_index = self->current_op_;
    *index = static_cast<int32_t>(self->num_scratch_++);
    return kEmberOk;
  }

  static void* GetScratch(EmberContext* ctx, int32_t index) {
    Interpreter* self = Self(ctx);
    if (self->phase_ != Interpreter::Phase::kReady) {
      Report(self, "GetScratch(%ld) before the memory plan exists (call it in invoke)",
             static_cast<long>(index));
      return nullptr;
    }
    if (index < 0 || static_cast<size_t>(index) >= self->num_scratch_) {
      Report(self, "GetScratch(%ld): no such scratch buffer (%zu requested)",
             static_cast<long>(index), self->num_scratch_);
      return nullptr;
    }
    return self->scratch_[index];
  }
};

namespace {

void ReportErrorThunk(EmberContext* ctx, const char* format, ...) {
  va_list args;
  va_start(args, format);
  KernelContextAccess::ReportV(KernelContextAccess::Self(ctx), format, args);
  va_end(args);
}

}  // namespace

void InstallKernelContext(EmberContext* ctx, Interpreter* interpreter) {
  ctx->GetTensor = &KernelContextAccess::GetTensor;
  ctx->AllocatePersistent = &KernelContextAccess::AllocatePersistent;
  ctx->RequestScratch = &KernelContextAccess::RequestScratch;
  ctx->GetScratch = &KernelContextAccess::GetScratch;
  ctx->ReportError = &ReportErrorThunk;
  ctx->impl = interpreter;
  ctx->GetTensorName = &KernelContextAccess::GetTensorName;
  ctx->GetEvalTensor = &KernelContextAccess::GetEvalTensor;
}

}  // namespace ember::rt
