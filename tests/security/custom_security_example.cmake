# cmake -P script behind custom_security_example: install the main build into a
# scratch prefix, build registry-examples/custom-security against that prefix
# only (as a third party would), and run the installed modrt with its provider.
# Inputs (-D): MAIN_BUILD, EXAMPLE_DIR, WORK, GENERATOR, CXX_COMPILER (optional)
cmake_minimum_required(VERSION 3.22)
unset(ENV{MODRT_PLUGIN_PATH})
set(prefix ${WORK}/prefix)
set(app ${WORK}/app)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

include(${CMAKE_CURRENT_LIST_DIR}/../out_of_tree/script_helpers.cmake)

run(install COMMAND ${CMAKE_COMMAND} --install ${MAIN_BUILD} --prefix ${prefix})
set(configure_args -S ${EXAMPLE_DIR} -B ${WORK}/build -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${prefix})
if(CXX_COMPILER)
  list(APPEND configure_args -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()
run(configure COMMAND ${CMAKE_COMMAND} ${configure_args})
run(build COMMAND ${CMAKE_COMMAND} --build ${WORK}/build)
run(install_app COMMAND ${CMAKE_COMMAND} --install ${WORK}/build --prefix ${app})

set(modrt ${prefix}/bin/modrt)
set(pp --plugin-path ${app}/plugins --log-level error)
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
