// ember_modelgen: writes the generated benchmark models (see benchmark_models.h).
//   ember_modelgen --out DIR [--model vww|hotword|conv_ref|all]
// writes DIR/<name>.tflite for each selected model. Exit code 0 on success, 1 on any
// error (unknown model, unwritable directory), with the reason on stderr.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "models/benchmark_models.h"

namespace {

int Usage(const char* argv0, const std::string& error) {
  if (!error.empty()) std::fprintf(stderr, "ember_modelgen: %s\n", error.c_str());
  std::fprintf(stderr, "usage: %s --out DIR [--model vww|hotword|conv_ref|all]\n", argv0);
  return error.empty() ? 0 : 1;
}

int WriteModel(const std::string& dir, const std::string& name) {
  std::vector<uint8_t> bytes;
  ember::models::Status s = ember::models::BuildBenchmarkModel(name, &bytes);
  if (!s.ok()) {
    std::fprintf(stderr, "ember_modelgen: %s\n", s.message().c_str());
    return 1;
  }
  const std::string path = dir + "/" + name + ".tflite";
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
    if (!f) {
      std::fprintf(stderr, "ember_modelgen: cannot write '%s'\n", tmp.c_str());
      return 1;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::fprintf(stderr, "ember_modelgen: cannot rename to '%s': %s\n", path.c_str(),
                 ec.message().c_str());
    return 1;
  }
  std::printf("%s: %zu bytes\n", path.c_str(), bytes.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out_dir;
  std::string model = "all";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") return Usage(argv[0], "");
    if ((arg == "--out" || arg == "--model") && i + 1 < argc) {
      (arg == "--out" ? out_dir : model) = argv[++i];
    } else {
      return Usage(argv[0], "unknown or incomplete argument '" + arg + "'");
    }
  }
  if (out_dir.empty()) return Usage(argv[0], "--out DIR is required");
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return Usage(argv[0], "cannot create '" + out_dir + "': " + ec.message());
  std::vector<std::string> names;
  if (model == "all") {
    names = ember::models::BenchmarkModelNames();
  } else {
    names = {model};
  }
  for (const std::string& name : names) {
    if (WriteModel(out_dir, name) != 0) return 1;
  }
  return 0;
}
