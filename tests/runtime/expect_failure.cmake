# Runs CMD (a ;-list) and passes when it exits non-zero and its stderr matches EXPECT.
# Usage: cmake -DCMD="a;b;c" -DEXPECT=regex -P expect_failure.cmake
execute_process(COMMAND ${CMD} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "expected a non-zero exit, got 0\nstdout: ${out}\nstderr: ${err}")
endif()
if(NOT err MATCHES "${EXPECT}")
  message(FATAL_ERROR "stderr does not match '${EXPECT}'\nexit: ${rc}\nstderr: ${err}")
endif()
message(STATUS "exit ${rc}: ${err}")
