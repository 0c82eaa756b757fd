#include "models/users/UsersModel.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>

#include "models/users/UserCohort.hpp"
#include "models/users/UsersConfig.hpp"
#include "sim/run/RunContext.hpp"

namespace outagesim::users {

using sim::RunContext;
using sim::World;

namespace {

struct RegionState {
  std::string id;
  double population;
  double utc_offset;
  std::optional<std::uint32_t> asn;
};

struct CohortState {
  std::size_t region; // index into regions_
  std::size_t app;
  std::size_t service; // index into scenario services
  UserCohort cohort;
  double lost_dns_at = -1; // when the region lost every DNS site (resolver caches age from then)
  bool down = false;       // availability below 50 % (an event marks each change)
  double logged_rate = -1; // requests per online user last shown by --log users=debug
  // Sums over the current sample interval (value x seconds).
  double avail = 0, online = 0, attempts = 0, good = 0, dns = 0, reports = 0, time = 0;
  double rtt = 0, rtt_time = 0; // round trip of the AS path (s x s) over the time it was delivered
  // Its timeline series (availability, users.active, route.rtt_ms), interned on first record.
  std::array<sim::Timeline::SeriesId, 3> series{kNoSeries, kNoSeries, kNoSeries};
  static constexpr sim::Timeline::SeriesId kNoSeries = ~sim::Timeline::SeriesId(0);
};

// The users model's config for a run: its section, parsed once at load.
struct UsersModelConfig : sim::ModelConfig {
  explicit UsersModelConfig(UsersSpec s) : users(std::move(s)) {}
  UsersSpec users;
};

class UsersModel : public sim::Model, public sim::ServingService::Demand {
public:
  explicit UsersModel(const UsersModelConfig& config) : spec_(config.users) {}

  void start(RunContext& ctx) override {
    // Offered by the serving side's start(), which runs before this one (ModelInfo::needs).
    serving_ = ctx.serving();
    if (!serving_) return;
    ctx_ = &ctx;
    if (spec_.diurnal) curve_ = DiurnalCurve(*spec_.diurnal);
    World& w = ctx.world();
    for (const auto& id : spec_.regions) {
      const auto& node = w.node(*w.find_node("region:" + id));
      regions_.push_back({id, node.population, node.utc_offset_h, node.asn});
    }
    const auto& services = ctx.scenario().services;
    std::vector<sim::ServingService::Flow> flows;
    for (std::size_t r = 0; r < regions_.size(); ++r)
      for (std::size_t a = 0; a < spec_.apps.size(); ++a) {
        const AppSpec& app = spec_.apps[a];
        std::size_t sv =
            static_cast<std::size_t>(std::find_if(services.begin(), services.end(),
                                                  [&](const auto& x) { return x.id == app.service; }) -
                                     services.begin());
        // Cohort c is flow c of the serving side.
        cohorts_.push_back({r, a, sv, UserCohort(app, regions_[r].population)});
        flows.push_back({regions_[r].id, app.service});
      }
    serving_->attach(*this, std::move(flows));
    ctx.on_sample([this, &ctx](double a, double b) { sample(ctx, a, b); });
  }

  void finish(RunContext& ctx) override {
    if (!ctx_) return; // never attached: no users ran
    std::map<std::string, double> reports;
    double total = 0;
    for (const auto& c : cohorts_) {
      reports[spec_.apps[c.app].service] += c.cohort.reports();
      total += c.cohort.reports();
    }
    for (const auto& [service, n] : reports)
      ctx.add_signal({"users.reports_total", "service:" + service, "number", std::round(n)});
    // For the services whose users are routed over BGP (runs without BGP have no such signal).
    for (const auto& [sv, peak] : hijacked_peak_)
      ctx.add_signal({"traffic.hijacked_share", "service:" + ctx.scenario().services[sv].id, "ratio",
                      std::round(peak * 1e4) / 1e4});
    ctx.add_signal({"users.reports_total", "service:all", "number", std::round(total)});
  }

  // Stepped by the serving side (the datacenter model's actor) once per tick, between its
  // datacenters' state changes and the load they take: see ServingService.
  void step(double now, double dt) override {
    RunContext& ctx = *ctx_;
    sim::NameService* names = ctx.names();
    sim::RouteService* bgp = ctx.routes();
    double epoch = double(ctx.scenario().info.start_epoch) + now;
    std::vector<double> diurnal(regions_.size());
    for (std::size_t r = 0; r < regions_.size(); ++r)
      diurnal[r] = curve_.at(DiurnalCurve::local_hour(epoch, regions_[r].utc_offset));
    const auto& services = ctx.scenario().services;
    // Per service: the population whose traffic an unauthorised origin attracts, and the routed one.
    std::map<std::size_t, std::array<double, 2>> hijacked;
    for (std::size_t c = 0; c < cohorts_.size(); ++c) {
      auto& co = cohorts_[c];
      const AppSpec& app = spec_.apps[co.app];
      const RegionState& region = regions_[co.region];
      const sim::ServingAnswer sa = serving_->serving(c);
      // DNS: the DNS model when it runs; else resolvers answer from their caches once no DNS site is
      // reachable (entries expire over one TTL; serve-stale resolvers keep answering).
      double dns_ok = 1, dns_hijacked = 0;
      std::uint64_t cause = sa.cause;
      // Why the cohort fares as it does: which answer explains it, spelt out only when an event or a
      // debug line needs it (the last of these that applies wins).
      enum class Why { Serving, Resolution, Route, Loss, Refusal } why_from = Why::Serving;
      sim::NameService::Outcome o;
      if (names) {
        o = names->resolve(region.id, app.name);
        dns_ok = o.success;
        dns_hijacked = o.hijacked;
        if (o.success < 1 && o.cause) cause = o.cause;
        if (o.success < 0.5) why_from = Why::Resolution;
      } else if (!sa.dns_reach) {
        if (co.lost_dns_at < 0) co.lost_dns_at = now;
        double cached = std::max(0.0, 1 - (now - co.lost_dns_at) / app.dns_ttl);
        dns_ok = 0;
        for (const auto& res : spec_.resolvers)
          dns_ok += res.share * (res.serve_stale ? 1.0 : cached);
      } else {
        co.lost_dns_at = -1;
      }
      double reach = sa.reached() ? 1 : 0;
      const bool routed = reach > 0 && bgp && region.asn && sa.address;
      sim::RouteAnswer ans;
      if (routed) {
        // The one verdict of the data plane (RouteAnswer): served only where the packet reaches an
        // authorised origin, in the share a congested transit AS on the way lets through.
        ans = bgp->route_lookup(*region.asn, sa.address);
        reach = ans.served_share();
        if (!ans.delivered_to_owner()) {
          why_from = Why::Route;
          if (ans.cause) cause = ans.cause;
        } else {
          if (reach < 0.5) why_from = Why::Loss;
          if (reach < 1 && ans.cause) cause = ans.cause;
          co.rtt += 2 * ans.latency_s * dt;
          co.rtt_time += dt;
        }
      }
      // A region's users on the routed Internet count; an unauthorised origin attracts their traffic
      // when it attracts their requests (the route to the edge ends at or passes a hijacker) or, for
      // the share it attracts, their DNS queries (a hijack of the name's servers, as of Route 53's
      // prefixes in April 2018: the queries, not the web requests, went to the hijacker).
      if (bgp && region.asn) {
        auto& h = hijacked[co.service];
        h[1] += region.population;
        h[0] += region.population * (routed && ans.hijacker ? 1.0 : dns_hijacked);
      }
      const double admit = sa.admitted, serve = sa.served;
      if (reach > 0 && !sa.refusal.empty()) {
        why_from = Why::Refusal;
        cause = sa.datacenter_event;
      }
      const auto why = [&]() -> std::string {
        switch (why_from) {
        case Why::Resolution:
          return app.name + ": resolution fails (" + o.failure_answer + ")";
        case Why::Route:
          return ans.reason;
        case Why::Loss:
          return ans.loss;
        case Why::Refusal:
          return sa.refusal;
        case Why::Serving:
          break;
        }
        return sa.why;
      };
      double p = dns_ok * reach * admit * serve;
      UserCohort::Step st = co.cohort.step(dt, diurnal[co.region], dns_ok, p);
      // --log users=debug: a cohort's retry rate, each time it moves by more than 10 %.
      if (log_->should_log(spdlog::level::debug) && st.online > 0) {
        double rate = st.attempts / st.online;
        if (co.logged_rate < 0 || std::abs(rate - co.logged_rate) > 0.1 * co.logged_rate) {
          log_->debug("region:{} {}: {:.3g} requests/s per online user (retries included), {:.3g} requests/s, "
                      "{:.0f} % answered, DNS {:.0f} % ok{}{}",
                      region.id, app.name, rate, st.attempts, p * 100, dns_ok * 100, why().empty() ? "" : "; ", why());
          co.logged_rate = rate;
        }
      }
      serving_->offer_load(c, st.attempts * dns_ok * reach * admit);
      // What the requests that resolved put on the way (retries included: they load the network too).
      if (routed)
        bgp->offer_traffic(ans, st.attempts * dns_ok * app.bytes_per_request * 8);
      if (names) names->set_demand(region.id, app.name, st.dns_queries);
      co.avail += p * dt;
      co.online += st.online * dt;
      co.attempts += st.attempts * dt;
      co.good += st.good * dt;
      co.dns += st.dns_queries * dt;
      co.reports += st.new_reports;
      co.time += dt;
      // A region losing or regaining a service is an event, with its reason and cause.
      bool down = p < 0.5;
      if (down != co.down) {
        co.down = down;
        nlohmann::ordered_json data;
        data["service"] = services[co.service].id;
        data["availability"] = std::round(p * 1000) / 1000;
        if (down)
          ctx.emit("users.service_lost", "region:" + region.id, services[co.service].id + ": " + why(), cause,
                   data);
        else
          ctx.emit("users.service_restored", "region:" + region.id, services[co.service].id + ": works again",
                   sa.datacenter_event, data);
      }
    }
    // traffic.hijacked_share: the population share whose traffic (requests or DNS queries) an
    // unauthorised origin attracts.
    for (const auto& [sv, h] : hijacked) {
      double& peak = hijacked_peak_[sv];
      if (h[1] > 0) peak = std::max(peak, h[0] / h[1]);
    }
  }

private:
  void sample(RunContext& ctx, double start, double) {
    auto& tl = ctx.timeline();
    const auto& services = ctx.scenario().services;
    std::map<std::size_t, std::array<double, 4>> per_service; // attempts, good, dns, reports
    for (auto& co : cohorts_) {
      if (co.time <= 0) continue;
      // A series is interned when first recorded (one never recorded stays out of the timeline).
      const auto series = [&](std::size_t k, const char* metric) {
        if (co.series[k] == CohortState::kNoSeries)
          co.series[k] = tl.series_id(regions_[co.region].id, services[co.service].id, metric);
        return co.series[k];
      };
      tl.add(start, series(0, "availability"), co.avail / co.time);
      tl.add(start, series(1, "users.active"), std::round(co.online / co.time));
      if (co.rtt_time > 0)
        tl.add(start, series(2, "route.rtt_ms"), std::round(co.rtt / co.rtt_time * 1e4) / 10);
      auto& acc = per_service[co.service];
      acc[0] += co.attempts / co.time;
      acc[1] += co.good / co.time;
      acc[2] += co.dns / co.time;
      acc[3] += co.reports;
      co.avail = co.online = co.attempts = co.good = co.dns = co.reports = co.time = co.rtt = co.rtt_time = 0;
    }
    for (const auto& [sv, acc] : per_service) {
      tl.add(start, "", services[sv].id, "requests", std::round(acc[0]));
      tl.add(start, "", services[sv].id, "requests.good", std::round(acc[1]));
      tl.add(start, "", services[sv].id, "dns.queries", std::round(acc[2]));
      tl.add(start, "", services[sv].id, "users.reports", std::round(acc[3]));
    }
  }

  const UsersSpec& spec_; // held by the scenario for the run
  std::shared_ptr<spdlog::logger> log_ = sim::logger("users");
  RunContext* ctx_ = nullptr; // set once attached to a ServingService
  sim::ServingService* serving_ = nullptr;
  DiurnalCurve curve_;
  std::vector<RegionState> regions_;
  std::vector<CohortState> cohorts_;
  std::map<std::size_t, double> hijacked_peak_; // service index -> peak traffic.hijacked_share
};

} // namespace

sim::ModelInfo users_model_info() {
  sim::ModelInfo m;
  m.name = "users";
  m.doc = "Users of the services as cohorts per region and app (diurnal activity, resolver mix, retries and "
          "back-off, reports, switching) who record availability; served by the datacenter model, stepped "
          "at its tick; reads the users: section.";
  m.sections = {users_section_key()};
  m.signals = users_signal_decls();
  m.needs = {sim::service::kServing};
  m.uses = {sim::service::kNames, sim::service::kRoutes};
  m.events = {
      {"users.service_lost", "region", "a region's users lose a service (availability below 50 %)"},
      {"users.service_restored", "region", "the service works again for them"},
  };
  m.configure = [](const sim::Scenario& s, sim::Diagnostics& d) -> std::shared_ptr<const sim::ModelConfig> {
    UsersSpec u = read_users(s, d);
    if (!u.present) return nullptr; // no users section: nothing to model
    return std::make_shared<const UsersModelConfig>(std::move(u));
  };
  m.signal_subjects = [](const sim::ModelConfig& c) {
    std::vector<std::string> out = {"service:all"};
    for (const auto& app : sim::config_as<UsersModelConfig>(c).users.apps)
      out.push_back("service:" + app.service);
    return out;
  };
  m.create = [](const sim::ModelConfig& c) {
    return std::make_unique<UsersModel>(sim::config_as<UsersModelConfig>(c));
  };
  return m;
}

} // namespace outagesim::users
