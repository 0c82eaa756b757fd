#include <catch2/catch.hpp>

#include "sim/core/Rng.hpp"
#include "sim/core/Time.hpp"

using namespace outagesim::sim;

TEST_CASE("durations carry units", "[time]") {
  CHECK(*parse_duration("90s") == 90);
  CHECK(*parse_duration("15m") == 900);
  CHECK(*parse_duration("6h") == 21600);
  CHECK(*parse_duration("1d") == 86400);
  CHECK(*parse_duration("250ms") == Approx(0.25));
  CHECK(*parse_duration("1h30m") == 5400);
  CHECK(*parse_duration("15m40s") == 940);
  CHECK(*parse_duration("0") == 0);
  CHECK(*parse_duration("0.5s") == 0.5);
  CHECK_FALSE(parse_duration("90"));
  CHECK_FALSE(parse_duration("-5s"));
  CHECK_FALSE(parse_duration("5x"));
  CHECK_FALSE(parse_duration(""));
  CHECK_FALSE(parse_duration("s"));
  CHECK_FALSE(parse_duration("1..5s"));
}

TEST_CASE("UTC times parse and format both ways", "[time]") {
  auto t = parse_utc("2021-10-04T15:39:00Z");
  REQUIRE(t);
  CHECK(*t == 1633361940);
  CHECK(format_utc(double(*t)) == "2021-10-04T15:39:00Z");
  CHECK(format_utc(double(*t) + 0.25) == "2021-10-04T15:39:00.250Z");
  CHECK(*parse_utc("2021-10-04T15:39Z") == 1633361940);
  CHECK(*parse_utc("2020-02-29T00:00:00Z") == 1582934400);
  CHECK_FALSE(parse_utc("2021-02-29T00:00:00Z"));
  CHECK_FALSE(parse_utc("2021-13-01T00:00:00Z"));
  CHECK_FALSE(parse_utc("2021-10-04T15:39:00"));
  CHECK_FALSE(parse_utc("2021-10-04T24:00:00Z"));
  CHECK_FALSE(parse_utc("yesterday"));
}

TEST_CASE("durations format compactly", "[time]") {
  CHECK(format_duration(0) == "0s");
  CHECK(format_duration(5400) == "1h30m");
  CHECK(format_duration(940) == "15m40s");
  CHECK(format_duration(0.25) == "0.25s");
  CHECK(format_duration(90000) == "1d1h");
}

TEST_CASE("random streams depend only on the seed and the name", "[time][rng]") {
  auto a = rng_stream(1, "probe/x");
  auto b = rng_stream(1, "probe/x");
  auto c = rng_stream(2, "probe/x");
  auto d = rng_stream(1, "probe/y");
  auto va = a();
  CHECK(va == b());
  CHECK(va != c());
  CHECK(va != d());
  for (int i = 0; i < 1000; ++i) {
    double u = uniform01(a);
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
  }
}
