# `cmake --install` layout: headers and .td files under include/Prom, static
# libraries under lib/, prom-opt under bin/, and a CMake package under
# lib/cmake/Prom so that other projects can `find_package(Prom)`.
include(CMakePackageConfigHelpers)

set(PROM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Prom)

# One target for "all of prom", for consumers that do not care to pick.
add_library(Prom INTERFACE)
add_library(Prom::Prom ALIAS Prom)
get_property(prom_libs GLOBAL PROPERTY PROM_EXPORTED_LIBS)
target_link_libraries(Prom INTERFACE ${prom_libs})

install(TARGETS ${prom_libs} Prom
  EXPORT PromTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})

install(DIRECTORY include/Prom
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h" PATTERN "*.td")
install(DIRECTORY ${PROM_BINARY_DIR}/include/Prom
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.inc")

install(EXPORT PromTargets
  NAMESPACE Prom::
  DESTINATION ${PROM_INSTALL_CMAKEDIR})

configure_package_config_file(cmake/PromConfig.cmake.in
  ${PROM_BINARY_DIR}/PromConfig.cmake
  INSTALL_DESTINATION ${PROM_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROM_BINARY_DIR}/PromConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROM_BINARY_DIR}/PromConfig.cmake
  ${PROM_BINARY_DIR}/PromConfigVersion.cmake
  DESTINATION ${PROM_INSTALL_CMAKEDIR})
