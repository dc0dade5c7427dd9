// Typed constant data -> the little-endian bytes a .tflite Buffer holds.
// TensorFlow Lite stores every tensor buffer little-endian in the tensor's own type;
// these helpers write the bytes explicitly, so they are correct on any host.
#ifndef EMBER_MODELS_TENSOR_DATA_H_
#define EMBER_MODELS_TENSOR_DATA_H_

#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

namespace ember::models {

// Little-endian bytes of integral or float values (float: IEEE-754 binary32 bits).
template <typename T>
std::vector<uint8_t> ToLittleEndianBytes(const std::vector<T>& values) {
  static_assert(std::is_arithmetic_v<T>, "arithmetic element types only");
  using Bits = std::conditional_t<
      sizeof(T) == 1, uint8_t,
      std::conditional_t<sizeof(T) == 2, uint16_t,
                         std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>>;
  static_assert(sizeof(Bits) == sizeof(T), "unsupported element size");
  std::vector<uint8_t> bytes;
  bytes.reserve(values.size() * sizeof(T));
  for (const T& v : values) {
    Bits bits;
    std::memcpy(&bits, &v, sizeof(T));
    for (size_t i = 0; i < sizeof(T); ++i) {
      bytes.push_back(static_cast<uint8_t>(bits >> (8 * i)));
    }
  }
  return bytes;
}

inline std::vector<uint8_t> Int8Data(const std::vector<int8_t>& v) {
  return ToLittleEndianBytes(v);
}
inline std::vector<uint8_t> Int16Data(const std::vector<int16_t>& v) {
  return ToLittleEndianBytes(v);
}
inline std::vector<uint8_t> Int32Data(const std::vector<int32_t>& v) {
  return ToLittleEndianBytes(v);
}
inline std::vector<uint8_t> Int64Data(const std::vector<int64_t>& v) {
  return ToLittleEndianBytes(v);
}
inline std::vector<uint8_t> FloatData(const std::vector<float>& v) {
  return ToLittleEndianBytes(v);
}

}  // namespace ember::models

#endif  // EMBER_MODELS_TENSOR_DATA_H_
