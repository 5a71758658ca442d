# The libraries the kernel and the CLI use, as targets that put their code into the binary
# instead of loading it at start.
#
# Why: every shared library a process loads costs it, on each start, the library's own
# relocations against libstdc++'s symbol table. yaml-cpp, Boost.Program_options, spdlog and fmt
# as shared libraries took 2.5 of the 12.8 million instructions `modrt call` spent saying hello
# (callgrind, README "Cold start"). Linked in, only the code the binary uses comes along.
# Debian ships libyaml-cpp.a and libboost_program_options.a in the -dev packages, and spdlog's
# and fmt's implementations as headers. MODRT_LINK_DEPS_STATIC=OFF links the shared ones, and
# is the default in sanitizer builds: nothing there is about start-up, and compiling spdlog once
# more cost each of them 20-28 s in the CI suite (scripts/test.sh).
#
#   modrt::yaml_cpp, modrt::program_options, modrt::spdlog (with fmt), modrt::static_libstdcxx
if(MODRT_SANITIZE)
  set(_modrt_link_deps_static_default OFF)
else()
  set(_modrt_link_deps_static_default ON)
endif()
option(MODRT_LINK_DEPS_STATIC "Link the yaml-cpp and Boost.Program_options archives, spdlog and fmt into the binary"
  ${_modrt_link_deps_static_default})

add_library(modrt_dep_yaml_cpp INTERFACE)
add_library(modrt::yaml_cpp ALIAS modrt_dep_yaml_cpp)
add_library(modrt_dep_program_options INTERFACE)
add_library(modrt::program_options ALIAS modrt_dep_program_options)
add_library(modrt_dep_spdlog INTERFACE)
add_library(modrt::spdlog ALIAS modrt_dep_spdlog)

if(MODRT_LINK_DEPS_STATIC)
  find_library(MODRT_YAML_CPP_ARCHIVE NAMES libyaml-cpp.a)
  find_library(MODRT_PROGRAM_OPTIONS_ARCHIVE NAMES libboost_program_options.a)
  foreach(archive MODRT_YAML_CPP_ARCHIVE MODRT_PROGRAM_OPTIONS_ARCHIVE)
    if(NOT ${archive})
      message(FATAL_ERROR "MODRT_LINK_DEPS_STATIC needs ${archive} (Debian: libyaml-cpp-dev, "
        "libboost-program-options-dev); pass -DMODRT_LINK_DEPS_STATIC=OFF to link the shared libraries")
    endif()
  endforeach()
  target_link_libraries(modrt_dep_yaml_cpp INTERFACE ${MODRT_YAML_CPP_ARCHIVE})
  target_include_directories(modrt_dep_yaml_cpp SYSTEM INTERFACE
    $<TARGET_PROPERTY:yaml-cpp,INTERFACE_INCLUDE_DIRECTORIES>)
  target_link_libraries(modrt_dep_program_options INTERFACE ${MODRT_PROGRAM_OPTIONS_ARCHIVE} Boost::headers)
  # spdlog's implementation is compiled once, in kernel/src/runtime/spdlog_compiled.cpp (header-only
  # spdlog doubled the compile time of every file that logs); fmt is header-only (a 4 % longer
  # compile: fmt::fmt-header-only sets FMT_HEADER_ONLY).
  target_compile_definitions(modrt_dep_spdlog INTERFACE SPDLOG_COMPILED_LIB SPDLOG_FMT_EXTERNAL)
  target_include_directories(modrt_dep_spdlog SYSTEM INTERFACE
    $<TARGET_PROPERTY:spdlog::spdlog_header_only,INTERFACE_INCLUDE_DIRECTORIES>)
  target_link_libraries(modrt_dep_spdlog INTERFACE fmt::fmt-header-only Threads::Threads)
else()
  target_link_libraries(modrt_dep_yaml_cpp INTERFACE yaml-cpp)
  target_link_libraries(modrt_dep_program_options INTERFACE Boost::program_options)
  target_link_libraries(modrt_dep_spdlog INTERFACE spdlog::spdlog)
endif()

# libstdc++ and libgcc linked into the `modrt` binary and every built-in plugin, hidden in each:
# loading libstdc++.so (6,000 symbols, 5,000 relocations) was 2.1 of the 9.1 million
# instructions left of a cold `modrt call`. Each plugin keeps its own copy, which the C ABI
# allows: nothing C++ crosses it (sdk/include/modrt/abi.h). Plugins built out of tree and
# native function libraries still load libstdc++.so when they need it. Off in sanitizer builds,
# whose runtimes replace operator new and must see every call of it.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND NOT MODRT_SANITIZE)
  set(_modrt_static_libstdcxx_default ON)
else()
  set(_modrt_static_libstdcxx_default OFF)
endif()
option(MODRT_STATIC_LIBSTDCXX "Link libstdc++ and libgcc statically into modrt and the built-in plugins"
  ${_modrt_static_libstdcxx_default})
add_library(modrt_static_libstdcxx INTERFACE)
add_library(modrt::static_libstdcxx ALIAS modrt_static_libstdcxx)
if(MODRT_STATIC_LIBSTDCXX)
  target_link_options(modrt_static_libstdcxx INTERFACE -static-libstdc++ -static-libgcc
    # In a shared object, hide what came from the archives: another copy must never bind to them.
    $<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,MODULE_LIBRARY>:LINKER:--exclude-libs,libstdc++.a:libgcc.a:libgcc_eh.a>)
endif()
