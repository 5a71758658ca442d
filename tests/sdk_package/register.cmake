# Registers the out-of-tree SDK test with CTest. Included from tests/cli/CMakeLists.txt;
# the external project in project/ is built by the test itself, against the installed
# SDK, and is never add_subdirectory'd into this build.
#
# It runs after the whole build (ctest), installing this build into a scratch prefix.
set(_oot_dir ${CMAKE_CURRENT_LIST_DIR})

function(modrt_add_out_of_tree_test name)
  cmake_parse_arguments(ARG "" "CXX_COMPILER" "" ${ARGN})
  add_test(NAME ${name}
    COMMAND ${CMAKE_COMMAND}
      -DMAIN_BUILD=${CMAKE_BINARY_DIR}
      -DSOURCE_DIR=${_oot_dir}
      -DWORK=${CMAKE_CURRENT_BINARY_DIR}/${name}
      -DGENERATOR=${CMAKE_GENERATOR}
      -DCXX_COMPILER=${ARG_CXX_COMPILER}
      -DBUILD_TYPE=${CMAKE_BUILD_TYPE}
      -P ${_oot_dir}/run.cmake)
  set_tests_properties(${name} PROPERTIES TIMEOUT 600 LABELS "out_of_tree;slow")
endfunction()

# Same compiler as modrt itself.
modrt_add_out_of_tree_test(out_of_tree_sdk CXX_COMPILER ${CMAKE_CXX_COMPILER})

# The ABI promise (sdk/include/modrt/abi.h): a plugin built by another compiler must load and work.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  find_program(MODRT_OTHER_CXX NAMES clang++ clang++-18 clang++-17 clang++-16 clang++-15 clang++-14)
elseif(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  find_program(MODRT_OTHER_CXX NAMES g++)
endif()
if(MODRT_OTHER_CXX)
  modrt_add_out_of_tree_test(out_of_tree_sdk_other_compiler CXX_COMPILER ${MODRT_OTHER_CXX})
endif()
