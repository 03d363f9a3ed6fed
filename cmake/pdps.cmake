# Helpers shared by every service's CMakeLists.txt.

# pdps_proto_library(NAME ROOT dir PROTOS a/b.proto ... DEPS other_proto_lib)
# Compiles .proto files (paths relative to ROOT, as they are imported) into a static
# library with message and gRPC stubs. Generated code goes to ${CMAKE_BINARY_DIR}/gen.
function(pdps_proto_library name)
  cmake_parse_arguments(ARG "" "ROOT" "PROTOS;DEPS" ${ARGN})
  set(gen ${CMAKE_BINARY_DIR}/gen)
  file(MAKE_DIRECTORY ${gen})
  get_target_property(grpc_plugin gRPC::grpc_cpp_plugin LOCATION)
  set(srcs)
  foreach(p ${ARG_PROTOS})
    string(REGEX REPLACE "\\.proto$" "" base ${p})
    set(out ${gen}/${base}.pb.cc ${gen}/${base}.pb.h ${gen}/${base}.grpc.pb.cc ${gen}/${base}.grpc.pb.h)
    add_custom_command(
      OUTPUT ${out}
      COMMAND protobuf::protoc
        -I ${ARG_ROOT} -I ${PDPS_SOURCE_DIR}/protos -I ${PDPS_GOOGLEAPIS_DIR}
        --cpp_out=${gen} --grpc_out=${gen} --plugin=protoc-gen-grpc=${grpc_plugin}
        ${ARG_ROOT}/${p}
      DEPENDS ${ARG_ROOT}/${p} protobuf::protoc
      COMMENT "protoc ${p}")
    list(APPEND srcs ${gen}/${base}.pb.cc ${gen}/${base}.grpc.pb.cc)
  endforeach()
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} PUBLIC ${gen})
  target_link_libraries(${name} PUBLIC protobuf::libprotobuf gRPC::grpc++ ${ARG_DEPS})
  target_compile_options(${name} PRIVATE -w)
endfunction()

# pdps_test(NAME SOURCES ... LIBS ... [DB] [SUITES a b ...]) registers a GoogleTest binary
# with ctest. DB tests require the throwaway PostgreSQL cluster fixture started by
# tests/pg. With SUITES, each test suite is its own ctest entry (NAME.<suite>), so slow
# suites run in parallel under `ctest -j`.
function(pdps_test name)
  cmake_parse_arguments(ARG "DB" "" "SOURCES;LIBS;SUITES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  set(tests)
  if(ARG_SUITES)
    foreach(suite ${ARG_SUITES})
      add_test(NAME ${name}.${suite} COMMAND ${name} --gtest_filter=${suite}.*)
      list(APPEND tests ${name}.${suite})
    endforeach()
    add_test(NAME ${name}.suites_listed
             COMMAND bash ${PDPS_SOURCE_DIR}/cmake/check_suites.sh $<TARGET_FILE:${name}> ${ARG_SUITES})
  else()
    add_test(NAME ${name} COMMAND ${name})
    list(APPEND tests ${name})
  endif()
  set(env "PDPS_SOURCE_DIR=${PDPS_SOURCE_DIR};PDPS_BINARY_DIR=${CMAKE_BINARY_DIR}")
  if(ARG_DB)
    list(APPEND env "PDPS_TEST_PG_ENV=${CMAKE_BINARY_DIR}/test-pg/env")
    set_tests_properties(${tests} PROPERTIES FIXTURES_REQUIRED pg)
  endif()
  set_tests_properties(${tests} PROPERTIES TIMEOUT 600 ENVIRONMENT "${env}")
endfunction()
