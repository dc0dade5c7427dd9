/* Speed / sanity workload for the timing model: the inner loops of an int8 neural-network
 * layer as compiled embedded code runs them. Freestanding (no libc), called directly by the
 * host with the machine's stop address as the return address.
 *   Workload(weights, input, output, iterations): a fully connected layer, weights in flash
 *   (read through the data-side memory hooks), activations in RAM, int32 accumulation,
 *   requantization with a 64-bit multiply (SMULL) and shift, clamping, and an average-pool
 *   style division (SDIV) per output. Returns a checksum so the run can be verified.
 */
#include <stdint.h>

#define kIn 256
#define kOut 64

static int32_t Requantize(int32_t acc, int32_t multiplier, int shift) {
  int64_t prod = (int64_t)acc * multiplier;
  int32_t v = (int32_t)((prod + ((int64_t)1 << 30)) >> 31);
  v = v >> shift;
  if (v < -128) v = -128;
  if (v > 127) v = 127;
  return v;
}

int32_t Workload(const int8_t* weights, const int8_t* input, int8_t* output, int iterations) {
  int32_t checksum = 0;
  for (int it = 0; it < iterations; ++it) {
    for (int o = 0; o < kOut; ++o) {
      const int8_t* w = weights + o * kIn;
      int32_t acc = 0;
      for (int i = 0; i < kIn; ++i) acc += (int32_t)w[i] * (int32_t)(input[i] + it);
      int32_t q = Requantize(acc, 1518500250, 6);
      output[o] = (int8_t)q;
      checksum += q + acc / (o + 3);
    }
  }
  return checksum;
}
