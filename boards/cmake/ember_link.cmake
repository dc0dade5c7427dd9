# Link launcher for firmware ELFs (RULE_LAUNCH_LINK, see boards/firmware.cmake):
#   cmake -DSIZE=<arm-none-eabi-size> -DBOARD=<id> -P ember_link.cmake -- <link command...>
#
# Runs the link command. On success writes <elf>.size.txt (arm-none-eabi-size output, also
# printed) and removes a stale <elf>.does_not_fit. When the linker reports that the program
# does not fit the board's memories (a region overflowed, or the arena assertion of
# boards/common/sections.ld), it writes the linker's explanation to <elf>.does_not_fit,
# removes any stale <elf>, prints "does not fit" and succeeds: a model too big for a board
# is a result, not a build failure. Any other link error fails the build.
set(cmd)
set(seen_separator OFF)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 0 ${last})
  if(seen_separator)
    list(APPEND cmd "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(seen_separator ON)
  endif()
endforeach()
list(FIND cmd "-o" o_index)
if(o_index LESS 0)
  message(FATAL_ERROR "ember_link.cmake: no -o in the link command: ${cmd}")
endif()
math(EXPR o_index "${o_index} + 1")
list(GET cmd ${o_index} elf)
get_filename_component(elf "${elf}" ABSOLUTE)
get_filename_component(name "${elf}" NAME_WE)
set(marker "${elf}.does_not_fit")

execute_process(COMMAND ${cmd} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  file(REMOVE "${marker}")
  execute_process(COMMAND "${SIZE}" "${elf}" RESULT_VARIABLE size_rc OUTPUT_VARIABLE size_out
                  ERROR_VARIABLE size_err)
  if(NOT size_rc EQUAL 0)
    message(FATAL_ERROR "ember_link.cmake: ${SIZE} ${elf} failed: ${size_err}")
  endif()
  execute_process(COMMAND "${SIZE}" -A "${elf}" OUTPUT_VARIABLE sections_out)
  # Berkeley "bss" also counts the NOLOAD arena, heap and stack: split them out.
  foreach(section .text .rodata .isr_vector .data .bss .ember_arena .heap .stack)
    set(bytes_${section} 0)
    string(REPLACE "." "\\." section_re "${section}")
    if(sections_out MATCHES "\n${section_re}[ ]+([0-9]+)")
      set(bytes_${section} ${CMAKE_MATCH_1})
    endif()
  endforeach()
  string(STRIP "${size_out}" size_out)
  set(summary "${BOARD}/${name}: .text ${bytes_.text} .rodata ${bytes_.rodata} .data ${bytes_.data} .bss ${bytes_.bss} | arena ${bytes_.ember_arena} heap ${bytes_.heap} stack ${bytes_.stack}")
  file(WRITE "${elf}.size.txt" "${size_out}\n${summary}\n\n${sections_out}")
  message("${size_out}\n${summary}")
  if(out)
    message("${out}")
  endif()
  if(err)
    message("${err}")
  endif()
  return()
endif()

string(REGEX MATCHALL "[^\n]*(region `[^']*' overflowed|will not fit in region|ember: does not fit)[^\n]*"
       overflow "${err}")
if(overflow)
  file(REMOVE "${elf}" "${elf}.size.txt")
  list(JOIN overflow "\n" overflow)
  file(WRITE "${marker}" "${overflow}\n")
  message("${BOARD}/${name}: does not fit (skipped):\n${overflow}")
  return()
endif()
message("${err}")
message(FATAL_ERROR "ember_link.cmake: linking ${elf} failed (exit ${rc})")
