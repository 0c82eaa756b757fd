#include "sim/fault/Actions.hpp"

namespace outagesim::sim {

const std::vector<ActionDecl>& core_action_decls() {
  static const std::vector<ActionDecl> decls = [] {
    std::vector<ActionDecl> out = {
        {"link", "down", "the link stops carrying traffic (a cut fibre, a port shut)", "up", {}},
        {"link", "up", "the link carries traffic again", "down", {}},
    };
    for (const char* kind : {"router", "dc", "dns", "resolver"}) {
      out.push_back({kind, "down",
                     "graceful stop: the node shuts down cleanly (a BGP speaker closes its sessions at once)",
                     "up", {}});
      out.push_back({kind, "up", "the node starts again", "down", {}});
      out.push_back({kind, "crash",
                     "the node fails silently (peers notice after their hold time; a resolver loses its "
                     "cache)",
                     "restore", {}});
      out.push_back({kind, "restore", "the crashed node comes back", "crash", {}});
    }
    return out;
  }();
  return decls;
}

const std::vector<EventDecl>& core_event_decls() {
  static const std::vector<EventDecl> decls = {
      {"fault.applied", "any", "a timeline entry starts (data: action, target, with)"},
      {"fault.ended", "any", "a timeline entry ends (its until: or for:)"},
      {"link.down", "link", "a link stopped carrying traffic"},
      {"link.up", "link", "a link carries traffic again"},
      {"node.stopped", "node", "a node was stopped gracefully (down)"},
      {"node.crashed", "node", "a node crashed"},
      {"node.started", "node", "a stopped node started again (up)"},
      {"node.restored", "node", "a crashed node came back (restore)"},
  };
  return decls;
}

} // namespace outagesim::sim
