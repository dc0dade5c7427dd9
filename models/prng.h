// SplitMix64: a tiny, fixed, portable pseudo-random generator (Steele, Lea and Flood,
// "Fast splittable pseudorandom number generators", 2014). Used for the scrambled
// weights of the generated benchmark models: the same seed gives the same bytes on
// every host, because only 64-bit integer arithmetic is involved.
#ifndef EMBER_MODELS_PRNG_H_
#define EMBER_MODELS_PRNG_H_

#include <cstdint>

namespace ember::models {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ull;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  // Uniform integer in [lo, hi] (hi >= lo). The modulo bias is below 2^-32 for the
  // ranges used here and, more importantly, deterministic.
  int64_t UniformInt(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    return lo + static_cast<int64_t>(Next() % span);
  }

  // Uniform double in [0, 1) with 53 random bits (exact, no libm involved).
  double Uniform01() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }

 private:
  uint64_t state_;
};

}  // namespace ember::models

#endif  // EMBER_MODELS_PRNG_H_
