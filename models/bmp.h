// Decoding of 8-bit palettized grayscale BMP files (the person detection test images).
//
// Accepted: "BM" files with a BITMAPINFOHEADER (or the larger V4/V5 headers), 1 plane,
// 8 bits per pixel, no compression (BI_RGB), a palette whose entries are all gray
// (blue == green == red), rows bottom-up (positive height) or top-down (negative
// height), each row padded to a multiple of 4 bytes. Anything else is rejected with a
// message naming the problem. The result holds one byte per pixel, the palette's gray
// value, in top-down row order (row 0 = the top of the image), no padding: exactly the
// bytes TFLM's person detection example copies into its int8 input tensor.
#ifndef EMBER_MODELS_BMP_H_
#define EMBER_MODELS_BMP_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "models/status.h"

namespace ember::models {

struct GrayImage {
  int32_t width = 0;
  int32_t height = 0;
  std::vector<uint8_t> pixels;  // width * height bytes, top-down rows
};

// expected_width / expected_height: 0 accepts any size; otherwise a different size is
// an error (the person detection model needs 96 x 96).
Status DecodeGrayscaleBmp(const uint8_t* data, size_t size, GrayImage* out,
                          int32_t expected_width = 0, int32_t expected_height = 0);
Status LoadGrayscaleBmp(const std::string& path, GrayImage* out, int32_t expected_width = 0,
                        int32_t expected_height = 0);

}  // namespace ember::models

#endif  // EMBER_MODELS_BMP_H_
