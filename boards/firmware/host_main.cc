// Host twin of the firmware: the same app (model_app.cc) with every op registered and the
// host's steady clock (nanoseconds) as the tick source. tests/boards compares its
// "@ember output" lines with the emulated firmware's, byte for byte.
//
//   ember_fw_host MODEL.tflite [pattern | INPUT.bin] [ARENA_BYTES]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "boards/firmware/model_app.h"
#include "kernels/all_ops_resolver.h"

namespace {

bool ReadFile(const char* path, std::vector<uint8_t>* out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out->assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return true;
}

uint64_t NowNs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::fprintf(stderr, "usage: %s MODEL.tflite [pattern | INPUT.bin] [ARENA_BYTES]\n", argv[0]);
    return 2;
  }
  std::vector<uint8_t> model;
  if (!ReadFile(argv[1], &model) || model.empty()) {
    std::fprintf(stderr, "ember_fw_host: cannot read model %s\n", argv[1]);
    return 1;
  }
  std::vector<uint8_t> input;
  const bool pattern = argc < 3 || std::string(argv[2]) == "pattern";
  if (!pattern && !ReadFile(argv[2], &input)) {
    std::fprintf(stderr, "ember_fw_host: cannot read input %s\n", argv[2]);
    return 1;
  }
  size_t arena_bytes = 1024 * 1024;
  if (argc == 4) {
    char* end = nullptr;
    arena_bytes = std::strtoul(argv[3], &end, 10);
    if (end == argv[3] || *end != '\0' || arena_bytes == 0) {
      std::fprintf(stderr, "ember_fw_host: bad arena size '%s'\n", argv[3]);
      return 1;
    }
  }
  // The model is read in place and must be 16-byte aligned, like the firmware's copy.
  std::vector<uint8_t> arena_storage(arena_bytes + 16);
  std::vector<uint8_t> model_storage(model.size() + 16);
  auto align16 = [](uint8_t* p) {
    return reinterpret_cast<uint8_t*>((reinterpret_cast<uintptr_t>(p) + 15) & ~uintptr_t{15});
  };
  uint8_t* model_data = align16(model_storage.data());
  std::copy(model.begin(), model.end(), model_data);

  static ember::kernels::MicroOpResolver<ember::kernels::kAllOpsCount> resolver;
  if (ember::kernels::AddAllOps(resolver) != kEmberOk) {
    std::fprintf(stderr, "ember_fw_host: cannot register the ops\n");
    return 1;
  }
  std::string name = argv[1];
  name = name.substr(name.find_last_of('/') + 1);
  name = name.substr(0, name.find('.'));

  ember::boards::ModelAppConfig config;
  config.model_name = name.c_str();
  config.board = "host";
  config.model = model_data;
  config.model_bytes = model.size();
  if (!pattern) {
    config.input = input.data();
    config.input_bytes = input.size();
  }
  config.arena = align16(arena_storage.data());
  config.arena_bytes = arena_bytes;
  config.resolver = &resolver;
  config.ticks64 = &NowNs;
  config.tick_unit = "ns";
  config.tick_source = "steady_clock";
  const int status = ember::boards::RunModelApp(config);
  std::fflush(stdout);
  return status;
}
