#include "runtime/host/model_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace ember::rt::host {

AlignedBuffer::AlignedBuffer(size_t size) : size_(size) {
  size_t rounded = (size + 15) / 16 * 16;
  data_.reset(static_cast<uint8_t*>(std::aligned_alloc(16, rounded == 0 ? 16 : rounded)));
  if (data_ == nullptr) size_ = 0;
}

bool LoadFile(const std::string& path, AlignedBuffer* out, std::string* error) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) {
    *error = "cannot open '" + path + "': " + std::strerror(errno);
    return false;
  }
  std::streamoff size = file.tellg();
  if (size < 0) {
    *error = "cannot determine the size of '" + path + "'";
    return false;
  }
  AlignedBuffer buffer(static_cast<size_t>(size));
  if (buffer.size() != static_cast<size_t>(size)) {
    *error = "out of memory reading '" + path + "'";
    return false;
  }
  file.seekg(0);
  if (size > 0 && !file.read(reinterpret_cast<char*>(buffer.data()), size)) {
    *error = "cannot read '" + path + "'";
    return false;
  }
  *out = std::move(buffer);
  return true;
}

}  // namespace ember::rt::host
