#pragma once
// The vocabulary of the fault timeline and of the event log, declared once: the actions on entities
// (the engine's own here, models' in their ModelInfo) and the event types emitted. The loader checks
// faults against these declarations, the runner registers the engine's handlers from them and
// `outagesim models` prints them.
#include <string>
#include <vector>

namespace outagesim::sim {

/// An action on one kind of entity ("link" "down", "prefix" "withdraw").
struct ActionDecl {
  std::string kind; ///< entity path prefix ("link", "dc", "as", ...)
  std::string action;
  std::string doc;
  std::string undo; ///< the action that `until:` plays to end it ("" if it cannot be undone)
  std::vector<std::string> params; ///< keys allowed under the fault's `with:` (e.g. "prefix")
};

/// An event type (the engine's, or a model's): id, the kind of entity it is about, and what it means.
struct EventDecl {
  std::string type;    ///< "bgp.withdraw", "node.crashed", ...
  std::string subject; ///< kind of its subject ("link", "prefix", "region", "node", ...)
  std::string doc;
};

/// The engine's own actions: links go down and up; routers, datacenters, DNS servers and resolvers
/// stop gracefully (down), start (up), crash and are restored. Models react to a node's crash as
/// a crash where the difference is real (see their docs).
const std::vector<ActionDecl>& core_action_decls();

/// The engine's own event types (fault.applied, link.down, node.crashed, ...).
const std::vector<EventDecl>& core_event_decls();

} // namespace outagesim::sim
