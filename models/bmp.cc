#include "models/bmp.h"

#include <fstream>
#include <iterator>

namespace ember::models {
namespace {

// Sizes and offsets of the BMP format (all fields little-endian).
constexpr size_t kFileHeaderBytes = 14;    // "BM", file size, reserved, pixel offset
constexpr uint32_t kInfoHeaderBytes = 40;  // BITMAPINFOHEADER
constexpr int32_t kMaxDimension = 1 << 14;
constexpr uint32_t kCompressionRgb = 0;  // BI_RGB: uncompressed

uint32_t ReadU32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}
uint16_t ReadU16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }

}  // namespace

Status DecodeGrayscaleBmp(const uint8_t* data, size_t size, GrayImage* out, int32_t expected_width,
                          int32_t expected_height) {
  *out = GrayImage{};
  const std::string bmp = "BMP: ";
  if (size < kFileHeaderBytes + kInfoHeaderBytes) {
    return Status::Error(bmp + "file too short for the BMP headers (" + std::to_string(size) +
                         " bytes, at least 54 needed)");
  }
  if (data[0] != 'B' || data[1] != 'M') return Status::Error(bmp + "missing 'BM' signature");
  const uint32_t pixel_offset = ReadU32(data + 10);
  const uint8_t* info = data + kFileHeaderBytes;
  const uint32_t info_size = ReadU32(info);
  if (info_size < kInfoHeaderBytes || info_size > size - kFileHeaderBytes) {
    return Status::Error(bmp + "unsupported or corrupt DIB header size " +
                         std::to_string(info_size) + " (BITMAPINFOHEADER or later needed)");
  }
  const int32_t width = static_cast<int32_t>(ReadU32(info + 4));
  const int32_t raw_height = static_cast<int32_t>(ReadU32(info + 8));
  const uint16_t planes = ReadU16(info + 12);
  const uint16_t bits = ReadU16(info + 14);
  const uint32_t compression = ReadU32(info + 16);
  uint32_t colors = ReadU32(info + 32);
  if (planes != 1) return Status::Error(bmp + std::to_string(planes) + " planes (1 expected)");
  if (bits != 8) {
    return Status::Error(bmp + "bit depth " + std::to_string(bits) +
                         " not supported: only 8-bit grayscale images are");
  }
  if (compression != kCompressionRgb) {
    return Status::Error(bmp + "compression type " + std::to_string(compression) +
                         " not supported: only uncompressed (BI_RGB) images are");
  }
  const bool top_down = raw_height < 0;
  const int64_t height64 = top_down ? -static_cast<int64_t>(raw_height) : raw_height;
  if (width <= 0 || height64 <= 0 || width > kMaxDimension || height64 > kMaxDimension) {
    return Status::Error(bmp + "invalid image size " + std::to_string(width) + " x " +
                         std::to_string(raw_height));
  }
  const int32_t height = static_cast<int32_t>(height64);
  if ((expected_width != 0 && width != expected_width) ||
      (expected_height != 0 && height != expected_height)) {
    return Status::Error(bmp + "image is " + std::to_string(width) + " x " +
                         std::to_string(height) + ", expected " + std::to_string(expected_width) +
                         " x " + std::to_string(expected_height));
  }
  if (colors == 0) colors = 256;
  if (colors > 256) {
    return Status::Error(bmp + "palette of " + std::to_string(colors) +
                         " colors (at most 256 for 8 bits per pixel)");
  }
  const size_t palette_offset = kFileHeaderBytes + info_size;
  const size_t palette_end = palette_offset + static_cast<size_t>(colors) * 4;
  if (palette_end > size || palette_end > pixel_offset) {
    return Status::Error(bmp + "file truncated or corrupt: the " + std::to_string(colors) +
                         "-entry palette does not fit before the pixel data");
  }
  uint8_t gray[256] = {};
  for (uint32_t i = 0; i < colors; ++i) {
    const uint8_t* entry = data + palette_offset + 4 * i;  // blue, green, red, reserved
    if (entry[0] != entry[1] || entry[1] != entry[2]) {
      return Status::Error(bmp + "palette entry " + std::to_string(i) +
                           " is not gray: only grayscale images are supported");
    }
    gray[i] = entry[0];
  }
  const size_t stride = (static_cast<size_t>(width) + 3) & ~static_cast<size_t>(3);
  const size_t pixel_bytes = stride * static_cast<size_t>(height);
  if (pixel_offset > size || size - pixel_offset < pixel_bytes) {
    return Status::Error(bmp + "file truncated: " + std::to_string(height) + " rows of " +
                         std::to_string(stride) + " bytes need " +
                         std::to_string(pixel_offset + pixel_bytes) + " bytes, file has " +
                         std::to_string(size));
  }
  std::vector<uint8_t> pixels(static_cast<size_t>(width) * static_cast<size_t>(height));
  for (int32_t row = 0; row < height; ++row) {
    const int32_t stored_row = top_down ? row : height - 1 - row;
    const uint8_t* src = data + pixel_offset + stride * static_cast<size_t>(stored_row);
    uint8_t* dst = pixels.data() + static_cast<size_t>(width) * static_cast<size_t>(row);
    for (int32_t x = 0; x < width; ++x) {
      if (src[x] >= colors) {
        return Status::Error(bmp + "pixel (" + std::to_string(x) + ", " + std::to_string(row) +
                             ") uses color " + std::to_string(src[x]) + " beyond the " +
                             std::to_string(colors) + "-entry palette");
      }
      dst[x] = gray[src[x]];
    }
  }
  out->width = width;
  out->height = height;
  out->pixels = std::move(pixels);
  return Status::Ok();
}

Status LoadGrayscaleBmp(const std::string& path, GrayImage* out, int32_t expected_width,
                        int32_t expected_height) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::Error("BMP: cannot open '" + path + "'");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)),
                             std::istreambuf_iterator<char>());
  Status s = DecodeGrayscaleBmp(bytes.data(), bytes.size(), out, expected_width, expected_height);
  if (!s.ok()) return Status::Error(s.message() + " ('" + path + "')");
  return s;
}

}  // namespace ember::models
