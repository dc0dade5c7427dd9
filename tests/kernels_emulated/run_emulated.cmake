# CTest driver of kernels_emulated.<board>.<suite> (see CMakeLists.txt):
#   cmake -DEMBER=<ember> -DBOARD=<id> -DSUITE=<suite> -DELF=<elf> -DHOST=<host twin>
#         -DCOMPARE=<compare_digests> -DWORK_DIR=<dir> [-DMAX_CYCLES=<n>] -P run_emulated.cmake
#
# 1. No ELF but <elf>.does_not_fit: the suite does not fit the board -> "SKIP: ..." (the
#    CTest's SKIP_REGULAR_EXPRESSION) with the linker's reason.
# 2. The host twin runs the suite natively; it must pass.
# 3. `ember sim --board <id> --timing none <elf>` runs it on the emulated board; it must
#    exit 0 (every test passed) within the cycle budget.
# 4. compare_digests (harness/compare_digests.cc) compares both outputs: the EMBER_DIGEST
#    lines (test, outcome, number of kernel calls, FNV-1a of every status and non-float
#    output byte) must be identical, float32 outputs (EMBER_F32) equal within a tolerance.
#    Both outputs stay in WORK_DIR/<board>.<suite>.{host,emulated}.txt.
cmake_minimum_required(VERSION 3.22)
foreach(var EMBER BOARD SUITE ELF HOST COMPARE WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_emulated.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT MAX_CYCLES)
  # --timing none counts one cycle per instruction; the largest suite needs ~45 M.
  set(MAX_CYCLES 1000000000)
endif()
set(what "${BOARD}/${SUITE}")

if(NOT EXISTS "${ELF}")
  if(EXISTS "${ELF}.does_not_fit")
    file(READ "${ELF}.does_not_fit" reason)
    string(STRIP "${reason}" reason)
    message("SKIP: ${what}: the test ELF does not fit the board:\n${reason}")
    return()
  endif()
  message(FATAL_ERROR "${what}: ${ELF} is missing (build the target kernels_emulated)")
endif()

execute_process(COMMAND "${HOST}" RESULT_VARIABLE host_rc OUTPUT_VARIABLE host_out
                ERROR_VARIABLE host_err)
if(NOT host_rc EQUAL 0)
  message("${host_out}\n${host_err}")
  message(FATAL_ERROR "${what}: the host twin ${HOST} failed (${host_rc}): the kernel tests "
                      "fail natively, see tests/kernels")
endif()

string(TIMESTAMP t0 "%s")
execute_process(COMMAND "${EMBER}" sim --board "${BOARD}" --timing none
                        --max-cycles ${MAX_CYCLES} "${ELF}"
                RESULT_VARIABLE sim_rc OUTPUT_VARIABLE sim_out ERROR_VARIABLE sim_err)
if(NOT sim_rc EQUAL 0)
  message("${sim_out}\n${sim_err}")
  if(sim_out MATCHES "EMBER_OUT_OF_MEMORY ([^\n]*)")
    message(FATAL_ERROR "${what}: out of heap on the board: ${CMAKE_MATCH_1} (list the test "
                        "in tests/kernels_emulated/suites.cmake EMBER_KE_TOO_BIG)")
  endif()
  message(FATAL_ERROR "${what}: the emulated run failed (exit status ${sim_rc})")
endif()

file(WRITE "${WORK_DIR}/${BOARD}.${SUITE}.host.txt" "${host_out}")
file(WRITE "${WORK_DIR}/${BOARD}.${SUITE}.emulated.txt" "${sim_out}")
execute_process(COMMAND "${COMPARE}" "${WORK_DIR}/${BOARD}.${SUITE}.host.txt"
                        "${WORK_DIR}/${BOARD}.${SUITE}.emulated.txt"
                RESULT_VARIABLE cmp_rc OUTPUT_VARIABLE cmp_out ERROR_VARIABLE cmp_err)
if(NOT cmp_rc EQUAL 0)
  message(FATAL_ERROR "${what}: the emulated kernels differ from the host:\n${cmp_out}${cmp_err}"
                      "(outputs in ${WORK_DIR}/${BOARD}.${SUITE}.{host,emulated}.txt)")
endif()

string(REGEX MATCH "instructions +([0-9]+)" _ "${sim_out}")
set(instructions "${CMAKE_MATCH_1}")
string(REGEX MATCH "host time +([0-9.]+ m?s)" _ "${sim_out}")
string(STRIP "${cmp_out}" cmp_out)
message("${what}: passed in emulation (${instructions} instructions, ${CMAKE_MATCH_1}); "
        "compared with the host: ${cmp_out}")
