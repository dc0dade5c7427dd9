# The boards ember builds firmware for, and per board the CPU variant (which selects the
# compiler flags in cmake/arm-none-eabi.cmake) and the number of external interrupts
# (size of the vector table in common/startup.c). Memory maps live in <id>/linker.ld and
# must match <id>.toml (tests/boards checks the built ELFs against the .toml files).
set(EMBER_ALL_BOARDS
    sparkfun_edge arduino_nano_33_ble stm32f746g_disco nucleo_f103rb raspberry_pi_pico)

# Ambiq Apollo3 Blue: Cortex-M4F (FPv4-SP, DSP), 96 MHz burst; 32 IRQs.
set(EMBER_BOARD_CPU_sparkfun_edge cortex-m4f)
set(EMBER_BOARD_IRQS_sparkfun_edge 32)
# Nordic nRF52840: Cortex-M4F, 64 MHz; 48 IRQs.
set(EMBER_BOARD_CPU_arduino_nano_33_ble cortex-m4f)
set(EMBER_BOARD_IRQS_arduino_nano_33_ble 48)
# ST STM32F746NG: Cortex-M7 with single-precision FPv5, 216 MHz; 98 IRQs.
set(EMBER_BOARD_CPU_stm32f746g_disco cortex-m7)
set(EMBER_BOARD_IRQS_stm32f746g_disco 98)
# ST STM32F103RB: Cortex-M3, 72 MHz; 43 IRQs.
set(EMBER_BOARD_CPU_nucleo_f103rb cortex-m3)
set(EMBER_BOARD_IRQS_nucleo_f103rb 43)
# 128 KB of flash: the benchmark firmware (bench/firmware) registers only the ops of the
# benchmark models, so that it and a model as large as the hotword one fit.
set(EMBER_BOARD_BENCH_OPS_nucleo_f103rb benchmark)
# Raspberry Pi RP2040: Cortex-M0+, 125 MHz; 26 IRQs.
set(EMBER_BOARD_CPU_raspberry_pi_pico cortex-m0plus)
set(EMBER_BOARD_IRQS_raspberry_pi_pico 26)

# The CPU variants in build order, and the boards of each.
set(EMBER_ALL_CPUS cortex-m4f cortex-m7 cortex-m3 cortex-m0plus)
foreach(_cpu ${EMBER_ALL_CPUS})
  set(EMBER_CPU_BOARDS_${_cpu})
  foreach(_board ${EMBER_ALL_BOARDS})
    if(EMBER_BOARD_CPU_${_board} STREQUAL _cpu)
      list(APPEND EMBER_CPU_BOARDS_${_cpu} ${_board})
    endif()
  endforeach()
endforeach()
