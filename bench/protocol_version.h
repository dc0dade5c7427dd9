/* Version of the firmware line protocol (bench/protocol.h); firmware and host must agree. */
#ifndef EMBER_BENCH_PROTOCOL_VERSION_H_
#define EMBER_BENCH_PROTOCOL_VERSION_H_
#define EMBER_BENCH_PROTOCOL_VERSION 2
#endif /* EMBER_BENCH_PROTOCOL_VERSION_H_ */
