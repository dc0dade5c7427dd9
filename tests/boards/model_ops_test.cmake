# Checks boards/cmake/ember_model_ops.cmake (the firmware's op list, read from the .tflite
# FlatBuffer with CMake alone) against the builtin ops of the real models as documented in
# ../shared/models/README.md.
#   cmake -DSCRIPT=<ember_model_ops.cmake> -DMODELS_DIR=<dir> -DWORK=<dir> -P model_ops_test.cmake
if(NOT EXISTS "${MODELS_DIR}/person_detect.tflite")
  message("EMBER_TEST_SKIPPED: ${MODELS_DIR} has no models")
  return()
endif()
set(expect_hello_world_int8 "FULLY_CONNECTED")
set(expect_person_detect "AVERAGE_POOL_2D;CONV_2D;DEPTHWISE_CONV_2D;RESHAPE;SOFTMAX")
set(expect_micro_speech_quantized "DEPTHWISE_CONV_2D;FULLY_CONNECTED;RESHAPE;SOFTMAX")
# keyword_scrambled also lists DEQUANTIZE among its operator codes.
set(expect_keyword_scrambled "DEQUANTIZE;FULLY_CONNECTED;QUANTIZE;SOFTMAX;SVDF")
foreach(model hello_world_int8 person_detect micro_speech_quantized keyword_scrambled)
  execute_process(COMMAND "${CMAKE_COMMAND}" "-DMODEL=${MODELS_DIR}/${model}.tflite"
                          "-DOUTPUT=${WORK}/${model}_ops.inc" -P "${SCRIPT}"
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${model}: ${err}")
  endif()
  file(STRINGS "${WORK}/${model}_ops.inc" lines REGEX "^EMBER_FW_")
  set(names)
  foreach(line ${lines})
    if(line MATCHES "\"([A-Z0-9_]+)\"")
      list(APPEND names ${CMAKE_MATCH_1})
    else()
      list(APPEND names "unsupported:${line}")
    endif()
  endforeach()
  list(SORT names)
  if(NOT names STREQUAL expect_${model})
    message(FATAL_ERROR "${model}: ops ${names}, expected ${expect_${model}}")
  endif()
  message("${model}: ${names}")
endforeach()

# A file that is not a .tflite must be rejected with a message, not produce an op list.
file(WRITE "${WORK}/not_a_model.tflite" "this is not a flatbuffer")
execute_process(COMMAND "${CMAKE_COMMAND}" "-DMODEL=${WORK}/not_a_model.tflite"
                        "-DOUTPUT=${WORK}/bad_ops.inc" -P "${SCRIPT}"
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "TFL3")
  message(FATAL_ERROR "a non-model was accepted (rc ${rc}): ${err}")
endif()
