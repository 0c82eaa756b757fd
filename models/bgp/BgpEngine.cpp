#include "models/bgp/BgpEngine.hpp"

#include "sim/core/Rng.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <stdexcept>

namespace outagesim::bgp {
namespace {

constexpr std::uint32_t kAllNeighbors = 0xFFFFFFFFu;

std::uint16_t default_local_pref(Relationship r) {
  switch (r) {
  case Relationship::Customer:
    return 300;
  case Relationship::Sibling:
    return 300;
  case Relationship::Peer:
    return 200;
  case Relationship::Provider:
    return 100;
  }
  return 100;
}

bool is_customer_like(Relationship r) {
  return r == Relationship::Customer || r == Relationship::Sibling;
}

} // namespace

const std::vector<sim::ParamDecl>& bgp_param_decls() {
  using sim::ParamType;
  static const std::vector<sim::ParamDecl> decls = {
      {"mrai", ParamType::Duration, "30s", "s",
       "eBGP MinRouteAdvertisementInterval per session (0 disables: then one update per session "
       "and prefix per batch of an instant's events, the last state then)",
       0, 3600},
      {"mrai_jitter", ParamType::Bool, "true", "",
       "multiply each MRAI timer by U[0.75,1] (RFC 4271 section 10)"},
      {"mrai_on_withdrawals", ParamType::Bool, "true", "",
       "rate-limit withdrawals with MRAI too (WRATE, default): gives the measured Tdown of minutes "
       "(Labovitz 2000; 2021: prefix gone 14 min after the first withdrawals); false: withdrawals "
       "bypass MRAI (RFC 4271 text) and converge in seconds"},
      {"processing_delay", ParamType::Duration, "1ms", "s", "per received UPDATE, added to the link delay", 0,
       60},
      {"hold_time", ParamType::Duration, "90s", "s",
       "a session carried by scenario links drops this long after its last link or router fails "
       "(it comes back when one is restored)",
       0, 3600},
  };
  return decls;
}

BgpParams bgp_params_from(const sim::ParamValues& values, std::uint64_t seed) {
  BgpParams p;
  p.mrai_s = values.number("mrai");
  p.mrai_jitter = values.flag("mrai_jitter");
  p.mrai_on_withdrawals = values.flag("mrai_on_withdrawals");
  p.processing_delay_s = values.number("processing_delay");
  p.seed = seed;
  return p;
}

std::string_view to_string(ChangeCause c) {
  switch (c) {
  case ChangeCause::OriginAnnounced:
    return "origin-announced";
  case ChangeCause::HijackAnnounced:
    return "hijack-announced";
  case ChangeCause::OriginWithdrawn:
    return "origin-withdrawn";
  case ChangeCause::AnnouncementFrom:
    return "announcement-from";
  case ChangeCause::WithdrawalFrom:
    return "withdrawal-from";
  case ChangeCause::LoopFrom:
    return "loop-from";
  case ChangeCause::SessionDown:
    return "session-down";
  case ChangeCause::PolicyChange:
    return "policy-change";
  case ChangeCause::MoreSpecificLeaked:
    return "more-specific-leaked";
  }
  return "?";
}

std::string_view to_string(SelectionReason r) {
  switch (r) {
  case SelectionReason::NoRoute:
    return "no-route";
  case SelectionReason::Local:
    return "local";
  case SelectionReason::OnlyRoute:
    return "only-route";
  case SelectionReason::LocalPref:
    return "local-pref";
  case SelectionReason::AsPathLength:
    return "as-path-length";
  case SelectionReason::NeighborAsn:
    return "neighbor-asn";
  }
  return "?";
}

std::string_view to_string(ImportDrop d) {
  switch (d) {
  case ImportDrop::None:
    return "";
  case ImportDrop::RpkiInvalid:
    return "rpki-invalid";
  case ImportDrop::NotCustomerCone:
    return "not-in-customer-cone";
  }
  return "?";
}

std::string_view to_string(LookupStatus s) {
  switch (s) {
  case LookupStatus::Delivered:
    return "delivered";
  case LookupStatus::NoRoute:
    return "no-route";
  case LookupStatus::Loop:
    return "loop";
  }
  return "?";
}

BgpEngine::BgpEngine(const AsGraph& graph, BgpParams params)
    : graph_(graph), params_(params), jitter_rng_(sim::rng_stream(params.seed, "bgp.mrai")) {
  const std::size_t m = graph.slot_count(), n = graph.as_count();
  slots_.resize(m);
  for (SlotIndex s = 0; s < m; ++s) {
    SlotState& st = slots_[s];
    st.delay = graph.delay(s);
    st.owner = graph.owner(s);
    st.neighbor = graph.neighbor(s);
    st.neighbor_asn = graph.asn(st.neighbor);
    st.reverse = graph.reverse_slot(s);
    st.local_pref = default_local_pref(graph.relationship(s));
    st.customer_like = is_customer_like(graph.relationship(s)) ? 1 : 0;
  }
  as_.assign(n, AsState{});
  dirty_count_.assign(n, 0);
  // The least delay between an event and one it schedules: a delivery (link delay + processing
  // delay) or an MRAI timer (at least 0.75 * mrai with jitter).
  min_gap_ = std::numeric_limits<double>::infinity();
  for (SlotIndex s = 0; s < m; ++s)
    min_gap_ = std::min(min_gap_, graph.delay(s) + params_.processing_delay_s);
  if (params_.mrai_s > 0) min_gap_ = std::min(min_gap_, params_.mrai_s * (params_.mrai_jitter ? 0.75 : 1.0));
  if (!(min_gap_ > 0) || !std::isfinite(min_gap_)) min_gap_ = 0;
}

// ---------------------------------------------------------------- inputs

AsIndex BgpEngine::index_or_throw(Asn asn) const {
  auto v = graph_.index_of(asn);
  if (!v) throw std::invalid_argument("AS" + std::to_string(asn) + " is not in the topology");
  return *v;
}

SlotIndex BgpEngine::slot_or_throw(AsIndex a, AsIndex b) const {
  auto s = graph_.find_slot(a, b);
  if (!s)
    throw std::invalid_argument("AS" + std::to_string(graph_.asn(a)) + " and AS" +
                                std::to_string(graph_.asn(b)) + " are not neighbours");
  return *s;
}

PrefixId BgpEngine::intern_prefix(const Prefix& p) {
  auto it = prefix_ids_.find(p);
  if (it != prefix_ids_.end()) return it->second;
  if (prefix_list_.size() >= kMaxPrefixes)
    throw std::length_error("the BGP engine holds at most " + std::to_string(kMaxPrefixes) + " prefixes");
  const PrefixId id = static_cast<PrefixId>(prefix_list_.size());
  ++lookup_version_;
  prefix_ids_.emplace(p, id);
  prefix_list_.push_back(p);
  PrefixState ps;
  const std::size_t n = graph_.as_count();
  ps.origin_sites.assign(n, 0);
  ps.hijacker.assign(n, 0);
  prefix_state_.push_back(std::move(ps));
  // Rows are full: copy into rows twice as long (rare: prefixes are few and added up front).
  if (prefix_list_.size() > stride_) relayout(std::max<std::size_t>(8, stride_ * 2), id);
  compute_filters(id);
  lpm_order_.push_back(id);
  std::stable_sort(lpm_order_.begin(), lpm_order_.end(),
                   [&](PrefixId a, PrefixId b) { return prefix_list_[a].length > prefix_list_[b].length; });
  return id;
}

// Copies the first `keep` entries of every row into rows of `stride` entries.
void BgpEngine::relayout(std::size_t stride, std::size_t keep) {
  const std::size_t m = graph_.slot_count(), n = graph_.as_count();
  HugeVector<SlotPrefix> sp(m * stride);
  HugeVector<AsPrefix> ap(n * stride);
  for (std::size_t s = 0; s < m && stride_ > 0; ++s)
    std::copy_n(sp_.begin() + s * stride_, keep, sp.begin() + s * stride);
  for (std::size_t v = 0; v < n && stride_ > 0; ++v)
    std::copy_n(ap_.begin() + v * stride_, keep, ap.begin() + v * stride);
  sp_.swap(sp);
  ap_.swap(ap);
  stride_ = stride;
}

// At the first run: rows as long as the prefix count (the prefixes are usually all known by then).
void BgpEngine::tighten() {
  tight_ = true;
  if (!prefix_list_.empty() && stride_ > prefix_list_.size())
    relayout(prefix_list_.size(), prefix_list_.size());
}

void BgpEngine::schedule_input(const Input& in, double at) {
  if (!(at >= now_))
    throw std::invalid_argument("BGP input dated " + std::to_string(at) + " is before now (" +
                                std::to_string(now_) + ")");
  inputs_.push_back(in);
  push(at, EventKind::Input, static_cast<std::uint32_t>(inputs_.size() - 1), 0);
}

void BgpEngine::announce(Asn asn, const Prefix& prefix, double at, unsigned site) {
  if (site > 31) throw std::invalid_argument("anycast site number must be 0..31");
  AsIndex v = index_or_throw(asn);
  schedule_input(Input{InputKind::Announce, v, 0, intern_prefix(prefix), site}, at);
}

void BgpEngine::withdraw(Asn asn, const Prefix& prefix, double at, unsigned site) {
  if (site > 31) throw std::invalid_argument("anycast site number must be 0..31");
  AsIndex v = index_or_throw(asn);
  schedule_input(Input{InputKind::Withdraw, v, 0, intern_prefix(prefix), site}, at);
}

void BgpEngine::hijack(Asn asn, const Prefix& prefix, double at) {
  AsIndex v = index_or_throw(asn);
  schedule_input(Input{InputKind::Hijack, v, 0, intern_prefix(prefix), 0}, at);
}

void BgpEngine::session_down(Asn a, Asn b, double at) {
  AsIndex va = index_or_throw(a), vb = index_or_throw(b);
  slot_or_throw(va, vb);
  schedule_input(Input{InputKind::SessionDown, va, vb, 0, 0}, at);
}

void BgpEngine::session_up(Asn a, Asn b, double at) {
  AsIndex va = index_or_throw(a), vb = index_or_throw(b);
  slot_or_throw(va, vb);
  schedule_input(Input{InputKind::SessionUp, va, vb, 0, 0}, at);
}

void BgpEngine::leak(Asn asn, double at, bool on) {
  schedule_input(Input{InputKind::Leak, index_or_throw(asn), 0, 0, on ? 1u : 0u}, at);
}

void BgpEngine::leak_more_specific(Asn asn, const Prefix& prefix, double at, bool on) {
  AsIndex v = index_or_throw(asn);
  schedule_input(Input{InputKind::Reoriginate, v, 0, intern_prefix(prefix), on ? 1u : 0u}, at);
}

void BgpEngine::set_local_pref(Asn asn, Asn neighbor, std::uint16_t local_pref, double at) {
  AsIndex v = index_or_throw(asn), u = index_or_throw(neighbor);
  slot_or_throw(v, u);
  schedule_input(Input{InputKind::LocalPref, v, u, 0, local_pref}, at);
}

void BgpEngine::set_prepend(Asn asn, Asn neighbor, unsigned count, double at) {
  if (count > 32) throw std::invalid_argument("prepend count must be 0..32");
  AsIndex v = index_or_throw(asn);
  std::uint32_t u = kAllNeighbors;
  if (neighbor != 0) {
    u = index_or_throw(neighbor);
    slot_or_throw(v, u);
  }
  schedule_input(Input{InputKind::Prepend, v, u, 0, count}, at);
}

void BgpEngine::set_export(Asn asn, Asn neighbor, bool allowed, double at) {
  AsIndex v = index_or_throw(asn);
  std::uint32_t u = kAllNeighbors;
  if (neighbor != 0) {
    u = index_or_throw(neighbor);
    slot_or_throw(v, u);
  }
  schedule_input(Input{InputKind::Export, v, u, 0, allowed ? 1u : 0u}, at);
}

// ---------------------------------------------------------------- import policies

void BgpEngine::check_configurable() const {
  if (!inputs_.empty()) throw std::logic_error("BGP import policies are set before the first input");
}

void BgpEngine::set_roas(std::vector<Roa> roas) {
  check_configurable();
  ++lookup_version_;
  roas_ = std::move(roas);
  for (PrefixId p = 0; p < prefix_list_.size(); ++p)
    compute_filters(p);
}

void BgpEngine::set_rov(Asn asn, bool drop_invalid) {
  check_configurable();
  ++lookup_version_;
  as_[index_or_throw(asn)].rov = drop_invalid ? 1 : 0;
  any_rov_ = std::any_of(as_.begin(), as_.end(), [](const AsState& a) { return a.rov != 0; });
}

void BgpEngine::set_registry(std::vector<std::pair<Prefix, Asn>> route_objects) {
  check_configurable();
  ++lookup_version_;
  registry_ = std::move(route_objects);
  for (PrefixId p = 0; p < prefix_list_.size(); ++p)
    compute_filters(p);
}

void BgpEngine::set_customer_filter(Asn asn, bool on) {
  check_configurable();
  ++lookup_version_;
  as_[index_or_throw(asn)].customer_filter = on ? 1 : 0;
  const bool before = any_customer_filter_;
  any_customer_filter_ =
      std::any_of(as_.begin(), as_.end(), [](const AsState& a) { return a.customer_filter != 0; });
  if (any_customer_filter_ != before)
    for (PrefixId p = 0; p < prefix_list_.size(); ++p)
      compute_filters(p);
}

void BgpEngine::set_max_prefix(Asn asn, Asn neighbor, std::uint32_t limit) {
  check_configurable();
  ++lookup_version_;
  const AsIndex v = index_or_throw(asn);
  if (neighbor == 0) {
    for (SlotIndex s = graph_.slot_begin(v); s < graph_.slot_end(v); ++s)
      slots_[s].max_prefix = limit;
    if (limit) observe(asn);
    return;
  }
  slots_[slot_or_throw(v, index_or_throw(neighbor))].max_prefix = limit;
  if (limit) observe(asn);
}

RovState BgpEngine::validate(const Prefix& prefix, Asn origin) const {
  bool covered = false;
  for (const Roa& r : roas_) {
    if (!r.prefix.covers(prefix)) continue;
    covered = true;
    if (r.origin == origin && prefix.length <= r.max_length) return RovState::Valid;
  }
  return covered ? RovState::Invalid : RovState::NotFound;
}

// The ROAs covering a prefix, and (with customer filters) which ASes have an AS registered for it in
// their customer cone: the registered origins and, climbing customer->provider links, their providers.
void BgpEngine::compute_filters(PrefixId p) {
  PrefixState& ps = prefix_state_[p];
  const Prefix& prefix = prefix_list_[p];
  ps.roas.clear();
  for (const Roa& r : roas_)
    if (r.prefix.covers(prefix)) ps.roas.emplace_back(r.origin, r.max_length);
  ps.cone_ok.clear();
  if (!any_customer_filter_) return;
  ps.cone_ok.assign(graph_.as_count(), 0);
  std::vector<AsIndex> stack;
  for (const auto& [q, origin] : registry_) {
    if (!q.covers(prefix)) continue;
    auto o = graph_.index_of(origin);
    if (!o || ps.cone_ok[*o]) continue;
    ps.cone_ok[*o] = 1;
    stack.push_back(*o);
    while (!stack.empty()) {
      const AsIndex v = stack.back();
      stack.pop_back();
      for (SlotIndex s = graph_.slot_begin(v); s < graph_.slot_end(v); ++s) {
        if (graph_.relationship(s) != Relationship::Provider) continue;
        const AsIndex u = graph_.neighbor(s);
        if (!ps.cone_ok[u]) {
          ps.cone_ok[u] = 1;
          stack.push_back(u);
        }
      }
    }
  }
}

ImportDrop BgpEngine::import_check(PrefixId p, AsIndex v, SlotIndex s, PathId path) const {
  if (path == kNoPath || path == kEmptyPath) return ImportDrop::None;
  const PrefixState& ps = prefix_state_[p];
  if (as_[v].rov && !ps.roas.empty()) {
    const Asn origin = graph_.asn(paths_.origin(path));
    const unsigned len = prefix_list_[p].length;
    bool valid = false;
    for (const auto& [o, max_len] : ps.roas)
      if (o == origin && len <= max_len) valid = true;
    if (!valid) return ImportDrop::RpkiInvalid;
  }
  if (as_[v].customer_filter && graph_.relationship(s) == Relationship::Customer &&
      (ps.cone_ok.empty() || !ps.cone_ok[graph_.neighbor(s)]))
    return ImportDrop::NotCustomerCone;
  return ImportDrop::None;
}

ImportDrop BgpEngine::import_drop(Asn asn, Asn neighbor, const Prefix& prefix) const {
  auto p = find_prefix(prefix);
  if (!p) return ImportDrop::None;
  auto s = graph_.find_slot(index_or_throw(asn), index_or_throw(neighbor));
  if (!s) return ImportDrop::None;
  return static_cast<ImportDrop>(sp(*s, *p).rejected);
}

void BgpEngine::observe(Asn asn) {
  const AsIndex v = index_or_throw(asn);
  for (SlotIndex s = graph_.slot_begin(v); s < graph_.slot_end(v); ++s)
    slots_[slots_[s].reverse].neighbor_observed = 1;
}

void BgpEngine::watch(Asn asn) {
  as_[index_or_throw(asn)].watched = 1;
}

// ---------------------------------------------------------------- running

void BgpEngine::push(double time, EventKind kind, std::uint32_t a, std::uint32_t b) {
  queue_.push(Event{time, (seq_++ << 8) | static_cast<std::uint64_t>(kind), a, b});
  if (kind == EventKind::Input) observable_dates_.push(time);
}

double BgpEngine::quiet_until() {
  const double next = next_event_time();
  while (!observable_dates_.empty() && observable_dates_.top() < next)
    observable_dates_.pop();
  const double observable =
      observable_dates_.empty() ? std::numeric_limits<double>::infinity() : observable_dates_.top();
  // A margin far above rounding (an arrival is now + delay + processing, summed in another order).
  return std::min(observable, next + min_gap_ * (1 - 1e-6));
}

double BgpEngine::next_event_time() const {
  return queue_.empty() ? std::numeric_limits<double>::infinity() : queue_.top().time;
}

void BgpEngine::run_until(double t) {
  if (!tight_) tighten();
  while (!queue_.empty() && queue_.top().time <= t) {
    Event ev = queue_.top();
    queue_.pop();
    prefetch_next();
    now_ = ev.time;
    ++events_processed_;
    dispatch(ev);
  }
  if (std::isfinite(t) && t > now_) now_ = t;
}

bool BgpEngine::run_to_convergence(std::uint64_t max_events) {
  if (!tight_) tighten();
  std::uint64_t count = 0;
  while (!queue_.empty()) {
    if (max_events != 0 && count >= max_events) return false;
    Event ev = queue_.top();
    queue_.pop();
    prefetch_next();
    now_ = ev.time;
    ++events_processed_;
    ++count;
    dispatch(ev);
  }
  return true;
}

// The session state and the first row entries the next event reads, fetched while this one runs
// (both are a cache miss on a large graph: the receiving slots of consecutive events are scattered).
void BgpEngine::prefetch_next() const {
  if (queue_.empty()) return;
  const Event& next = queue_.top();
  const auto kind = static_cast<EventKind>(next.seq_kind & 0xFF);
  if (kind == EventKind::Input || kind == EventKind::Flush) return; // no session to read
  __builtin_prefetch(&slots_[next.a]);
  if (!sp_.empty()) __builtin_prefetch(&sp_[std::size_t(next.a) * stride_]);
}

void BgpEngine::dispatch(const Event& ev) {
  switch (static_cast<EventKind>(ev.seq_kind & 0xFF)) {
  case EventKind::Deliver:
    on_deliver(ev.a, ev.b);
    return;
  case EventKind::MraiExpire:
    on_mrai_expire(ev.a, ev.b);
    return;
  case EventKind::Input:
    on_input(inputs_[ev.a]);
    return;
  case EventKind::Flush:
    on_flush();
    return;
  }
}

std::uint32_t BgpEngine::new_message() {
  if (!free_messages_.empty()) {
    std::uint32_t id = free_messages_.back();
    free_messages_.pop_back();
    return id;
  }
  messages_.push_back(Message{kNoPath, 0, 0, {}});
  return static_cast<std::uint32_t>(messages_.size() - 1);
}

void BgpEngine::on_deliver(SlotIndex r, std::uint32_t mid) {
  // Take the prefixes out of the message: sending below may grow messages_.
  const PathId path = messages_[mid].path;
  const std::uint32_t epoch = messages_[mid].epoch;
  const std::uint64_t low = messages_[mid].low;
  in_high_.swap(messages_[mid].high);
  auto release = [&] {
    in_high_.clear();
    messages_[mid].high.swap(in_high_);
    free_messages_.push_back(mid);
  };
  const SlotState& rs = slots_[r];
  if (!rs.up || rs.epoch != epoch) { // the session went down while the message was in flight
    release();
    return;
  }
  const AsIndex v = rs.owner;
  const Asn from = rs.neighbor_asn;
  const bool loop = path != kNoPath && paths_.contains(path, v);
  const PathId effective = loop ? kNoPath : path;
  const ChangeCause cause = path == kNoPath ? ChangeCause::WithdrawalFrom
                                            : (loop ? ChangeCause::LoopFrom : ChangeCause::AnnouncementFrom);
  const std::size_t count = static_cast<std::size_t>(__builtin_popcountll(low)) + in_high_.size();
  ++messages_delivered_;
  prefix_updates_delivered_ += count;
  AsState& as = as_[v];
  (path == kNoPath ? as.withdrawals_rx : as.announcements_rx) += count;
  changed_.clear();
  const bool filters = as.rov || as.customer_filter;
  const bool watched = observer_ && as.watched;
  // In ascending prefix order: the bits of `low`, then `high`.
  auto receive = [&](PrefixId p) {
    if (watched)
      observer_->on_update_received(
          UpdateReceived{now_, graph_.asn(v), from, prefix_list_[p], path, path == kNoPath});
    PathId accepted = effective;
    if (filters) {
      // Import policy: a rejected route is as if never received (Adj-RIB-in post-policy).
      const ImportDrop drop = import_check(p, v, r, effective);
      sp(r, p).rejected = static_cast<std::uint8_t>(drop);
      if (drop != ImportDrop::None) {
        accepted = kNoPath;
        if (observer_) observer_->on_route_rejected(now_, graph_.asn(v), from, prefix_list_[p], path, drop);
      }
    }
    rib_in_changed(p, v, r, accepted, cause);
  };
  for (std::uint64_t bits = low; bits != 0; bits &= bits - 1)
    receive(static_cast<PrefixId>(__builtin_ctzll(bits)));
  for (PrefixId p : in_high_)
    receive(p);
  if (!changed_.empty()) export_changes(v);
  release();
  if (slots_[r].max_prefix && slots_[r].accepted > slots_[r].max_prefix) {
    // Cease (RFC 4486 subcode 1): the session goes down, until someone brings it up again.
    if (observer_)
      observer_->on_session_ceased(
          SessionCeased{now_, graph_.asn(v), from, slots_[r].accepted, slots_[r].max_prefix});
    take_session_down(r);
  }
}

// Route preference as one integer, lower is better: local-pref (higher wins), then AS-path length,
// then the slot, which orders neighbours by ASN (slots are sorted by neighbour index, and indices
// by ASN), so equal-rank routes are broken by the lowest neighbour ASN.
std::uint64_t BgpEngine::route_key(SlotIndex s, PathId path) const {
  const std::uint64_t len = std::min<std::uint32_t>(paths_.length(path), 0xFFFF);
  return (static_cast<std::uint64_t>(0xFFFF - slots_[s].local_pref) << 48) | (len << 32) | s;
}

void BgpEngine::rib_in_changed(PrefixId p, AsIndex v, SlotIndex s, PathId path, ChangeCause cause) {
  SlotPrefix& e = sp(s, p);
  const PathId old = e.rib_in;
  if (old == path) return;
  e.rib_in = path;
  if (old == kNoPath)
    ++slots_[s].accepted;
  else if (path == kNoPath)
    --slots_[s].accepted;
  if (ap(v, p).origin) {
    ++lookup_version_; // onward_route() reads an originating AS's RIB-in (an interceptor's way on)
    return;            // the originated route beats anything learned
  }
  const SlotIndex best = ap(v, p).best_slot;
  const Asn from = slots_[s].neighbor_asn;
  if (best == s) {
    // Same neighbour, same local-pref: still best if not longer than before (everything else lost
    // to the old path); otherwise every candidate must be looked at again.
    if (path != kNoPath && paths_.length(path) <= paths_.length(old)) {
      set_best(p, v, s, path, cause, from);
      return;
    }
    rescan(p, v, cause, from);
    return;
  }
  if (path == kNoPath) return;
  if (best == kNoSlot || route_key(s, path) < route_key(best, ap(v, p).best_path))
    set_best(p, v, s, path, cause, from);
}

void BgpEngine::rescan(PrefixId p, AsIndex v, ChangeCause cause, Asn from) {
  if (ap(v, p).origin) {
    set_best(p, v, kLocalSlot, local_path(p, v), cause, from);
    return;
  }
  SlotIndex best = kNoSlot;
  std::uint64_t best_key = ~0ull;
  const SlotIndex end = graph_.slot_end(v);
  for (SlotIndex s = graph_.slot_begin(v); s < end; ++s) {
    const PathId path = sp(s, p).rib_in;
    if (path == kNoPath) continue;
    const std::uint64_t key = route_key(s, path);
    if (key < best_key) {
      best_key = key;
      best = s;
    }
  }
  set_best(p, v, best, best == kNoSlot ? kNoPath : sp(best, p).rib_in, cause, from);
}

void BgpEngine::set_best(PrefixId p, AsIndex v, SlotIndex slot, PathId path, ChangeCause cause, Asn from) {
  AsPrefix& a = ap(v, p);
  const PathId old_path = a.best_path;
  if (a.best_slot == slot && old_path == path) return;
  ++lookup_version_;
  a.best_slot = slot;
  a.best_path = path;
  a.best_customer_like = slot < slots_.size() ? slots_[slot].customer_like : 0;
  if (path == kNoPath) {
    a.export_path = kNoPath;
  } else {
    // The prefixes of one UPDATE usually share the new path: intern it once.
    if (v != intern_cache_as_ || path != intern_cache_path_) {
      intern_cache_as_ = v;
      intern_cache_path_ = path;
      intern_cache_result_ = paths_.intern(v, path);
    }
    a.export_path = intern_cache_result_;
  }
  if (changed_.empty() || changed_.back() != p) changed_.push_back(p);
  ++best_path_changes_;
  last_change_time_ = now_;
  if (observer_)
    observer_->on_best_path_change(
        BestPathChange{now_, graph_.asn(v), prefix_list_[p], old_path, path, cause, from});
}

PathId BgpEngine::export_for(PrefixId p, AsIndex v, SlotIndex s) {
  const SlotState& st = slots_[s];
  if (st.export_deny) return kNoPath;
  const AsPrefix& a = ap(v, p);
  const SlotIndex best = a.best_slot;
  if (best == kNoSlot || best == s) return kNoPath; // nothing, or split horizon
  if (best != kLocalSlot && !st.customer_like && !a.best_customer_like && !as_[v].leak)
    return kNoPath; // valley-free: peer/provider routes go to customers only
  PathId out = a.export_path;
  for (unsigned k = 0; k < st.prepend; ++k)
    out = paths_.intern(v, out);
  return out;
}

void BgpEngine::export_changes(AsIndex v) {
  if (params_.mrai_s > 0) {
    export_now(v);
    return;
  }
  // No MRAI: the export waits for the end of the date (see the header), one Flush for all ASes.
  if (dirty_.empty()) push(now_, EventKind::Flush, 0, 0);
  for (PrefixId p : changed_) {
    AsPrefix& a = ap(v, p);
    if (a.dirty) continue;
    a.dirty = 1;
    if (dirty_count_[v]++ == 0) dirty_as_.push_back(v);
    dirty_.emplace_back(v, p);
  }
}

void BgpEngine::on_flush() {
  // ASes in the order they first changed in this date, each with its prefixes in the order they
  // changed (a stable bucket sort of dirty_ by AS; the order of the sends is deterministic).
  std::uint32_t end = 0;
  for (AsIndex v : dirty_as_) {
    end += dirty_count_[v];
    dirty_count_[v] = end - dirty_count_[v]; // the AS's first place in flush_order_
  }
  flush_order_.resize(dirty_.size());
  for (const auto& [v, p] : dirty_)
    flush_order_[dirty_count_[v]++] = p; // ends as the AS's end
  dirty_.clear();
  std::uint32_t begin = 0;
  for (AsIndex v : dirty_as_) {
    const std::uint32_t stop = dirty_count_[v];
    dirty_count_[v] = 0;
    changed_.assign(flush_order_.begin() + begin, flush_order_.begin() + stop);
    begin = stop;
    for (PrefixId p : changed_)
      ap(v, p).dirty = 0;
    export_now(v);
  }
  dirty_as_.clear();
  changed_.clear();
}

void BgpEngine::export_now(AsIndex v) {
  const SlotIndex end = graph_.slot_end(v);
  for (SlotIndex s = graph_.slot_begin(v); s < end; ++s)
    if (slots_[s].up) export_over(s);
}

void BgpEngine::export_over(SlotIndex s) {
  const AsIndex v = slots_[s].owner;
  const bool armed = slots_[s].armed;
  out_.clear();
  for (PrefixId p : changed_) {
    const PathId desired = export_for(p, v, s);
    SlotPrefix& e = sp(s, p);
    if (armed && (desired != kNoPath || params_.mrai_on_withdrawals)) {
      if (desired != e.rib_out && !e.pending) {
        e.pending = 1;
        if (!e.listed) { // (a superseded entry keeps its place, as in a list with a stale entry)
          e.listed = 1;
          sp(s, slots_[s].queued++).queue = p;
        }
      }
      continue;
    }
    e.pending = 0; // a withdrawal sent now supersedes a queued announcement
    if (desired != e.rib_out) {
      out_.emplace_back(desired, p);
      e.rib_out = desired;
    }
  }
  send_batch(s);
}

void BgpEngine::send_batch(SlotIndex s) {
  if (out_.empty()) return;
  if (out_.size() > 1) std::sort(out_.begin(), out_.end());
  const SlotIndex r = slots_[s].reverse;
  const double arrival = now_ + slots_[s].delay + params_.processing_delay_s;
  bool arm = false;
  for (std::size_t i = 0; i < out_.size();) {
    const PathId path = out_[i].first;
    const std::uint32_t mid = new_message();
    Message& msg = messages_[mid];
    msg.path = path;
    msg.epoch = slots_[s].epoch;
    msg.low = 0;
    msg.high.clear();
    for (; i < out_.size() && out_[i].first == path; ++i) {
      const PrefixId p = out_[i].second;
      if (p < 64)
        msg.low |= 1ull << p;
      else
        msg.high.push_back(p);
    }
    push(arrival, EventKind::Deliver, r, mid);
    if (slots_[s].neighbor_observed) observable_dates_.push(arrival);
    arm = arm || path != kNoPath || params_.mrai_on_withdrawals;
  }
  out_.clear();
  if (arm && params_.mrai_s > 0 && !slots_[s].armed) arm_mrai(s);
}

void BgpEngine::arm_mrai(SlotIndex s) {
  slots_[s].armed = 1;
  double factor = params_.mrai_jitter ? 0.75 + 0.25 * sim::uniform01(jitter_rng_) : 1.0;
  push(now_ + params_.mrai_s * factor, EventKind::MraiExpire, s, slots_[s].epoch);
}

void BgpEngine::on_mrai_expire(SlotIndex s, std::uint32_t epoch) {
  if (epoch != slots_[s].epoch) return; // the session flapped since the timer was armed
  slots_[s].armed = 0;
  const AsIndex v = slots_[s].owner;
  out_.clear();
  // The queue in the order prefixes joined it.
  const std::uint32_t queued = slots_[s].queued;
  slots_[s].queued = 0;
  for (std::uint32_t k = 0; k < queued; ++k) {
    const PrefixId p = sp(s, k).queue;
    SlotPrefix& e = sp(s, p);
    e.listed = 0;
    if (!e.pending) continue;
    e.pending = 0;
    const PathId desired = export_for(p, v, s);
    if (desired != e.rib_out) {
      out_.emplace_back(desired, p);
      e.rib_out = desired;
    }
  }
  send_batch(s); // re-arms if it announced anything
}

void BgpEngine::all_prefixes_changed(AsIndex v) {
  changed_.clear();
  for (PrefixId p = 0; p < prefix_list_.size(); ++p)
    changed_.push_back(p);
  export_changes(v);
}

// The route an origin holds: empty when it originates the prefix itself (a site), the kept learned
// path when it only re-originates a leaked more-specific.
PathId BgpEngine::local_path(PrefixId p, AsIndex v) const {
  if (prefix_state_[p].origin_sites[v] != kReoriginBit) return kEmptyPath;
  return reorig_.at({p, v});
}

void BgpEngine::set_sites(PrefixId p, AsIndex v, std::uint64_t sites) {
  ++lookup_version_;
  prefix_state_[p].origin_sites[v] = sites;
  ap(v, p).origin = sites != 0;
}

void BgpEngine::apply_origin_change(const Input& in) {
  const AsIndex v = in.as;
  PrefixState& ps = prefix_state_[in.prefix];
  if (in.kind == InputKind::Reoriginate) {
    if (in.value) {
      if (ps.origin_sites[v] & kReoriginBit) return;
      // The best learned route for the longest strictly covering prefix, now.
      const Prefix& more = prefix_list_[in.prefix];
      PathId learned = kNoPath;
      for (PrefixId q : lpm_order_) {
        const Prefix& cover = prefix_list_[q];
        if (cover.length >= more.length || !cover.covers(more)) continue;
        const SlotIndex b = ap(v, q).best_slot;
        if (b == kNoSlot || b == kLocalSlot) continue;
        learned = ap(v, q).best_path;
        break;
      }
      if (learned == kNoPath) return;
      reorig_[{in.prefix, v}] = learned;
      const bool was_origin = ps.origin_sites[v] != 0;
      set_sites(in.prefix, v, ps.origin_sites[v] | kReoriginBit);
      if (!was_origin) set_best(in.prefix, v, kLocalSlot, learned, ChangeCause::MoreSpecificLeaked, 0);
      return;
    }
    if (!(ps.origin_sites[v] & kReoriginBit)) return;
    set_sites(in.prefix, v, ps.origin_sites[v] & ~kReoriginBit);
    reorig_.erase({in.prefix, v});
    if (!ps.origin_sites[v]) rescan(in.prefix, v, ChangeCause::OriginWithdrawn, 0);
    return;
  }
  const std::uint64_t bit = 1ull << in.value;
  if (in.kind == InputKind::Withdraw) {
    if (!(ps.origin_sites[v] & bit)) return;
    set_sites(in.prefix, v, ps.origin_sites[v] & ~bit);
    if (ps.origin_sites[v] == kReoriginBit) { // only the leaked more-specific is left
      ps.hijacker[v] = 0;
      set_best(in.prefix, v, kLocalSlot, local_path(in.prefix, v), ChangeCause::OriginWithdrawn, 0);
      return;
    }
    if (ps.origin_sites[v]) return; // another site still originates
    ps.hijacker[v] = 0;
    rescan(in.prefix, v, ChangeCause::OriginWithdrawn, 0);
    return;
  }
  const bool was_origin = (ps.origin_sites[v] & ~kReoriginBit) != 0;
  set_sites(in.prefix, v, ps.origin_sites[v] | bit);
  if (was_origin) return;
  ps.hijacker[v] = in.kind == InputKind::Hijack;
  set_best(in.prefix, v, kLocalSlot, kEmptyPath,
           in.kind == InputKind::Hijack ? ChangeCause::HijackAnnounced : ChangeCause::OriginAnnounced, 0);
}

void BgpEngine::take_session_down(SlotIndex sa) {
  const SlotIndex sb = graph_.reverse_slot(sa);
  if (!slots_[sa].up) return;
  ++lookup_version_;
  for (SlotIndex s : {sa, sb}) {
    slots_[s].up = 0;
    ++slots_[s].epoch;
    slots_[s].armed = 0;
    slots_[s].queued = 0;
    slots_[s].accepted = 0;
  }
  for (SlotIndex s : {sa, sb}) {
    const AsIndex owner = graph_.owner(s);
    const Asn from = graph_.asn(graph_.neighbor(s));
    changed_.clear();
    for (PrefixId p = 0; p < prefix_list_.size(); ++p) {
      sp(s, p).rib_out = kNoPath;
      sp(s, p).pending = 0;
      sp(s, p).listed = 0;
      sp(s, p).rejected = 0;
      if (sp(s, p).rib_in == kNoPath) continue;
      sp(s, p).rib_in = kNoPath;
      if (!ap(owner, p).origin && ap(owner, p).best_slot == s)
        rescan(p, owner, ChangeCause::SessionDown, from);
    }
    if (!changed_.empty()) export_changes(owner);
  }
}

void BgpEngine::on_input(const Input& in) {
  ++lookup_version_;
  const AsIndex v = in.as;
  switch (in.kind) {
  case InputKind::Announce:
  case InputKind::Hijack:
  case InputKind::Withdraw:
  case InputKind::Reoriginate: {
    // Origin changes of one AS at one date leave in one UPDATE per path, as a router would send
    // them: consecutive such inputs (same date, same AS) are applied first, then exported once.
    changed_.clear();
    apply_origin_change(in);
    while (!queue_.empty()) {
      const Event& next = queue_.top();
      if (next.time != now_ || static_cast<EventKind>(next.seq_kind & 0xFF) != EventKind::Input) break;
      const Input& more = inputs_[next.a];
      if (more.as != v || (more.kind != InputKind::Announce && more.kind != InputKind::Hijack &&
                           more.kind != InputKind::Withdraw && more.kind != InputKind::Reoriginate))
        break;
      queue_.pop();
      ++events_processed_;
      apply_origin_change(more);
    }
    if (!changed_.empty()) export_changes(v);
    return;
  }
  case InputKind::SessionDown:
    take_session_down(*graph_.find_slot(v, in.other));
    return;
  case InputKind::SessionUp: {
    const SlotIndex sa = *graph_.find_slot(v, in.other);
    const SlotIndex sb = graph_.reverse_slot(sa);
    if (slots_[sa].up) return;
    for (SlotIndex s : {sa, sb}) {
      slots_[s].up = 1;
      ++slots_[s].epoch;
    }
    changed_.clear();
    for (PrefixId p = 0; p < prefix_list_.size(); ++p)
      changed_.push_back(p);
    export_over(sa);
    export_over(sb);
    return;
  }
  case InputKind::Leak:
    as_[v].leak = static_cast<std::uint8_t>(in.value);
    all_prefixes_changed(v);
    return;
  case InputKind::LocalPref: {
    slots_[*graph_.find_slot(v, in.other)].local_pref = static_cast<std::uint16_t>(in.value);
    changed_.clear();
    for (PrefixId p = 0; p < prefix_list_.size(); ++p)
      rescan(p, v, ChangeCause::PolicyChange, 0);
    all_prefixes_changed(v);
    return;
  }
  case InputKind::Prepend:
  case InputKind::Export: {
    auto apply = [&](SlotIndex s) {
      if (in.kind == InputKind::Prepend)
        slots_[s].prepend = static_cast<std::uint8_t>(in.value);
      else
        slots_[s].export_deny = in.value ? 0 : 1;
    };
    if (in.other == kAllNeighbors)
      for (SlotIndex s = graph_.slot_begin(v); s < graph_.slot_end(v); ++s)
        apply(s);
    else
      apply(*graph_.find_slot(v, in.other));
    all_prefixes_changed(v);
    return;
  }
  }
}

// ---------------------------------------------------------------- reading

std::optional<PrefixId> BgpEngine::find_prefix(const Prefix& p) const {
  auto it = prefix_ids_.find(p);
  if (it == prefix_ids_.end()) return std::nullopt;
  return it->second;
}

std::vector<Asn> BgpEngine::path_asns(PathId path) const {
  std::vector<Asn> out;
  if (path == kNoPath) return out;
  for (AsIndex v : paths_.indices(path))
    out.push_back(graph_.asn(v));
  return out;
}

std::optional<std::vector<Asn>> BgpEngine::best_path(Asn asn, const Prefix& prefix) const {
  const AsIndex v = index_or_throw(asn);
  auto p = find_prefix(prefix);
  if (!p) return std::nullopt;
  if (ap(v, *p).best_slot == kNoSlot) return std::nullopt;
  if (ap(v, *p).best_path == kEmptyPath) return std::vector<Asn>{asn};
  return path_asns(ap(v, *p).best_path);
}

bool BgpEngine::is_hijacker(Asn asn, const Prefix& prefix) const {
  auto p = find_prefix(prefix);
  return p && prefix_state_[*p].hijacker[index_or_throw(asn)] != 0;
}

std::uint64_t BgpEngine::announcements_received(Asn asn) const {
  return as_[index_or_throw(asn)].announcements_rx;
}
std::uint64_t BgpEngine::withdrawals_received(Asn asn) const {
  return as_[index_or_throw(asn)].withdrawals_rx;
}

Explanation BgpEngine::explain(Asn asn, const Prefix& prefix) const {
  Explanation e;
  const AsIndex v = index_or_throw(asn);
  auto p = find_prefix(prefix);
  if (!p) return e;
  const PrefixState& ps = prefix_state_[*p];
  SlotIndex first = kNoSlot, second = kNoSlot;
  std::uint64_t k1 = ~0ull, k2 = ~0ull;
  for (SlotIndex s = graph_.slot_begin(v); s < graph_.slot_end(v); ++s) {
    if (sp(s, *p).rib_in == kNoPath) continue;
    ++e.candidates;
    const std::uint64_t k = route_key(s, sp(s, *p).rib_in);
    if (k < k1) {
      second = first;
      k2 = k1;
      first = s;
      k1 = k;
    } else if (k < k2) {
      second = s;
      k2 = k;
    }
  }
  if (ps.origin_sites[v]) {
    e.reason = SelectionReason::Local;
    if (first != kNoSlot) e.runner_up = graph_.asn(graph_.neighbor(first));
    return e;
  }
  if (first == kNoSlot) return e;
  e.best_neighbor = graph_.asn(graph_.neighbor(first));
  if (second == kNoSlot) {
    e.reason = SelectionReason::OnlyRoute;
    return e;
  }
  e.runner_up = graph_.asn(graph_.neighbor(second));
  if ((k1 >> 48) != (k2 >> 48))
    e.reason = SelectionReason::LocalPref;
  else if ((k1 >> 32) != (k2 >> 32))
    e.reason = SelectionReason::AsPathLength;
  else
    e.reason = SelectionReason::NeighborAsn;
  return e;
}

LookupResult BgpEngine::route_lookup(Asn from, Ipv4 address) const {
  LookupResult r;
  AsIndex v = index_or_throw(from);
  r.path.push_back(from);
  for (std::size_t hop = 0; hop <= graph_.as_count(); ++hop) {
    SlotIndex best = kNoSlot;
    PrefixId matched = 0;
    for (PrefixId p : lpm_order_) {
      if (!prefix_list_[p].contains(address)) continue;
      best = ap(v, p).best_slot;
      matched = p;
      if (best != kNoSlot) break;
    }
    if (best == kNoSlot) {
      r.status = LookupStatus::NoRoute;
      return r;
    }
    const PathId held = ap(v, matched).best_path;
    if (best == kLocalSlot && held == kEmptyPath) {
      r.status = LookupStatus::Delivered;
      r.prefix = matched;
      return r;
    }
    // A leaked more-specific is forwarded along the learned path it was made from.
    v = best == kLocalSlot ? paths_.head(held) : graph_.neighbor(best);
    const Asn next = graph_.asn(v);
    const bool seen = std::find(r.path.begin(), r.path.end(), next) != r.path.end();
    r.path.push_back(next);
    if (seen) {
      r.status = LookupStatus::Loop;
      return r;
    }
  }
  r.status = LookupStatus::Loop; // unreachable: a path longer than the AS count must repeat
  return r;
}

std::optional<std::vector<Asn>> BgpEngine::onward_route(Asn asn, Ipv4 address) const {
  const AsIndex v = index_or_throw(asn);
  for (PrefixId p : lpm_order_) {
    if (!prefix_list_[p].contains(address)) continue;
    const PrefixState& ps = prefix_state_[p];
    if (ps.origin_sites[v] && !ps.hijacker[v])
      return ap(v, p).best_path == kEmptyPath ? std::vector<Asn>{asn} : path_asns(ap(v, p).best_path);
    if (ps.origin_sites[v]) {
      // Its own hijack: the best route its neighbours still offer for that prefix, if any.
      SlotIndex best = kNoSlot;
      std::uint64_t best_key = ~0ull;
      for (SlotIndex s = graph_.slot_begin(v); s < graph_.slot_end(v); ++s)
        if (sp(s, p).rib_in != kNoPath && route_key(s, sp(s, p).rib_in) < best_key) {
          best_key = route_key(s, sp(s, p).rib_in);
          best = s;
        }
      if (best != kNoSlot) return path_asns(sp(best, p).rib_in);
      continue;
    }
    if (ap(v, p).best_slot != kNoSlot) return path_asns(ap(v, p).best_path);
  }
  return std::nullopt;
}

void write_routes(std::ostream& out, const BgpEngine& engine, const Prefix& prefix) {
  const AsGraph& g = engine.graph();
  const auto p = engine.find_prefix(prefix);
  for (AsIndex v = 0; v < g.as_count(); ++v) {
    out << g.asn(v) << '\t';
    const PathId path = p ? engine.best_path_id(v, *p) : kNoPath;
    if (path == kNoPath) {
      out << "-";
    } else if (path == kEmptyPath) {
      out << g.asn(v);
    } else {
      bool first = true;
      for (PathId q = path; q != kEmptyPath; q = engine.paths().tail(q)) {
        if (!first) out << ' ';
        out << g.asn(engine.paths().head(q));
        first = false;
      }
    }
    // Routes its import policy rejected, when any: a third column.
    std::string drops;
    if (p)
      for (SlotIndex s = g.slot_begin(v); s < g.slot_end(v); ++s) {
        const Asn n = g.asn(g.neighbor(s));
        const ImportDrop d = engine.import_drop_at(s, *p);
        if (d != ImportDrop::None)
          drops += (drops.empty() ? "" : ", ") + std::string(to_string(d)) + " from AS" + std::to_string(n);
      }
    if (!drops.empty()) out << "\tdropped: " << drops;
    out << '\n';
  }
}

} // namespace outagesim::bgp
