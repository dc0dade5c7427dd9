# Checks cmake/EmberEmbedScript.cmake (ember_embed_binary's build-time half): the generated
# array holds the file's bytes in order, 16 per line, with the file's size, the requested
# alignment, and an error for a missing or empty file.
#   cmake -DSCRIPT=<EmberEmbedScript.cmake> -DINPUT=<any binary file> -DWORK=<dir> -P embed_test.cmake
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND "${CMAKE_COMMAND}" "-DINPUT=${INPUT}" "-DOUTPUT_CC=${WORK}/blob.cc"
                        "-DOUTPUT_H=${WORK}/blob.h" -DSYMBOL=g_blob -DALIGN=16 -P "${SCRIPT}"
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "embedding failed: ${err}")
endif()
file(SIZE "${INPUT}" size)
file(READ "${WORK}/blob.cc" cc)
if(NOT cc MATCHES "alignas\\(16\\) const unsigned char g_blob\\[${size}\\]")
  message(FATAL_ERROR "no 16-byte aligned array of ${size} bytes in:\n${cc}")
endif()
if(NOT cc MATCHES "g_blob_size = ${size};")
  message(FATAL_ERROR "size variable missing")
endif()
# Rebuild the bytes from the array text and compare with the file.
# Only the initializer counts: the header comment names the input path, which may itself
# contain text that looks like a byte ("0x..").
string(FIND "${cc}" "= {" open_pos)
string(FIND "${cc}" "};" close_pos REVERSE)
if(open_pos LESS 0 OR close_pos LESS open_pos)
  message(FATAL_ERROR "no array initializer in:\n${cc}")
endif()
math(EXPR body_len "${close_pos} - ${open_pos}")
string(SUBSTRING "${cc}" ${open_pos} ${body_len} body)
string(REGEX MATCHALL "0x[0-9a-f][0-9a-f]" bytes "${body}")
list(JOIN bytes "" joined)
string(REPLACE "0x" "" joined "${joined}")
file(READ "${INPUT}" hex HEX)
if(NOT joined STREQUAL hex)
  string(LENGTH "${joined}" got_len)
  string(LENGTH "${hex}" want_len)
  message(FATAL_ERROR "the array's bytes differ from ${INPUT} (array ${got_len} hex digits, "
                      "file ${want_len})")
endif()
file(WRITE "${WORK}/empty.bin" "")
execute_process(COMMAND "${CMAKE_COMMAND}" "-DINPUT=${WORK}/empty.bin" "-DOUTPUT_CC=${WORK}/e.cc"
                        "-DOUTPUT_H=${WORK}/e.h" -DSYMBOL=g_e -DALIGN=16 -P "${SCRIPT}"
                RESULT_VARIABLE rc ERROR_VARIABLE err)
# CMake wraps a FATAL_ERROR message at about 80 columns, so where "is empty" breaks depends on
# the length of the build path: compare with runs of white space folded to one space.
string(REGEX REPLACE "[ \t\r\n]+" " " err_flat "${err}")
if(rc EQUAL 0 OR NOT err_flat MATCHES "is empty")
  message(FATAL_ERROR "an empty file was accepted: ${err}")
endif()
message("embedded ${size} bytes exactly")
