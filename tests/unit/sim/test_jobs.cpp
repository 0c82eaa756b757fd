// The job runner's limits and the sweep's value lists (the runs themselves are tested end to end in
// tests/jobs/).
#include <catch2/catch.hpp>

#include "sim/compare/JobRunner.hpp"
#include "sim/compare/Sweep.hpp"

using namespace outagesim::sim;

TEST_CASE("run limits parse with units", "[jobs]") {
  CHECK(parse_run_timeout("90s") == 90);
  CHECK(parse_run_timeout("6h") == 21600);
  CHECK(parse_run_timeout("none") == 0);
  CHECK(parse_run_timeout("soon") < 0);
  CHECK(parse_run_timeout("90") < 0); // a unit is required
  CHECK(parse_run_memory("512MiB") == 512.0 * 1024 * 1024);
  CHECK(parse_run_memory("4G") == 4.0 * 1024 * 1024 * 1024);
  CHECK(parse_run_memory("2GB") == 2e9);
  CHECK(parse_run_memory("none") == 0);
  CHECK(parse_run_memory("-1GiB") < 0);
  CHECK(parse_run_memory("lots") < 0);
  CHECK(parse_run_memory("1 GiB") < 0);
}

TEST_CASE("sweep --vary lists and ranges", "[jobs]") {
  std::string error;
  auto a = parse_vary("models.dns.serve_stale=false,true", error);
  REQUIRE(a);
  CHECK(a->key == "models.dns.serve_stale");
  CHECK(a->values == std::vector<std::string>{"false", "true"});

  // Numbers: the end is included when a step lands on it, without float noise.
  auto r = parse_vary("x=0..1:0.1", error);
  REQUIRE(r);
  REQUIRE(r->values.size() == 11);
  CHECK(r->values[3] == "0.3");
  CHECK(r->values.back() == "1");
  auto odd = parse_vary("x=0..1:0.3", error);
  REQUIRE(odd);
  CHECK(odd->values == std::vector<std::string>{"0", "0.3", "0.6", "0.9"});

  // Durations keep their units.
  auto d = parse_vary("ttl=1m..10m:3m", error);
  REQUIRE(d);
  CHECK(d->values == std::vector<std::string>{"1m", "4m", "7m", "10m"});
  auto l = parse_vary("ttl=5m,1h,1d", error);
  REQUIRE(l);
  CHECK(l->values.size() == 3);

  for (const char* bad :
       {"ttl", "=1", "x=", "x=1..0:1", "x=0..1:0", "x=0..1", "x=a,,b", "x=a,a", "x=1m..1h:5"}) {
    error.clear();
    CHECK_FALSE(parse_vary(bad, error));
    CHECK(error.find("expected") != std::string::npos);
  }
  CHECK_FALSE(parse_vary("x=0..100000:1", error, 1000));
}

TEST_CASE("sweep points: every combination, the first key slowest", "[jobs]") {
  std::vector<VaryAxis> axes = {{"a", {"1", "2"}}, {"b", {"x", "y", "z"}}};
  auto p = sweep_points(axes);
  REQUIRE(p.size() == 6);
  CHECK(p[0] == std::vector<std::string>{"a=1", "b=x"});
  CHECK(p[2] == std::vector<std::string>{"a=1", "b=z"});
  CHECK(p[3] == std::vector<std::string>{"a=2", "b=x"});

  // KEY1+KEY2: both keys take each value together.
  std::string error;
  auto linked = parse_vary("ttl.a+ttl.b=1m,1h", error);
  REQUIRE(linked);
  auto q = sweep_points({*linked});
  REQUIRE(q.size() == 2);
  CHECK(q[1] == std::vector<std::string>{"ttl.a=1h", "ttl.b=1h"});
  CHECK_FALSE(parse_vary("ttl.a+=1m", error));
}
