#pragma once
// The narrow switch through which the fault timeline (and recovery actions) reach entities. An entity
// is a path ("link:backbone/a-b"); the owner of a kind of entity registers a handler per action
// ("link" "down" -> turn the SimGrid link off). The timeline never touches a model's internals: it
// can only ask the directory to apply a named action to a path.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/core/Time.hpp"

namespace outagesim::sim {

/// What a handler is asked to do.
struct ActionRequest {
  std::string action; ///< "down", "up", "crash", "restore", or a model's own action
  SimTime at = 0;
  std::string reason;      ///< why (the fault's note, or "end of fault X")
  std::uint64_t cause = 0; ///< id of the fault event that asks for it
  std::map<std::string, std::string> params; ///< the fault's `with:` arguments
  /// The timeline entry that asks (its id, or "#N", its position, without one; empty for actions of
  /// models such as operators' repairs), and whether this is its end (`until:`/`for:`). Lets effects
  /// that add up (two attacks on one site) be undone one by one.
  std::string fault;
  bool undo = false;
};

/// Handles one action on one entity path; returns the id of the event it emitted (0 if none).
using ActionHandler = std::function<std::uint64_t(const std::string& path, const ActionRequest&)>;

class EntityDirectory {
public:
  /// Declares entity paths (the world's, and any a model adds).
  void add_entities(const std::vector<std::string>& paths);
  /// Registers the handler of `action` for every entity whose path starts with `kind:`.
  void on(const std::string& kind, const std::string& action, ActionHandler handler);
  /// Adds entities of a kind that are too many to list (BGP sessions): `matcher` returns the paths
  /// of that kind matching a pattern.
  void add_matcher(const std::string& kind, std::function<std::vector<std::string>(const std::string&)> matcher);
  /// Paths matching a pattern with * and ? (sorted).
  std::vector<std::string> match(const std::string& pattern) const;
  /// Applies an action to one path; returns the emitted event id, or 0 if no handler exists.
  std::uint64_t apply(const std::string& path, const ActionRequest& request) const;
  bool supports(const std::string& kind, const std::string& action) const;

private:
  std::vector<std::string> paths_; // sorted
  std::map<std::string, std::function<std::vector<std::string>(const std::string&)>> matchers_;
  std::map<std::pair<std::string, std::string>, ActionHandler> handlers_;
};

} // namespace outagesim::sim
