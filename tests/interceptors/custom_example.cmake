# cmake -P script behind interceptor_custom_example: install the main build into a
# scratch prefix, build examples/plugins/custom-interceptor against that prefix
# only (as a third party would), and run the installed modrt with its plugin.
# Inputs (-D): MAIN_BUILD, EXAMPLE_DIR, WORK, GENERATOR, CXX_COMPILER (optional)
cmake_minimum_required(VERSION 3.22)
include(${CMAKE_CURRENT_LIST_DIR}/../sdk_package/script_helpers.cmake)
build_example(${EXAMPLE_DIR})  # it uses modrt/duration.hpp: the installed SDK must have it

run(plugins COMMAND ${modrt} plugins ${pp})
expect("${plugins_OUT}" "name: acme.stamp  version: 1.0.0[^\n]*\n  provides: interceptor.stamp" "modrt plugins lists acme.stamp")

# The interceptor put its context value and its count under the function.
run(whoami COMMAND ${modrt} call ${app}/registry acme.app:whoami ${pp})
string(REGEX REPLACE "[ \n]" "" whoami_compact "${whoami_OUT}")
expect("${whoami_compact}" "\"tenant\":\"acme\"" "whoami sees the stamp")
expect("${whoami_compact}" "\"calls\":1" "whoami sees the first call")

# Its counter is per entry and shared across calls within one runtime.
run(twice COMMAND ${modrt} call ${app}/registry acme.app:twice ${pp})
string(REGEX REPLACE "[ \n]" "" twice_compact "${twice_OUT}")
expect("${twice_compact}" "^\\[1,2\\]$" "twice counts calls")

# Per-call options (funcs.new():with_options) override the entry's.
run(as_guest COMMAND ${modrt} call ${app}/registry acme.app:as_guest ${pp})
string(REGEX REPLACE "[ \n]" "" guest_compact "${as_guest_OUT}")
expect("${guest_compact}" "\"tenant\":\"guest\"" "as_guest overrides the stamp")

# Without the plugin the registry does not load, and says which interceptor is missing.
run(no_plugin COMMAND ${modrt} call ${app}/registry acme.app:whoami --log-level error EXPECT_EXIT 1)
expect("${no_plugin_ERR}" "no plugin on the plugin path provides 'interceptor.stamp'" "missing plugin")
message(STATUS "custom-interceptor example passed")
