// `ember plan MODEL -o OUT [--planner greedy|linear]`: computes the model's memory plan
// with ember's planner and writes a copy of the model with the plan as
// OfflineMemoryAllocation metadata (offline_plan.h); prints the planned arena sizes.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "runtime/host/model_file.h"
#include "runtime/host/offline_plan.h"
#include "tools/ember/commands.h"

namespace ember::tools {
namespace {

struct PlanArgs {
  std::string model_path;
  std::string out_path;
  std::string planner = "greedy";
};

[[noreturn]] void Fail(const std::string& path, const std::string& message) {
  std::cerr << "ember plan: " << path << ": " << message << "\n";
  throw CLI::RuntimeError(1);
}

void RunPlan(const PlanArgs& args) {
  rt::host::AlignedBuffer model;
  std::string error;
  if (!rt::host::LoadFile(args.model_path, &model, &error)) Fail(args.model_path, error);
  rt::host::OfflinePlan plan;
  if (!rt::host::ComputeOfflinePlan(model.data(), model.size(), args.planner == "linear", &plan,
                                    &error)) {
    Fail(args.model_path, error);
  }
  std::vector<uint8_t> out;
  if (!rt::host::AddOfflinePlanMetadata(model.data(), model.size(), plan.offsets, &out, &error)) {
    Fail(args.model_path, error);
  }
  std::ofstream file(args.out_path, std::ios::binary | std::ios::trunc);
  file.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
  file.close();
  if (!file) Fail(args.out_path, "cannot write the output file");

  // What the runtime will use with the written model (scratch buffers are still placed
  // online, around the offline tensors).
  rt::host::AlignedBuffer written(out.size());
  std::copy(out.begin(), out.end(), written.data());
  rt::host::OfflinePlan check;
  if (!rt::host::ComputeOfflinePlan(written.data(), written.size(), false, &check, &error)) {
    Fail(args.out_path, "the written model does not allocate: " + error);
  }
  size_t offline = 0;
  for (int32_t o : plan.offsets) offline += o >= 0 ? 1 : 0;
  const rt::ArenaUsage& u = check.usage;
  std::printf(
      "%s: %s plan, %zu of %zu tensors planned offline (the others are constant, "
      "variable or unused)\n",
      args.out_path.c_str(), args.planner.c_str(), offline, plan.offsets.size());
  std::printf("  nonpersistent  %8zu bytes (tensor data %zu, scratch buffers %zu)\n",
              u.nonpersistent, u.tensor_data, u.scratch);
  std::printf("  persistent     %8zu bytes\n", u.persistent);
  std::printf("  total          %8zu bytes\n", u.total);
  std::printf("  minimal arena  %8zu bytes (includes the planner's temporaries)\n",
              u.minimal_arena);
  if (args.planner == "linear") {
    std::printf("  (the linear plan alone: nonpersistent %zu bytes, total %zu)\n",
                plan.usage.nonpersistent, plan.usage.total);
  }
  std::printf("  wrote %zu bytes (model %zu + plan metadata)\n", out.size(), model.size());
}

}  // namespace

void RegisterPlanCommand(CLI::App& app) {
  auto args = std::make_shared<PlanArgs>();
  CLI::App* cmd = app.add_subcommand(
      "plan", "Write a copy of a model with its memory plan as OfflineMemoryAllocation metadata");
  cmd->add_option("model", args->model_path, "the .tflite model")->required();
  cmd->add_option("-o,--output", args->out_path, "the .tflite file to write")->required();
  cmd->add_option("--planner", args->planner, "greedy (first-fit decreasing) or linear")
      ->check(CLI::IsMember({"greedy", "linear"}));
  cmd->callback([args]() { RunPlan(*args); });
}

}  // namespace ember::tools
