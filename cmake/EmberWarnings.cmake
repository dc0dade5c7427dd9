# Warning flags for all of ember's own code: the build stays clean with -Wall -Wextra.
# (-Wnon-virtual-dtor is deliberately not used: interfaces in runtime/ have protected
# non-virtual destructors, since a virtual one would pull operator delete, and with it the
# heap, into bare-metal builds.)
add_compile_options(-Wall -Wextra)
if(EMBER_WERROR)
  add_compile_options(-Werror)
endif()

# Flags for code that must also run on bare metal (runtime/, kernels/): no exceptions,
# no RTTI. Applied per target with ember_bare_metal_target(<target>).
function(ember_bare_metal_target target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions -fno-rtti -fno-threadsafe-statics>)
endfunction()
