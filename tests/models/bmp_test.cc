// BMP decoding: the real test images against the golden input tensors (which TFLM made
// by copying the top-down pixels unchanged), and synthetic files for the other layouts
// and for every rejected case.
#include "models/bmp.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace ember::models {
namespace {

void PutU32(std::vector<uint8_t>* v, size_t at, uint32_t x) {
  for (int i = 0; i < 4; ++i) (*v)[at + i] = static_cast<uint8_t>(x >> (8 * i));
}
void PutU16(std::vector<uint8_t>* v, size_t at, uint16_t x) {
  (*v)[at] = static_cast<uint8_t>(x);
  (*v)[at + 1] = static_cast<uint8_t>(x >> 8);
}

// An 8-bit BMP with `colors` palette entries, gray value of entry i = palette(i), and
// pixel (x, y) (y = 0 at the top) = index(x, y). Rows padded to 4 bytes.
template <typename PaletteFn, typename IndexFn>
std::vector<uint8_t> MakeBmp(int32_t w, int32_t h, bool top_down, uint32_t colors,
                             PaletteFn palette, IndexFn index) {
  const size_t stride = (static_cast<size_t>(w) + 3) & ~size_t{3};
  const size_t offset = 54 + 4 * colors;
  std::vector<uint8_t> f(offset + stride * h, 0xAA);  // 0xAA: visible padding garbage
  f[0] = 'B';
  f[1] = 'M';
  PutU32(&f, 2, static_cast<uint32_t>(f.size()));
  PutU32(&f, 6, 0);
  PutU32(&f, 10, static_cast<uint32_t>(offset));
  PutU32(&f, 14, 40);
  PutU32(&f, 18, static_cast<uint32_t>(w));
  PutU32(&f, 22, static_cast<uint32_t>(top_down ? -h : h));
  PutU16(&f, 26, 1);
  PutU16(&f, 28, 8);
  PutU32(&f, 30, 0);
  PutU32(&f, 34, static_cast<uint32_t>(stride * h));
  PutU32(&f, 38, 2835);
  PutU32(&f, 42, 2835);
  PutU32(&f, 46, colors);
  PutU32(&f, 50, 0);
  for (uint32_t i = 0; i < colors; ++i) {
    const uint8_t g = palette(i);
    f[54 + 4 * i] = f[55 + 4 * i] = f[56 + 4 * i] = g;
    f[57 + 4 * i] = 0;
  }
  for (int32_t y = 0; y < h; ++y) {
    const int32_t stored = top_down ? y : h - 1 - y;
    for (int32_t x = 0; x < w; ++x) f[offset + stride * stored + x] = index(x, y);
  }
  return f;
}

std::vector<uint8_t> Gradient(int32_t w, int32_t h, bool top_down) {
  return MakeBmp(
      w, h, top_down, 256, [](uint32_t i) { return static_cast<uint8_t>(i); },
      [w](int32_t x, int32_t y) { return static_cast<uint8_t>(y * w + x); });
}

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)),
                              std::istreambuf_iterator<char>());
}

TEST(BmpTest, BottomUpAndTopDownWithRowPadding) {
  for (bool top_down : {false, true}) {
    GrayImage img;
    const std::vector<uint8_t> f = Gradient(5, 3, top_down);
    ASSERT_TRUE(DecodeGrayscaleBmp(f.data(), f.size(), &img).ok());
    EXPECT_EQ(img.width, 5);
    EXPECT_EQ(img.height, 3);
    ASSERT_EQ(img.pixels.size(), 15u);
    for (int i = 0; i < 15; ++i) EXPECT_EQ(img.pixels[i], i) << "top_down=" << top_down;
  }
}

TEST(BmpTest, PaletteIsApplied) {
  // Index i maps to gray 255 - 2i; a 16-entry palette.
  const std::vector<uint8_t> f = MakeBmp(
      4, 2, false, 16, [](uint32_t i) { return static_cast<uint8_t>(255 - 2 * i); },
      [](int32_t x, int32_t y) { return static_cast<uint8_t>(x + 4 * y); });
  GrayImage img;
  ASSERT_TRUE(DecodeGrayscaleBmp(f.data(), f.size(), &img).ok());
  EXPECT_EQ(img.pixels, std::vector<uint8_t>({255, 253, 251, 249, 247, 245, 243, 241}));
}

TEST(BmpTest, TruncatedFileIsRejected) {
  std::vector<uint8_t> f = Gradient(96, 96, false);
  GrayImage img;
  Status s = DecodeGrayscaleBmp(f.data(), f.size() - 1, &img);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("truncated"), std::string::npos) << s.message();
  s = DecodeGrayscaleBmp(f.data(), 30, &img);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("too short"), std::string::npos) << s.message();
  EXPECT_TRUE(img.pixels.empty());
}

TEST(BmpTest, WrongBitDepthIsRejected) {
  std::vector<uint8_t> f = Gradient(8, 8, false);
  PutU16(&f, 28, 24);
  GrayImage img;
  Status s = DecodeGrayscaleBmp(f.data(), f.size(), &img);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("bit depth 24 not supported"), std::string::npos) << s.message();
}

TEST(BmpTest, WrongSizeIsRejected) {
  std::vector<uint8_t> f = Gradient(32, 32, false);
  GrayImage img;
  Status s = DecodeGrayscaleBmp(f.data(), f.size(), &img, 96, 96);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("image is 32 x 32, expected 96 x 96"), std::string::npos)
      << s.message();
}

TEST(BmpTest, OtherUnsupportedFilesAreRejected) {
  GrayImage img;
  std::vector<uint8_t> f = Gradient(4, 4, false);
  f[0] = 'X';
  EXPECT_NE(DecodeGrayscaleBmp(f.data(), f.size(), &img).message().find("signature"),
            std::string::npos);
  f = Gradient(4, 4, false);
  PutU32(&f, 30, 1);  // RLE8
  EXPECT_NE(DecodeGrayscaleBmp(f.data(), f.size(), &img).message().find("compression"),
            std::string::npos);
  f = Gradient(4, 4, false);
  f[54 + 4 * 3] = 9;  // palette entry 3: blue differs
  EXPECT_NE(DecodeGrayscaleBmp(f.data(), f.size(), &img).message().find("not gray"),
            std::string::npos);
  f = Gradient(4, 4, false);
  PutU32(&f, 18, 0);
  EXPECT_NE(DecodeGrayscaleBmp(f.data(), f.size(), &img).message().find("invalid image size"),
            std::string::npos);
  f = MakeBmp(
      2, 2, false, 2, [](uint32_t i) { return static_cast<uint8_t>(i); },
      [](int32_t x, int32_t) { return static_cast<uint8_t>(x * 5); });
  EXPECT_NE(DecodeGrayscaleBmp(f.data(), f.size(), &img).message().find("beyond the 2-entry"),
            std::string::npos);
  EXPECT_FALSE(LoadGrayscaleBmp("/nonexistent/x.bmp", &img).ok());
}

class RealImageTest : public ::testing::TestWithParam<const char*> {};

TEST_P(RealImageTest, EqualsGoldenInput) {
  const std::string dir = EMBER_MODELS_DIR;
  const std::string bmp = dir + "/" + GetParam() + ".bmp";
  const std::string golden = dir + "/golden/person_detect_" + GetParam() + "_input.bin";
  if (!std::filesystem::exists(bmp) || !std::filesystem::exists(golden)) {
    GTEST_SKIP() << "needs " << bmp << " and " << golden << " (EMBER_MODELS_DIR)";
  }
  GrayImage img;
  Status s = LoadGrayscaleBmp(bmp, &img, 96, 96);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(img.pixels, ReadFile(golden));
}

INSTANTIATE_TEST_SUITE_P(PersonDetect, RealImageTest, ::testing::Values("person", "no_person"));

}  // namespace
}  // namespace ember::models
