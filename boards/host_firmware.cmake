# Host side of the firmware (included by boards/CMakeLists.txt in the host build).
#
# 1. ember_fw_host: the firmware app (firmware/model_app.cc) built for the host, with every
#    op, so tests/boards can compare the emulated firmware's outputs with the host's.
# 2. The firmware for every board: one external project per CPU variant
#    (cross build of this same source tree with cmake/arm-none-eabi.cmake), building the
#    runtime and kernels once per variant and one ELF per (board, model) into
#    ${PROJECT_BINARY_DIR}/firmware/<board>/<model>.elf. The variants build one after the
#    other, each with EMBER_FW_JOBS parallel jobs, to keep a 2-core machine responsive.
#    Models: hello_world_int8 and keyword_scrambled (from EMBER_MODELS_DIR when present) and
#    the generated
#    benchmark models (models/, ${PROJECT_BINARY_DIR}/models/generated/*.tflite).
# Default off in the sanitizer build: the firmware does not change with host sanitizers and
# that build runs the host-labelled tests only.
if(EMBER_SANITIZE)
  set(_ember_fw_default OFF)
else()
  set(_ember_fw_default ON)
endif()
option(EMBER_BUILD_FIRMWARE "Cross-build the firmware for every board (arm-none-eabi-gcc)"
       ${_ember_fw_default})
set(EMBER_FW_JOBS 2 CACHE STRING "Parallel jobs of each firmware cross build")

if(TARGET ember_runtime AND TARGET ember_kernels)
  add_executable(ember_fw_host firmware/host_main.cc firmware/model_app.cc)
  target_link_libraries(ember_fw_host PRIVATE ember_runtime ember_kernels)
  set_target_properties(ember_fw_host PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
endif()

find_program(EMBER_ARM_GCC arm-none-eabi-gcc)
if(NOT EMBER_BUILD_FIRMWARE)
  return()
endif()
if(NOT EMBER_ARM_GCC)
  message(WARNING "boards: arm-none-eabi-gcc not found: no firmware (run scripts/setup.sh)")
  return()
endif()

# The models the firmware is built for. The generated ones are produced by the host build
# (models/CMakeLists.txt: target ember_generated_models, EMBER_GENERATED_<NAME>_MODEL);
# their paths are known before they exist, and the firmware builds wait for them.
set(_ember_models)
# From EMBER_MODELS_DIR: hello_world_int8, and keyword_scrambled (the paper's hotword model,
# whose golden output for the pattern input tests/boards checks on every board).
foreach(m hello_world_int8 keyword_scrambled)
  if(EXISTS "${EMBER_MODELS_DIR}/${m}.tflite")
    list(APPEND _ember_models "${EMBER_MODELS_DIR}/${m}.tflite")
  endif()
endforeach()
set(_ember_generated_deps)
if(TARGET ember_generated_models)
  foreach(m VWW HOTWORD CONV_REF)
    if(EMBER_GENERATED_${m}_MODEL)
      list(APPEND _ember_models "${EMBER_GENERATED_${m}_MODEL}")
    endif()
  endforeach()
  list(APPEND _ember_generated_deps ember_generated_models)
endif()
set(EMBER_FW_HOST_MODELS "${_ember_models}" CACHE INTERNAL "models of the host-built firmware")
set(EMBER_FW_DIR "${PROJECT_BINARY_DIR}/firmware" CACHE INTERNAL "firmware ELFs: <dir>/<board>/")

include(ExternalProject)
string(REPLACE ";" "|" _ember_models_arg "${EMBER_FW_HOST_MODELS}")
set(_ember_previous ${_ember_generated_deps})
set(_ember_fw_targets)
foreach(cpu ${EMBER_ALL_CPUS})
  string(REPLACE ";" "|" _ember_boards_arg "${EMBER_CPU_BOARDS_${cpu}}")
  ExternalProject_Add(ember_fw_${cpu}
    SOURCE_DIR ${PROJECT_SOURCE_DIR}
    BINARY_DIR ${PROJECT_BINARY_DIR}/firmware/_build/${cpu}
    PREFIX ${PROJECT_BINARY_DIR}/firmware/_build/_ep
    LIST_SEPARATOR |
    CMAKE_ARGS
      -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/arm-none-eabi.cmake
      -DCMAKE_BUILD_TYPE=RelWithDebInfo
      -DEMBER_CPU=${cpu}
      -DEMBER_BOARDS=${_ember_boards_arg}
      -DEMBER_FW_MODELS=${_ember_models_arg}
      -DEMBER_FW_INPUT=pattern
      -DEMBER_FW_OUTPUT_DIR=${EMBER_FW_DIR}
      -DEMBER_MODELS_DIR=${EMBER_MODELS_DIR}
      -DEMBER_WERROR=${EMBER_WERROR}
      -DEMBER_STRIP_MESSAGES=${EMBER_STRIP_MESSAGES}
    BUILD_COMMAND ${CMAKE_COMMAND} --build <BINARY_DIR> -j ${EMBER_FW_JOBS}
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON
    DEPENDS ${_ember_previous}
    USES_TERMINAL_CONFIGURE ON
    USES_TERMINAL_BUILD ON)
  set(_ember_previous ember_fw_${cpu})
  list(APPEND _ember_fw_targets ember_fw_${cpu})
endforeach()
add_custom_target(ember_firmware DEPENDS ${_ember_fw_targets})
