#pragma once
// BgpDriver: a scenario's BGP setup applied to a BgpEngine, and the timeline actions on BGP entities
// translated into engine inputs. Engine-free and SimGrid-free, shared by the model (which dates
// inputs with SimGrid's clock) and `outagesim routes SCENARIO --at T` (which plays the BGP faults
// with the engine alone), so both give the same routes.
//
// Clock: warm_up() announces every configured prefix (and applies the policies) at engine time 0
// and runs to convergence; the scenario then starts in that converged state, at engine time
// offset() (= the warm-up's last event). Scenario time t is engine time t + offset().
//
// Entities and actions (kinds of sim::ActionDecl, see bgp_action_decls()):
//   prefix:P      withdraw / announce      [with: origin: ASN, site: NAME; default every origin]
//   as:N          hijack / unhijack        [with: prefix: P (P or a more-specific of someone's),
//                                           mode: blackhole | impersonate | intercept]
//   as:N          leak / unleak            [with: more_specific: P (re-originates P, path kept)]
//   as:N          set_policy               [with: neighbor, local_pref, prepend, export]
//   session:A-B   down / up                (one per adjacency; A-B and B-A name the same one)
#include "models/bgp/BgpConfig.hpp"
#include "models/bgp/BgpEngine.hpp"
#include "sim/run/Model.hpp"
#include "sim/run/Services.hpp"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace outagesim::bgp {

/// The BGP model's fault actions (kinds prefix, as, session).
std::vector<sim::ActionDecl> bgp_action_decls();

/// Paths of BGP entities matching a pattern with * and ? ("prefix:129.134.*", "session:32934-*",
/// "as:174"), sorted. Sessions are named "session:A-B" with A < B; a pattern matches a session in
/// either order.
std::vector<std::string> match_bgp_entities(const BgpConfig& config, const AsGraph& graph,
                                            const std::string& pattern);

/// Checks the `with:` arguments of a BGP action on a target (pattern) against the config and the
/// graph; returns the problem, or "" when fine.
std::string check_bgp_action(const BgpConfig& config, const AsGraph& graph, const std::string& target,
                             const std::string& action, const std::map<std::string, std::string>& params);

/// True if the route `path` (neighbour first, origin last, prepends allowed) held by `holder`
/// respects valley-free export: from the origin to the holder, up over customer->provider hops, at
/// most one peer hop, then down; sibling hops anywhere. False if two consecutive ASes are not
/// adjacent. A leak's signature.
bool valley_free(const AsGraph& graph, Asn holder, const std::vector<Asn>& path);

/// Where a route that is not valley-free goes wrong: the AS at the bottom of its first valley
/// (from the origin), `via`, passed the route it learned from `from` (its `from_is`: a provider or a
/// peer) to `to` (its `to_is`: a provider or a peer), which valley-free export forbids.
struct Valley {
  Asn from = 0, via = 0, to = 0;
  Relationship from_is = Relationship::Provider, to_is = Relationship::Provider;
};
/// The first valley of `path` held by `holder` (as valley_free() reads it), nullopt when the route
/// is valley-free or two consecutive ASes are not adjacent.
std::optional<Valley> find_valley(const AsGraph& graph, Asn holder, const std::vector<Asn>& path);
/// "AS64530 passes the route of its provider AS64510 to its provider AS64520".
std::string describe_valley(const Valley& v);

/// What an applied action changed, for the event the caller emits.
struct AppliedAction {
  std::string type;             ///< event type: bgp.withdraw, bgp.announce, bgp.hijack, ...
  std::string detail;           ///< what exactly ("origins AS32934/ams, AS32934/iad")
  std::vector<Prefix> prefixes; ///< prefixes it concerns (empty with all_prefixes)
  bool all_prefixes = false;    ///< sessions, leaks, policies: every prefix may change
};

/// What an AS that originates a prefix it does not own does with the traffic it attracts.
enum class HijackMode : std::uint8_t {
  Blackhole,   ///< drops it (the default)
  Impersonate, ///< answers in the owner's place (forged DNS answers, failed or forged responses)
  Intercept    ///< forwards it on to the real origin over its own route (a man in the middle)
};
/// "blackhole", "impersonate", "intercept".
std::string_view to_string(HijackMode m);

/// The data-plane verdict of BgpDriver::lookup(): the answer other models read (cause left 0: the
/// caller knows the events), and the hijack behind it, if any.
struct Verdict {
  sim::RouteAnswer answer;
  std::optional<std::pair<Asn, Prefix>> hijack; ///< (hijacker, prefix) when answer.hijacker is set
};

class BgpDriver {
public:
  BgpDriver(BgpConfig config, std::shared_ptr<const AsGraph> graph, BgpParams params);

  /// Announces every configured origin and applies the policies at engine time 0, runs to
  /// convergence, and sets offset(). Call once, before anything else.
  void warm_up();
  /// Engine time of scenario time 0.
  double offset() const { return offset_; }
  BgpEngine& engine() { return *engine_; }
  const BgpEngine& engine() const { return *engine_; }
  const BgpConfig& config() const { return config_; }
  const AsGraph& graph() const { return *graph_; }

  /// Applies `action` to the entity `path` at engine date `at` (>= engine().now()). Returns nullopt
  /// when nothing changes (already in that state, no such origin). Arguments were checked by
  /// check_bgp_action(); a bad one throws std::invalid_argument.
  std::optional<AppliedAction> apply(const std::string& path, const std::string& action,
                                     const std::map<std::string, std::string>& params, double at);
  /// A site's own (re-)announcement or withdrawal: `site` is a site name of the prefix's origins or
  /// an AS number as text (every site of that AS). nullopt if the site does not originate the
  /// prefix, or nothing changes.
  std::optional<AppliedAction> set_announced(const std::string& site, const Prefix& prefix, bool announce,
                                             double at);

  /// Where a packet from `from` to `address` ends now and what happens there (see sim::RouteAnswer):
  /// the engine's forwarding walk, then the terminal AS judged against the declared origins (of the
  /// matched prefix or a covering one) and the ROAs, then the hijack's mode. Answers are memoised
  /// per (from, address) while nothing they depend on changes (the engine's lookup_version() and this
  /// driver's inputs); the reference holds until the next call of a member of this driver.
  const Verdict& lookup(Asn from, Ipv4 address) const;
  /// The same verdict computed afresh, without the memo (what lookup() must always equal).
  Verdict compute_verdict(Asn from, Ipv4 address) const;
  /// True if `asn` may originate `prefix`: a declared origin of it or of a covering prefix, or
  /// RPKI-valid against bgp.roas.
  bool authorised(Asn asn, const Prefix& prefix) const;
  /// Changes with every apply() / set_announced(): with the engine's lookup_version(), what lookup()
  /// answers stays the same while neither moves.
  std::uint64_t inputs_version() const { return inputs_version_; }

private:
  std::optional<AppliedAction> set_origins(const PrefixSpec& spec, bool announce,
                                           const std::map<std::string, std::string>& params, double at);
  std::optional<AppliedAction> set_origin_list(const PrefixSpec& spec,
                                               const std::vector<const OriginSpec*>& list, bool announce,
                                               double at);

  BgpConfig config_;
  std::shared_ptr<const AsGraph> graph_;
  std::unique_ptr<BgpEngine> engine_;
  double offset_ = 0;
  std::set<std::tuple<Prefix, Asn, unsigned>> announced_; // (prefix, origin AS, site) originating now
  std::map<std::pair<Asn, Prefix>, HijackMode> hijacks_;
  std::set<Asn> leaking_;
  std::set<std::pair<Asn, Prefix>> more_specific_leaks_;
  std::set<std::pair<Asn, Asn>> down_sessions_;
  // Changes with every apply() / set_announced() (the hijack modes a verdict reads change there).
  std::uint64_t inputs_version_ = 0;
  // lookup()'s memo: verdicts by from << 32 | address, valid while both versions are as recorded.
  static constexpr std::size_t kMemoLimit = 1u << 16; // emptied when it holds this many
  mutable std::unordered_map<std::uint64_t, Verdict> memo_;
  mutable std::uint64_t memo_engine_version_ = ~0ull;
  mutable std::uint64_t memo_inputs_version_ = ~0ull;
};

} // namespace outagesim::bgp
