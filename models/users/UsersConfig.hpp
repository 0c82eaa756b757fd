#pragma once
// The users model's scenario section, read and validated once (MapReader: unknown keys are errors
// with the valid ones listed):
//
//   users:                       # people: regions, apps, resolvers (the model then owns availability)
//     regions: [pacific, atlantic]        # default: every topology region
//     diurnal: [24 shares by local hour]   # default: DiurnalCurve()
//     resolvers: [{kind: isp, share: 0.7}, {kind: public, share: 0.3, serve_stale: true}]
//     apps: [{service: social, name: social.example, adoption: 0.6, ...AppSpec fields}]
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "models/users/UserCohort.hpp"
#include "sim/scenario/Scenario.hpp"

#include "sim/core/SignalDecl.hpp"
#include "sim/scenario/Keys.hpp"

namespace outagesim::users {

/// A share of users behind one kind of resolver.
struct ResolverShare {
  std::string kind;
  double share = 1;
  bool serve_stale = false; ///< answers from an expired cache when the authoritative servers are gone
};

struct UsersSpec {
  bool present = false;
  std::vector<std::string> regions; ///< region ids
  std::optional<std::array<double, 24>> diurnal;
  std::vector<ResolverShare> resolvers = {{"isp", 1, false}};
  std::vector<AppSpec> apps;
  sim::Mark mark;
};

/// Reads and checks the `users` section; problems go to `d`.
UsersSpec read_users(const sim::Scenario& s, sim::Diagnostics& d);
/// The `users:` section and its keys, declared once (UsersKeys.cpp).
const sim::KeyDecl& users_section_key();
/// The signals the users model computes (UsersKeys.cpp).
const std::vector<sim::SignalDecl>& users_signal_decls();

} // namespace outagesim::users
