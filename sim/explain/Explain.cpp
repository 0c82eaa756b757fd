#include "sim/explain/Explain.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "sim/core/Time.hpp"

namespace outagesim::sim {

namespace {

// The service an event of a region is about: data.service, else a "SERVICE: ..." reason.
std::string service_of(const RecordedEvent& e, const std::vector<std::string>& services) {
  if (!e.service.empty()) return e.service;
  for (const auto& s : services)
    if (e.reason.size() > s.size() && e.reason.compare(0, s.size(), s) == 0 && e.reason[s.size()] == ':')
      return s;
  return "";
}

// The service of an event for display: data.service, else a leading "SERVICE: " of its reason.
std::string shown_service(const RecordedEvent& e) {
  if (!e.service.empty()) return e.service;
  auto c = e.reason.find(": ");
  if (c == std::string::npos || c == 0 || e.reason.find(' ') < c) return "";
  return e.reason.substr(0, c);
}

std::string kind_of(const std::string& subject) {
  auto c = subject.find(':');
  return c == std::string::npos ? subject : subject.substr(0, c);
}

// Children of every event (the events that name it as their cause), in id order.
std::vector<std::vector<std::uint64_t>> children_index(const RunRecord& run) {
  std::vector<std::vector<std::uint64_t>> children(run.events.size() + 1);
  for (const auto& e : run.events)
    if (e.cause) children[e.cause].push_back(e.id);
  return children;
}

// Chains from roots to `targets`, one per root, as folded steps; ranked by how many targets each
// root leads to (then by time).
std::vector<Chain> build_chains(const RunRecord& run, const std::vector<const RecordedEvent*>& targets,
                                const std::vector<std::vector<std::uint64_t>>& children) {
  std::map<std::uint64_t, std::vector<const RecordedEvent*>> by_root;
  std::map<std::uint64_t, std::set<std::uint64_t>> on_path_of_root; // every event on a path, per root
  for (const RecordedEvent* t : targets) {
    const RecordedEvent* e = t;
    std::vector<std::uint64_t> path{e->id};
    while (e->cause) {
      e = run.find(e->cause);
      if (!e) break;
      path.push_back(e->id);
    }
    std::uint64_t root = path.back();
    by_root[root].push_back(t);
    on_path_of_root[root].insert(path.begin(), path.end());
  }
  std::vector<Chain> chains;
  for (const auto& [root_id, hits] : by_root) {
    const auto& on_path = on_path_of_root[root_id];
    Chain c;
    c.root = run.find(root_id);
    c.explains = hits.size();
    // Depth-first over groups: the children (on a path) of a group's events, partitioned by type.
    struct Group {
      int depth, indent;
      std::vector<std::uint64_t> members;
    };
    std::vector<Group> stack;
    stack.push_back({0, 0, {root_id}});
    while (!stack.empty()) {
      auto [depth, indent, members] = stack.back();
      stack.pop_back();
      ChainStep s;
      s.depth = depth;
      s.indent = indent;
      for (auto id : members)
        s.on_path.push_back(run.find(id));
      s.event = s.on_path.front();
      const RecordedEvent* first = s.event;
      const RecordedEvent* last = s.event;
      for (const auto* e : s.on_path) {
        if (e->t < first->t) first = e;
        if (e->t > last->t) last = e;
      }
      // Siblings: events of the same type with the same causes that lead elsewhere.
      if (depth > 0) {
        std::set<std::uint64_t> parents;
        for (const auto* e : s.on_path)
          parents.insert(e->cause);
        for (auto p : parents)
          for (auto k : children[p]) {
            const RecordedEvent& e = run.events[k - 1];
            if (e.type != s.event->type || on_path.count(k)) continue;
            ++s.siblings;
            if (e.t < first->t) first = &e;
            if (e.t > last->t) last = &e;
          }
      }
      s.first = first->t;
      s.last = last->t;
      s.first_utc = first->utc;
      s.last_utc = last->utc;
      c.steps.push_back(s);
      // The next groups: children on a path, by type, in order of their first event.
      std::map<std::string, std::vector<std::uint64_t>> next;
      std::vector<std::string> order;
      for (auto id : members)
        for (auto k : children[id]) {
          if (!on_path.count(k)) continue;
          const std::string& type = run.events[k - 1].type;
          if (!next.count(type)) order.push_back(type);
          next[type].push_back(k);
        }
      std::stable_sort(order.begin(), order.end(), [&](const std::string& a, const std::string& b) {
        return *std::min_element(next[a].begin(), next[a].end()) <
               *std::min_element(next[b].begin(), next[b].end());
      });
      // A chain that does not branch reads as a list; each branch is indented under its fork.
      int next_indent = indent + (order.size() > 1 ? 1 : 0);
      for (auto it = order.rbegin(); it != order.rend(); ++it) {
        auto ids = next[*it];
        std::sort(ids.begin(), ids.end());
        stack.push_back({depth + 1, next_indent, ids});
      }
    }
    chains.push_back(std::move(c));
  }
  std::stable_sort(chains.begin(), chains.end(), [](const Chain& a, const Chain& b) {
    if (a.explains != b.explains) return a.explains > b.explains;
    return a.root->id < b.root->id;
  });
  return chains;
}

std::string shorten(const std::string& s, std::size_t n) {
  if (s.size() <= n) return s;
  std::size_t cut = n;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
    --cut; // UTF-8 boundary
  return s.substr(0, cut) + "...";
}

} // namespace

std::optional<double> parse_at(const std::string& text, std::int64_t start_epoch) {
  if (text.empty()) return std::nullopt;
  if (text[0] == '+') {
    auto d = parse_duration(text.substr(1));
    if (!d) return std::nullopt;
    return *d;
  }
  if (auto e = parse_utc(text)) return double(*e - start_epoch);
  // HH:MM[:SS] on the run's first day.
  int h = 0, m = 0, s = 0;
  char extra = 0;
  int n = std::sscanf(text.c_str(), "%d:%d:%d%c", &h, &m, &s, &extra);
  if ((n != 2 && n != 3) || h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59) return std::nullopt;
  if (text.size() != (n == 2 ? 5u : 8u)) return std::nullopt;
  std::int64_t day = start_epoch - ((start_epoch % 86400) + 86400) % 86400;
  return double(day + h * 3600 + m * 60 + s - start_epoch);
}

std::optional<Explanation> explain(const RunRecord& run, const ExplainOptions& o, Diagnostics& d) {
  auto arg = [](const char* name) { return Mark{std::make_shared<const std::string>(name), 1, 1}; };
  auto it = run.services.find(o.region);
  if (it == run.services.end()) {
    std::string known;
    for (const auto& [r, _] : run.services)
      known += (known.empty() ? "" : ", ") + r;
    d.error(arg("--region"), "the run has no region '" + o.region + "'; expected one of: " +
                                 (known.empty() ? "(none: the run recorded no region)" : known));
    return std::nullopt;
  }
  Explanation x;
  x.region = o.region;
  const auto& all_services = it->second;
  if (!o.service.empty()) {
    if (std::find(all_services.begin(), all_services.end(), o.service) == all_services.end()) {
      std::string known;
      for (const auto& s : all_services)
        known += (known.empty() ? "" : ", ") + s;
      d.error(arg("--service"),
              "region " + o.region + " has no service '" + o.service + "'; expected one of: " + known);
      return std::nullopt;
    }
    x.services = {o.service};
  } else {
    x.services = all_services;
  }
  auto selected = [&](const std::string& s) {
    return s.empty() || std::find(x.services.begin(), x.services.end(), s) != x.services.end();
  };

  // The period: the one containing --at, or the longest; grown over the periods that overlap it.
  std::vector<OutagePeriod> periods;
  for (const auto& p : run.outages.at(o.region))
    if (selected(p.service)) periods.push_back(p);
  // Outages: the periods of the selected services, overlapping ones merged.
  {
    std::vector<std::pair<double, double>> spans;
    for (const auto& p : periods)
      spans.push_back({p.start, p.end});
    std::sort(spans.begin(), spans.end());
    double reach = -1;
    for (const auto& [a, b] : spans) {
      if (x.periods == 0 || a > reach) ++x.periods;
      reach = std::max(reach, b);
    }
  }
  const OutagePeriod* pick = nullptr;
  for (const auto& p : periods) {
    if (o.at) {
      if (p.start <= *o.at && (*o.at < p.end || (!p.recovered && *o.at <= p.end)) &&
          (!pick || p.end - p.start > pick->end - pick->start))
        pick = &p;
    } else if (!pick || p.end - p.start > pick->end - pick->start) {
      pick = &p;
    }
  }
  if (!pick) {
    x.start = x.end = o.at.value_or(0);
    x.start_utc = x.end_utc = format_utc(double(run.start_epoch) + x.start);
    return x;
  }
  x.any_outage = true;
  x.start = pick->start;
  x.end = pick->end;
  x.recovered = pick->recovered;
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& p : periods)
      if (p.start <= x.end && p.end >= x.start && (p.start < x.start || p.end > x.end)) {
        x.start = std::min(x.start, p.start);
        if (p.end > x.end)
          x.recovered = p.recovered;
        else if (p.end == x.end)
          x.recovered = x.recovered && p.recovered;
        x.end = std::max(x.end, p.end);
        grew = true;
      }
  }
  x.start_utc = format_utc(double(run.start_epoch) + x.start);
  x.end_utc = format_utc(double(run.start_epoch) + x.end);

  // The region's failures open during the period, and the events that closed them.
  struct Open {
    const RecordedEvent* e;
    const RecordedEvent* closed_by = nullptr;
  };
  std::vector<Open> all;
  std::map<std::string, std::vector<std::size_t>> open; // service -> indexes into `all`
  const std::string subject = "region:" + o.region;
  for (const auto& e : run.events) {
    if (e.subject != subject) continue;
    std::string sv = service_of(e, all_services);
    if (!selected(sv)) continue;
    int pol = event_polarity(e.type);
    if (pol > 0) {
      open[sv].push_back(all.size());
      all.push_back({&e});
    } else if (pol < 0) {
      for (auto& [s, list] : open) {
        if (!sv.empty() && s != sv && !s.empty()) continue;
        for (auto i : list)
          all[i].closed_by = &e;
        list.clear();
      }
    }
  }
  std::vector<const RecordedEvent*> failures, recoveries;
  std::map<std::string, const RecordedEvent*> back;
  std::set<std::string> still_down;
  for (const auto& f : all) {
    if (f.e->t > x.end) continue;
    if (f.closed_by && f.closed_by->t < x.start) continue;
    failures.push_back(f.e);
    std::string sv = service_of(*f.e, all_services);
    if (!f.closed_by) {
      still_down.insert(sv);
      continue;
    }
    if (std::find(recoveries.begin(), recoveries.end(), f.closed_by) == recoveries.end())
      recoveries.push_back(f.closed_by);
    if (!back.count(sv) || back[sv]->t < f.closed_by->t) back[sv] = f.closed_by;
  }
  std::sort(recoveries.begin(), recoveries.end(),
            [](const RecordedEvent* a, const RecordedEvent* b) { return a->id < b->id; });
  x.failures = failures.size();
  x.recoveries = recoveries.size();
  auto children = children_index(run);
  std::vector<const RecordedEvent*> caused;
  for (const auto* f : failures)
    if (f->cause) caused.push_back(f);
  x.unexplained = failures.size() - caused.size();
  x.causes = build_chains(run, caused, children);
  x.recovery = build_chains(run, recoveries, children);
  for (const auto& s : x.services) {
    bool had = std::any_of(failures.begin(), failures.end(),
                           [&](const RecordedEvent* f) { return service_of(*f, all_services) == s; });
    if (!had) continue;
    x.back.push_back({s, still_down.count(s) || !back.count(s) ? "" : back[s]->utc});
  }
  return x;
}

namespace {

std::string fold_note(const ChainStep& s, const std::string& day) {
  std::set<std::string> subjects;
  for (const auto* e : s.on_path)
    subjects.insert(e->subject);
  std::string note;
  if (s.on_path.size() > 1) {
    if (subjects.size() > 1) {
      std::vector<std::string> others;
      for (const auto* e : s.on_path)
        if (e->subject != s.event->subject &&
            std::find(others.begin(), others.end(), e->subject) == others.end())
          others.push_back(e->subject);
      note += "; also " + std::to_string(s.on_path.size() - 1) + " more on this region's path (";
      for (std::size_t i = 0; i < others.size() && i < 3; ++i)
        note += (i ? ", " : "") + others[i];
      if (others.size() > 3) note += ", ...";
      note += ")";
    } else {
      std::vector<std::string> svs;
      for (const auto* e : s.on_path)
        if (e != s.event && !shown_service(*e).empty() &&
            std::find(svs.begin(), svs.end(), shown_service(*e)) == svs.end())
          svs.push_back(shown_service(*e));
      note += "; and " + std::to_string(s.on_path.size() - 1) + " more";
      if (!svs.empty()) {
        note += " (";
        for (std::size_t i = 0; i < svs.size(); ++i)
          note += (i ? ", " : "") + svs[i];
        note += ")";
      }
    }
  }
  if (s.siblings) {
    std::string kind = kind_of(s.event->subject);
    if (s.siblings > 1 && !kind.empty() && kind.back() != 's') kind += kind.back() == 'x' ? "es" : "s";
    note += "; and " + std::to_string(s.siblings) + " more " + kind + " of the same cause";
  }
  if (s.first_utc != s.last_utc && (s.siblings || s.on_path.size() > 1))
    note += ", " + clock_of(s.first_utc, day) + "-" + clock_of(s.last_utc, day);
  return note;
}

void chains_text(std::ostringstream& os, const std::vector<Chain>& chains, std::size_t total,
                 const char* verb, const std::string& day) {
  int n = 0;
  for (const auto& c : chains) {
    ++n;
    os << "  " << n << ". " << verb << " " << c.explains << " of " << total << " (from " << c.root->type
       << " " << c.root->subject << " at " << clock_of(c.root->utc, day) << ")\n";
    for (const auto& s : c.steps) {
      os << "     " << std::string(2 * s.indent, ' ') << clock_of(s.event->utc, day) << "  "
         << s.event->subject << "  " << s.event->type;
      if (!s.event->reason.empty()) os << ": " << shorten(s.event->reason, 160);
      os << fold_note(s, day) << "  [#" << s.event->id << "]\n";
    }
  }
}

} // namespace

std::string explanation_text(const RunRecord& run, const Explanation& x) {
  std::ostringstream os;
  std::string day = format_utc(double(run.start_epoch)).substr(0, 10);
  os << "region " << x.region << ", ";
  for (std::size_t i = 0; i < x.services.size(); ++i)
    os << (i ? ", " : "") << x.services[i];
  os << "\n";
  if (!x.any_outage) {
    if (x.periods == 0) {
      os << "no outage in this run (availability never fell below 50 %)\n";
    } else {
      os << "no outage at " << clock_of(x.start_utc, day) << " UTC; the region's outages:\n";
      for (const auto& p : run.outages.at(x.region))
        if (std::find(x.services.begin(), x.services.end(), p.service) != x.services.end())
          os << "  " << p.service << " " << clock_of(format_utc(double(run.start_epoch) + p.start), day)
             << "-"
             << (p.recovered ? clock_of(format_utc(double(run.start_epoch) + p.end), day) : "end of run")
             << "\n";
    }
    return os.str();
  }
  os << "outage " << day << " " << clock_of(x.start_utc, day);
  if (x.recovered)
    os << "-" << clock_of(x.end_utc, day) << " UTC (" << format_duration(x.end - x.start) << "), ";
  else
    os << " UTC until the run ended at " << clock_of(x.end_utc, day) << " ("
       << format_duration(x.end - x.start) << ", still down), ";
  os << (x.periods > 1 ? "the longest of its " + std::to_string(x.periods) + " outages" : "its only outage")
     << "\n";
  if (x.failures == 0) {
    os << "\nthe run records no failure event of the region in this period: the outage shows in its "
          "availability "
          "only\n";
    return os.str();
  }
  os << "\nwhy: " << x.causes.size() << (x.causes.size() == 1 ? " root cause" : " root causes") << " of "
     << x.failures << " failure" << (x.failures == 1 ? "" : "s") << " of the region";
  if (x.unexplained) os << " (" << x.unexplained << " with no recorded cause)";
  os << "\n";
  chains_text(os, x.causes, x.failures, "explains", day);
  if (!x.recovery.empty()) {
    os << "\nrecovery: " << x.recovery.size() << (x.recovery.size() == 1 ? " chain" : " chains") << "\n";
    chains_text(os, x.recovery, x.recoveries, "brings back", day);
  }
  os << "\nback:";
  for (const auto& [s, utc] : x.back)
    os << " " << s << " " << (utc.empty() ? "not within the run" : clock_of(utc, day)) << ";";
  os << "\n";
  return os.str();
}

nlohmann::ordered_json explanation_json(const RunRecord& run, const Explanation& x) {
  (void)run;
  auto ev = [](const RecordedEvent* e) {
    nlohmann::ordered_json j;
    j["id"] = e->id;
    j["t"] = e->t;
    j["utc"] = e->utc;
    j["type"] = e->type;
    j["subject"] = e->subject;
    j["reason"] = e->reason;
    if (e->cause) j["cause"] = e->cause;
    return j;
  };
  auto chains = [&](const std::vector<Chain>& cs) {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (const auto& c : cs) {
      nlohmann::ordered_json cj;
      cj["root"] = c.root->id;
      cj["explains"] = c.explains;
      cj["steps"] = nlohmann::ordered_json::array();
      for (const auto& s : c.steps) {
        nlohmann::ordered_json sj;
        sj["depth"] = s.depth;
        sj["branch"] = s.indent;
        sj["event"] = ev(s.event);
        sj["on_path"] = nlohmann::ordered_json::array();
        for (const auto* e : s.on_path)
          sj["on_path"].push_back(e->id);
        sj["folded"] = s.siblings;
        sj["first"] = s.first_utc;
        sj["last"] = s.last_utc;
        cj["steps"].push_back(sj);
      }
      a.push_back(cj);
    }
    return a;
  };
  nlohmann::ordered_json j;
  j["region"] = x.region;
  j["services"] = x.services;
  if (!x.any_outage) {
    j["outage"] = nullptr;
    return j;
  }
  j["outage"] = {{"start", x.start_utc},
                 {"end", x.recovered ? nlohmann::ordered_json(x.end_utc) : nullptr},
                 {"duration_s", x.end - x.start},
                 {"periods", x.periods}};
  j["failures"] = x.failures;
  j["unexplained"] = x.unexplained;
  j["causes"] = chains(x.causes);
  j["recoveries"] = x.recoveries;
  j["recovery"] = chains(x.recovery);
  j["back"] = nlohmann::ordered_json::object();
  for (const auto& [s, utc] : x.back)
    j["back"][s] = utc.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(utc);
  return j;
}

} // namespace outagesim::sim
