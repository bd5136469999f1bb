# Build hardening, sanitizers and assertions for every target of the project.
# Included by CMakeLists.txt before the targets are declared, so that these
# flags reach palabre_core, the binaries and the unit tests alike.
#
#   PALABRE_SANITIZE=ON  AddressSanitizer + UndefinedBehaviorSanitizer (gcc or
#                        clang), for the tests' build-asan; no _FORTIFY_SOURCE,
#                        which ASan's own interceptors replace.
#   PALABRE_ASSERTS=ON   keep assert() in optimised builds: no -DNDEBUG, so that
#                        assert_hub_thread() and friends run in the tests.
#
# Otherwise, and always in Release: stack protector, _FORTIFY_SOURCE=2 (it
# needs optimisation, so not in Debug), full RELRO and PIE.
# cmake/check-hardening checks the result on the binaries (ctest: hardening).

option(PALABRE_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(PALABRE_ASSERTS "Keep assert() on in optimised builds (no -DNDEBUG)" OFF)

# PIE for every build: -fPIE/-fPIC when compiling, -pie when linking (the
# latter needs check_pie_supported() under policy CMP0083).
include(CheckPIESupported)
check_pie_supported()
set(CMAKE_POSITION_INDEPENDENT_CODE ON)

if(PALABRE_ASSERTS)
  foreach(config RELEASE RELWITHDEBINFO MINSIZEREL)
    string(REGEX REPLACE "(^| )[-/]DNDEBUG( |$)" " " CMAKE_CXX_FLAGS_${config} "${CMAKE_CXX_FLAGS_${config}}")
  endforeach()
endif()

if(PALABRE_SANITIZE)
  # -fno-sanitize-recover: an undefined behaviour stops the process like an
  # ASan error does, so a test cannot pass with one in a log.
  set(PALABRE_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer
      -fno-sanitize-recover=undefined)
  add_compile_options(${PALABRE_SANITIZER_FLAGS})
  add_link_options(${PALABRE_SANITIZER_FLAGS})
else()
  add_compile_options(-fstack-protector-strong)
  if(NOT CMAKE_BUILD_TYPE STREQUAL "Debug")
    # -U first: Debian's gcc defines nothing, but another compiler or a
    # CXXFLAGS may define another level.
    add_compile_options(-U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2)
  endif()
  add_link_options(-Wl,-z,relro -Wl,-z,now)
endif()
