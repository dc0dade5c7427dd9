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
    DISCOVERY_TIMEOUT 60)
  # Labels are set by a second CTest include file that runs after the discovered tests
  # are defined (it uses the <name>_TESTS list they set): a label list passed through
  # gtest_discover_tests' PROPERTIES loses its separators, leaving only `host`.
  set(_labels_file "${CMAKE_CURRENT_BINARY_DIR}/${name}_labels.cmake")
  file(WRITE "${_labels_file}"
       "if(${name}_TESTS)\n"
       "  set_tests_properties(\${${name}_TESTS} PROPERTIES LABELS \"host;${ARG_LABELS}\")\n"
       "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${_labels_file}")
endfunction()
