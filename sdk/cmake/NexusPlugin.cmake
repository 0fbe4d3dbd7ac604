# nexus_add_plugin(<name> SOURCES...): a plugin shared object built the way the host expects:
# hidden visibility (only the entry point is exported), no STB_GNU_UNIQUE symbols (so a
# library can really unload), symbols bound inside the library (no interposition between
# plugins), and no undefined symbols (a plugin imports nothing from the host).
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
endfunction()
