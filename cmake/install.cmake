# `cmake --install`: the headers of every installed layer under include/wvsim/ (the include root
# the exported targets name, so users write "sim/kernel.h", "model/android/webview.h" and
# "wvsim/testing.h" as in the tree), the static libraries, the `wvsim` CLI, and a CMake package:
#
#   find_package(wvsim REQUIRED)   # wvsim::sim, wvsim::model and, when built, wvsim::testing
#   target_link_libraries(my_test PRIVATE wvsim::testing GTest::gtest_main)
include(CMakePackageConfigHelpers)

set(WVSIM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/wvsim)
set(WVSIM_INSTALL_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR}/wvsim)

# Users compile the headers too: coroutines need C++20.
target_compile_features(wvsim_sim PUBLIC cxx_std_20)
set_target_properties(wvsim_sim PROPERTIES EXPORT_NAME sim)
set_target_properties(wvsim_model PROPERTIES EXPORT_NAME model)
set(WVSIM_INSTALLED_TARGETS wvsim_sim wvsim_model)
# No internal/ directory ships: the kernel's records (threads, messages, continuations) are only
# declared in its public headers, the inline awaiters write them through sim/thread_point.h, and
# dpor.h keeps its search behind an opaque handle.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/sim/ DESTINATION ${WVSIM_INSTALL_INCLUDEDIR}/sim
        FILES_MATCHING PATTERN "*.h" PATTERN "internal" EXCLUDE)
# A model's internal/ directories are its runtime's machinery: no public model header includes
# them, and they are not installed.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/model/ DESTINATION ${WVSIM_INSTALL_INCLUDEDIR}/model
        FILES_MATCHING PATTERN "*.h" PATTERN "internal" EXCLUDE)
# The testing API: its one public header; wvsim/internal/ is the library's own.
set(WVSIM_INSTALL_TESTING ${WVSIM_BUILD_TESTS})
if(WVSIM_INSTALL_TESTING)
  list(APPEND WVSIM_INSTALLED_TARGETS wvsim_testing)
  install(FILES ${PROJECT_SOURCE_DIR}/testing/wvsim/testing.h
          DESTINATION ${WVSIM_INSTALL_INCLUDEDIR}/wvsim)
endif()

install(TARGETS ${WVSIM_INSTALLED_TARGETS} EXPORT wvsimTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS wvsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT wvsimTargets NAMESPACE wvsim:: DESTINATION ${WVSIM_INSTALL_CMAKEDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/wvsimConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/wvsimConfig.cmake
                              INSTALL_DESTINATION ${WVSIM_INSTALL_CMAKEDIR})
# 0.x: a minor version may break the API, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/wvsimConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/wvsimConfig.cmake ${PROJECT_BINARY_DIR}/wvsimConfigVersion.cmake
        DESTINATION ${WVSIM_INSTALL_CMAKEDIR})
