# cmake -P script behind the out_of_tree_sdk test:
#  1. install the main build (SDK headers, CMake package, plugins, modrt) into a fresh prefix
#  2. configure + build + install tests/sdk_package/project against that prefix only
#  3. run the *installed* modrt on the app's registry and check what it prints
#
# Inputs (-D): MAIN_BUILD, SOURCE_DIR (tests/sdk_package), WORK (scratch dir),
#              GENERATOR, CXX_COMPILER (optional), BUILD_TYPE (optional)
cmake_minimum_required(VERSION 3.22)
foreach(var MAIN_BUILD SOURCE_DIR WORK GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run.cmake needs -D${var}=...")
  endif()
endforeach()

# The checks below decide the plugin path themselves.
unset(ENV{MODRT_PLUGIN_PATH})

set(prefix ${WORK}/prefix)
set(ext_build ${WORK}/build)
set(app ${WORK}/app)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

include(${CMAKE_CURRENT_LIST_DIR}/script_helpers.cmake)

# 1. Install the main build.
run(install COMMAND ${CMAKE_COMMAND} --install ${MAIN_BUILD} --prefix ${prefix})
set(modrt ${prefix}/bin/modrt)
foreach(f bin/modrt include/modrt/abi.h include/modrt/sdk.hpp lib/cmake/modrt/modrtConfig.cmake
        lib/cmake/modrt/modrtConfigVersion.cmake lib/cmake/modrt/modrtTargets.cmake
        lib/cmake/modrt/ModrtPlugin.cmake lib/modrt/plugins/pool.inline.so lib/modrt/plugins/function.native.so)
  if(NOT EXISTS ${prefix}/${f})
    file(GLOB_RECURSE installed RELATIVE ${prefix} ${prefix}/*)
    string(REPLACE ";" "\n  " installed "${installed}")
    message(FATAL_ERROR "cmake --install did not install ${f}; installed:\n  ${installed}")
  endif()
endforeach()

# The installed binary finds the installed plugins (and nothing from the build tree).
run(plugins_installed COMMAND ${modrt} plugins)
expect("${plugins_installed_OUT}" "${prefix}/lib/modrt/plugins/pool.inline.so\n  name: pool.inline" "installed modrt plugins")
string(FIND "${plugins_installed_OUT}" "${MAIN_BUILD}/lib/" build_tree_at)
if(NOT build_tree_at EQUAL -1)
  message(FATAL_ERROR "installed modrt looks into the build tree:\n${plugins_installed_OUT}")
endif()

# 2. Build the third-party project against the installed package only.
set(configure_args -S ${SOURCE_DIR}/project -B ${ext_build} -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${prefix}
    -DACME_REGISTRY_DIR=${SOURCE_DIR}/registry)
if(CXX_COMPILER)
  list(APPEND configure_args -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()
if(BUILD_TYPE)
  list(APPEND configure_args -DCMAKE_BUILD_TYPE=${BUILD_TYPE})
endif()
run(configure COMMAND ${CMAKE_COMMAND} ${configure_args})
expect("${configure_ERR}${configure_OUT}" "Generating done" "configure the external project")
# find_package(modrt 1.4 REQUIRED) found the package and its ABI version (project/CMakeLists.txt checks the rest).
expect("${configure_OUT}" "acme: modrt ABI 1\\.[0-9]+\n" "the package exports MODRT_ABI_VERSION_MAJOR/MINOR")
run(build COMMAND ${CMAKE_COMMAND} --build ${ext_build})
run(install_app COMMAND ${CMAKE_COMMAND} --install ${ext_build} --prefix ${app})
file(COPY ${SOURCE_DIR}/registry-invalid DESTINATION ${app})

# Only the one entry symbol leaves the plugin (hidden visibility from modrt_add_plugin).
find_program(NM nm)
if(NM)
  run(nm COMMAND ${NM} -D --defined-only ${app}/plugins/acme.pools.so)
  string(REGEX MATCHALL "[^\n]* [TtDdBbRrVvWwu] [^\n]*" symbols "${nm_OUT}")
  foreach(s ${symbols})
    if(s MATCHES " T " AND NOT s MATCHES " T modrt_plugin_entry$")
      message(FATAL_ERROR "acme.pools.so exports more than its entry symbol:\n${nm_OUT}")
    endif()
  endforeach()
  expect("${nm_OUT}" " T modrt_plugin_entry\n" "acme.pools.so exports modrt_plugin_entry")
endif()

# 3. Run the installed modrt with the app's plugins.
set(reg ${app}/registry)
# The app keeps its libraries in lib/, beside registry/: outside the registry directory, so allowed explicitly.
set(pp --plugin-path ${app}/plugins --log-level error --source-root ${app}/lib)

run(plugins COMMAND ${modrt} plugins ${pp})
# abi: the plugin's target (TARGET_ABI_MINOR 2), not the SDK header's minor.
expect("${plugins_OUT}" "${app}/plugins/acme.pools.so\n  name: acme.pools  version: 1.0.0  abi: 1\\.2\n  provides: pool.counting\n"
       "modrt plugins lists acme.pools")

run(validate COMMAND ${modrt} validate ${reg} ${pp})
expect("${validate_OUT}" "ok: 4 entries" "validate")

run(list COMMAND ${modrt} list ${reg} ${pp})
expect("${list_OUT}" "acme.text:shout +function.native +counting\n" "list shows the counting pool")
expect("${list_OUT}" "acme.text:where_inline +function.native +inline\n" "list shows the inline pool")

run(shout COMMAND ${modrt} call ${reg} acme.text:shout "\"hello, world\"" ${pp})
expect("${shout_OUT}" "^\"HELLO, WORLD\"\n$" "shout")

# The counting pool runs the call on its own thread; the inline pool on the caller's.
run(where_inline COMMAND ${modrt} call ${reg} acme.text:where_inline ${pp})
expect("${where_inline_OUT}" "^\"main\"\n$" "where_inline")
run(where_counting COMMAND ${modrt} call ${reg} acme.text:where_counting ${pp})
expect("${where_counting_OUT}" "^\"worker\"\n$" "where_counting")

# max_calls: 2 -> two nested calls pass, the third is refused by the pool.
run(shout_two COMMAND ${modrt} call ${reg} acme.text:shout_many "\"hi\"" 2 ${pp})
string(REGEX REPLACE "[ \n]" "" shout_two_compact "${shout_two_OUT}")
expect("${shout_two_compact}" "^\\[\"HI\",\"HI\"\\]$" "shout_many 2")
run(shout_three COMMAND ${modrt} call ${reg} acme.text:shout_many "\"hi\"" 3 ${pp} EXPECT_EXIT 1)
expect("${shout_three_ERR}" "Unavailable: call 3 of 3: pool.counting: max_calls \\(2\\) reached" "shout_many 3")
if(NOT shout_three_OUT STREQUAL "")
  message(FATAL_ERROR "shout_many 3 printed a result: ${shout_three_OUT}")
endif()

# $MODRT_PLUGIN_PATH works as well as --plugin-path.
run(shout_env COMMAND ${modrt} call ${reg} acme.text:shout "\"env\"" --log-level error --source-root ${app}/lib ENV MODRT_PLUGIN_PATH=${app}/plugins)
expect("${shout_env_OUT}" "^\"ENV\"\n$" "shout via MODRT_PLUGIN_PATH")

# Without the plugin the registry does not load, and the error says why.
run(no_plugin COMMAND ${modrt} call ${reg} acme.text:shout "\"x\"" --log-level error --source-root ${app}/lib EXPECT_EXIT 1)
expect("${no_plugin_ERR}" "acme.yaml:10: entry 'acme.text:shout': no plugin on the plugin path provides 'pool.counting'"
       "missing plugin")

# Bad pool options are registry errors with the option's line.
run(invalid COMMAND ${modrt} validate ${app}/registry-invalid ${pp} EXPECT_EXIT 1)
expect("${invalid_ERR}" "acme.yaml:11: entry 'acme.invalid:negative': pool: max_calls must be a whole number >= 0"
       "invalid max_calls")
expect("${invalid_ERR}" "acme.yaml:19: entry 'acme.invalid:unknown_option': pool: pool.counting has no option 'workers'"
       "unknown pool option")
expect("${invalid_ERR}" "2 errors in registry" "error count")

message(STATUS "out-of-tree SDK test passed")
