# CMake toolchain file: bare-metal Cortex-M with Debian's arm-none-eabi-gcc 12 and newlib
# (packages gcc-arm-none-eabi, libnewlib-arm-none-eabi, libstdc++-arm-none-eabi-newlib).
#
#   cmake -S . -B build/fw-sparkfun_edge -G Ninja \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake -DEMBER_BOARD=sparkfun_edge
#
# The CPU is chosen by EMBER_BOARD (a board id, see EMBER_BOARD_CPU_* below) or directly by
# EMBER_CPU (one of cortex-m0plus, cortex-m3, cortex-m4, cortex-m4f, cortex-m7). EMBER_BOARDS
# (a list) builds firmware for several boards of the same CPU in one tree, so the runtime and
# the kernels are compiled once per CPU variant.
#
# Flags per CPU (boards with an FPU use the hard-float ABI):
#   cortex-m0plus  -mcpu=cortex-m0plus -mfloat-abi=soft                  (ARMv6-M)
#   cortex-m3      -mcpu=cortex-m3     -mfloat-abi=soft                  (ARMv7-M)
#   cortex-m4      -mcpu=cortex-m4     -mfloat-abi=soft                  (ARMv7E-M, DSP)
#   cortex-m4f     -mcpu=cortex-m4     -mfloat-abi=hard -mfpu=fpv4-sp-d16
#   cortex-m7      -mcpu=cortex-m7     -mfloat-abi=hard -mfpu=fpv5-sp-d16
# The M7 gets the single-precision FPv5: the emulator's Cortex-M7 rejects double-precision
# VFP instructions, so doubles stay in software as on an STM32F746 (which has FPv5-SP).
#
# Exported to the project: EMBER_CPU, EMBER_CPU_FLAGS (list), EMBER_CPU_HAS_FPU.

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_AR arm-none-eabi-ar CACHE FILEPATH "Archiver")
set(CMAKE_RANLIB arm-none-eabi-ranlib CACHE FILEPATH "Ranlib")
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "objcopy")
set(CMAKE_SIZE arm-none-eabi-size CACHE FILEPATH "size")
set(CMAKE_READELF arm-none-eabi-readelf CACHE FILEPATH "readelf")

# Compiler checks cannot link without a linker script and startup code.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# The toolchain file runs again inside try_compile projects: hand them our variables.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES EMBER_BOARD EMBER_BOARDS EMBER_CPU)

# Host programs (flatc) come from the host; headers and libraries only from the toolchain.
set(CMAKE_FIND_ROOT_PATH /usr/lib/arm-none-eabi)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Board id -> CPU variant (EMBER_BOARD_CPU_<id>), shared with the project.
include(${CMAKE_CURRENT_LIST_DIR}/../boards/board_list.cmake)

if(NOT EMBER_CPU)
  set(_ember_first_board "${EMBER_BOARD}")
  if(NOT _ember_first_board AND EMBER_BOARDS)
    list(GET EMBER_BOARDS 0 _ember_first_board)
  endif()
  if(NOT _ember_first_board)
    message(FATAL_ERROR "arm-none-eabi.cmake: set EMBER_BOARD (e.g. -DEMBER_BOARD=sparkfun_edge) "
                        "or EMBER_CPU (cortex-m0plus, cortex-m3, cortex-m4, cortex-m4f, cortex-m7)")
  endif()
  if(NOT DEFINED EMBER_BOARD_CPU_${_ember_first_board})
    message(FATAL_ERROR "arm-none-eabi.cmake: unknown board '${_ember_first_board}' "
                        "(known: ${EMBER_ALL_BOARDS})")
  endif()
  set(EMBER_CPU ${EMBER_BOARD_CPU_${_ember_first_board}})
endif()

set(EMBER_CPU_HAS_FPU OFF)
if(EMBER_CPU STREQUAL "cortex-m0plus")
  set(EMBER_CPU_FLAGS -mcpu=cortex-m0plus -mthumb -mfloat-abi=soft)
elseif(EMBER_CPU STREQUAL "cortex-m3")
  set(EMBER_CPU_FLAGS -mcpu=cortex-m3 -mthumb -mfloat-abi=soft)
elseif(EMBER_CPU STREQUAL "cortex-m4")
  set(EMBER_CPU_FLAGS -mcpu=cortex-m4 -mthumb -mfloat-abi=soft)
elseif(EMBER_CPU STREQUAL "cortex-m4f")
  set(EMBER_CPU_FLAGS -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16)
  set(EMBER_CPU_HAS_FPU ON)
elseif(EMBER_CPU STREQUAL "cortex-m7")
  set(EMBER_CPU_FLAGS -mcpu=cortex-m7 -mthumb -mfloat-abi=hard -mfpu=fpv5-sp-d16)
  set(EMBER_CPU_HAS_FPU ON)
else()
  message(FATAL_ERROR "arm-none-eabi.cmake: unknown EMBER_CPU '${EMBER_CPU}' (known: "
                      "cortex-m0plus cortex-m3 cortex-m4 cortex-m4f cortex-m7)")
endif()

list(JOIN EMBER_CPU_FLAGS " " _ember_cpu_flags)
# newlib-nano (smaller printf, malloc); sections per function/object so --gc-sections drops
# every kernel and library function the program does not reference.
set(CMAKE_C_FLAGS_INIT "${_ember_cpu_flags} -ffunction-sections -fdata-sections")
set(CMAKE_CXX_FLAGS_INIT
    "${_ember_cpu_flags} -ffunction-sections -fdata-sections -fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-use-cxa-atexit")
set(CMAKE_ASM_FLAGS_INIT "${_ember_cpu_flags}")
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "${_ember_cpu_flags} --specs=nano.specs -Wl,--gc-sections")
# Size first: firmware must fit 128 KB of flash on the smallest board. Cache entries set
# here take precedence over CMake's defaults (-O2/-O3 for the optimised configurations).
set(CMAKE_C_FLAGS_RELEASE "-Os -DNDEBUG" CACHE STRING "")
set(CMAKE_CXX_FLAGS_RELEASE "-Os -DNDEBUG" CACHE STRING "")
set(CMAKE_C_FLAGS_MINSIZEREL "-Os -DNDEBUG" CACHE STRING "")
set(CMAKE_CXX_FLAGS_MINSIZEREL "-Os -DNDEBUG" CACHE STRING "")
set(CMAKE_C_FLAGS_RELWITHDEBINFO "-Os -g -DNDEBUG" CACHE STRING "")
set(CMAKE_CXX_FLAGS_RELWITHDEBINFO "-Os -g -DNDEBUG" CACHE STRING "")
