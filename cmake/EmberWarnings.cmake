# Warning flags for all of ember's own code: the build stays clean with -Wall -Wextra.
add_compile_options(
  -Wall -Wextra
  $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor>
)
if(EMBER_WERROR)
  add_compile_options(-Werror)
endif()

# Flags for code that must also run on bare metal (runtime/, kernels/): no exceptions,
# no RTTI. Applied per target with ember_bare_metal_target(<target>).
function(ember_bare_metal_target target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions -fno-rtti -fno-threadsafe-statics>)
endfunction()
