// The line protocol between the benchmark firmware (bench/firmware) and the host.
//
// The firmware writes lines through semihosting; every protocol line starts with "@ember "
// followed by a record name and space-separated fields (decimal unless marked hex):
//   @ember begin <protocol-version>
//   @ember variant <requested> <kernels>   the kernel variant the slot asked for
//                                          (reference | optimized) and the kernels that
//                                          implement it on this core (reference | dsp)
//   @ember arena <persistent> <nonpersistent> <total> [<nonpersistent> <total> with the
//                inputs' bytes reused, as TFLM plans]    after AllocateTensors (untimed)
//   @ember timer <cycles>                  the profiler's own cost: one event around an
//                                          empty function called through a pointer
//   @ember op <index> <name> <start> <end> <macs> <invoke-address hex>
//                                          per op; start/end relative to Invoke's start
//   @ember invoke <total-cycles>           the whole Invoke
//   @ember event <index> <name> <output-bytes> <fnv1a hex>
//                                          per op, from a second, observed Invoke of a
//                                          fresh interpreter (the checksum pass is untimed)
//   @ember output <index> <hex bytes>      each model output after the timed Invoke
//   @ember log <message...>                a runtime log message (errors), any time
//   @ember end                             success
//   @ember error <message...>              failure (the run is reported as failed)
// Lines not starting with "@ember " are kept as log text. A run without "@ember end" is a
// failure (crash, hang cut off by the simulator, truncated output).
#ifndef EMBER_BENCH_PROTOCOL_H_
#define EMBER_BENCH_PROTOCOL_H_

#include <string>
#include <string_view>

#include "bench/bench_result.h"
#include "bench/protocol_version.h"

namespace ember::bench {

inline constexpr int kProtocolVersion = EMBER_BENCH_PROTOCOL_VERSION;

// Parses the firmware's complete output. Always fills *out; returns false (with
// out->error set) for malformed lines, a reported error or a missing end record.
bool ParseFirmwareOutput(std::string_view text, RunResult* out);

// Lower-case hex of bytes, and back (false on odd length or a non-hex character).
std::string ToHex(const std::vector<uint8_t>& bytes);
bool FromHex(std::string_view hex, std::vector<uint8_t>* bytes);

}  // namespace ember::bench

#endif  // EMBER_BENCH_PROTOCOL_H_
