// Double-precision oracle for CONV_2D and DEPTHWISE_CONV_2D tests (header-only, test code).
// Computes real-valued outputs from real-valued inputs, filters and biases directly from
// the TensorFlow definition of the ops (zero padding; SAME: out = ceil(in / stride),
// padding before = total / 2; VALID: out = ceil((in - effective_filter + 1) / stride)).
// Independent of the kernels' integer arithmetic.
#ifndef EMBER_TESTS_KERNELS_CONV_ORACLE_H_
#define EMBER_TESTS_KERNELS_CONV_ORACLE_H_

#include <algorithm>
#include <cstdint>
#include <vector>

namespace ember::kernels::testing {

struct ConvShape {
  int batches = 1, in_h = 1, in_w = 1, in_c = 1;
  int filter_h = 1, filter_w = 1;
  int out_c = 1;               // conv: filters; depthwise: in_c * depth_multiplier
  int stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  bool same = true;
  bool depthwise = false;
  int groups = 1;              // conv only

  int EffH() const { return (filter_h - 1) * dilation_h + 1; }
  int EffW() const { return (filter_w - 1) * dilation_w + 1; }
  int OutH() const {
    return same ? (in_h + stride_h - 1) / stride_h : (in_h - EffH() + stride_h) / stride_h;
  }
  int OutW() const {
    return same ? (in_w + stride_w - 1) / stride_w : (in_w - EffW() + stride_w) / stride_w;
  }
  int PadH() const {
    return same ? std::max((OutH() - 1) * stride_h + EffH() - in_h, 0) / 2 : 0;
  }
  int PadW() const {
    return same ? std::max((OutW() - 1) * stride_w + EffW() - in_w, 0) / 2 : 0;
  }
  int FilterInC() const { return depthwise ? 1 : in_c / groups; }
  std::vector<int32_t> InputDims() const { return {batches, in_h, in_w, in_c}; }
  std::vector<int32_t> FilterDims() const {
    return depthwise ? std::vector<int32_t>{1, filter_h, filter_w, out_c}
                     : std::vector<int32_t>{out_c, filter_h, filter_w, in_c / groups};
  }
  std::vector<int32_t> OutputDims() const { return {batches, OutH(), OutW(), out_c}; }
  size_t InputSize() const { return static_cast<size_t>(batches * in_h * in_w * in_c); }
  size_t FilterSize() const {
    return static_cast<size_t>(filter_h * filter_w * out_c * FilterInC());
  }
};

// Real outputs; `lo`/`hi` clamp (the fused activation in real terms).
inline std::vector<double> ConvOracle(const ConvShape& s, const std::vector<double>& in,
                                      const std::vector<double>& filter,
                                      const std::vector<double>& bias, double lo, double hi) {
  const int oh = s.OutH();
  const int ow = s.OutW();
  std::vector<double> out;
  out.reserve(static_cast<size_t>(s.batches * oh * ow * s.out_c));
  const int fic = s.FilterInC();
  const int dm = s.depthwise ? s.out_c / s.in_c : 1;
  const int per_group = s.out_c / s.groups;
  for (int b = 0; b < s.batches; ++b) {
    for (int oy = 0; oy < oh; ++oy) {
      for (int ox = 0; ox < ow; ++ox) {
        for (int oc = 0; oc < s.out_c; ++oc) {
          double acc = bias.empty() ? 0.0 : bias[static_cast<size_t>(oc)];
          for (int fy = 0; fy < s.filter_h; ++fy) {
            for (int fx = 0; fx < s.filter_w; ++fx) {
              const int iy = oy * s.stride_h - s.PadH() + fy * s.dilation_h;
              const int ix = ox * s.stride_w - s.PadW() + fx * s.dilation_w;
              if (iy < 0 || ix < 0 || iy >= s.in_h || ix >= s.in_w) continue;
              const size_t pix = static_cast<size_t>(((b * s.in_h + iy) * s.in_w + ix) * s.in_c);
              if (s.depthwise) {
                const int ic = oc / dm;
                acc += in[pix + static_cast<size_t>(ic)] *
                       filter[static_cast<size_t>((fy * s.filter_w + fx) * s.out_c + oc)];
              } else {
                const int g = oc / per_group;
                for (int ic = 0; ic < fic; ++ic) {
                  acc += in[pix + static_cast<size_t>(g * fic + ic)] *
                         filter[static_cast<size_t>(((oc * s.filter_h + fy) * s.filter_w + fx) *
                                                        fic +
                                                    ic)];
                }
              }
            }
          }
          out.push_back(std::min(std::max(acc, lo), hi));
        }
      }
    }
  }
  return out;
}

}  // namespace ember::kernels::testing

#endif  // EMBER_TESTS_KERNELS_CONV_ORACLE_H_
