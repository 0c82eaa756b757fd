#include <catch2/catch.hpp>

#include "models/datacenter/HealthCheck.hpp"

using outagesim::datacenter::HealthCheck;
using T = HealthCheck::Transition;

TEST_CASE("health check withdraws after N failed checks in a row", "[datacenter]") {
  HealthCheck h(3, 2);
  CHECK(h.record(true) == T::None);
  CHECK(h.record(false) == T::FirstFailure);
  CHECK(h.record(false) == T::None);
  CHECK(h.announced());
  CHECK(h.record(false) == T::Withdraw);
  CHECK_FALSE(h.announced());
  CHECK(h.record(false) == T::None); // stays withdrawn, no repeated transition
}

TEST_CASE("health check: a good check resets the failure count", "[datacenter]") {
  HealthCheck h(3, 2);
  h.record(false);
  h.record(false);
  CHECK(h.record(true) == T::None);
  CHECK(h.consecutive_failures() == 0);
  CHECK(h.record(false) == T::FirstFailure);
  CHECK(h.record(false) == T::None);
  CHECK(h.announced());
}

TEST_CASE("health check re-announces after M good checks in a row", "[datacenter]") {
  HealthCheck h(1, 3);
  CHECK(h.record(false) == T::Withdraw); // N = 1: the first failure withdraws
  CHECK(h.record(true) == T::None);
  CHECK(h.record(true) == T::None);
  CHECK(h.record(false) == T::None); // a failure resets the recovery count
  CHECK(h.record(true) == T::None);
  CHECK(h.record(true) == T::None);
  CHECK(h.record(true) == T::Announce);
  CHECK(h.announced());
}
