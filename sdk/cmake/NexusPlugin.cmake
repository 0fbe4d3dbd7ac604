# nexus_add_plugin(<name> SOURCES...): a plugin shared object built the way the host expects:
# only the entry point exported (hidden visibility, plus a version script that also keeps
# the C++ library's inline template statics local), no STB_GNU_UNIQUE symbols (so a library
# can really unload), symbols bound inside the library (no interposition between plugins),
# and no undefined symbols (a plugin imports nothing from the host).
# The output is nexus_<name>.so. Used in tree and, installed, by out-of-tree plugins.
function(nexus_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE Nexus::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "nexus_${name}"
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${name} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-fno-gnu-unique>)
  endif()
  target_link_options(${name} PRIVATE -Wl,-Bsymbolic -Wl,--no-undefined)
  if(NOT APPLE AND NOT WIN32)
    set(exports ${CMAKE_CURRENT_BINARY_DIR}/nexus_plugin_exports.map)
    file(CONFIGURE OUTPUT ${exports} CONTENT "{\n  global: nexus_plugin_init_v*;\n  local: *;\n};\n")
    target_link_options(${name} PRIVATE -Wl,--version-script=${exports})
    set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${exports})
  endif()
endfunction()
