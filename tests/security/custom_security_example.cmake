# cmake -P script behind custom_security_example: install the main build into a
# scratch prefix, build examples/plugins/custom-security against that prefix
# only (as a third party would), and run the installed modrt with its provider.
# Inputs (-D): MAIN_BUILD, EXAMPLE_DIR, WORK, GENERATOR, CXX_COMPILER (optional)
cmake_minimum_required(VERSION 3.22)
include(${CMAKE_CURRENT_LIST_DIR}/../sdk_package/script_helpers.cmake)
build_example(${EXAMPLE_DIR})

run(plugins COMMAND ${modrt} plugins ${pp})
expect("${plugins_OUT}" "name: acme.allowlist  version: 1.0.0" "modrt plugins lists acme.allowlist")

# The allow-listed actor may call; anyone else, or nobody, is denied (strict by default).
run(ada COMMAND ${modrt} call ${app}/registry acme.app:hello --actor user:ada ${pp})
expect("${ada_OUT}" "hello from behind the allow-list" "ada is allowed")
run(bob COMMAND ${modrt} call ${app}/registry acme.app:hello --actor user:bob ${pp} EXPECT_EXIT 1)
expect("${bob_ERR}" "PermissionDenied: permission denied: funcs.call on 'acme.app:hello' for actor 'user:bob'" "bob is denied")
run(nobody COMMAND ${modrt} call ${app}/registry acme.app:hello ${pp} EXPECT_EXIT 1)
expect("${nobody_ERR}" "PermissionDenied" "an anonymous call is denied")
message(STATUS "custom-security example passed")
