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

# pdps_test(NAME SOURCES ... LIBS ... [DB]) registers a GoogleTest binary with ctest.
# DB tests require the throwaway PostgreSQL cluster fixture started by tests/pg.
function(pdps_test name)
  cmake_parse_arguments(ARG "DB" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES TIMEOUT 600
    ENVIRONMENT "PDPS_SOURCE_DIR=${PDPS_SOURCE_DIR};PDPS_BINARY_DIR=${CMAKE_BINARY_DIR}")
  if(ARG_DB)
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED pg
      ENVIRONMENT "PDPS_SOURCE_DIR=${PDPS_SOURCE_DIR};PDPS_BINARY_DIR=${CMAKE_BINARY_DIR};PDPS_TEST_PG_ENV=${CMAKE_BINARY_DIR}/test-pg/env")
  endif()
endfunction()
