# The LuaJIT function.lua links: Debian's source package luajit2 (OpenResty's maintained
# LuaJIT 2.1 branch) at the version in luajit2.version, fetched by scripts/fetch_luajit.sh
# (run by scripts/setup.sh) into .deps/, and built here, once per build folder (unless it
# reuses another's, MODRT_LUAJIT_PREBUILT_DIR below), with:
#   LUAJIT_ENABLE_CHECKHOOK  compiled code tests the hook mask and leaves its trace when a
#                            count hook is set, so a JIT-compiled loop can be stopped
#                            (plugins/function.lua/README.md, "Cancellation");
#   LUAJIT_ENABLE_GC64       64-bit GC references: lua_newstate with our own allocator;
#   -fPIC                    it is linked into function.lua.so.
# It is built with its own flags, never the sanitizers': LuaJIT itself is not instrumented.
# Provides the imported target modrt::luajit (a static library), and MODRT_LUAJIT_EXECUTABLE,
# the same LuaJIT as an interpreter that function.lua's build compiles its chunks with.
file(STRINGS ${CMAKE_CURRENT_LIST_DIR}/luajit2.version MODRT_LUAJIT_VERSION LIMIT_COUNT 1)
string(REGEX REPLACE "-[^-]*$" "" luajit_upstream "${MODRT_LUAJIT_VERSION}")
set(MODRT_LUAJIT_SOURCE_DIR "${PROJECT_SOURCE_DIR}/.deps/luajit2-${luajit_upstream}" CACHE PATH
  "Unpacked source of Debian's luajit2 ${MODRT_LUAJIT_VERSION} (scripts/fetch_luajit.sh)")
if(NOT EXISTS ${MODRT_LUAJIT_SOURCE_DIR}/src/luajit.h)
  message(FATAL_ERROR "LuaJIT source not found in ${MODRT_LUAJIT_SOURCE_DIR}. "
    "Run scripts/setup.sh (or scripts/fetch_luajit.sh alone): it fetches Debian's source package "
    "luajit2 ${MODRT_LUAJIT_VERSION}, which function.lua links built with LUAJIT_ENABLE_CHECKHOOK.")
endif()

# What a LuaJIT build is made from; written beside it, so that a reuse (below) can tell.
set(luajit_flags "CFLAGS=-O2 -fPIC" "XCFLAGS=-DLUAJIT_ENABLE_CHECKHOOK -DLUAJIT_ENABLE_GC64")
set(luajit_recipe "luajit2 ${MODRT_LUAJIT_VERSION} BUILDMODE=static ${luajit_flags}")

# MODRT_LUAJIT_PREBUILT_DIR: the luajit2/ folder of another build folder, used as it is. LuaJIT
# never takes a build's flags or sanitizers, so scripts/test.sh builds it once, in the plain
# build, and its sanitizer and fuzz builds reuse it (each built its own copy: ~30 s each).
set(MODRT_LUAJIT_PREBUILT_DIR "" CACHE PATH
  "Reuse the LuaJIT built in this folder (another build folder's luajit2/) instead of building it")
if(MODRT_LUAJIT_PREBUILT_DIR)
  set(luajit_dir ${MODRT_LUAJIT_PREBUILT_DIR})
  set(luajit_recipe_file ${luajit_dir}/modrt-luajit.recipe)
  set(luajit_built "")
  if(EXISTS ${luajit_recipe_file})
    file(READ ${luajit_recipe_file} luajit_built)
  endif()
  if(NOT luajit_built STREQUAL luajit_recipe OR NOT EXISTS ${luajit_dir}/src/libluajit.a)
    message(FATAL_ERROR "MODRT_LUAJIT_PREBUILT_DIR=${luajit_dir} holds no LuaJIT built as this "
      "source tree builds it (${luajit_recipe}); it has: '${luajit_built}'. Build that folder's "
      "project first, or leave MODRT_LUAJIT_PREBUILT_DIR empty to build LuaJIT here.")
  endif()
  add_custom_target(modrt_luajit_build)
  set(luajit_lib ${luajit_dir}/src/libluajit.a)
  set(MODRT_LUAJIT_EXECUTABLE ${luajit_dir}/src/luajit)
else()
  find_program(MODRT_MAKE NAMES make gmake REQUIRED)
  cmake_host_system_information(RESULT luajit_jobs QUERY NUMBER_OF_LOGICAL_CORES)
  set(luajit_cc ${CMAKE_C_COMPILER})
  if(CMAKE_C_COMPILER_LAUNCHER)
    set(luajit_cc "${CMAKE_C_COMPILER_LAUNCHER} ${CMAKE_C_COMPILER}")
  endif()
  file(WRITE ${CMAKE_BINARY_DIR}/modrt-luajit.recipe "${luajit_recipe}")
  # LuaJIT's Makefile builds in its source tree: each build folder builds its own copy.
  set(luajit_dir ${CMAKE_BINARY_DIR}/luajit2)
  set(luajit_lib ${luajit_dir}/src/libluajit.a)
  set(MODRT_LUAJIT_EXECUTABLE ${luajit_dir}/src/luajit)
  add_custom_command(OUTPUT ${luajit_lib} ${MODRT_LUAJIT_EXECUTABLE}
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${luajit_dir}
    COMMAND ${CMAKE_COMMAND} -E copy_directory ${MODRT_LUAJIT_SOURCE_DIR} ${luajit_dir}
    COMMAND ${MODRT_MAKE} -C ${luajit_dir}/src -j${luajit_jobs} -s BUILDMODE=static "CC=${luajit_cc}"
            ${luajit_flags} libluajit.a luajit
    COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_BINARY_DIR}/modrt-luajit.recipe ${luajit_dir}/
    DEPENDS ${CMAKE_CURRENT_LIST_DIR}/luajit2.version ${MODRT_LUAJIT_SOURCE_DIR}/src/luajit.h
    COMMENT "Building LuaJIT (Debian luajit2 ${MODRT_LUAJIT_VERSION}, LUAJIT_ENABLE_CHECKHOOK)"
    VERBATIM)
  add_custom_target(modrt_luajit_build DEPENDS ${luajit_lib})
endif()
add_library(modrt::luajit STATIC IMPORTED GLOBAL)
set_target_properties(modrt::luajit PROPERTIES
  IMPORTED_LOCATION ${luajit_lib}
  # The headers are not generated: take them from the unpacked source.
  INTERFACE_INCLUDE_DIRECTORIES ${MODRT_LUAJIT_SOURCE_DIR}/src
  INTERFACE_LINK_LIBRARIES "m;${CMAKE_DL_LIBS}")
add_dependencies(modrt::luajit modrt_luajit_build)
