// Double-precision oracle for elementwise binary ops with NumPy broadcasting, shared by
// the ADD, SUB and MUL tests. Independent of the kernels: plain index arithmetic.
#ifndef EMBER_TESTS_KERNELS_BINARY_ORACLE_H_
#define EMBER_TESTS_KERNELS_BINARY_ORACLE_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "runtime/builtin_params.h"

namespace ember::kernels::testing {

// out[i] = f(a[ia], b[ib]) over the broadcast shape of a_dims and b_dims.
inline std::vector<double> BroadcastOracle(const std::vector<int32_t>& a_dims,
                                           const std::vector<double>& a,
                                           const std::vector<int32_t>& b_dims,
                                           const std::vector<double>& b,
                                           const std::function<double(double, double)>& f) {
  const size_t rank = std::max(a_dims.size(), b_dims.size());
  std::vector<int32_t> da(rank, 1), db(rank, 1), dout(rank, 1);
  std::copy(a_dims.begin(), a_dims.end(), da.begin() + (rank - a_dims.size()));
  std::copy(b_dims.begin(), b_dims.end(), db.begin() + (rank - b_dims.size()));
  size_t total = 1;
  for (size_t i = 0; i < rank; ++i) {
    dout[i] = std::max(da[i], db[i]);
    total *= static_cast<size_t>(dout[i]);
  }
  std::vector<double> out(total);
  std::vector<int32_t> idx(rank, 0);
  for (size_t o = 0; o < total; ++o) {
    size_t rem = o;
    for (size_t i = rank; i-- > 0;) {
      idx[i] = static_cast<int32_t>(rem % static_cast<size_t>(dout[i]));
      rem /= static_cast<size_t>(dout[i]);
    }
    size_t ia = 0, ib = 0;
    for (size_t i = 0; i < rank; ++i) {
      ia = ia * static_cast<size_t>(da[i]) + static_cast<size_t>(da[i] == 1 ? 0 : idx[i]);
      ib = ib * static_cast<size_t>(db[i]) + static_cast<size_t>(db[i] == 1 ? 0 : idx[i]);
    }
    out[o] = f(a[ia], b[ib]);
  }
  return out;
}

// Applies a fused activation to real values.
inline std::vector<double> ApplyActivation(std::vector<double> v, EmberActivation act) {
  for (double& x : v) {
    if (act == kEmberActRelu) x = std::max(x, 0.0);
    if (act == kEmberActRelu6) x = std::min(std::max(x, 0.0), 6.0);
    if (act == kEmberActReluN1To1) x = std::min(std::max(x, -1.0), 1.0);
  }
  return v;
}

template <typename T>
std::vector<double> Real(const std::vector<T>& q, double scale, int64_t zp) {
  std::vector<double> out;
  for (T v : q) out.push_back((static_cast<double>(v) - static_cast<double>(zp)) * scale);
  return out;
}

}  // namespace ember::kernels::testing

#endif  // EMBER_TESTS_KERNELS_BINARY_ORACLE_H_
