// Loading boards/<id>.toml into BoardConfig (layout documented in sim/board.h).
#include "sim/board.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#ifndef EMBER_SIM_DEFAULT_BOARDS_DIR
#define EMBER_SIM_DEFAULT_BOARDS_DIR "boards"
#endif

namespace ember::sim {
namespace {

namespace fs = std::filesystem;

int LineOf(const toml::node* node) {
  return node ? static_cast<int>(node->source().begin.line) : 0;
}

// Reads typed keys from one TOML table and formats errors as "<file>: <key> (line N): ...".
class TableReader {
 public:
  TableReader(const std::string& file, const toml::table& table, std::string prefix)
      : file_(file), table_(table), prefix_(std::move(prefix)) {}

  Status Error(const std::string& key, const std::string& what) const {
    const toml::node* node = table_.get(key);
    int line = node ? LineOf(node) : LineOf(&table_);
    return Status::Error(fmt::format("{}: {}{} (line {}): {}", file_, prefix_, key, line, what));
  }

  Result<std::string> String(const std::string& key, const std::string* fallback) const {
    const toml::node* node = table_.get(key);
    if (!node) {
      if (fallback) return *fallback;
      return Error(key, "missing required key");
    }
    if (!node->is_string()) return Error(key, "expected a string");
    return std::string(node->value<std::string>().value());
  }

  Result<int64_t> Int(const std::string& key, const int64_t* fallback, int64_t min,
                      int64_t max) const {
    const toml::node* node = table_.get(key);
    if (!node) {
      if (fallback) return *fallback;
      return Error(key, "missing required key");
    }
    if (!node->is_integer()) return Error(key, "expected an integer");
    int64_t v = node->value<int64_t>().value();
    if (v < min || v > max) {
      return Error(key, fmt::format("value {} out of range [{}, {}]", v, min, max));
    }
    return v;
  }

  Result<bool> Bool(const std::string& key, bool fallback) const {
    const toml::node* node = table_.get(key);
    if (!node) return fallback;
    if (!node->is_boolean()) return Error(key, "expected true or false");
    return node->value<bool>().value();
  }

  Status CheckKeys(std::initializer_list<const char*> known) const {
    for (const auto& [key, node] : table_) {
      bool ok =
          std::any_of(known.begin(), known.end(), [&](const char* k) { return key.str() == k; });
      if (!ok) {
        return Status::Error(fmt::format("{}: {}{} (line {}): unknown key", file_, prefix_,
                                         key.str(), LineOf(&node)));
      }
    }
    return Status::Ok();
  }

 private:
  const std::string& file_;
  const toml::table& table_;
  std::string prefix_;
};

#define ASSIGN_OR_RETURN(lhs, expr)               \
  do {                                            \
    auto ember_r_ = (expr);                       \
    if (!ember_r_.ok()) return ember_r_.status(); \
    lhs = std::move(ember_r_).value();            \
  } while (0)

constexpr int64_t kMaxU32 = 0xffffffffLL;

Result<CacheConfig> ParseCache(const std::string& file, const toml::table& parent,
                               const std::string& key, const std::string& prefix) {
  CacheConfig cache;
  const toml::node* node = parent.get(key);
  if (!node) return cache;
  const toml::table* t = node->as_table();
  if (!t) {
    return Status::Error(
        fmt::format("{}: {}{} (line {}): expected a table like "
                    "{{ bytes = 4096, line_bytes = 32, ways = 2 }}",
                    file, prefix, key, LineOf(node)));
  }
  TableReader r(file, *t, prefix + key + ".");
  EMBER_SIM_RETURN_IF_ERROR(r.CheckKeys({"bytes", "line_bytes", "ways"}));
  int64_t v = 0;
  ASSIGN_OR_RETURN(v, r.Int("bytes", nullptr, 1, kMaxU32));
  cache.bytes = static_cast<uint32_t>(v);
  ASSIGN_OR_RETURN(v, r.Int("line_bytes", nullptr, 1, 4096));
  cache.line_bytes = static_cast<uint32_t>(v);
  ASSIGN_OR_RETURN(v, r.Int("ways", nullptr, 1, 64));
  cache.ways = static_cast<uint32_t>(v);
  if (cache.bytes % (cache.line_bytes * cache.ways) != 0) {
    return r.Error("bytes", "cache size must be a multiple of line_bytes * ways");
  }
  return cache;
}

Result<MemoryRegion> ParseMemory(const std::string& file, const toml::table& t, int index) {
  TableReader r(file, t, fmt::format("memory[{}].", index));
  EMBER_SIM_RETURN_IF_ERROR(r.CheckKeys(
      {"name", "base", "size", "kind", "access", "read_wait_states", "write_wait_states"}));
  MemoryRegion m;
  ASSIGN_OR_RETURN(m.name, r.String("name", nullptr));
  int64_t v = 0;
  ASSIGN_OR_RETURN(v, r.Int("base", nullptr, 0, kMaxU32));
  m.base = static_cast<uint32_t>(v);
  ASSIGN_OR_RETURN(v, r.Int("size", nullptr, 1, kMaxU32));
  m.size = static_cast<uint32_t>(v);
  if (m.end() > (uint64_t{1} << 32)) return r.Error("size", "region extends past 4 GB");
  if (m.base % 1024 != 0 || m.size % 1024 != 0) {
    return r.Error("base", "base and size must be multiples of 1 KB (emulator page size)");
  }
  std::string kind;
  ASSIGN_OR_RETURN(kind, r.String("kind", nullptr));
  std::string default_access;
  if (kind == "flash") {
    m.kind = MemoryKind::kFlash, default_access = "rx";
  } else if (kind == "rom") {
    m.kind = MemoryKind::kRom, default_access = "rx";
  } else if (kind == "sram") {
    m.kind = MemoryKind::kSram, default_access = "rwx";
  } else if (kind == "tcm") {
    m.kind = MemoryKind::kTcm, default_access = "rwx";
  } else if (kind == "periph") {
    m.kind = MemoryKind::kPeriph, default_access = "rw";
  } else {
    return r.Error("kind", fmt::format("unknown memory kind \"{}\" (expected flash, sram, tcm, "
                                       "rom or periph)",
                                       kind));
  }
  std::string access;
  ASSIGN_OR_RETURN(access, r.String("access", &default_access));
  if (access.empty() || access.find_first_not_of("rwx") != std::string::npos) {
    return r.Error("access", fmt::format("\"{}\": expected letters from r, w, x", access));
  }
  m.readable = access.find('r') != std::string::npos;
  m.writable = access.find('w') != std::string::npos;
  m.executable = access.find('x') != std::string::npos;
  const int64_t zero = 0;
  ASSIGN_OR_RETURN(v, r.Int("read_wait_states", &zero, 0, 1000));
  m.read_wait_states = static_cast<uint32_t>(v);
  ASSIGN_OR_RETURN(v, r.Int("write_wait_states", &zero, 0, 1000));
  m.write_wait_states = static_cast<uint32_t>(v);
  return m;
}

void FlattenTiming(const toml::table& t, const std::string& prefix, TimingParams* out,
                   Status* status, const std::string& file) {
  for (const auto& [key, node] : t) {
    std::string name = prefix + std::string(key.str());
    int line = LineOf(&node);
    if (const toml::table* sub = node.as_table()) {
      FlattenTiming(*sub, name + ".", out, status, file);
    } else if (node.is_integer()) {
      out->Set(name, node.value<int64_t>().value(), line);
    } else if (node.is_floating_point()) {
      out->Set(name, node.value<double>().value(), line);
    } else if (node.is_boolean()) {
      out->Set(name, node.value<bool>().value(), line);
    } else if (node.is_string()) {
      out->Set(name, node.value<std::string>().value(), line);
    } else if (status->ok()) {
      *status =
          Status::Error(fmt::format("{}: timing.{} (line {}): only integers, floats, "
                                    "booleans, strings and tables are allowed",
                                    file, name, line));
    }
  }
}

}  // namespace

const char* CoreKindName(CoreKind core) {
  switch (core) {
    case CoreKind::kCortexM0Plus:
      return "cortex-m0plus";
    case CoreKind::kCortexM3:
      return "cortex-m3";
    case CoreKind::kCortexM4:
      return "cortex-m4";
    case CoreKind::kCortexM7:
      return "cortex-m7";
  }
  return "?";
}

const char* MemoryKindName(MemoryKind kind) {
  switch (kind) {
    case MemoryKind::kFlash:
      return "flash";
    case MemoryKind::kSram:
      return "sram";
    case MemoryKind::kTcm:
      return "tcm";
    case MemoryKind::kRom:
      return "rom";
    case MemoryKind::kPeriph:
      return "periph";
  }
  return "?";
}

const MemoryRegion* BoardConfig::FindMemory(uint32_t address) const {
  for (const MemoryRegion& m : memories) {
    if (m.Contains(address)) return &m;
  }
  return nullptr;
}

std::string BoardConfig::DescribeMemories() const {
  std::string out;
  for (const MemoryRegion& m : memories) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} 0x{:08x}-0x{:08x}", m.name, m.base, static_cast<uint32_t>(m.end() - 1));
  }
  return out;
}

Result<BoardConfig> LoadBoardFile(const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    if (!fs::exists(path)) return Status::Error(fmt::format("{}: no such board file", path));
    return Status::Error(fmt::format("{}: line {}, column {}: TOML syntax error: {}", path,
                                     e.source().begin.line, e.source().begin.column,
                                     e.description()));
  }
  BoardConfig b;
  b.source_path = path;
  TableReader r(path, root, "");
  EMBER_SIM_RETURN_IF_ERROR(
      r.CheckKeys({"id", "name", "core", "clock_hz", "has_fpu", "has_dsp", "vector_table",
                   "uart_base", "uart_kind", "memory", "flash_accelerator", "l1_cache", "timing"}));
  ASSIGN_OR_RETURN(b.id, r.String("id", nullptr));
  std::string stem = fs::path(path).stem().string();
  if (b.id != stem) {
    return r.Error("id",
                   fmt::format("id \"{}\" does not match the file name \"{}.toml\"", b.id, stem));
  }
  ASSIGN_OR_RETURN(b.name, r.String("name", &b.id));
  std::string core;
  ASSIGN_OR_RETURN(core, r.String("core", nullptr));
  if (core == "cortex-m0plus") {
    b.core = CoreKind::kCortexM0Plus;
  } else if (core == "cortex-m3") {
    b.core = CoreKind::kCortexM3;
  } else if (core == "cortex-m4") {
    b.core = CoreKind::kCortexM4;
  } else if (core == "cortex-m7") {
    b.core = CoreKind::kCortexM7;
  } else {
    return r.Error("core", fmt::format("unsupported core \"{}\" (expected cortex-m0plus, "
                                       "cortex-m3, cortex-m4 or cortex-m7)",
                                       core));
  }
  int64_t v = 0;
  ASSIGN_OR_RETURN(v, r.Int("clock_hz", nullptr, 1, 10'000'000'000LL));
  b.clock_hz = static_cast<uint64_t>(v);
  ASSIGN_OR_RETURN(b.has_fpu, r.Bool("has_fpu", false));
  ASSIGN_OR_RETURN(b.has_dsp, r.Bool("has_dsp", false));
  bool v7em = b.core == CoreKind::kCortexM4 || b.core == CoreKind::kCortexM7;
  if (b.has_fpu && !v7em) return r.Error("has_fpu", fmt::format("{} has no FPU option", core));
  if (b.has_dsp && !v7em) return r.Error("has_dsp", fmt::format("{} has no DSP extension", core));
  ASSIGN_OR_RETURN(v, r.Int("vector_table", nullptr, 0, kMaxU32));
  b.vector_table = static_cast<uint32_t>(v);
  if (root.contains("uart_base")) {
    ASSIGN_OR_RETURN(v, r.Int("uart_base", nullptr, 0, kMaxU32));
    b.has_uart = true;
    b.uart_base = static_cast<uint32_t>(v);
    ASSIGN_OR_RETURN(b.uart_kind, r.String("uart_kind", nullptr));
    if (b.uart_kind != "pl011" && b.uart_kind != "stm32_usart_v1" &&
        b.uart_kind != "stm32_usart_v2" && b.uart_kind != "nrf_uart") {
      return r.Error("uart_kind", fmt::format("unknown UART kind \"{}\" (expected pl011, "
                                              "stm32_usart_v1, stm32_usart_v2 or nrf_uart)",
                                              b.uart_kind));
    }
  } else if (root.contains("uart_kind")) {
    return r.Error("uart_kind", "uart_kind given without uart_base");
  }

  const toml::array* mems = root["memory"].as_array();
  if (!mems || mems->empty()) {
    return r.Error("memory", "expected one or more [[memory]] tables");
  }
  for (size_t i = 0; i < mems->size(); ++i) {
    const toml::table* t = mems->get(i)->as_table();
    if (!t) return r.Error("memory", "expected [[memory]] tables");
    MemoryRegion m;
    ASSIGN_OR_RETURN(m, ParseMemory(path, *t, static_cast<int>(i)));
    b.memories.push_back(std::move(m));
  }
  std::sort(b.memories.begin(), b.memories.end(),
            [](const MemoryRegion& a, const MemoryRegion& c) { return a.base < c.base; });
  for (size_t i = 1; i < b.memories.size(); ++i) {
    if (b.memories[i].base < b.memories[i - 1].end()) {
      return r.Error("memory", fmt::format("regions \"{}\" and \"{}\" overlap",
                                           b.memories[i - 1].name, b.memories[i].name));
    }
  }
  const MemoryRegion* vt = b.FindMemory(b.vector_table);
  if (!vt || !vt->readable || !vt->Contains(b.vector_table + 7)) {
    return r.Error("vector_table", fmt::format("0x{:08x} is not inside a readable memory ({})",
                                               b.vector_table, b.DescribeMemories()));
  }
  if (b.has_uart && b.FindMemory(b.uart_base)) {
    return r.Error("uart_base", "the UART overlaps a memory region");
  }

  if (const toml::node* node = root.get("flash_accelerator")) {
    const toml::table* t = node->as_table();
    if (!t) return r.Error("flash_accelerator", "expected a table");
    TableReader fr(path, *t, "flash_accelerator.");
    EMBER_SIM_RETURN_IF_ERROR(fr.CheckKeys({"prefetch", "line_bytes", "icache", "dcache"}));
    ASSIGN_OR_RETURN(b.flash_accelerator.prefetch, fr.Bool("prefetch", false));
    const int64_t zero = 0;
    ASSIGN_OR_RETURN(v, fr.Int("line_bytes", &zero, 0, 4096));
    b.flash_accelerator.line_bytes = static_cast<uint32_t>(v);
    ASSIGN_OR_RETURN(b.flash_accelerator.icache,
                     ParseCache(path, *t, "icache", "flash_accelerator."));
    ASSIGN_OR_RETURN(b.flash_accelerator.dcache,
                     ParseCache(path, *t, "dcache", "flash_accelerator."));
  }
  if (const toml::node* node = root.get("l1_cache")) {
    const toml::table* t = node->as_table();
    if (!t) return r.Error("l1_cache", "expected a table");
    TableReader lr(path, *t, "l1_cache.");
    EMBER_SIM_RETURN_IF_ERROR(lr.CheckKeys({"icache", "dcache"}));
    ASSIGN_OR_RETURN(b.l1_cache.icache, ParseCache(path, *t, "icache", "l1_cache."));
    ASSIGN_OR_RETURN(b.l1_cache.dcache, ParseCache(path, *t, "dcache", "l1_cache."));
  }
  b.timing.set_source(path);
  if (const toml::node* node = root.get("timing")) {
    const toml::table* t = node->as_table();
    if (!t) return r.Error("timing", "expected a table");
    Status st;
    FlattenTiming(*t, "", &b.timing, &st, path);
    EMBER_SIM_RETURN_IF_ERROR(st);
  }
  return b;
}

std::string DefaultBoardsDir() {
  const char* env = std::getenv("EMBER_BOARDS_DIR");
  if (env && *env) return env;
  return EMBER_SIM_DEFAULT_BOARDS_DIR;
}

std::vector<std::string> ListBoards(const std::string& boards_dir) {
  std::vector<std::string> ids;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(boards_dir, ec)) {
    if (entry.path().extension() == ".toml") ids.push_back(entry.path().stem().string());
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

Result<BoardConfig> LoadBoard(const std::string& id_or_path, const std::string& boards_dir) {
  bool is_path =
      id_or_path.find('/') != std::string::npos ||
      (id_or_path.size() > 5 && id_or_path.compare(id_or_path.size() - 5, 5, ".toml") == 0);
  if (is_path) return LoadBoardFile(id_or_path);
  std::string dir = boards_dir.empty() ? DefaultBoardsDir() : boards_dir;
  fs::path file = fs::path(dir) / (id_or_path + ".toml");
  if (!fs::exists(file)) {
    std::vector<std::string> ids = ListBoards(dir);
    return Status::Error(
        fmt::format("unknown board \"{}\": no {} (boards in {}: {})", id_or_path, file.string(),
                    dir, ids.empty() ? "none" : fmt::format("{}", fmt::join(ids, ", "))));
  }
  return LoadBoardFile(file.string());
}

// --- TimingParams ---

namespace {
template <typename T>
Result<T> GetTyped(const std::map<std::string, TimingParams::Entry>& entries,
                   const std::string& source, const std::string& key, T default_value,
                   const char* type_name) {
  auto it = entries.find(key);
  if (it == entries.end()) return default_value;
  if (const T* p = std::get_if<T>(&it->second.value)) return *p;
  if constexpr (std::is_same_v<T, double>) {
    if (const int64_t* i = std::get_if<int64_t>(&it->second.value)) return static_cast<double>(*i);
  }
  return Status::Error(
      fmt::format("{}: timing.{} (line {}): expected {}", source, key, it->second.line, type_name));
}
}  // namespace

Result<int64_t> TimingParams::GetInt(const std::string& key, int64_t default_value) const {
  return GetTyped<int64_t>(entries_, source_, key, default_value, "an integer");
}
Result<double> TimingParams::GetDouble(const std::string& key, double default_value) const {
  return GetTyped<double>(entries_, source_, key, default_value, "a number");
}
Result<bool> TimingParams::GetBool(const std::string& key, bool default_value) const {
  return GetTyped<bool>(entries_, source_, key, default_value, "true or false");
}
Result<std::string> TimingParams::GetString(const std::string& key,
                                            const std::string& default_value) const {
  return GetTyped<std::string>(entries_, source_, key, default_value, "a string");
}

}  // namespace ember::sim
