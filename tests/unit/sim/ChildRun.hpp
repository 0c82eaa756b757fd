#pragma once
// Runs a piece of a test in a child process and hands its text back: SimGrid allows one engine per
// process, so every whole-run test forks. `body` returns the text, or nullopt after printing why.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace outagesim::test {

inline std::string in_child(const std::function<std::optional<std::string>()>& body) {
  char path[] = "/tmp/outagesim-child-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  std::cout.flush(); // the child must not print the parent's buffered output again
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int code = 1;
    try {
      if (auto text = body()) {
        std::ofstream out(path, std::ios::binary);
        out << *text;
        code = out ? 0 : 1;
      }
    } catch (...) {
    }
    _exit(code);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::remove(path);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return ss.str();
}

} // namespace outagesim::test
