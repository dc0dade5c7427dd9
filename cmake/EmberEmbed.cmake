# ember_embed_binary(<target-or-outvar> FILE <path> SYMBOL <name> [ALIGN <bytes>])
#
# Turns any binary file (a .tflite model, an input tensor .bin) into a const C++ array
# placed in flash (.rodata), at build time, with CMake alone (no xxd, no python):
#
#   extern "C" alignas(ALIGN) const unsigned char <name>[];   // the file's bytes
#   extern "C" const unsigned int <name>_size;                // the file's size in bytes
#
# declared in the generated header <name>.h (#include "<name>.h"). ALIGN defaults to 16
# (FlatBuffers and the interpreter read models in place and need aligned scalars).
#
# When the first argument is a target, the generated source is added to it and the
# header's directory becomes one of its include directories. Otherwise it names a
# variable that receives the generated .cc path (the header sits next to it).
#
# The array is regenerated whenever the file or this module changes. A missing or empty
# input is a build error naming the file.
set(_EMBER_EMBED_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/EmberEmbedScript.cmake")

function(ember_embed_binary target_or_var)
  cmake_parse_arguments(ARG "" "FILE;SYMBOL;ALIGN" "" ${ARGN})
  if(NOT ARG_FILE OR NOT ARG_SYMBOL)
    message(FATAL_ERROR "ember_embed_binary: FILE and SYMBOL are required")
  endif()
  if(NOT ARG_SYMBOL MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "ember_embed_binary: SYMBOL '${ARG_SYMBOL}' is not a C identifier")
  endif()
  if(NOT ARG_ALIGN)
    set(ARG_ALIGN 16)
  endif()
  get_filename_component(file "${ARG_FILE}" ABSOLUTE)
  # One directory per target (or variable): several targets may embed different files
  # under the same symbol name.
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/ember_embed/${target_or_var}")
  set(out_cc "${out_dir}/${ARG_SYMBOL}.cc")
  set(out_h "${out_dir}/${ARG_SYMBOL}.h")
  add_custom_command(
    OUTPUT "${out_cc}" "${out_h}"
    COMMAND "${CMAKE_COMMAND}" "-DINPUT=${file}" "-DOUTPUT_CC=${out_cc}" "-DOUTPUT_H=${out_h}"
            "-DSYMBOL=${ARG_SYMBOL}" "-DALIGN=${ARG_ALIGN}" -P "${_EMBER_EMBED_SCRIPT}"
    DEPENDS "${file}" "${_EMBER_EMBED_SCRIPT}"
    COMMENT "Embedding ${file} as ${ARG_SYMBOL}"
    VERBATIM)
  if(TARGET ${target_or_var})
    target_sources(${target_or_var} PRIVATE "${out_cc}" "${out_h}")
    target_include_directories(${target_or_var} PRIVATE "${out_dir}")
  else()
    set(${target_or_var} "${out_cc}" PARENT_SCOPE)
  endif()
endfunction()
