# The emulated kernel test suites: which tests/kernels/*_test.cc run on the boards, and in
# which ELF ("suite"). Included by the host side (CMakeLists.txt: host twins, CTests) and
# by the cross build (target/CMakeLists.txt: ELFs), so both build the same groups.
#
# Sets, given EMBER_KE_KERNEL_TESTS_DIR (tests/kernels):
#   EMBER_KE_SUITES                suite names
#   EMBER_KE_SUITE_<suite>         the test sources of a suite
#   EMBER_KE_EXCLUDED              test files that stay host-only, with the reason
#   EMBER_KE_SUPPORT_SOURCES       tests/kernels' helpers (kernel_runner.cc)
#
# A test stays host-only when it reads files (EMBER_MODELS_DIR, <fstream>) or needs the
# interpreter and the host model builder (EMBER_HAVE_MODEL_BUILDER): today that is
# real_models_test.cc. EMBER_KE_HOST_ONLY lists tests that do not compile for the target yet,
# with the reason. Any other *_test.cc runs on the boards; a file not listed in a
# group below goes to the suite `other`, so a new kernel test is picked up without an
# edit here. One ELF per suite keeps the link count (and the simulator start-ups) low;
# every suite fits 1 MB of flash (see the .elf.size.txt next to each ELF).
set(_ke_groups
  "conv:conv_test conv_paths_test conv_dsp_paths_test depthwise_conv_test transpose_conv_test fully_connected_test fully_connected_paths_test svdf_test svdf_dsp_paths_test dsp_parity_test depthwise_dsp_paths_test"
  "elementwise:add_test sub_test mul_test relu_test relu6_test leaky_relu_test logistic_test tanh_test quantize_test softmax_test"
  "shape:concatenation_test pad_test reshape_test strided_slice_test transpose_test mean_test pooling_test"
  "util:quant_util_test kernel_runner_test")

# Tests that do not compile for the target, "<stem>:<reason>" (none today).
set(EMBER_KE_HOST_ONLY)

file(GLOB _ke_tests CONFIGURE_DEPENDS "${EMBER_KE_KERNEL_TESTS_DIR}/*_test.cc")
file(GLOB EMBER_KE_SUPPORT_SOURCES CONFIGURE_DEPENDS "${EMBER_KE_KERNEL_TESTS_DIR}/*.cc")
list(FILTER EMBER_KE_SUPPORT_SOURCES EXCLUDE REGEX "_test\\.cc$")

set(EMBER_KE_SUITES)
set(EMBER_KE_EXCLUDED)
set(EMBER_KE_SUITE_other)
foreach(_ke_group ${_ke_groups})
  string(REGEX REPLACE ":.*" "" _ke_name "${_ke_group}")
  set(EMBER_KE_SUITE_${_ke_name})
endforeach()
foreach(_ke_src ${_ke_tests})
  get_filename_component(_ke_stem "${_ke_src}" NAME_WE)
  file(READ "${_ke_src}" _ke_text)
  if(_ke_text MATCHES "EMBER_MODELS_DIR|<fstream>|EMBER_HAVE_MODEL_BUILDER")
    list(APPEND EMBER_KE_EXCLUDED "${_ke_stem} (reads files or needs the model builder)")
    continue()
  endif()
  set(_ke_reason)
  foreach(_ke_entry ${EMBER_KE_HOST_ONLY})
    if(_ke_entry MATCHES "^${_ke_stem}:(.*)$")
      set(_ke_reason "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  if(_ke_reason)
    list(APPEND EMBER_KE_EXCLUDED "${_ke_stem} (${_ke_reason})")
    continue()
  endif()
  set(_ke_suite other)
  foreach(_ke_group ${_ke_groups})
    string(REGEX REPLACE ":.*" "" _ke_name "${_ke_group}")
    string(REGEX REPLACE "^[^:]*:" "" _ke_members "${_ke_group}")
    separate_arguments(_ke_members UNIX_COMMAND "${_ke_members}")
    if(_ke_stem IN_LIST _ke_members)
      set(_ke_suite ${_ke_name})
      break()
    endif()
  endforeach()
  list(APPEND EMBER_KE_SUITE_${_ke_suite} "${_ke_src}")
endforeach()
foreach(_ke_group ${_ke_groups} "other:")
  string(REGEX REPLACE ":.*" "" _ke_name "${_ke_group}")
  if(EMBER_KE_SUITE_${_ke_name})
    list(APPEND EMBER_KE_SUITES ${_ke_name})
  endif()
endforeach()

# Tests left out on the target (and in the host twin, so both lists match; tests/kernels
# still runs them on the host), as GoogleTest filter patterns:
# - too big: they need more heap than the smallest emulated RAM offers (about 230 KB once
#   static data and the stack are placed; a test that runs out prints EMBER_OUT_OF_MEMORY
#   and the ELF exits with status 3);
# - too slow: randomized sweeps of the integer helpers against double oracles (no kernel
#   call, so nothing to compare with the host) of 50 M to 350 M emulated instructions each
#   (soft-float doubles on every board), which alone would take most of the minute these
#   CTests may use on 2 cores. The hand-checked tests of the same helpers still run.
set(EMBER_KE_TOO_BIG
  "LogisticTest.Int16Sweep*"
  "TanhTest.Int16Sweep*"
  "DepthwisePaths.PlaneTilesWidePlanesAndCoversVww")
set(EMBER_KE_TOO_SLOW
  "ConvPaths.FastRequantMatchesMultiplyByQuantizedMultiplier"
  "DspRequantize.MatchesMultiplyByQuantizedMultiplier"
  "MultiplyByQuantizedMultiplier.MatchesDoubleOracleWithin1"
  "FixedPoint.SaturatingRoundingDoublingHighMulMatchesDivisionForm")
list(JOIN EMBER_KE_TOO_BIG ":" _ke_big)
list(JOIN EMBER_KE_TOO_SLOW ":" _ke_slow)
set(EMBER_KE_GTEST_FILTER "${_ke_big}:${_ke_slow}")
set(EMBER_KE_GTEST_FILTER "-${EMBER_KE_GTEST_FILTER}")

# Default KernelRunner arena of these tests (kernel_runner.h: EMBER_KERNEL_RUNNER_ARENA_BYTES),
# the same on the host twin and the target so both run the same tests with the same limits.
set(EMBER_KE_ARENA_BYTES 32768)
