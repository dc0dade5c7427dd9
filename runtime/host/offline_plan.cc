#include "runtime/host/offline_plan.h"

#include <cstring>
#include <memory>

#include "runtime/interpreter.h"
#include "runtime/log.h"
#include "runtime/model_verifier.h"
#include "runtime/schema/ember_schema_generated.h"

#if defined(EMBER_HAVE_KERNELS)
#include "kernels/all_ops_resolver.h"
#endif

namespace ember::rt::host {
namespace {

namespace fb = ::flatbuffers;
namespace sc = ::ember::schema;

constexpr size_t kPlanningArena = 8 << 20;

std::string* g_messages = nullptr;
void Collect(const char* message) {
  if (g_messages == nullptr) return;
  if (!g_messages->empty()) g_messages->push_back('\n');
  g_messages->append(message);
}

#if defined(EMBER_HAVE_KERNELS)
using Resolver = kernels::MicroOpResolver<kernels::kAllOpsCount>;
#else
using Resolver = OpResolver<1>;
#endif

// Builder offset (distance from the end of the finished buffer) of an object at
// `object` inside the original model, which sits `tail` bytes before the end.
template <typename T>
fb::Offset<T> OldOffset(const void* object, const uint8_t* model, size_t tail) {
  if (object == nullptr) return fb::Offset<T>(0);
  const size_t position = static_cast<const uint8_t*>(object) - model;
  return fb::Offset<T>(static_cast<fb::uoffset_t>(tail - position));
}

}  // namespace

bool ComputeOfflinePlan(const uint8_t* model, size_t bytes, bool linear, OfflinePlan* plan,
                        std::string* error) {
  std::string messages;
  g_messages = &messages;
  LogHandler previous = SetLogHandler(&Collect);
  bool ok = false;
  {
    auto resolver = std::make_unique<Resolver>();
#if defined(EMBER_HAVE_KERNELS)
    if (kernels::AddAllOps(*resolver) != kEmberOk) messages = "could not register ember's ops";
#endif
    auto arena = std::unique_ptr<uint8_t[]>(new uint8_t[kPlanningArena + kArenaAlignment]);
    uint8_t* aligned = reinterpret_cast<uint8_t*>(
        AlignUp(reinterpret_cast<uintptr_t>(arena.get()), kArenaAlignment));
    Interpreter interpreter(model, bytes, *resolver, aligned, kPlanningArena);
    if (messages.empty() &&
        interpreter.SetPlanner(linear ? PlannerKind::kLinear : PlannerKind::kGreedy) == kEmberOk &&
        interpreter.AllocateTensors() == kEmberOk) {
      plan->offsets.resize(interpreter.tensors_size());
      for (size_t i = 0; i < plan->offsets.size(); ++i) {
        plan->offsets[i] = interpreter.planned_offset(i);
      }
      plan->usage = interpreter.arena_usage();
      ok = true;
    }
  }
  SetLogHandler(previous);
  g_messages = nullptr;
  if (!ok) *error = messages.empty() ? "AllocateTensors() failed" : messages;
  return ok;
}

bool AddOfflinePlanMetadata(const uint8_t* model, size_t bytes, const std::vector<int32_t>& offsets,
                            std::vector<uint8_t>* out, std::string* error) {
  if (model == nullptr || !VerifyModelBytes(model, bytes)) {
    *error = "not a valid .tflite model (FlatBuffers verification failed)";
    return false;
  }
  const sc::Model* old = sc::GetModel(model);
  if (old->subgraphs() == nullptr || old->subgraphs()->size() != 1 ||
      offsets.size() != (old->subgraphs()->Get(0)->tensors() == nullptr
                             ? 0
                             : old->subgraphs()->Get(0)->tensors()->size())) {
    *error = "the plan does not match the model (one subgraph, one offset per tensor)";
    return false;
  }

  fb::FlatBufferBuilder fbb(bytes + 1024 + offsets.size() * 4);
  // The original bytes go last (the builder writes back to front), padded so that they
  // keep their 16-byte alignment (Buffer.data has force_align: 16).
  const size_t pad = (16 - bytes % 16) % 16;
  const std::vector<uint8_t> zeros(pad, 0);
  if (pad > 0) fbb.PushBytes(zeros.data(), pad);
  fbb.PushBytes(model, bytes);
  fbb.TrackMinAlign(16);
  const size_t tail = pad + bytes;

  // The plan's buffer: [version 0, subgraph 0, N, offsets...].
  std::vector<int32_t> words = {0, 0, static_cast<int32_t>(offsets.size())};
  words.insert(words.end(), offsets.begin(), offsets.end());
  fbb.ForceVectorAlignment(words.size() * 4, 1, 16);
  auto plan_data =
      fbb.CreateVector(reinterpret_cast<const uint8_t*>(words.data()), words.size() * 4);
  auto plan_buffer = sc::CreateBuffer(fbb, plan_data);

  std::vector<fb::Offset<sc::Buffer>> buffers;
  const size_t old_buffers = old->buffers() != nullptr ? old->buffers()->size() : 0;
  for (size_t i = 0; i < old_buffers; ++i) {
    buffers.push_back(OldOffset<sc::Buffer>(old->buffers()->Get(i), model, tail));
  }
  if (buffers.empty()) buffers.push_back(sc::CreateBuffer(fbb));  // buffer 0: the sentinel
  const uint32_t plan_index = static_cast<uint32_t>(buffers.size());
  buffers.push_back(plan_buffer);

  std::vector<fb::Offset<sc::Metadata>> metadata;
  if (old->metadata() != nullptr) {
    for (const sc::Metadata* m : *old->metadata()) {
      if (m->name() != nullptr && m->name()->str() == kOfflinePlanMetadataName) continue;
      metadata.push_back(OldOffset<sc::Metadata>(m, model, tail));
    }
  }
  metadata.push_back(
      sc::CreateMetadata(fbb, fbb.CreateString(kOfflinePlanMetadataName), plan_index));

  auto buffers_vec = fbb.CreateVector(buffers);
  auto metadata_vec = fbb.CreateVector(metadata);
  auto root = sc::CreateModel(
      fbb, old->version(),
      OldOffset<fb::Vector<fb::Offset<sc::OperatorCode>>>(old->operator_codes(), model, tail),
      OldOffset<fb::Vector<fb::Offset<sc::SubGraph>>>(old->subgraphs(), model, tail),
      OldOffset<fb::String>(old->description(), model, tail), buffers_vec,
      OldOffset<fb::Vector<int32_t>>(old->metadata_buffer(), model, tail), metadata_vec,
      OldOffset<fb::Vector<fb::Offset<sc::SignatureDef>>>(old->signature_defs(), model, tail));
  sc::FinishModelBuffer(fbb, root);
  out->assign(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
  if (!VerifyModelBytes(out->data(), out->size())) {
    *error = "internal error: the written model does not verify";
    return false;
  }
  return true;
}

}  // namespace ember::rt::host
