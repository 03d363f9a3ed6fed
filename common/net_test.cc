#include "common/net.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace pdps::net {
namespace {

// A port taken by another listener is named as the system names it; a free one is not.
TEST(BindProblem, SaysWhyAnAddressCannotBeBound) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof(a);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  const std::string taken = "127.0.0.1:" + std::to_string(ntohs(a.sin_port));
  EXPECT_EQ(BindProblem(taken), "Address already in use");
  close(fd);
  EXPECT_EQ(BindProblem(taken), "");
  EXPECT_EQ(BindProblem("127.0.0.1:0"), "");
  // An address this machine does not have.
  EXPECT_EQ(BindProblem("192.0.2.1:7001"), "Cannot assign requested address");
}

}  // namespace
}  // namespace pdps::net
