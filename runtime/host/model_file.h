// Loading a .tflite file (or any binary file) on the host into a 16-byte aligned buffer,
// as the runtime reads weights in place and expects FlatBuffers' alignment.
#ifndef EMBER_RUNTIME_HOST_MODEL_FILE_H_
#define EMBER_RUNTIME_HOST_MODEL_FILE_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

namespace ember::rt::host {

// A 16-byte aligned, heap-owned byte buffer.
class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(size_t size);
  uint8_t* data() { return data_.get(); }
  const uint8_t* data() const { return data_.get(); }
  size_t size() const { return size_; }

 private:
  struct Free {
    void operator()(uint8_t* p) const { std::free(p); }
  };
  std::unique_ptr<uint8_t, Free> data_;
  size_t size_ = 0;
};

// Reads the whole file. On failure returns false and sets *error (reason + path).
bool LoadFile(const std::string& path, AlignedBuffer* out, std::string* error);

}  // namespace ember::rt::host

#endif  // EMBER_RUNTIME_HOST_MODEL_FILE_H_
