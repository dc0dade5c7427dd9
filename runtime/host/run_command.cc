// `ember run MODEL [--input FILE | --pattern | --values X,...] [--arena BYTES]
//  [--persistent-arena BYTES] [--profile]
//  [--repeat N] [--reuse-inputs] [--linear-planner] [--json]`: runs a model
//  on the host and prints its outputs (raw and dequantized), the arena breakdown with the
//  smallest working arena, and a per-op profile.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "runtime/host/model_runner.h"
#include "tools/ember/commands.h"

namespace ember::tools {
namespace {

using rt::host::RunResult;
using rt::host::TensorResult;

struct RunArgs {
  rt::host::RunOptions options;
  std::string input_path;
  bool pattern = false;
  std::vector<double> values;
  bool profile = false;
  bool json = false;
};

std::string Shape(const std::vector<int32_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

void PrintTensor(const char* kind, size_t index, const TensorResult& t) {
  constexpr size_t kMaxShown = 64;
  std::printf("%s %zu '%s': %s %s", kind, index, t.name.c_str(), rt::host::TypeName(t.type),
              Shape(t.shape).c_str());
  if (t.num_channels == 1) std::printf(" scale %g zero_point %d", t.scale, t.zero_point);
  std::printf("\n  values:");
  for (size_t i = 0; i < t.values.size() && i < kMaxShown; ++i) std::printf(" %.9g", t.values[i]);
  if (t.values.size() > kMaxShown) std::printf(" ... (%zu values)", t.values.size());
  if (t.num_channels == 1) {
    std::printf("\n  dequantized:");
    for (size_t i = 0; i < t.real.size() && i < kMaxShown; ++i) std::printf(" %.6g", t.real[i]);
    if (t.real.size() > kMaxShown) std::printf(" ...");
  }
  std::printf("\n");
}

void PrintText(const RunArgs& args, const RunResult& r) {
  for (size_t i = 0; i < r.outputs.size(); ++i) PrintTensor("output", i, r.outputs[i]);
  const rt::ArenaUsage& u = r.usage;
  if (args.options.persistent_arena_bytes > 0) {
    std::printf("\narena (bytes; nonpersistent arena given: %zu, persistent arena given: %zu)\n",
                r.arena_bytes, args.options.persistent_arena_bytes);
  } else {
    std::printf("\narena (bytes; arena given: %zu)\n", r.arena_bytes);
  }
  std::printf(
      "  persistent       %8zu  (tensor metadata %zu, op data %zu [kernels %zu, runtime %zu], "
      "variable tensors %zu)\n",
      u.persistent, u.tensor_metadata, u.op_data, u.kernel_op_data, u.op_data - u.kernel_op_data,
      u.variable_tensor_data);
  std::printf(
      "  nonpersistent    %8zu  (tensor data %zu, scratch buffers %zu; %zu scratch "
      "bytes requested)\n",
      u.nonpersistent, u.tensor_data, u.scratch, u.scratch_requested);
  std::printf("  total            %8zu\n", u.total);
  if (!args.options.reuse_inputs) {
    std::printf(
        "  reusing inputs   %8zu nonpersistent, %zu total (if the planner may reuse input bytes "
        "after their last reader, as TFLM: --reuse-inputs)\n",
        u.nonpersistent_reusing_inputs, u.total_reusing_inputs);
  }
  std::printf("  planner (temporary) %5zu  (%zu buffers planned%s)\n", u.planner, u.planned_buffers,
              u.offline_plan ? ", offline plan" : "");
  if (r.minimal_persistent_arena > 0) {
    std::printf("  minimal arenas   %8zu nonpersistent + %zu persistent  (%s)\n", r.minimal_arena,
                r.minimal_persistent_arena,
                r.minimal_verified ? "verified: these sizes work, one byte less of either fails"
                                   : "NOT verified");
  } else {
    std::printf(
        "  minimal arena    %8zu  (%s)\n", r.minimal_arena,
        r.minimal_verified ? "verified: this size works, one byte less fails" : "NOT verified");
  }
  if (!args.profile) return;
  std::printf("\nprofile (last Invoke, host steady clock)\n");
  std::printf("  %4s  %-20s %12s %7s %12s\n", "op", "name", "us", "%", "MACs");
  for (const auto& op : r.ops) {
    double pct = r.total_nanos ? 100.0 * op.nanos / r.total_nanos : 0;
    std::printf("  %4d  %-20s %12.3f %6.2f%% %12llu\n", op.index, op.name.c_str(),
                op.nanos / 1000.0, pct, static_cast<unsigned long long>(op.macs));
  }
  uint64_t overhead = r.total_nanos > r.op_nanos ? r.total_nanos - r.op_nanos : 0;
  std::printf("  total %.3f us = ops %.3f us + interpreter overhead %.3f us (%.2f%%)\n",
              r.total_nanos / 1000.0, r.op_nanos / 1000.0, overhead / 1000.0,
              r.total_nanos ? 100.0 * overhead / r.total_nanos : 0.0);
}

nlohmann::json TensorJson(const TensorResult& t) {
  nlohmann::json j = {{"name", t.name},
                      {"type", rt::host::TypeName(t.type)},
                      {"shape", t.shape},
                      {"values", t.values}};
  if (t.num_channels == 1) {
    j["scale"] = t.scale;
    j["zero_point"] = t.zero_point;
    j["dequantized"] = t.real;
  }
  return j;
}

void PrintJson(const RunArgs& args, const RunResult& r) {
  const rt::ArenaUsage& u = r.usage;
  nlohmann::json j;
  j["model"] = args.options.model_path;
  for (const auto& t : r.outputs) j["outputs"].push_back(TensorJson(t));
  j["arena"] = {{"arena_bytes", r.arena_bytes},
                {"persistent", u.persistent},
                {"nonpersistent", u.nonpersistent},
                {"total", u.total},
                {"tensor_metadata", u.tensor_metadata},
                {"op_data", u.op_data},
                {"kernel_op_data", u.kernel_op_data},
                {"nonpersistent_reusing_inputs", u.nonpersistent_reusing_inputs},
                {"total_reusing_inputs", u.total_reusing_inputs},
                {"inputs_kept_live", !args.options.reuse_inputs},
                {"variable_tensor_data", u.variable_tensor_data},
                {"tensor_data", u.tensor_data},
                {"scratch", u.scratch},
                {"scratch_requested", u.scratch_requested},
                {"planner", u.planner},
                {"planned_buffers", u.planned_buffers},
                {"offline_plan", u.offline_plan},
                {"minimal_arena", r.minimal_arena},
                {"persistent_arena_bytes", args.options.persistent_arena_bytes},
                {"minimal_persistent_arena", r.minimal_persistent_arena},
                {"minimal_verified", r.minimal_verified}};
  if (args.profile) {
    nlohmann::json ops = nlohmann::json::array();
    for (const auto& op : r.ops) {
      ops.push_back({{"index", op.index}, {"name", op.name}, {"ns", op.nanos}, {"macs", op.macs}});
    }
    j["profile"] = {{"ops", ops}, {"total_ns", r.total_nanos}, {"op_ns", r.op_nanos}};
  }
  std::cout << j.dump(2) << "\n";
}

}  // namespace

void RegisterRunCommand(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run", "Run a .tflite model on the host with ember's runtime");
  cmd->add_option("model", args->options.model_path, "the .tflite model")->required();
  auto* input = cmd->add_option("--input", args->input_path,
                                "raw input bytes (all inputs concatenated; size must match)");
  auto* pattern =
      cmd->add_flag("--pattern", args->pattern, "fill each input: byte i = (i*7+3) mod 256");
  auto* values =
      cmd->add_option("--values", args->values, "real values for input 0 (quantized if needed)")
          ->delimiter(',');
  input->excludes(pattern)->excludes(values);
  pattern->excludes(values);
  cmd->add_option("--persistent-arena", args->options.persistent_arena_bytes,
                  "a separate persistent arena of this many bytes (two memory banks: --arena is "
                  "then the nonpersistent one)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--arena", args->options.arena_bytes, "arena size in bytes (default 8 MiB)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--repeat", args->options.repeat, "Invoke() calls (default 1)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_flag("--reuse-inputs", args->options.reuse_inputs,
                "let the planner reuse input tensor bytes after their last reader (as TFLM)");
  cmd->add_flag("--linear-planner", args->options.linear_planner,
                "plan with the no-sharing linear baseline instead of greedy first-fit");
  cmd->add_flag("--profile", args->profile, "print a per-op profile");
  cmd->add_flag("--json", args->json, "print JSON instead of text");
  cmd->callback([args]() {
    rt::host::RunOptions& o = args->options;
    if (!args->input_path.empty()) {
      o.input = rt::host::InputSource::kFile;
      o.input_path = args->input_path;
    } else if (args->pattern) {
      o.input = rt::host::InputSource::kPattern;
    } else if (!args->values.empty()) {
      o.input = rt::host::InputSource::kValues;
      o.values = args->values;
    }
    RunResult result;
    std::string error;
    if (!rt::host::RunModel(o, &result, &error)) {
      std::cerr << "ember run: " << o.model_path << ": " << error << "\n";
      throw CLI::RuntimeError(1);
    }
    if (args->json) {
      PrintJson(*args, result);
    } else {
      PrintText(*args, result);
    }
  });
}

}  // namespace ember::tools
