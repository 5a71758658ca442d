# _modrt_add_sdk_module(<target> <output-name-var> <sources>...): what a plugin and a native
# library share: a MODULE library <file-stem>.so against the SDK only, exporting only what
# is marked MODRT_EXPORT (hidden visibility), with every symbol resolved at link time.
function(_modrt_add_sdk_module target output_name)
  add_library(${target} MODULE ${ARGN})
  target_link_libraries(${target} PRIVATE modrt::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${output_name}
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(NOT MODRT_SANITIZE)
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
  endif()
endfunction()

# modrt_add_plugin(<target> [OUTPUT_NAME <file-stem>] [TARGET_ABI_MINOR <n>] SOURCES <src>...)
# Builds a modrt plugin: a MODULE library named <file-stem>.so (default: <target>),
# compiled against the SDK only, with hidden visibility so the one entry symbol is
# all it exports. TARGET_ABI_MINOR defines MODRT_TARGET_ABI_MINOR for every source: the
# oldest ABI minor the plugin needs, so it loads in kernels since that minor (abi.h, the rule). After each link, modrt-plugin-manifest writes <file-stem>.modrt-manifest
# beside it (what the plugin provides, read from the plugin itself), so the runtime opens
# the plugin only when a registry needs it. Install both with modrt_install_plugin().
function(modrt_add_plugin target)
  cmake_parse_arguments(ARG "" "OUTPUT_NAME;TARGET_ABI_MINOR" "SOURCES" ${ARGN})
  if(NOT ARG_SOURCES)
    set(ARG_SOURCES ${ARG_UNPARSED_ARGUMENTS})
  endif()
  if(NOT ARG_OUTPUT_NAME)
    set(ARG_OUTPUT_NAME ${target})
  endif()
  _modrt_add_sdk_module(${target} ${ARG_OUTPUT_NAME} ${ARG_SOURCES})
  if(DEFINED ARG_TARGET_ABI_MINOR)
    if(NOT ARG_TARGET_ABI_MINOR MATCHES "^[0-9]+$")
      message(FATAL_ERROR "modrt_add_plugin(${target}): TARGET_ABI_MINOR must be a number, got '${ARG_TARGET_ABI_MINOR}'")
    endif()
    target_compile_definitions(${target} PRIVATE MODRT_TARGET_ABI_MINOR=${ARG_TARGET_ABI_MINOR})
  endif()
  # A build id lets the runtime tell whether a manifest describes this very build of the file.
  target_link_options(${target} PRIVATE -Wl,--build-id)
  set_target_properties(${target} PROPERTIES MODRT_MANIFEST_NAME ${ARG_OUTPUT_NAME}.modrt-manifest)
  # Without the tool (or when the plugin cannot run here) there is no manifest and the
  # runtime opens the plugin to read its descriptor, as it always did.
  if(TARGET modrt::plugin_manifest AND NOT CMAKE_CROSSCOMPILING)
    add_custom_command(TARGET ${target} POST_BUILD
      # The tool opens the plugin; in sanitizer builds its leak check at exit is noise.
      COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
              $<TARGET_FILE:modrt::plugin_manifest> $<TARGET_FILE:${target}>
      VERBATIM)
    get_target_property(tool modrt::plugin_manifest ALIASED_TARGET)
    if(tool)
      add_dependencies(${target} ${tool})
    endif()
  endif()
endfunction()

# modrt_install_plugin(<target> [DESTINATION <dir>])
# Installs a plugin made by modrt_add_plugin() and its manifest (default destination:
# MODRT_PLUGIN_DIR of the found package, or lib/modrt/plugins).
function(modrt_install_plugin target)
  cmake_parse_arguments(ARG "" "DESTINATION" "" ${ARGN})
  if(NOT ARG_DESTINATION)
    if(MODRT_PLUGIN_DIR)
      set(ARG_DESTINATION ${MODRT_PLUGIN_DIR})
    else()
      set(ARG_DESTINATION ${CMAKE_INSTALL_LIBDIR}/modrt/plugins)
    endif()
  endif()
  install(TARGETS ${target} LIBRARY DESTINATION ${ARG_DESTINATION})
  get_target_property(manifest ${target} MODRT_MANIFEST_NAME)
  if(manifest AND TARGET modrt::plugin_manifest AND NOT CMAKE_CROSSCOMPILING)
    # OPTIONAL: a file that turned out not to be a plugin has no manifest.
    install(FILES $<TARGET_FILE_DIR:${target}>/${manifest} DESTINATION ${ARG_DESTINATION} OPTIONAL)
  endif()
endfunction()

# modrt_add_native_library(<target> [OUTPUT_NAME <file-stem>] SOURCES <src>...)
# Builds a library of native functions for `kind: function.native` (a registry entry names it
# with `source: file://<file-stem>.so` and a function with `method: <symbol>`): a MODULE library
# compiled against the SDK, with hidden visibility so it exports only the functions declared
# with MODRT_NATIVE_FUNCTION (C: MODRT_NATIVE_EXPORT). It is not a plugin: it has no entry
# symbol and gets no manifest, so keep it off the plugin path (the runtime would refuse it
# there); put it, and install it, where the registry's `source:` points.
function(modrt_add_native_library target)
  cmake_parse_arguments(ARG "" "OUTPUT_NAME" "SOURCES" ${ARGN})
  if(NOT ARG_SOURCES)
    set(ARG_SOURCES ${ARG_UNPARSED_ARGUMENTS})
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "modrt_add_native_library(${target}): no SOURCES")
  endif()
  if(NOT ARG_OUTPUT_NAME)
    set(ARG_OUTPUT_NAME ${target})
  endif()
  _modrt_add_sdk_module(${target} ${ARG_OUTPUT_NAME} ${ARG_SOURCES})
endfunction()
