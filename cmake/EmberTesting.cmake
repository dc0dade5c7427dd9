# ember_add_gtest(<name> SOURCES <files...> [LIBS <targets...>] [LABELS <labels...>])
# One GoogleTest executable, registered with CTest test by test (gtest_discover_tests),
# labelled `host` plus the given labels. EMBER_MODELS_DIR is passed to the test as a
# compile definition so tests read ../shared/models in place.
find_package(GTest REQUIRED)
include(GoogleTest)

function(ember_add_gtest name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    EMBER_MODELS_DIR="${EMBER_MODELS_DIR}"
    EMBER_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    EMBER_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name}
    PROPERTIES LABELS "host;${ARG_LABELS}"
    DISCOVERY_TIMEOUT 60)
endfunction()
