// UART transmit emulation (see sim/uart.h).
#include "sim/uart.h"

namespace ember::sim {

uint32_t Uart::Read(uint32_t offset, unsigned size) {
  (void)size;
  if (kind_ == "pl011" && offset == 0x018) return 1u << 7;  // FR: TXFE
  if (kind_ == "stm32_usart_v1" && offset == 0x000) return (1u << 7) | (1u << 6);
  if (kind_ == "stm32_usart_v2" && offset == 0x01C) return (1u << 7) | (1u << 6);
  if (kind_ == "nrf_uart" && offset == 0x11C) return 1;
  auto it = storage_.find(offset);
  return it == storage_.end() ? 0 : it->second;
}

void Uart::Write(uint32_t offset, unsigned size, uint32_t value) {
  (void)size;
  bool tx =
      (kind_ == "pl011" && offset == 0x000) || (kind_ == "stm32_usart_v1" && offset == 0x004) ||
      (kind_ == "stm32_usart_v2" && offset == 0x028) || (kind_ == "nrf_uart" && offset == 0x51C);
  if (tx) {
    char c = static_cast<char>(value & 0xff);
    sink_(1, std::string_view(&c, 1));
    return;
  }
  storage_[offset] = value;
}

}  // namespace ember::sim
