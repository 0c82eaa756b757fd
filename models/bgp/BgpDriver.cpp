#include "models/bgp/BgpDriver.hpp"

#include "sim/scenario/Reader.hpp"
#include "sim/world/Path.hpp"

#include <algorithm>
#include <stdexcept>

namespace outagesim::bgp {

namespace {

bool has_wildcard(const std::string& s) {
  return s.find_first_of("*?") != std::string::npos;
}

std::optional<Asn> parse_asn(const std::string& t) {
  if (t.empty() || t.size() > 10 || t.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  std::uint64_t v = std::stoull(t);
  if (v == 0 || v > 4294967295ull) return std::nullopt;
  return static_cast<Asn>(v);
}

std::optional<long> parse_int(const std::string& t, long lo, long hi) {
  if (t.empty() || t.size() > 9 || t.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  long v = std::stol(t);
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

std::optional<bool> parse_bool(const std::string& t) {
  if (t == "true") return true;
  if (t == "false") return false;
  return std::nullopt;
}

const std::string* param(const std::map<std::string, std::string>& params, const char* key) {
  auto it = params.find(key);
  return it == params.end() ? nullptr : &it->second;
}

std::string format_path(const std::vector<Asn>& path) {
  std::string s;
  for (Asn a : path)
    s += (s.empty() ? "" : " ") + std::to_string(a);
  return s;
}

std::string site_label(const OriginSpec& o) {
  return o.site == std::to_string(o.asn) ? "AS" + o.site : "AS" + std::to_string(o.asn) + "/" + o.site;
}

} // namespace

std::string_view to_string(HijackMode m) {
  switch (m) {
  case HijackMode::Blackhole:
    return "blackhole";
  case HijackMode::Impersonate:
    return "impersonate";
  case HijackMode::Intercept:
    return "intercept";
  }
  return "?";
}

std::vector<sim::ActionDecl> bgp_action_decls() {
  return {
      {"prefix",
       "withdraw",
       "origins stop announcing the prefix (with: origin: ASN, site: NAME; default every origin)",
       "announce",
       {"origin", "site"}},
      {"prefix",
       "announce",
       "origins (re-)announce the prefix (with: origin: ASN, site: NAME; default every origin)",
       "withdraw",
       {"origin", "site"}},
      {"as",
       "hijack",
       "the AS originates a prefix it does not own (with: prefix: P, or a more-specific; mode: what it does "
       "with the traffic it attracts: blackhole (default) drops it, impersonate answers in the owner's "
       "place, intercept forwards it on to the real origin)",
       "unhijack",
       {"prefix", "mode"}},
      {"as",
       "unhijack",
       "the AS stops originating the hijacked prefix (with: prefix: P)",
       "hijack",
       {"prefix"}},
      {"as",
       "leak",
       "route leak: the AS exports every best route to every neighbour (with: more_specific: P instead "
       "re-originates only P, a more-specific of a learned route, keeping that route's AS path, as a route "
       "optimiser's leak does: it pulls P's traffic through the AS by longest-prefix match)",
       "unleak",
       {"more_specific"}},
      {"as",
       "unleak",
       "the AS goes back to valley-free export (with: more_specific: P withdraws that more-specific)",
       "leak",
       {"more_specific"}},
      {"as",
       "set_policy",
       "changes the AS's policy towards a neighbour (with: neighbor, local_pref, prepend, export)",
       "",
       {"neighbor", "local_pref", "prepend", "export"}},
      {"session", "down", "the BGP session between two adjacent ASes goes down (session:A-B)", "up", {}},
      {"session", "up", "the BGP session comes back; both sides resend their tables", "down", {}},
  };
}

std::vector<std::string> match_bgp_entities(const BgpConfig& config, const AsGraph& g,
                                            const std::string& pattern) {
  std::string kind, id;
  std::vector<std::string> out;
  if (!sim::split_path(pattern, kind, id)) return out;
  if (kind == "prefix") {
    for (const auto& ps : config.prefixes) {
      std::string path = "prefix:" + ps.prefix.to_string();
      if (sim::glob_match(pattern, path)) out.push_back(path);
    }
  } else if (kind == "as") {
    if (!has_wildcard(id)) {
      if (auto a = parse_asn(id); a && g.index_of(*a)) out.push_back("as:" + std::to_string(*a));
      return out;
    }
    for (Asn a : g.asns()) {
      std::string path = "as:" + std::to_string(a);
      if (sim::glob_match(pattern, path)) out.push_back(path);
    }
  } else if (kind == "session") {
    if (!has_wildcard(id)) {
      auto ab = parse_session_id(id);
      if (!ab) return out;
      auto va = g.index_of(ab->first), vb = g.index_of(ab->second);
      if (va && vb && g.find_slot(*va, *vb)) out.push_back(session_path(ab->first, ab->second));
      return out;
    }
    for (SlotIndex s = 0; s < g.slot_count(); ++s) {
      // Each slot is one direction: "owner-neighbour"; a session matches in either order.
      std::string text =
          "session:" + std::to_string(g.asn(g.owner(s))) + "-" + std::to_string(g.asn(g.neighbor(s)));
      if (sim::glob_match(pattern, text))
        out.push_back(session_path(g.asn(g.owner(s)), g.asn(g.neighbor(s))));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string check_bgp_action(const BgpConfig& config, const AsGraph& g, const std::string& target,
                             const std::string& action, const std::map<std::string, std::string>& params) {
  std::string kind, id;
  if (!sim::split_path(target, kind, id)) return "";
  if (kind == "prefix" && (action == "withdraw" || action == "announce")) {
    const std::string* origin = param(params, "origin");
    const std::string* site = param(params, "site");
    std::optional<Asn> oa;
    if (origin) {
      oa = parse_asn(*origin);
      if (!oa) return "with: origin is '" + *origin + "'; expected an AS number";
    }
    bool any = false;
    std::vector<std::string> sites;
    for (const auto& ps : config.prefixes) {
      if (!sim::glob_match(target, "prefix:" + ps.prefix.to_string())) continue;
      for (const auto& o : ps.origins) {
        if (oa && o.asn != *oa) continue;
        sites.push_back(o.site);
        if (!site || o.site == *site) any = true;
      }
    }
    if (any) return "";
    if (origin && sites.empty()) return "with: origin AS" + *origin + " is not an origin of " + target;
    return "with: site '" + (site ? *site : std::string()) + "' is not a site of " + target +
           "; expected one of: " + sim::join(sites);
  }
  if (kind == "as" && (action == "hijack" || action == "unhijack")) {
    const std::string* p = param(params, "prefix");
    if (!p) return "action '" + action + "' needs with: prefix: P (the prefix the AS originates)";
    auto pre = Prefix::parse(*p);
    if (!pre) return "with: prefix is '" + *p + "'; expected an IPv4 prefix a.b.c.d/len with zero host bits";
    if (const std::string* m = param(params, "mode"))
      if (*m != "blackhole" && *m != "impersonate" && *m != "intercept")
        return "with: mode is '" + *m + "'; expected blackhole, impersonate or intercept";
    if (!has_wildcard(id))
      if (auto a = parse_asn(id))
        if (const PrefixSpec* ps = config.find(*pre))
          for (const auto& o : ps->origins)
            if (o.asn == *a)
              return "AS" + id + " is a legitimate origin of " + *p + "; a hijack needs another AS";
    return "";
  }
  if (kind == "as" && (action == "leak" || action == "unleak")) {
    const std::string* m = param(params, "more_specific");
    if (!m) return "";
    auto pre = Prefix::parse(*m);
    if (!pre)
      return "with: more_specific is '" + *m + "'; expected an IPv4 prefix a.b.c.d/len with zero host bits";
    for (const auto& ps : config.prefixes)
      if (ps.prefix.length < pre->length && ps.prefix.covers(*pre)) return "";
    return "with: more_specific " + *m + " is not a more-specific of a prefix under bgp.prefixes; expected a "
           "longer prefix inside one of them";
  }
  if (kind == "as" && action == "set_policy") {
    const std::string* nb = param(params, "neighbor");
    const std::string* lp = param(params, "local_pref");
    const std::string* pp = param(params, "prepend");
    const std::string* ex = param(params, "export");
    if (!lp && !pp && !ex)
      return "action 'set_policy' changes nothing; expected with: local_pref, prepend or export";
    std::optional<Asn> n;
    if (nb) {
      n = parse_asn(*nb);
      if (!n) return "with: neighbor is '" + *nb + "'; expected an AS number";
    }
    if (lp && !n) return "with: local_pref needs a neighbor";
    if (lp && !parse_int(*lp, 0, 65535))
      return "with: local_pref is '" + *lp + "'; expected an integer 0..65535";
    if (pp && !parse_int(*pp, 0, 32)) return "with: prepend is '" + *pp + "'; expected an integer 0..32";
    if (ex && !parse_bool(*ex)) return "with: export is '" + *ex + "'; expected true or false";
    if (n && !has_wildcard(id))
      if (auto a = parse_asn(id)) {
        auto va = g.index_of(*a), vn = g.index_of(*n);
        if (va && (!vn || !g.find_slot(*va, *vn)))
          return "with: neighbor AS" + *nb + " is not a neighbour of AS" + id;
      }
    return "";
  }
  return "";
}

namespace {

// Walks a route from its origin to its holder (valley_free()'s reading). Returns false if two
// consecutive ASes are not adjacent; otherwise true, with *valley set at the first valley, if any.
bool walk_valleys(const AsGraph& g, Asn holder, const std::vector<Asn>& path, std::optional<Valley>* valley) {
  std::vector<Asn> seq{holder};
  for (Asn a : path)
    if (a != seq.back()) seq.push_back(a);
  bool up = true;                                  // still climbing (no peer or downward hop yet)
  Relationship came_from = Relationship::Customer; // what the sender of the last hop was to its receiver
  for (std::size_t i = seq.size() - 1; i > 0; --i) {
    auto receiver = g.index_of(seq[i - 1]), sender = g.index_of(seq[i]);
    if (!receiver || !sender) return false;
    auto slot = g.find_slot(*receiver, *sender);
    if (!slot) return false;
    const Relationship rel = g.relationship(*slot); // what the sender is to the receiver
    bool bad = false;
    switch (rel) {
    case Relationship::Customer:
      bad = !up;
      break;
    case Relationship::Sibling:
      break;
    case Relationship::Peer:
      bad = !up;
      up = false;
      break;
    case Relationship::Provider:
      up = false;
      break;
    }
    if (bad && !*valley) {
      // The sender got the route from seq[i + 1] (it exists: `up` fell on an earlier hop).
      Valley v;
      v.from = seq[i + 1];
      v.via = seq[i];
      v.to = seq[i - 1];
      v.from_is = came_from;
      v.to_is = reverse(rel);
      *valley = v;
    }
    came_from = rel;
  }
  return true;
}

} // namespace

bool valley_free(const AsGraph& g, Asn holder, const std::vector<Asn>& path) {
  std::optional<Valley> v;
  return walk_valleys(g, holder, path, &v) && !v;
}

std::optional<Valley> find_valley(const AsGraph& g, Asn holder, const std::vector<Asn>& path) {
  std::optional<Valley> v;
  if (!walk_valleys(g, holder, path, &v)) return std::nullopt;
  return v;
}

std::string describe_valley(const Valley& v) {
  return "AS" + std::to_string(v.via) + " passes the route of its " + std::string(to_string(v.from_is)) +
         " AS" + std::to_string(v.from) + " to its " + std::string(to_string(v.to_is)) + " AS" +
         std::to_string(v.to);
}

BgpDriver::BgpDriver(BgpConfig config, std::shared_ptr<const AsGraph> graph, BgpParams params)
    : config_(std::move(config)), graph_(std::move(graph)),
      engine_(std::make_unique<BgpEngine>(*graph_, params)) {}

void BgpDriver::warm_up() {
  // Import policies first: they judge everything received from the first announcement on.
  std::vector<Roa> roas;
  for (const auto& r : config_.roas)
    roas.push_back(Roa{r.prefix, static_cast<std::uint8_t>(r.max_length), r.origin});
  engine_->set_roas(std::move(roas));
  std::vector<std::pair<Prefix, Asn>> registry; // the declared origins are the route objects
  for (const auto& ps : config_.prefixes)
    for (const auto& o : ps.origins)
      registry.emplace_back(ps.prefix, o.asn);
  engine_->set_registry(std::move(registry));
  for (Asn a : rov_ases(config_, *graph_))
    engine_->set_rov(a, true);
  for (const auto& p : config_.imports) {
    if (p.customer_filter) engine_->set_customer_filter(p.asn, *p.customer_filter);
    if (p.max_prefix) engine_->set_max_prefix(p.asn, p.neighbor, *p.max_prefix);
  }
  for (const auto& p : config_.policies) {
    if (p.local_pref) engine_->set_local_pref(p.asn, p.neighbor, *p.local_pref, 0);
    if (p.prepend) engine_->set_prepend(p.asn, p.neighbor, *p.prepend, 0);
    if (p.export_allowed) engine_->set_export(p.asn, p.neighbor, *p.export_allowed, 0);
  }
  for (const auto& ps : config_.prefixes)
    for (const auto& o : ps.origins) {
      engine_->announce(o.asn, ps.prefix, 0, o.site_index);
      announced_.insert({ps.prefix, o.asn, o.site_index});
    }
  engine_->run_to_convergence();
  offset_ = engine_->now();
}

std::optional<AppliedAction> BgpDriver::set_origin_list(const PrefixSpec& spec,
                                                        const std::vector<const OriginSpec*>& list,
                                                        bool announce, double at) {
  std::string detail;
  for (const OriginSpec* o : list) {
    auto key = std::make_tuple(spec.prefix, o->asn, o->site_index);
    if (announced_.count(key) == (announce ? 1u : 0u)) continue;
    if (announce) {
      engine_->announce(o->asn, spec.prefix, at, o->site_index);
      announced_.insert(key);
    } else {
      engine_->withdraw(o->asn, spec.prefix, at, o->site_index);
      announced_.erase(key);
    }
    detail += (detail.empty() ? "" : ", ") + site_label(*o);
  }
  if (detail.empty()) return std::nullopt;
  AppliedAction a;
  a.type = announce ? "bgp.announce" : "bgp.withdraw";
  a.detail = (announce ? "announced by " : "withdrawn by ") + detail;
  a.prefixes = {spec.prefix};
  return a;
}

std::optional<AppliedAction> BgpDriver::set_origins(const PrefixSpec& spec, bool announce,
                                                    const std::map<std::string, std::string>& params,
                                                    double at) {
  const std::string* origin = param(params, "origin");
  const std::string* site = param(params, "site");
  std::vector<const OriginSpec*> list;
  for (const auto& o : spec.origins) {
    if (origin && std::to_string(o.asn) != *origin) continue;
    if (site && o.site != *site) continue;
    list.push_back(&o);
  }
  return set_origin_list(spec, list, announce, at);
}

std::optional<AppliedAction> BgpDriver::set_announced(const std::string& site, const Prefix& prefix,
                                                      bool announce, double at) {
  ++inputs_version_;
  const PrefixSpec* spec = config_.find(prefix);
  if (!spec) return std::nullopt;
  std::vector<const OriginSpec*> list;
  for (const auto& o : spec->origins)
    if (o.site == site) list.push_back(&o);
  if (list.empty())
    for (const auto& o : spec->origins)
      if (std::to_string(o.asn) == site) list.push_back(&o);
  if (list.empty()) return std::nullopt;
  return set_origin_list(*spec, list, announce, at);
}

std::optional<AppliedAction> BgpDriver::apply(const std::string& path, const std::string& action,
                                              const std::map<std::string, std::string>& params, double at) {
  ++inputs_version_;
  std::string kind, id;
  if (!sim::split_path(path, kind, id)) return std::nullopt;
  AppliedAction a;
  if (kind == "prefix") {
    auto p = Prefix::parse(id);
    const PrefixSpec* spec = p ? config_.find(*p) : nullptr;
    if (!spec) throw std::invalid_argument("unknown prefix " + id);
    if (action != "withdraw" && action != "announce") throw std::invalid_argument("unknown action " + action);
    return set_origins(*spec, action == "announce", params, at);
  }
  if (kind == "session") {
    auto ab = parse_session_id(id);
    if (!ab) throw std::invalid_argument("bad session " + id);
    auto key = std::minmax(ab->first, ab->second);
    const bool down = action == "down";
    if (!down && action != "up") throw std::invalid_argument("unknown action " + action);
    if (down_sessions_.count(key) == (down ? 1u : 0u)) return std::nullopt;
    if (down) {
      engine_->session_down(key.first, key.second, at);
      down_sessions_.insert(key);
    } else {
      engine_->session_up(key.first, key.second, at);
      down_sessions_.erase(key);
    }
    a.type = down ? "bgp.session_down" : "bgp.session_up";
    a.detail = "AS" + std::to_string(key.first) + " - AS" + std::to_string(key.second);
    a.all_prefixes = true;
    return a;
  }
  if (kind != "as") throw std::invalid_argument("unknown entity kind " + kind);
  auto asn = parse_asn(id);
  if (!asn) throw std::invalid_argument("bad AS " + id);
  if (action == "hijack" || action == "unhijack") {
    const std::string* pt = param(params, "prefix");
    auto p = pt ? Prefix::parse(*pt) : std::nullopt;
    if (!p) throw std::invalid_argument("hijack needs with: prefix");
    const bool on = action == "hijack";
    if (hijacks_.count({*asn, *p}) == (on ? 1u : 0u)) return std::nullopt;
    HijackMode mode = HijackMode::Blackhole;
    if (const std::string* m = param(params, "mode"))
      mode = *m == "impersonate" ? HijackMode::Impersonate
             : *m == "intercept" ? HijackMode::Intercept
                                 : HijackMode::Blackhole;
    if (on) {
      engine_->hijack(*asn, *p, at);
      hijacks_[{*asn, *p}] = mode;
    } else {
      engine_->withdraw(*asn, *p, at, 0);
      hijacks_.erase({*asn, *p});
    }
    a.type = on ? "bgp.hijack" : "bgp.unhijack";
    a.detail = (on ? "originates " : "stops originating ") + p->to_string();
    if (on && mode != HijackMode::Blackhole) a.detail += " (" + std::string(to_string(mode)) + ")";
    a.prefixes.push_back(*p);
    for (const auto& ps : config_.prefixes)
      if (ps.prefix != *p && (ps.prefix.covers(*p) || p->covers(ps.prefix))) a.prefixes.push_back(ps.prefix);
    return a;
  }
  if ((action == "leak" || action == "unleak") && param(params, "more_specific")) {
    const bool on = action == "leak";
    auto p = Prefix::parse(*param(params, "more_specific"));
    if (!p) throw std::invalid_argument("leak needs a prefix in with: more_specific");
    if (more_specific_leaks_.count({*asn, *p}) == (on ? 1u : 0u)) return std::nullopt;
    engine_->leak_more_specific(*asn, *p, at, on);
    if (on)
      more_specific_leaks_.insert({*asn, *p});
    else
      more_specific_leaks_.erase({*asn, *p});
    a.type = on ? "bgp.leak" : "bgp.unleak";
    a.detail = on ? "announces " + p->to_string() +
                        ", a more-specific of its learned route, to every neighbour (the path kept)"
                  : "withdraws " + p->to_string();
    a.prefixes.push_back(*p);
    for (const auto& ps : config_.prefixes)
      if (ps.prefix.covers(*p)) a.prefixes.push_back(ps.prefix);
    return a;
  }
  if (action == "leak" || action == "unleak") {
    const bool on = action == "leak";
    if (leaking_.count(*asn) == (on ? 1u : 0u)) return std::nullopt;
    engine_->leak(*asn, at, on);
    if (on)
      leaking_.insert(*asn);
    else
      leaking_.erase(*asn);
    a.type = on ? "bgp.leak" : "bgp.unleak";
    a.detail = on ? "exports every route to every neighbour" : "back to valley-free export";
    a.all_prefixes = true;
    return a;
  }
  if (action == "set_policy") {
    Asn nb = 0;
    if (const std::string* t = param(params, "neighbor")) nb = parse_asn(*t).value_or(0);
    std::string detail;
    if (const std::string* t = param(params, "local_pref")) {
      engine_->set_local_pref(*asn, nb, static_cast<std::uint16_t>(std::stol(*t)), at);
      detail += "local_pref " + *t;
    }
    if (const std::string* t = param(params, "prepend")) {
      engine_->set_prepend(*asn, nb, static_cast<unsigned>(std::stol(*t)), at);
      detail += std::string(detail.empty() ? "" : ", ") + "prepend " + *t;
    }
    if (const std::string* t = param(params, "export")) {
      engine_->set_export(*asn, nb, *t == "true", at);
      detail += std::string(detail.empty() ? "" : ", ") + "export " + *t;
    }
    a.type = "bgp.policy";
    a.detail = detail + (nb ? " towards AS" + std::to_string(nb) : " towards every neighbour");
    a.all_prefixes = true;
    return a;
  }
  throw std::invalid_argument("unknown action " + action);
}

bool BgpDriver::authorised(Asn asn, const Prefix& prefix) const {
  for (const auto& ps : config_.prefixes)
    if (ps.prefix.covers(prefix))
      for (const auto& o : ps.origins)
        if (o.asn == asn) return true;
  return engine_->validate(prefix, asn) == RovState::Valid;
}

const Verdict& BgpDriver::lookup(Asn from, Ipv4 address) const {
  // Other models ask the same few (source AS, address) pairs every step while routes stay put.
  if (engine_->lookup_version() != memo_engine_version_ || inputs_version_ != memo_inputs_version_ ||
      memo_.size() >= kMemoLimit) {
    memo_.clear();
    memo_engine_version_ = engine_->lookup_version();
    memo_inputs_version_ = inputs_version_;
  }
  const std::uint64_t key = static_cast<std::uint64_t>(from) << 32 | address;
  auto it = memo_.find(key);
  if (it == memo_.end()) it = memo_.emplace(key, compute_verdict(from, address)).first;
  return it->second;
}

Verdict BgpDriver::compute_verdict(Asn from, Ipv4 address) const {
  Verdict v;
  sim::RouteAnswer& a = v.answer;
  using Status = sim::RouteAnswer::Status;
  const LookupResult r = engine_->route_lookup(from, address);
  a.as_path.assign(r.path.begin(), r.path.end());
  const std::string addr = format_ipv4(address);
  auto latency = [&] {
    double sum = 0;
    for (std::size_t i = 1; i < a.as_path.size(); ++i) {
      if (a.as_path[i] == a.as_path[i - 1]) continue;
      auto x = graph_->index_of(a.as_path[i - 1]), y = graph_->index_of(a.as_path[i]);
      if (!x || !y) continue;
      if (auto s = graph_->find_slot(*x, *y)) sum += graph_->delay(*s);
    }
    return sum;
  };
  switch (r.status) {
  case LookupStatus::NoRoute:
    a.status = Status::NoRoute;
    a.reason = "AS" + std::to_string(r.path.empty() ? from : r.path.back()) + " has no route to " + addr;
    return v;
  case LookupStatus::Loop:
    a.status = Status::Loop;
    a.reason = "forwarding loop to " + addr + ": " + format_path(r.path);
    return v;
  case LookupStatus::Delivered:
    break;
  }
  const Asn terminal = r.path.back();
  const Prefix& matched = engine_->prefixes()[r.prefix];
  if (authorised(terminal, matched)) {
    a.status = Status::Delivered;
    a.reason = "delivered to AS" + std::to_string(terminal) + " via " + format_path(r.path);
    a.latency_s = latency();
    return v;
  }
  auto it = hijacks_.find({terminal, matched});
  const HijackMode mode = it == hijacks_.end() ? HijackMode::Blackhole : it->second;
  v.hijack = std::make_pair(terminal, matched);
  a.hijacker = terminal;
  const std::string who = "AS" + std::to_string(terminal) + " originates " + matched.to_string() +
                          " (hijack, not an authorised origin)";
  const std::string via = " (path " + format_path(r.path) + ")";
  switch (mode) {
  case HijackMode::Blackhole:
    a.status = Status::Blackholed;
    a.reason = who + " and drops the traffic to " + addr + via;
    break;
  case HijackMode::Impersonate:
    a.status = Status::Impersonated;
    a.reason = who + " and answers for " + addr + " in the owner's place" + via;
    break;
  case HijackMode::Intercept: {
    // On to the real origin over the interceptor's own route (what AS-path poisoning keeps clean in
    // a real interception: the ASes on it do not take the hijacked route back to the interceptor).
    auto onward = engine_->onward_route(terminal, address);
    if (!onward || onward->back() == terminal || !authorised(onward->back(), Prefix::make(address, 32))) {
      a.status = Status::Blackholed;
      a.reason = who + ", intercepts, and has no route on to an owner of " + addr + via;
      break;
    }
    for (Asn x : *onward)
      if (x != a.as_path.back()) a.as_path.push_back(x);
    a.status = Status::Delivered;
    a.reason = "delivered to AS" + std::to_string(a.as_path.back()) + " via " + format_path(a.as_path) +
               ", intercepted: " + who;
    break;
  }
  }
  a.latency_s = latency();
  return v;
}

} // namespace outagesim::bgp
