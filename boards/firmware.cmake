# Cross-build helpers (included by boards/CMakeLists.txt when CMAKE_CROSSCOMPILING):
#
# ember_add_board_support(<board>)
#   OBJECT library ember_board_<board>: startup code (vector table sized for the board),
#   _sbrk, the ARMv6-M SysTick cycle counter.
#
# ember_add_firmware(<target> BOARD <board> [OUTPUT_NAME <name>] [SOURCES ...] [LIBS ...]
#                    [MIN_ARENA <bytes>])
#   One firmware ELF: <EMBER_FW_OUTPUT_DIR>/<board>/<name>.elf, linked with the board's
#   linker script, startup code and newlib-nano + rdimon (semihosting), with a map file
#   (<name>.map) and `arm-none-eabi-size` output (<name>.elf.size.txt). When it does not
#   fit the board's memories the link writes <name>.elf.does_not_fit instead and the
#   build goes on (boards/cmake/ember_link.cmake). MIN_ARENA makes a smaller arena than
#   that a link-time "does not fit". bench/firmware uses this function too.
#
# ember_add_model_firmware(<board> <model-name> <model.tflite> <input|pattern>)
#   The inference firmware (firmware/firmware_main.cc + model_app.cc) for one model,
#   embedding the model (and the input file unless 'pattern'); model-specific objects are
#   built once per model and shared by the boards of this CPU.
include(${PROJECT_SOURCE_DIR}/cmake/EmberEmbed.cmake)

set(EMBER_FW_OUTPUT_DIR "${CMAKE_BINARY_DIR}/firmware" CACHE PATH
    "Where firmware ELFs go: <dir>/<board>/<name>.elf")
set(_EMBER_BOARDS_DIR "${CMAKE_CURRENT_LIST_DIR}")

function(ember_add_board_support board)
  if(TARGET ember_board_${board})
    return()
  endif()
  if(NOT EXISTS "${_EMBER_BOARDS_DIR}/${board}/linker.ld")
    message(FATAL_ERROR "boards: no linker script for board '${board}'")
  endif()
  add_library(ember_board_${board} OBJECT
    ${_EMBER_BOARDS_DIR}/common/startup.c
    ${_EMBER_BOARDS_DIR}/common/syscalls.c
    ${_EMBER_BOARDS_DIR}/common/cycle_counter.cc)
  target_compile_definitions(ember_board_${board} PRIVATE
    EMBER_NUM_IRQS=${EMBER_BOARD_IRQS_${board}}
    EMBER_BOARD_ID="${board}")
  # GCC defines the same macros for cortex-m4 and cortex-m7; the M7's L1 cache enable in
  # startup.c keys on this one.
  if(EMBER_BOARD_CPU_${board} STREQUAL "cortex-m7")
    target_compile_definitions(ember_board_${board} PRIVATE EMBER_CPU_CORTEX_M7=1)
  endif()
  target_compile_options(ember_board_${board} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions -fno-rtti>)
endfunction()

function(ember_add_firmware target)
  cmake_parse_arguments(ARG "" "BOARD;OUTPUT_NAME;MIN_ARENA" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_BOARD)
    message(FATAL_ERROR "ember_add_firmware(${target}): BOARD is required")
  endif()
  if(NOT ARG_OUTPUT_NAME)
    set(ARG_OUTPUT_NAME ${target})
  endif()
  ember_add_board_support(${ARG_BOARD})
  set(out_dir "${EMBER_FW_OUTPUT_DIR}/${ARG_BOARD}")
  set(ld "${_EMBER_BOARDS_DIR}/${ARG_BOARD}/linker.ld")
  add_executable(${target} ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE ember_board_${ARG_BOARD} ${ARG_LIBS})
  target_link_options(${target} PRIVATE
    -T${ld} -L${_EMBER_BOARDS_DIR} --specs=rdimon.specs
    -Wl,-Map=${out_dir}/${ARG_OUTPUT_NAME}.map -Wl,--cref)
  if(ARG_MIN_ARENA)
    target_link_options(${target} PRIVATE -Wl,--defsym=__ember_min_arena_bytes=${ARG_MIN_ARENA})
  endif()
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${ARG_OUTPUT_NAME}
    SUFFIX .elf
    RUNTIME_OUTPUT_DIRECTORY ${out_dir}
    LINK_DEPENDS "${ld};${_EMBER_BOARDS_DIR}/common/sections.ld"
    RULE_LAUNCH_LINK
      "${CMAKE_COMMAND} -DSIZE=${CMAKE_SIZE} -DBOARD=${ARG_BOARD} -P ${_EMBER_BOARDS_DIR}/cmake/ember_link.cmake --")
  ember_bare_metal_target(${target})
endfunction()

# Per-model objects (shared by every board of this CPU): the app, the embedded model and
# input, the generated op list.
function(_ember_model_objects name model input)
  set(lib ember_fw_model_${name})
  if(TARGET ${lib})
    return()
  endif()
  add_library(${lib} OBJECT
    ${_EMBER_BOARDS_DIR}/firmware/firmware_main.cc
    ${_EMBER_BOARDS_DIR}/firmware/model_app.cc)
  ember_embed_binary(${lib} FILE "${model}" SYMBOL g_ember_model ALIGN 16)
  if(NOT input STREQUAL "pattern")
    ember_embed_binary(${lib} FILE "${input}" SYMBOL g_ember_input ALIGN 16)
    target_compile_definitions(${lib} PRIVATE EMBER_FW_HAVE_INPUT=1)
  endif()
  set(ops_dir "${CMAKE_CURRENT_BINARY_DIR}/ember_ops/${lib}")
  add_custom_command(
    OUTPUT "${ops_dir}/model_ops.inc"
    COMMAND "${CMAKE_COMMAND}" "-DMODEL=${model}" "-DOUTPUT=${ops_dir}/model_ops.inc"
            -P "${_EMBER_BOARDS_DIR}/cmake/ember_model_ops.cmake"
    DEPENDS "${model}" "${_EMBER_BOARDS_DIR}/cmake/ember_model_ops.cmake"
    COMMENT "Listing the ops of ${name}"
    VERBATIM)
  target_sources(${lib} PRIVATE "${ops_dir}/model_ops.inc")
  target_include_directories(${lib} PRIVATE "${ops_dir}")
  target_compile_definitions(${lib} PRIVATE EMBER_FW_MODEL_NAME="${name}")
  target_link_libraries(${lib} PRIVATE ember_runtime ember_kernel_headers)
  ember_bare_metal_target(${lib})
endfunction()

function(ember_add_model_firmware board name model input)
  _ember_model_objects(${name} "${model}" "${input}")
  # ember_kernels whole (weak registrations, see firmware_main.cc), trimmed by --gc-sections.
  ember_add_firmware(fw_${board}_${name} BOARD ${board} OUTPUT_NAME ${name}
    MIN_ARENA "${EMBER_FW_MIN_ARENA}"
    LIBS ember_fw_model_${name} ember_runtime
         -Wl,--whole-archive ember_kernels -Wl,--no-whole-archive)
endfunction()
