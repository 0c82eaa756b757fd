#include "models/probe/ProbeModel.hpp"

#include <algorithm>
#include <set>

#include <simgrid/Exception.hpp>
#include <simgrid/s4u.hpp>

#include "models/probe/ProbeTracker.hpp"
#include "sim/core/Rng.hpp"
#include "sim/run/RunContext.hpp"

namespace outagesim::probe {

namespace sg4 = simgrid::s4u;
using sim::EntityKind;
using sim::RunContext;

namespace {

struct Outcome {
  bool ok = false;
  double rtt = 0;
  std::string reason;
  std::uint64_t cause = 0;
};

class ProbeModel : public sim::Model {
public:
  void start(RunContext& ctx) override {
    const auto& p = ctx.params("probe");
    interval_ = p.number("interval");
    timeout_ = p.number("timeout");
    bytes_ = static_cast<std::uint64_t>(p.number("request_size"));
    auto& w = ctx.world();
    std::vector<std::size_t> regions;
    for (std::size_t i = 0; i < w.node_count(); ++i)
      if (w.node(i).kind == EntityKind::Region) regions.push_back(i);
    if (regions.empty() || ctx.scenario().services.empty()) return;
    for (std::size_t r : regions) {
      // Each region starts at its own seeded offset within the first interval, so probes of
      // different regions do not all fire at the same instant.
      auto rng = ctx.rng("probe/" + w.node(r).id);
      double offset = sim::uniform01(rng) * interval_;
      sg4::Actor::create("probe/" + w.node(r).id, w.host(r), [this, &ctx, r, offset] {
        sg4::Actor::self()->daemonize();
        loop(ctx, r, offset);
      });
    }
    ctx.on_sample([this, &ctx, regions](double start, double) {
      for (std::size_t r : regions)
        for (const auto& sv : ctx.scenario().services) {
          const std::string& region = ctx.world().node(r).id;
          double rtt = -1;
          double a = tracker_.close_interval(region, sv.id, &rtt);
          ctx.timeline().add(start, region, sv.id, "availability", a);
          if (rtt >= 0) ctx.timeline().add(start, region, sv.id, "rtt_ms", rtt * 1000.0);
        }
    });
  }

private:
  void loop(RunContext& ctx, std::size_t region, double offset) {
    auto& w = ctx.world();
    const std::string& region_id = w.node(region).id;
    sg4::this_actor::sleep_for(offset);
    while (true) {
      double round_start = sg4::Engine::get_clock();
      for (const auto& sv : ctx.scenario().services) {
        Outcome o = probe(ctx, region, sv);
        auto change = tracker_.record(region_id, sv.id, o.ok, o.rtt);
        if (change && !(*change == ProbeTracker::State::Up && !lost_.count({region, sv.id}))) {
          nlohmann::ordered_json data;
          data["service"] = sv.id;
          if (*change == ProbeTracker::State::Down) {
            lost_.insert({region, sv.id});
            ctx.emit("service.lost", w.node(region).path(), sv.id + ": " + o.reason, o.cause, data);
          } else {
            lost_.erase({region, sv.id});
            data["rtt_ms"] = o.rtt * 1000.0;
            ctx.emit("service.restored", w.node(region).path(), sv.id + ": " + o.reason, o.cause, data);
          }
        }
      }
      double next = round_start + interval_;
      if (next > ctx.end()) return;
      sg4::this_actor::sleep_until(next);
    }
  }

  Outcome probe(RunContext& ctx, std::size_t region, const sim::ServiceSpec& sv) {
    auto& w = ctx.world();
    // The nearest datacenter of the service the region can reach now.
    std::optional<sim::NetPath> best;
    std::string best_dc;
    for (const auto& dc : sv.served_from) {
      auto p = w.shortest_path(region, *w.find_node(dc));
      if (p && (!best || p->latency < best->latency)) {
        best = p;
        best_dc = dc;
      }
    }
    Outcome o;
    if (!best) {
      // Explain with the failed elements that cut the region off from the nearest datacenter.
      std::vector<std::string> cut = w.cut_from(region, *w.find_node(sv.served_from.front()));
      o.reason = "no path to any datacenter of the service";
      if (!cut.empty()) {
        o.reason += "; cut off by ";
        for (std::size_t i = 0; i < cut.size() && i < 4; ++i)
          o.reason += (i ? ", " : "") + cut[i];
        if (cut.size() > 4) o.reason += " and " + std::to_string(cut.size() - 4) + " more";
        std::uint64_t latest = 0;
        for (const auto& c : cut)
          latest = std::max(latest, w.last_change(c));
        o.cause = latest;
      }
      return o;
    }
    double t0 = sg4::Engine::get_clock();
    const auto& nodes = best->nodes;
    try {
      const auto& links = best->links;
      for (std::size_t i = 0; i < links.size(); ++i)
        w.send_over(links[i], nodes[i], bytes_);
      for (std::size_t i = links.size(); i > 0; --i)
        w.send_over(links[i - 1], nodes[i], bytes_);
    } catch (const simgrid::Exception&) {
      o.reason = "transfer to " + best_dc + " failed in flight";
      for (std::size_t li : best->links)
        if (!w.link_up(li)) {
          o.reason += " (" + w.link(li).path() + " went down)";
          o.cause = w.last_change(w.link(li).path());
          break;
        }
      return o;
    }
    o.rtt = sg4::Engine::get_clock() - t0;
    if (o.rtt > timeout_) {
      o.reason = "round trip to " + best_dc + " took longer than the timeout";
      return o;
    }
    o.ok = true;
    o.reason = "reached " + best_dc + " over " + std::to_string(best->links.size()) + " links";
    // The latest state change on the way is what opened it (the cause when the region comes back).
    for (std::size_t li : best->links)
      o.cause = std::max(o.cause, w.last_change(w.link(li).path()));
    for (std::size_t n : nodes)
      o.cause = std::max(o.cause, w.last_change(w.node(n).path()));
    return o;
  }

  double interval_ = 30, timeout_ = 5;
  std::uint64_t bytes_ = 1000;
  ProbeTracker tracker_;
  std::set<std::pair<std::size_t, std::string>> lost_;
};

} // namespace

sim::ModelInfo probe_model_info() {
  sim::ModelInfo m;
  m.name = "probe";
  m.doc = "User regions probe every service over the platform (nearest reachable datacenter, hop by hop); "
          "records availability per region and service.";
  m.params = {
      {"interval", sim::ParamType::Duration, "30s", "s", "time between two probes of a service from a region",
       0.1, 86400},
      {"timeout", sim::ParamType::Duration, "5s", "s", "round-trip time past which a probe counts as failed",
       0.001, 3600},
      {"request_size", sim::ParamType::Integer, "1000", "bytes", "size of a probe and of its answer", 1, 1e9},
  };
  m.events = {
      {"service.lost", "region", "a region's probes of a service fail"},
      {"service.restored", "region", "they succeed again"},
  };
  m.create = [](const sim::ModelConfig&) { return std::make_unique<ProbeModel>(); };
  return m;
}

} // namespace outagesim::probe
