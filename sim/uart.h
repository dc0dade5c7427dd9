// Uart: the transmit side of a board's UART, enough for firmware that prints through the
// UART instead of semihosting. Bytes written to the TX data register go to the program's
// output (stdout). Status registers always report "transmitter empty / ready"; receive
// registers read as empty. Register layouts (BoardConfig::uart_kind):
//   pl011           DR +0x000 (TX on write), FR +0x018 (TXFE bit 7 = 1, TXFF/BUSY = 0)
//   stm32_usart_v1  SR +0x000 (TXE bit 7, TC bit 6 = 1), DR +0x004 (TX on write)
//   stm32_usart_v2  ISR +0x01C (TXE bit 7, TC bit 6 = 1), TDR +0x028 (TX on write)
//   nrf_uart        TXD +0x51C (TX on write), EVENTS_TXDRDY +0x11C (reads 1)
// Other registers are stored and read back.
#ifndef EMBER_SIM_UART_H_
#define EMBER_SIM_UART_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "sim/machine.h"

namespace ember::sim {

// Where the program's output goes: stream 1 = stdout, 2 = stderr.
using OutputSink = std::function<void(int stream, std::string_view bytes)>;

class Uart : public Device {
 public:
  static constexpr uint32_t kSize = 0x1000;
  Uart(std::string kind, OutputSink sink) : kind_(std::move(kind)), sink_(std::move(sink)) {}
  const char* name() const override { return "UART"; }
  uint32_t Read(uint32_t offset, unsigned size) override;
  void Write(uint32_t offset, unsigned size, uint32_t value) override;

 private:
  std::string kind_;
  OutputSink sink_;
  std::map<uint32_t, uint32_t> storage_;
};

}  // namespace ember::sim

#endif  // EMBER_SIM_UART_H_
