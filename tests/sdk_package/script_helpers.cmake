# run(), expect() and build_example() for the cmake -P scripts that install the SDK
# and drive the installed modrt (out_of_tree_sdk, interceptor_custom_example,
# custom_security_example).

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

# build_example(<example dir>): what a third party does with an example of examples/registries/:
# install the main build (MAIN_BUILD) into ${WORK}/prefix, then configure, build and install
# the example against that prefix only into ${WORK}/app (GENERATOR; CXX_COMPILER if set).
# Sets `prefix`, `app`, `modrt` (the installed CLI) and `pp` (its plugin-path options).
macro(build_example example_dir)
  unset(ENV{MODRT_PLUGIN_PATH})
  set(prefix ${WORK}/prefix)
  set(app ${WORK}/app)
  file(REMOVE_RECURSE ${WORK})
  file(MAKE_DIRECTORY ${WORK})
  run(install COMMAND ${CMAKE_COMMAND} --install ${MAIN_BUILD} --prefix ${prefix})
  set(configure_args -S ${example_dir} -B ${WORK}/build -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${prefix})
  if(CXX_COMPILER)
    list(APPEND configure_args -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
  endif()
  run(configure COMMAND ${CMAKE_COMMAND} ${configure_args})
  run(build COMMAND ${CMAKE_COMMAND} --build ${WORK}/build)
  run(install_app COMMAND ${CMAKE_COMMAND} --install ${WORK}/build --prefix ${app})
  set(modrt ${prefix}/bin/modrt)
  set(pp --plugin-path ${app}/plugins --log-level error)
endmacro()
