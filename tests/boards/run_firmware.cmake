# CTest driver: runs one firmware ELF in the emulator and checks it.
#   cmake -DEMBER=<ember CLI> -DBOARD=<id> -DELF=<file.elf> [-DHOST=<ember_fw_host>
#         -DMODEL=<model.tflite>] [-DEXPECT=<text>] [-DMAX_CYCLES=<n>] -P run_firmware.cmake
# - ELF absent but <ELF>.does_not_fit present: prints EMBER_TEST_SKIPPED (the test's
#   SKIP_REGULAR_EXPRESSION) with the linker's message.
# - The firmware exits 3 with "@ember error does not fit" when the model's arena exceeds the
#   board's free RAM: also EMBER_TEST_SKIPPED.
# - EXPECT_EXIT: the exit status the program must end with (default 0).
# - GOLDEN: a file of the exact output tensor bytes (../shared/models/golden) that
#   "@ember output 0" must equal.
# - `ember sim --board BOARD ELF` must exit 0 and print "@ember end" (model firmware) or
#   EXPECT (self-test).
# - With MODEL: the host twin (ember_fw_host MODEL pattern) runs the same app natively; the
#   "@ember output" lines (every output tensor's bytes) must be identical.
if(NOT EXISTS "${ELF}")
  if(EXISTS "${ELF}.does_not_fit")
    file(READ "${ELF}.does_not_fit" why)
    message("EMBER_TEST_SKIPPED: ${ELF} does not fit ${BOARD}:\n${why}")
    return()
  endif()
  message(FATAL_ERROR "${ELF} was not built (target ember_firmware)")
endif()
if(NOT MAX_CYCLES)
  set(MAX_CYCLES 2000000000)
endif()

execute_process(COMMAND "${EMBER}" sim --board "${BOARD}" "${ELF}" --max-cycles ${MAX_CYCLES}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}")
if(err)
  message("stderr:\n${err}")
endif()
if(DEFINED EXPECT_EXIT)
  if(NOT rc EQUAL EXPECT_EXIT)
    message(FATAL_ERROR "ember sim exited with ${rc}, expected ${EXPECT_EXIT}")
  endif()
elseif(rc EQUAL 3 AND out MATCHES "\n@ember error does not fit: ([^\n]*)")
  # The model's arena does not fit the RAM the board has left (found by the runtime at
  # AllocateTensors, with the bytes needed in the log above).
  message("EMBER_TEST_SKIPPED: ${BOARD}: does not fit: ${CMAKE_MATCH_1}")
  return()
elseif(NOT rc EQUAL 0)
  message(FATAL_ERROR "ember sim exited with ${rc}")
endif()

if(EXPECT)
  string(FIND "${out}" "${EXPECT}" at)
  if(at LESS 0)
    message(FATAL_ERROR "the firmware output lacks '${EXPECT}'")
  endif()
endif()

if(MODEL)
  if(NOT out MATCHES "\n@ember end")
    message(FATAL_ERROR "the firmware did not finish ('@ember end' missing)")
  endif()
  execute_process(COMMAND "${HOST}" "${MODEL}" pattern
                  RESULT_VARIABLE host_rc OUTPUT_VARIABLE host_out ERROR_VARIABLE host_err)
  if(NOT host_rc EQUAL 0)
    message(FATAL_ERROR "host twin failed (${host_rc}):\n${host_out}\n${host_err}")
  endif()
  string(REGEX MATCHALL "@ember output [^\n]*" target_outputs "${out}")
  string(REGEX MATCHALL "@ember output [^\n]*" host_outputs "${host_out}")
  if(NOT target_outputs)
    message(FATAL_ERROR "the firmware printed no output tensors")
  endif()
  if(NOT target_outputs STREQUAL host_outputs)
    message(FATAL_ERROR "outputs differ from the host build:\n  ${BOARD}: ${target_outputs}\n"
                        "  host: ${host_outputs}")
  endif()
  message("outputs bit-exact with the host build: ${target_outputs}")
  if(GOLDEN)
    file(READ "${GOLDEN}" golden_hex HEX)
    if(NOT out MATCHES "\n@ember output 0 ${golden_hex}\n")
      message(FATAL_ERROR "output 0 differs from the golden bytes ${golden_hex} (${GOLDEN})")
    endif()
    message("output 0 equals the golden bytes of ${GOLDEN}")
  endif()
endif()
