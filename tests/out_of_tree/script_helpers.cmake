# run() and expect() for the cmake -P scripts that install the SDK and drive the
# installed modrt (out_of_tree_sdk, interceptor_custom_example).

# run(<name> COMMAND ... [EXPECT_EXIT n] [ENV k=v...]): runs a command, stores
# <name>_OUT/<name>_ERR, fails the test (printing both) on an unexpected exit code.
function(run name)
  cmake_parse_arguments(ARG "" "EXPECT_EXIT" "COMMAND;ENV" ${ARGN})
  if(NOT DEFINED ARG_EXPECT_EXIT)
    set(ARG_EXPECT_EXIT 0)
  endif()
  set(cmd ${ARG_COMMAND})
  if(ARG_ENV)
    set(cmd ${CMAKE_COMMAND} -E env ${ARG_ENV} ${ARG_COMMAND})
  endif()
  string(REPLACE ";" " " shown "${ARG_COMMAND}")
  message(STATUS "[${name}] ${shown}")
  execute_process(COMMAND ${cmd} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT "${rc}" STREQUAL "${ARG_EXPECT_EXIT}")
    message(FATAL_ERROR "[${name}] exit ${rc}, expected ${ARG_EXPECT_EXIT}\n--- stdout ---\n${out}\n--- stderr ---\n${err}")
  endif()
  set(${name}_OUT "${out}" PARENT_SCOPE)
  set(${name}_ERR "${err}" PARENT_SCOPE)
endfunction()

# expect(<text> <regex> <what>): fail unless text matches.
function(expect text regex what)
  if(NOT "${text}" MATCHES "${regex}")
    message(FATAL_ERROR "${what}: expected to match\n  ${regex}\ngot:\n${text}")
  endif()
endfunction()
